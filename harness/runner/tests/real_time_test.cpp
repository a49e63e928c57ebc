// Asynchronous trace checking (runner_real_time.cpp) without Wine: the reference service made to move
// in real time. Its virtual clock is brought up to the whole seconds of real time that have passed
// before every call, so it moves on its own between calls like a real service (at second boundaries).
// A conformant service must pass; a fault must still be found, and named by its rule.
#include <gtest/gtest.h>

#include <thread>

#include "bgconform/fault_target.h"
#include "bgconform/recorded_target.h"
#include "bgconform/reference_target.h"
#include "bgconform/runner.h"

namespace bgc {
namespace {

using Clock = std::chrono::steady_clock;

class RealTimeReference : public Target {
 public:
  explicit RealTimeReference(std::unique_ptr<Target> inner) : inner_(std::move(inner)) {}
  Capabilities capabilities() const override {
    Capabilities c = inner_->capabilities();
    c.deterministic = c.virtual_clock = false;
    return c;
  }
  void reset(Profile p) override {
    inner_->reset(p);
    start_ = Clock::now();
    synced_ = 0;
  }
  Observation apply(const Stimulus& s) override {
    catch_up();
    if (s.op != Op::Advance) return inner_->apply(s);
    std::this_thread::sleep_for(std::chrono::seconds(s.seconds));
    catch_up();
    return Observation{};
  }
  std::string name() const override { return "real-time " + inner_->name(); }

 private:
  void catch_up() {
    const auto now = static_cast<std::uint32_t>(std::chrono::duration<double>(Clock::now() - start_).count());
    if (now > synced_) inner_->apply(stim::advance(now - synced_));
    synced_ = std::max(synced_, now);
  }
  std::unique_ptr<Target> inner_;
  Clock::time_point start_;
  std::uint32_t synced_ = 0;
};

RealTimeOptions quick() {
  RealTimeOptions o;
  o.poll_interval = std::chrono::milliseconds(10);
  o.quiet = std::chrono::milliseconds(50);
  o.settle_timeout = std::chrono::milliseconds(400);
  return o;
}

// Transfers two files (1 and 2 chunks at one chunk per second), reads them, completes.
const std::vector<Stimulus> kTransfer = {
    stim::create_job(0),
    stim::add_file(0, 0),
    stim::add_file(0, 1),
    stim::call(Op::Resume, 0),
    stim::advance(1),
    stim::advance(1),
    stim::advance(2),
    stim::call(Op::GetProgress, 0),
    stim::call(Op::Complete, 0),
};

TEST(RealTime, ConformantServiceMovingOnItsOwnPasses) {
  RealTimeReference t(std::make_unique<ReferenceTarget>());
  const JobModel model;
  CaseResult r = Runner(quick()).run_case(t, model, kTransfer);
  ASSERT_EQ(r.status, CaseStatus::Pass) << rule_id(r.rule) << " at step " << r.failed_step << ": " << r.allowed;
  // The case's own stimuli, each followed by polls; the Advance steps were measured, not taken as given.
  EXPECT_EQ(r.applied(), kTransfer);
  EXPECT_GT(r.trace.size(), kTransfer.size());
  bool saw_advance = false;
  for (const TracedStep& s : r.trace)
    if (s.step.stimulus.op == Op::Advance) {
      saw_advance = true;
      EXPECT_GE(s.waited.lo, static_cast<std::int64_t>(s.step.stimulus.seconds));
      EXPECT_GE(s.waited.hi, s.waited.lo);
    }
  EXPECT_TRUE(saw_advance);
  EXPECT_TRUE(r.coverage.states & (1u << static_cast<unsigned>(JobState::Acknowledged)));
}

// Against a real-time target a rule is put to the test with the segment its observation belongs to: the
// poll that sees the job SUSPENDED after Suspend puts ST-7 to the test (an answer QUEUED there is one
// ST-7 rejects), though ST-7 judges the Suspend's segment, not the poll alone; CreateJob's answer puts
// ST-1 to the test, Resume's ST-8.
TEST(RealTime, ARuleIsPutToTheTestWithTheSegmentItJudges) {
  RealTimeReference t(std::make_unique<ReferenceTarget>());
  const JobModel model;
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::add_file(0, 2), stim::call(Op::Resume, 0),
                                     stim::call(Op::Suspend, 0)};
  RuleBits wanted;
  for (RuleId rule : {RuleId::ST_1, RuleId::ST_7, RuleId::ST_8}) wanted.set(static_cast<std::size_t>(rule));
  CaseResult r = Runner(quick()).seeking(wanted, kProbeEveryStep).run_case(t, model, seq);
  ASSERT_EQ(r.status, CaseStatus::Pass) << rule_id(r.rule) << ": " << r.allowed;
  for (RuleId rule : {RuleId::ST_1, RuleId::ST_7, RuleId::ST_8})
    EXPECT_TRUE(r.discriminated.test(static_cast<std::size_t>(rule))) << rule_id(rule);
}

TEST(RealTime, FaultIsFoundByItsRule) {
  RealTimeReference t(std::make_unique<FaultTarget>(Fault::SuspendIgnored));
  const JobModel model;
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::add_file(0, 2), stim::call(Op::Resume, 0),
                                     stim::call(Op::Suspend, 0)};
  CaseResult r = Runner(quick()).run_case(t, model, seq);
  ASSERT_EQ(r.status, CaseStatus::Violation);
  EXPECT_EQ(r.rule, RuleId::ST_7) << r.allowed;
  EXPECT_TRUE(r.trace[r.failed_step].poll);  // seen by polling after the Suspend
}

