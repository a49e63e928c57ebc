// The Runner against a GoogleMock target, and the trace monitors on hand-made traces.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bgconform/explorer.h"
#include "bgconform/reference_target.h"
#include "bgconform/run_result.h"
#include "bgconform/runner.h"
#include "bgconform/trace_monitors.h"

namespace bgc {
namespace {

using ::testing::_;
using ::testing::Return;

class MockTarget : public Target {
 public:
  MOCK_METHOD(Capabilities, capabilities, (), (const, override));
  MOCK_METHOD(void, reset, (Profile), (override));
  MOCK_METHOD(Observation, apply, (const Stimulus&), (override));
  MOCK_METHOD(std::string, name, (), (const, override));
};

Observation state(JobState s) {
  Observation o;
  o.state = s;
  return o;
}
Observation answer(HRESULT h) {
  Observation o;
  o.hr = h;
  return o;
}
Observation ended_by(Outcome outcome) {
  Observation o;
  o.outcome = outcome;
  return o;
}

TEST(Runner, SweepsEveryLiveJobAndPasses) {
  MockTarget t;
  JobModel model;
  EXPECT_CALL(t, reset(Profile::Bits));
  EXPECT_CALL(t, apply(stim::create_job(0))).WillOnce(Return(state(JobState::Suspended)));
  EXPECT_CALL(t, apply(stim::call(Op::GetState, 0))).Times(2).WillRepeatedly(Return(state(JobState::Suspended)));
  EXPECT_CALL(t, apply(stim::call(Op::GetProgress, 0))).WillOnce(Return(answer(hr::kS_OK)));
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::call(Op::GetProgress, 0)};
  CaseResult r = Runner{}.run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Pass);
  ASSERT_EQ(r.trace.size(), 2u);
  EXPECT_EQ(r.trace[0].sweep.size(), 1u);
  EXPECT_GT(r.tallies[static_cast<std::size_t>(RuleId::ST_1)].checks, 0u);
  EXPECT_EQ(r.coverage.states, 1u << static_cast<unsigned>(JobState::Suspended));
  EXPECT_EQ(r.coverage.pair_count(), 1u);  // (SUSPENDED, GetProgress)
  EXPECT_EQ(r.coverage.triple_count(), 1u);
}

// A discriminating situation (Runner::seeking): GetError on a job that never failed consults E-2, and an
// object handed out there instead of BG_E_ERROR_INFORMATION_UNAVAILABLE is one E-2 rejects; a rule the
// case never consults (ST-11: a fatal error puts the job in ERROR) meets none; without seeking, none is
// looked for.
TEST(Runner, SeeksADiscriminatingSituationOfEachRuleAsked) {
  ReferenceTarget target;
  const JobModel model;
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::with_handle(Op::GetError, 0, 0)};
  RuleBits asked;
  asked.set(static_cast<std::size_t>(RuleId::E_2)).set(static_cast<std::size_t>(RuleId::ST_11));
  const CaseResult r = Runner{}.seeking(asked, kProbeEveryStep).run_case(target, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Pass);
  EXPECT_TRUE(r.discriminated.test(static_cast<std::size_t>(RuleId::E_2)));
  EXPECT_FALSE(r.discriminated.test(static_cast<std::size_t>(RuleId::ST_11)));
  EXPECT_EQ(r.discriminated.count(), 1u) << "only the rules asked for are looked for";
  EXPECT_TRUE(Runner{}.run_case(target, model, seq).discriminated.none());
}

