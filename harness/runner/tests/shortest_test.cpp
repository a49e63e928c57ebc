// The model's shortest-sequence search (shortest.h) against fault wrappers of the reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "bgconform/fault_target.h"
#include "bgconform/shortest.h"

namespace bgc {
namespace {

TEST(Shortest, FindsTheShortestSequenceThatFailsTheSameRule) {
  // ST-3: Resume on a job without files must fail. A padded failing case of 6 steps, not shrinkable
  // by removal alone to 2 because the search also reorders: the shortest is CreateJob, Resume.
  FaultTarget target(Fault::ResumeEmptySucceeds);
  const JobModel model;
  const std::vector<Stimulus> padded = {stim::create_job(1),        stim::call(Op::GetState, 1),
                                        stim::create_job(0),        stim::set_seconds(Op::SetNoProgressTimeout, 0, 60),
                                        stim::call(Op::Suspend, 0), stim::call(Op::Resume, 0)};
  const CaseResult failing = Runner{}.run_case(target, model, std::span<const Stimulus>(padded));
  ASSERT_EQ(failing.status, CaseStatus::Violation);
  ASSERT_EQ(failing.rule, RuleId::ST_3);
  const ShortestResult r = shortest_counterexample(target, model, failing);
  EXPECT_EQ(r.before, 6u);
  ASSERT_EQ(r.shortest.trace.size(), 2u);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.shortest.rule, RuleId::ST_3);
  EXPECT_EQ(r.shortest.trace[0].step.stimulus, stim::create_job(0));
  EXPECT_EQ(r.shortest.trace[1].step.stimulus.op, Op::Resume);
}

TEST(Shortest, KeepsACaseThatIsAlreadyShortestAndStaysWithinItsBounds) {
  FaultTarget target(Fault::ResumeEmptySucceeds);
  const JobModel model;
  const std::vector<Stimulus> minimal = {stim::create_job(0), stim::call(Op::Resume, 0)};
  const CaseResult failing = Runner{}.run_case(target, model, std::span<const Stimulus>(minimal));
  ASSERT_TRUE(failing.failed());
  ShortestOptions bounded;
  bounded.max_nodes = 1;
  const ShortestResult r = shortest_counterexample(target, model, failing, bounded);
  EXPECT_EQ(r.shortest.trace.size(), 2u);
  EXPECT_LE(r.nodes, 1u);
}

TEST(Shortest, TheExplorersMovesFindWhatTheCasesOwnCannot) {
  // E-2: an error object handed out must not come back once the job transfers again. The failing case
  // reaches TRANSIENT_ERROR through a source that resets and waits out a 5 s retry delay; the network
  // going down reaches it at once and coming up requeues the job, two moves the case never made.
  FaultTarget target(Fault::KeepErrorAfterTransfer);
  const JobModel model;
  const std::vector<Stimulus> found = {stim::create_job(2),
                                       stim::add_file(2, 2),
                                       stim::call(Op::Resume, 2),
                                       stim::set_seconds(Op::SetMinimumRetryDelay, 2, 5),
                                       stim::source(2, Behaviour::Reset),
                                       stim::advance(1),
                                       stim::with_handle(Op::GetError, 2, 0),
                                       stim::source(2, Behaviour::Ok),
                                       stim::advance(6),
                                       stim::with_handle(Op::GetError, 2, 1)};
  const CaseResult failing = Runner{}.run_case(target, model, std::span<const Stimulus>(found));
  ASSERT_EQ(failing.status, CaseStatus::Violation);
  ASSERT_EQ(failing.rule, RuleId::E_2);
  ASSERT_EQ(failing.trace.size(), found.size());

  // The case's own stimuli: nothing shorter (the search ends within its bounds).
  ShortestOptions wide;
  wide.max_nodes = 1'000'000;
  wide.max_time = std::chrono::seconds(60);
  const ShortestResult own = shortest_counterexample(target, model, failing, wide);
  EXPECT_TRUE(own.complete);
  EXPECT_EQ(own.shortest.trace.size(), found.size());

  const ShortestResult r = shortest_through_explorer(target, model, failing, wide);
  // CreateJob, AddFile, Resume, network down, GetError, network up, a second, GetError.
  ASSERT_EQ(r.shortest.trace.size(), 8u);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.shortest.status, CaseStatus::Violation);
  EXPECT_EQ(r.shortest.rule, RuleId::E_2);
  const std::vector<Stimulus> shortest = r.shortest.applied();
  EXPECT_NE(std::find(shortest.begin(), shortest.end(), stim::network(false)), shortest.end());
  EXPECT_EQ(shortest.back().op, Op::GetError);
  // Run again, the shorter case fails the same way: it is a counterexample in its own right.
  const CaseResult again = Runner{}.run_case(target, model, std::span<const Stimulus>(shortest));
  EXPECT_TRUE(fails_the_same_way(again, failing));
}

TEST(Shortest, TheExplorersMovesLeaveCrashesAndHangsAlone) {
  FaultTarget target(Fault::ResumeEmptySucceeds);
  const JobModel model;
  const std::vector<Stimulus> minimal = {stim::create_job(0), stim::call(Op::Resume, 0)};
  CaseResult crashed = Runner{}.run_case(target, model, std::span<const Stimulus>(minimal));
  crashed.status = CaseStatus::Crash;
  const ShortestResult r = shortest_through_explorer(target, model, crashed);
  EXPECT_EQ(r.nodes, 0u);
  EXPECT_EQ(r.shortest.trace.size(), 2u);
}

}  // namespace
}  // namespace bgc

namespace bgc {
namespace {

// The directed search (shortest_to_discriminate): the shortest sequence of the explorer's moves whose case
// puts a rule to the test on the target. ST-3 (Resume of an empty job fails and leaves it SUSPENDED) is
// put to the test by Resume right after CreateJob; the case found discriminates the rule when run again.
// ST-14 needs a retry delay above a no-progress timeout other than 0, which the explorer's alphabet
// (timeouts 0 and two weeks) has not: nothing is found.
TEST(Shortest, TheDirectedSearchFindsTheShortestCaseThatPutsARuleToTheTest) {
  ReferenceTarget target;
  const JobModel model;
  const auto st3 = shortest_to_discriminate(target, model, RuleId::ST_3);
  ASSERT_TRUE(st3.has_value());
  ASSERT_EQ(st3->size(), 2u);
  EXPECT_EQ((*st3)[0].op, Op::CreateJob);
  EXPECT_EQ((*st3)[1], stim::call(Op::Resume, 0));
  RuleBits wanted;
  wanted.set(static_cast<std::size_t>(RuleId::ST_3));
  const CaseResult r = Runner{}.seeking(wanted, kProbeEveryStep).run_case(target, model, *st3);
  EXPECT_TRUE(r.discriminated.test(static_cast<std::size_t>(RuleId::ST_3)));

  const auto e6 = shortest_to_discriminate(target, model, RuleId::E_6);
  ASSERT_TRUE(e6.has_value()) << "Error.GetFile of an error that names a file";
  EXPECT_EQ(e6->back().op, Op::ErrGetFile);

  EXPECT_FALSE(shortest_to_discriminate(target, model, RuleId::ST_14).has_value());
}

}  // namespace
}  // namespace bgc
