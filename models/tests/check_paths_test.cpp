// JobModel::check's short cuts against the long way round: an Advance judged with its sweep (which
// makes only the candidates the sweep keeps) against the Advance and then each GetState as a step of
// its own; and a failing step, which must leave the belief exactly as it was for diagnosis.
#include <gtest/gtest.h>

#include <bit>
#include <functional>

#include "model_driver.h"

namespace bgc {
namespace {

using testing::ModelDriver;
using testing::queued_job;
using testing::same_belief;

Step step_of(const std::string& stimulus, const std::string& answer = "S_OK") {
  return {parse_stimulus(stimulus).value, parse_observation(answer).value};
}

Step get_state(int job, JobState s) {
  Observation o;
  o.state = s;
  return {stim::call(Op::GetState, job), o};
}

// Where the Advance starts from: each a case the Advance widens into several states.
struct Start {
  std::string name;
  int jobs = 1;
  std::function<void(ModelDriver&)> reach;
};

std::vector<Start> starts() {
  return {
      {"queued", 1, [](ModelDriver& m) { queued_job(m); }},
      {"failing source", 1,
       [](ModelDriver& m) {
         queued_job(m, "src1");
         m.ok("Source src1 http(503)", "S_OK", {"QUEUED"});
       }},
      {"network down", 1,
       [](ModelDriver& m) {
         queued_job(m);
         m.ok("Advance 1s", "S_OK", {"TRANSFERRING"});
         m.ok("Network down", "S_OK", {"TRANSIENT_ERROR"});
       }},
      {"two jobs", 2,
       [](ModelDriver& m) {
         queued_job(m, "src1");
         m.ok("CreateJob j1", "S_OK", {"QUEUED", "SUSPENDED"});
         m.ok("AddFile j1 src2", "S_OK", {"QUEUED", "SUSPENDED"});
         m.ok("Resume j1", "S_OK", {"QUEUED", "QUEUED"});
       }},
  };
}

TEST(ModelCheckPaths, AnAdvanceWithItsSweepIsTheAdvanceThenEachGetState) {
  int passed = 0, failed = 0;
  for (const Start& start : starts())
    for (const char* advance : {"Advance 1s", "Advance 7s", "Advance 2s..40s"})
      for (int s0 = 0; s0 < kJobStateCount; ++s0)
        for (int s1 = 0; s1 < (start.jobs == 2 ? kJobStateCount : 1); ++s1) {
          ModelDriver m;
          start.reach(m);
          std::vector<Step> sweep = {get_state(0, static_cast<JobState>(s0))};
          if (start.jobs == 2) sweep.push_back(get_state(1, static_cast<JobState>(s1)));
          const std::string where =
              start.name + ", " + advance + ", sweep " + std::to_string(s0) + "/" + std::to_string(s1);

          Belief fused = m.belief();
          const StepCheck together = m.model().check(fused, step_of(advance), sweep);

          Belief apart = m.belief();
          StepCheck alone = m.model().check(apart, step_of(advance));
          ASSERT_TRUE(alone.ok) << where;
          int failed_at = 0;
          for (std::size_t k = 0; k < sweep.size() && alone.ok; ++k) {
            alone = m.model().check(apart, sweep[k]);
            if (!alone.ok) failed_at = static_cast<int>(k) + 1;
          }
          // ST-9 (one job at a time) is judged on the whole sweep: only the fused check can see it.
          if (!together.ok && together.rule == RuleId::ST_9 && alone.ok) continue;

          ASSERT_EQ(together.ok, alone.ok) << where << ": " << together.allowed << " / " << alone.allowed;
          if (together.ok) {
            ++passed;
            EXPECT_TRUE(same_belief(fused, apart)) << where;
          } else {
            // The same observation fails, and the model allowed the same there. (The rule is not
            // compared: diagnosis switches each rule off for the whole step, sweep included.)
            ++failed;
            EXPECT_EQ(together.failed_at, failed_at) << where;
            EXPECT_EQ(together.allowed, alone.allowed) << where;
          }
        }
  // Both sides of the comparison were reached.
  EXPECT_GT(passed, 20);
  EXPECT_GT(failed, 20);
}

TEST(ModelCheckPaths, AFailingStepLeavesTheBeliefAsItWas) {
  struct Failing {
    std::string name;
    std::function<void(ModelDriver&)> reach;
    Step step;
    std::vector<Step> sweep;
  };
  const std::vector<Failing> cases = {
      {"a job call",
       [](ModelDriver& m) { queued_job(m); },
       step_of("Suspend j0", "0x80200018"),
       {get_state(0, JobState::Queued)}},
      {"an Advance's sweep",
       [](ModelDriver& m) { queued_job(m); },
       step_of("Advance 3s"),
       {get_state(0, JobState::Acknowledged)}},
      // A request in flight remembers the source's old behaviour: the candidates change in place.
      {"a Source event's sweep",
       [](ModelDriver& m) {
         queued_job(m);
         m.ok("Advance 1s", "S_OK", {"TRANSFERRING"});
       },
       step_of("Source src0 refused"),
       {get_state(0, JobState::Cancelled)}},
      {"a network loss's sweep",
       [](ModelDriver& m) {
         queued_job(m);
         m.ok("Advance 1s", "S_OK", {"TRANSFERRING"});
       },
       step_of("Network down"),
       {get_state(0, JobState::Transferring)}},
  };
  for (const Failing& c : cases) {
    ModelDriver m;
    c.reach(m);
    Belief belief = m.belief();
    const StepCheck check = m.model().check(belief, c.step, c.sweep);
    EXPECT_FALSE(check.ok) << c.name;
    EXPECT_TRUE(same_belief(belief, m.belief())) << c.name;
  }
}

TEST(ModelCheckPaths, ASweepThatNarrowsOneJobAndFailsOnTheNextPutsTheFirstBack) {
  ModelDriver m;
  queued_job(m, "src1");
  m.ok("CreateJob j1", "S_OK", {"QUEUED", "SUSPENDED"});
  // An Advance nobody looked after (no sweep): job 0 may be in several states.
  Belief belief = m.belief();
  ASSERT_TRUE(m.model().check(belief, step_of("Advance 5s")).ok);
  ASSERT_GT(std::popcount(possible_states(belief.jobs[0])), 1);
  const Belief before = belief;
  // The first GetState narrows job 0 in place; the second fails: job 0 must come back whole.
  const StepCheck check = m.model().check(belief, step_of("GetMinimumRetryDelay j1", "S_OK value=600"),
                                          {{get_state(0, JobState::Transferring), get_state(1, JobState::Cancelled)}});
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(2, check.failed_at);
  EXPECT_TRUE(same_belief(belief, before));
}

}  // namespace
}  // namespace bgc