// A rule consulted but never in a discriminating situation is not exercised: the run's gate fails on it.
TEST(RunOutcome, ARuleConsultedButNeverDiscriminatingIsNotExercised) {
  RunResult r;
  r.finished = true;
  r.sought_discriminating = true;
  for (int k = 0; k < kRuleCount; ++k)
    r.tallies[static_cast<std::size_t>(k)] = {.checks = 5, .failures = 0, .discriminating = 1};
  EXPECT_EQ(run_outcome(r), RuleOutcome::Pass);
  r.tallies[static_cast<std::size_t>(RuleId::E_3)].discriminating = 0;
  EXPECT_EQ(rule_outcome(r, RuleId::E_3), RuleOutcome::NotExercised);
  EXPECT_EQ(run_outcome(r), RuleOutcome::NotExercised);
  r.sought_discriminating = false;  // a report from before they were sought: consulted is exercised
  EXPECT_EQ(rule_outcome(r, RuleId::E_3), RuleOutcome::Pass);
}

TEST(Runner, SkipsStimuliThatAreNotApplicable) {
  MockTarget t;
  JobModel model;
  EXPECT_CALL(t, reset(_));
  EXPECT_CALL(t, apply(_)).Times(0);
  const std::vector<Stimulus> seq = {stim::call(Op::Resume, 0), stim::with_handle(Op::ErrGetError, 1, 0)};
  CaseResult r = Runner{}.run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Pass);
  EXPECT_TRUE(r.trace.empty());
}

TEST(Runner, EndsAtTheFirstViolationWithItsRule) {
  MockTarget t;
  JobModel model;
  EXPECT_CALL(t, reset(_));
  EXPECT_CALL(t, apply(stim::create_job(0))).WillOnce(Return(state(JobState::Suspended)));
  EXPECT_CALL(t, apply(stim::call(Op::GetState, 0))).WillOnce(Return(state(JobState::Queued)));
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::call(Op::GetProgress, 0)};
  CaseResult r = Runner{}.run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Violation);
  EXPECT_EQ(r.rule, RuleId::ST_1);
  EXPECT_EQ(r.failed_step, 0u);
  EXPECT_EQ(r.failed_at, 1);
  EXPECT_FALSE(r.allowed.empty());
  EXPECT_EQ(r.tallies[static_cast<std::size_t>(RuleId::ST_1)].failures, 1u);
}

// A target that breaks two rules in one case: Resume on an empty job answers S_OK (ST-3), and then the
// retry delay reads 1 s (M-25: at least 5 s). The first must not hide the second.
class TwoDeviations : public ::testing::Test {
 protected:
  void SetUp() override {
    EXPECT_CALL(t, reset(_)).Times(::testing::AnyNumber());
    EXPECT_CALL(t, apply(stim::create_job(0))).WillRepeatedly(Return(state(JobState::Suspended)));
    EXPECT_CALL(t, apply(stim::call(Op::GetState, 0))).WillRepeatedly(Return(state(JobState::Suspended)));
    EXPECT_CALL(t, apply(stim::call(Op::Resume, 0))).WillRepeatedly(Return(answer(hr::kS_OK)));
    Observation delay = answer(hr::kS_OK);
    delay.value = 1;
    EXPECT_CALL(t, apply(stim::call(Op::GetMinimumRetryDelay, 0))).WillRepeatedly(Return(delay));
  }
  MockTarget t;
  JobModel model;
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::call(Op::Resume, 0),
                                     stim::call(Op::GetMinimumRetryDelay, 0), stim::call(Op::GetProgress, 0)};
};

TEST_F(TwoDeviations, ByDefaultTheCaseEndsAtTheFirst) {
  CaseResult r = Runner{}.run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Violation);
  EXPECT_EQ(r.rule, RuleId::ST_3);
  EXPECT_EQ(r.trace.size(), 2u);
  ASSERT_EQ(r.deviations.size(), 1u);
}

