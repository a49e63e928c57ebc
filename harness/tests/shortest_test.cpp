// The model's shortest-sequence search (shortest.h) against fault wrappers of the reference.
#include <gtest/gtest.h>

#include "bgconform/fault_target.h"
#include "bgconform/shortest.h"

namespace bgc {
namespace {

TEST(Shortest, FindsTheShortestSequenceThatFailsTheSameRule) {
  // ST-3: Resume on a job without files must fail. A padded failing case of 6 steps, not shrinkable
  // by removal alone to 2 because the search also reorders: the shortest is CreateJob, Resume.
  FaultTarget target(Fault::ResumeEmptySucceeds);
  const JobModel model;
  const std::vector<Stimulus> padded = {stim::create_job(1), stim::call(Op::GetState, 1), stim::create_job(0),
                                        stim::set_seconds(Op::SetNoProgressTimeout, 0, 60),
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

}  // namespace
}  // namespace bgc