TEST(RealTime, GoesOnPastAKnownDeviationAndKeepsItsFirstOccurrence) {
  RealTimeReference t(std::make_unique<FaultTarget>(Fault::SuspendIgnored));
  const JobModel model;
  DeviationPolicy known;
  known.known = RuleSet().with(RuleId::ST_7);
  const std::vector<Stimulus> seq = {stim::create_job(0), stim::add_file(0, 2), stim::call(Op::Resume, 0),
                                     stim::call(Op::Suspend, 0), stim::call(Op::GetProgress, 0)};
  CaseResult r = Runner(known, quick()).run_case(t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Pass);  // a known deviation does not fail the case
  ASSERT_FALSE(r.deviations.empty());
  EXPECT_EQ(r.deviations.front().rule, RuleId::ST_7);
  EXPECT_TRUE(r.deviations.front().known);
  EXPECT_GT(r.tallies[static_cast<std::size_t>(RuleId::ST_7)].failures, 0u);
  // The case went on to the last stimulus.
  EXPECT_EQ(r.applied().size(), seq.size());
}

// A recorded real-time case (bgconform check) is judged as it was live: with the times it recorded and
// the polls it holds, to the same deviations, the same time allowed before each observation, and the same
// rules put to the test.
CaseResult checked_again(const CaseResult& live, const RuleBits& sought) {
  const RecordedCase recorded{0, live.trace, {}};
  RecordedTarget again(recorded, Profile::Bits, /*real_time=*/true, /*paced_local_file=*/false);
  const JobModel model(model_config_for({}, again.capabilities()));
  CaseResult r = Runner(DeviationPolicy{.go_on = true, .known = {}}, quick())
                     .seeking(sought, kProbeEveryStep)
                     .run_case(again, model, again.stimuli());
  again.expect_all_used();
  return r;
}

TEST(RealTime, ARecordedCaseChecksAsItRan) {
  for (Fault fault : {Fault::SuspendIgnored, Fault::KeepErrorAfterTransfer}) {
    RealTimeReference t(std::make_unique<FaultTarget>(fault));
    const JobModel model(model_config_for({}, t.capabilities()));
    const std::vector<Stimulus> seq = {stim::create_job(0),
                                       stim::add_file(0, 2),
                                       stim::call(Op::Resume, 0),
                                       stim::call(Op::Suspend, 0),
                                       stim::source(2, Behaviour::Http, 404),
                                       stim::call(Op::Resume, 0),
                                       stim::advance(1),
                                       stim::call(Op::GetError, 0)};
    RuleBits all;
    all.set();
    const CaseResult live = Runner(DeviationPolicy{.go_on = true, .known = {}}, quick())
                                .seeking(all, kProbeEveryStep)
                                .run_case(t, model, seq);
    const CaseResult again = checked_again(live, all);
    EXPECT_EQ(again.status, live.status);
    ASSERT_EQ(again.deviations.size(), live.deviations.size());
    for (std::size_t i = 0; i < live.deviations.size(); ++i) {
      EXPECT_EQ(again.deviations[i].rule, live.deviations[i].rule);
      EXPECT_EQ(again.deviations[i].step, live.deviations[i].step);
    }
    ASSERT_EQ(again.trace.size(), live.trace.size());
    for (std::size_t i = 0; i < live.trace.size(); ++i) EXPECT_EQ(again.trace[i].waited, live.trace[i].waited) << i;
    EXPECT_EQ(again.discriminated, live.discriminated);
  }
}

// What a recording does not hold is named with its line: a poll before any stimulus; lines after a crash.
TEST(RealTime, ARecordingThatCannotBeCheckedSaysWhere) {
  RecordedCase c;
  c.steps.resize(1);
  c.steps[0].step.stimulus = stim::call(Op::GetState, 0);
  c.steps[0].poll = true;
  c.lines = {7};
  RecordedTarget t(c, Profile::Bits, true, false);
  const JobModel model;
  try {
    (void)Runner(quick()).run_case(t, model, t.stimuli());
    FAIL() << "a poll before the first stimulus was checked";
  } catch (const TraceError& e) {
    EXPECT_EQ(e.line(), 7);
    EXPECT_NE(std::string(e.what()).find("poll"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bgc