TEST_F(TwoDeviations, GoingOnPastFindsBothEachWhereItFirstHappened) {
  EXPECT_CALL(t, apply(stim::call(Op::GetProgress, 0))).WillOnce(Return(answer(hr::kS_OK)));
  CaseResult r = Runner(DeviationPolicy{.go_on = true, .known = {}}).run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Violation);
  EXPECT_EQ(r.rule, RuleId::ST_3);  // the case's violation is its first deviation
  EXPECT_EQ(r.trace.size(), seq.size());
  ASSERT_EQ(r.deviations.size(), 2u);
  EXPECT_EQ(r.deviations[0].rule, RuleId::ST_3);
  EXPECT_EQ(r.deviations[0].step, 1u);
  EXPECT_EQ(r.deviations[1].rule, RuleId::M_25);
  EXPECT_EQ(r.deviations[1].step, 2u);
  EXPECT_FALSE(r.deviations[1].known);
  // Each rule's counterexample is the case cut at its first deviation.
  const CaseResult m25 = r.up_to(RuleId::M_25);
  EXPECT_EQ(m25.rule, RuleId::M_25);
  EXPECT_EQ(m25.trace.size(), 3u);
  EXPECT_EQ(m25.failed_step, 2u);
}

TEST_F(TwoDeviations, AKnownDeviationDoesNotFailTheCase) {
  CaseResult r = Runner(DeviationPolicy{.known = RuleSet().with(RuleId::ST_3)}).run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Violation);
  EXPECT_EQ(r.rule, RuleId::M_25);  // the first deviation not known; without go_on the case ends there
  EXPECT_EQ(r.trace.size(), 3u);
  ASSERT_EQ(r.deviations.size(), 2u);
  EXPECT_TRUE(r.deviations[0].known);
}

// A target whose retry delay reads 1 s (M-25: at least 5 s) in every state: once while the job is
// SUSPENDED, again once it is QUEUED. A ledger entry scoped to one state covers that deviation only.
class OneRuleInTwoStates : public ::testing::Test {
 protected:
  void SetUp() override {
    EXPECT_CALL(t, reset(_)).Times(::testing::AnyNumber());
    EXPECT_CALL(t, apply(stim::create_job(0))).WillRepeatedly([this](const Stimulus&) {
      now = JobState::Suspended;
      return state(now);
    });
    EXPECT_CALL(t, apply(stim::call(Op::GetState, 0))).WillRepeatedly([this](const Stimulus&) { return state(now); });
    EXPECT_CALL(t, apply(stim::add_file(0, 0))).WillRepeatedly(Return(answer(hr::kS_OK)));
    EXPECT_CALL(t, apply(stim::call(Op::Resume, 0))).WillRepeatedly([this](const Stimulus&) {
      now = JobState::Queued;
      return answer(hr::kS_OK);
    });
    Observation delay = answer(hr::kS_OK);
    delay.value = 1;
    EXPECT_CALL(t, apply(stim::call(Op::GetMinimumRetryDelay, 0))).WillRepeatedly(Return(delay));
  }
  CaseResult run(const RunSettings::KnownDeviation& entry) {
    KnownDeviations known = known_deviations_of({entry});
    return Runner(DeviationPolicy{.go_on = true, .known = known}).run_case(t, model, seq);
  }
  MockTarget t;
  JobModel model;
  JobState now = JobState::Suspended;
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::add_file(0, 0), stim::call(Op::GetMinimumRetryDelay, 0),
                                     stim::call(Op::Resume, 0), stim::call(Op::GetMinimumRetryDelay, 0)};
};

TEST_F(OneRuleInTwoStates, EachDeviationSaysWhereItHappened) {
  CaseResult r = Runner(DeviationPolicy{.go_on = true, .known = {}}).run_case(t, model, seq);
  ASSERT_EQ(r.deviations.size(), 1u) << "the first of a rule not known; the second is not listed again";
  EXPECT_EQ(r.deviations[0].where, (DeviationSite{JobState::Suspended, Op::GetMinimumRetryDelay, "S_OK value=1"}));
  EXPECT_EQ(r.where, r.deviations[0].where);
}

TEST_F(OneRuleInTwoStates, AScopedEntryCoversItsStateOnlyAndTheOtherFailsTheCase) {
  CaseResult r = run({"M-25", "in SUSPENDED", "", false, JobState::Suspended});
  EXPECT_EQ(r.status, CaseStatus::Violation);
  EXPECT_EQ(r.rule, RuleId::M_25);
  EXPECT_EQ(r.failed_step, 4u);  // the second GetMinimumRetryDelay, in QUEUED
  ASSERT_EQ(r.deviations.size(), 2u) << "the known and the unknown deviation of one rule are both listed";
  EXPECT_TRUE(r.deviations[0].known);
  EXPECT_EQ(r.deviations[0].step, 2u);
  EXPECT_FALSE(r.deviations[1].known);
  EXPECT_EQ(r.deviations[1].where, (DeviationSite{JobState::Queued, Op::GetMinimumRetryDelay, "S_OK value=1"}));
  // Cut at each: the unknown one is the rule's counterexample, the known one is still there to see.
  EXPECT_FALSE(r.up_to(RuleId::M_25, false).known);
  EXPECT_EQ(r.up_to(RuleId::M_25, false).failed_step, 4u);
  EXPECT_TRUE(r.up_to(RuleId::M_25, true).known);
  EXPECT_EQ(r.up_to(RuleId::M_25, true).failed_step, 2u);
}

TEST_F(OneRuleInTwoStates, AScopeThatCoversEveryDeviationPassesTheCase) {
  EXPECT_EQ(run({"M-25", "any state", "", false, std::nullopt, Op::GetMinimumRetryDelay}).status, CaseStatus::Pass);
  EXPECT_EQ(run({"M-25", "anywhere", ""}).status, CaseStatus::Pass);
  const CaseResult r = run({"M-25", "in QUEUED", "", false, JobState::Queued, std::nullopt, "S_OK value=1"});
  EXPECT_EQ(r.status, CaseStatus::Violation);
  EXPECT_EQ(r.failed_step, 2u);  // the first, in SUSPENDED, is the one not covered
  ASSERT_EQ(r.deviations.size(), 2u) << "the known one after it is listed too";
  EXPECT_FALSE(r.deviations[0].known);
  EXPECT_TRUE(r.deviations[1].known);
  EXPECT_EQ(r.deviations[1].step, 4u);
  EXPECT_EQ(
      run({"M-25", "another answer", "", false, JobState::Queued, std::nullopt, "S_OK value=2"}).deviations.size(), 1u);
}

TEST(Runner, ACrashEndsTheCase) {
  MockTarget t;
  JobModel model;
  EXPECT_CALL(t, reset(_));
  EXPECT_CALL(t, apply(stim::create_job(0))).WillOnce(Return(ended_by(Outcome::Crashed)));
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::call(Op::GetProgress, 0)};
  CaseResult r = Runner{}.run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Crash);
  EXPECT_EQ(r.trace.size(), 1u);
}

TEST(Runner, AHangInTheSweepEndsTheCase) {
  MockTarget t;
  JobModel model;
  EXPECT_CALL(t, reset(_));
  EXPECT_CALL(t, apply(stim::create_job(0))).WillOnce(Return(state(JobState::Suspended)));
  EXPECT_CALL(t, apply(stim::call(Op::GetState, 0))).WillOnce(Return(ended_by(Outcome::TimedOut)));
  const std::vector<Stimulus> seq = {stim::create_job(0)};
  CaseResult r = Runner{}.run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Timeout);
  EXPECT_EQ(r.failed_at, 1);
}

TEST(Runner, ReferencePassesTheExplorerTour) {
  JobModel model;
  Explorer explorer(model, ExplorerInstance::contract());
  explorer.run();
  ReferenceTarget t;
  for (const auto& seq : explorer.tour()) {
    CaseResult r = Runner{}.run_case(t, model, seq);
    EXPECT_EQ(r.status, CaseStatus::Pass) << rule_id(r.rule) << " at step " << r.failed_step << ": " << r.allowed;
  }
}

// ---- monitors -------------------------------------------------------------------------------

struct MonitorTest : ::testing::Test {
  detail::TraceMonitors mon{ModelConfig{}};
  RuleBits checked;
  std::optional<detail::MonitorFailure> feed(const Stimulus& s, const Observation& o) {
    return mon.feed(s, o, checked);
  }
  Observation got_object() {
    Observation o;
    o.handle = true;
    return o;
  }
};

TEST_F(MonitorTest, E1RejectsAnObjectWithoutAnError) {
  EXPECT_FALSE(feed(stim::create_job(0), state(JobState::Suspended)));
  auto f = feed(stim::with_handle(Op::GetError, 0, 0), got_object());
  ASSERT_TRUE(f);
  EXPECT_EQ(f->rule, RuleId::E_1);
  EXPECT_TRUE(checked.test(static_cast<std::size_t>(RuleId::E_1)));
}

TEST_F(MonitorTest, E1AcceptsAnObjectAfterAnObservedError) {
  feed(stim::create_job(0), state(JobState::Suspended));
  feed(stim::call(Op::GetState, 0), state(JobState::Error));
  EXPECT_FALSE(feed(stim::with_handle(Op::GetError, 0, 0), got_object()));
  feed(stim::call(Op::GetState, 0), state(JobState::Transferring));
  EXPECT_TRUE(feed(stim::with_handle(Op::GetError, 0, 1), got_object()));
}

TEST_F(MonitorTest, E1AcceptsAnObjectAfterTimeUnderAFailingSource) {
  feed(stim::create_job(0), state(JobState::Suspended));
  feed(stim::source(0, Behaviour::Http, 404), answer(hr::kS_OK));
  feed(stim::advance(6), answer(hr::kS_OK));
  EXPECT_FALSE(feed(stim::with_handle(Op::GetError, 0, 0), got_object()));
}

TEST_F(MonitorTest, E1RejectsAFailingCallThatReturnsAnObject) {
  feed(stim::create_job(0), state(JobState::Suspended));
  Observation o = got_object();
  o.hr = hr::kBG_E_ERROR_INFORMATION_UNAVAILABLE;
  EXPECT_TRUE(feed(stim::with_handle(Op::GetError, 0, 0), o));
}

TEST_F(MonitorTest, E5RejectsAHeldObjectThatChangesBeforeTransferring) {
  feed(stim::create_job(0), state(JobState::Suspended));
  feed(stim::call(Op::GetState, 0), state(JobState::Error));
  feed(stim::with_handle(Op::GetError, 0, 0), got_object());
  Observation first;
  first.context = ErrorContext::RemoteFile;
  first.code = hr::http_error(404);
  EXPECT_FALSE(feed(stim::with_handle(Op::ErrGetError, 0, 0), first));
  EXPECT_FALSE(feed(stim::with_handle(Op::ErrGetError, 0, 0), first));
  Observation changed = first;
  changed.code = hr::kBG_E_NO_PROGRESS;
  auto f = feed(stim::with_handle(Op::ErrGetError, 0, 0), changed);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->rule, RuleId::E_5);
}

TEST_F(MonitorTest, E5StopsJudgingAfterTransferring) {
  feed(stim::create_job(0), state(JobState::Suspended));
  feed(stim::call(Op::GetState, 0), state(JobState::Error));
  feed(stim::with_handle(Op::GetError, 0, 0), got_object());
  Observation first;
  first.context = ErrorContext::RemoteFile;
  feed(stim::with_handle(Op::ErrGetError, 0, 0), first);
  feed(stim::call(Op::GetState, 0), state(JobState::Transferring));
  Observation changed = first;
  changed.context = ErrorContext::None;
  EXPECT_FALSE(feed(stim::with_handle(Op::ErrGetError, 0, 0), changed));
}

TEST(Monitors, SwitchedOffWithTheRule) {
  ModelConfig c;
  c.rules = c.rules.without(RuleId::E_1);
  detail::TraceMonitors mon(c);
  RuleBits checked;
  mon.feed(stim::create_job(0), state(JobState::Suspended), checked);
  Observation o;
  o.handle = true;
  EXPECT_FALSE(mon.feed(stim::with_handle(Op::GetError, 0, 0), o, checked));
}

}  // namespace
}  // namespace bgc
