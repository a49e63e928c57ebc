#include <gtest/gtest.h>

#include <map>

#include "bgconform/explorer.h"

namespace bgc {
namespace {

// One job, one file, one source that always answers ok; calls AddFile, Resume, Suspend, Cancel,
// Complete; time passes in 1 s steps. Counted by hand:
//   no job yet                                                   1
//   no file:            SUSPENDED, ACKNOWLEDGED, CANCELLED          3
//   file not yet done:  SUSPENDED, QUEUED, CONNECTING, TRANSFERRING,
//                       ACKNOWLEDGED, CANCELLED                     6
//   file done:          TRANSFERRED, SUSPENDED (Suspend), QUEUED (Resume of the suspended job, I-6),
//                       ACKNOWLEDGED, CANCELLED                     5
//   states                                                       15
// Pairs: 7 job states (all but ERROR and TRANSIENT_ERROR) x {Resume, Suspend, Cancel, Complete,
// Advance} = 35, plus AddFile where the job has no file (SUSPENDED, ACKNOWLEDGED, CANCELLED) = 3: 38.
ExplorerInstance smallest() {
  ExplorerInstance i;
  i.files_per_job = 1;
  i.sources = {0};
  i.network_events = false;
  i.retry_delays.clear();
  i.timeouts.clear();
  i.durations = {1};
  i.job_ops = {Op::AddFile, Op::Resume, Op::Suspend, Op::Cancel, Op::Complete};
  return i;
}

TEST(Explorer, SmallestInstanceMatchesTheHandCount) {
  JobModel model;
  Explorer e(model, smallest());
  e.run();
  EXPECT_EQ(15u, e.stats().states);
  EXPECT_EQ(38u, e.stats().pairs);
  EXPECT_EQ(7u, e.stats().job_states);
  EXPECT_TRUE(e.stats().invariant_failures.empty());
}

class ContractInstance : public ::testing::TestWithParam<Profile> {};

TEST_P(ContractInstance, ReachesEveryStateAndKeepsTheInvariants) {
  ModelConfig config;
  config.profile = GetParam();
  JobModel model(config);
  Explorer e(model, ExplorerInstance::contract());
  e.run();
  EXPECT_EQ(GetParam() == Profile::Bits ? 9u : 8u, e.stats().job_states);
  for (const auto& f : e.stats().invariant_failures) ADD_FAILURE() << f;
  EXPECT_GT(e.stats().pairs, 100u);
}

// Every tour sequence round-trips through the text form and is accepted by the model, and the
// tour applies every reachable (state, kind) pair on one of the paths the model allows.
TEST_P(ContractInstance, TourCoversEveryReachablePair) {
  ModelConfig config;
  config.profile = GetParam();
  JobModel model(config);
  Explorer e(model, ExplorerInstance::contract());
  e.run();
  const auto kinds = all_kinds(GetParam());
  std::vector<bool> covered(e.reachable_pairs().size(), false);
  for (const auto& sequence : e.tour()) {
    ASSERT_LE(sequence.size(), 40u);
    std::vector<Belief> frontier = {model.initial()};
    for (const Stimulus& s : sequence) {
      auto parsed = parse_stimulus(to_string(s));
      ASSERT_TRUE(parsed) << to_string(s);
      ASSERT_EQ(s, parsed.value);
      std::map<std::string, Belief> next;
      bool accepted = false;
      for (const Belief& b : frontier) {
        if (!model.applicable(b, s)) continue;
        accepted = true;
        const JobSlot& slot = b.jobs[0];
        if (slot.live)
          covered[static_cast<std::size_t>(slot.candidates.front().state) * kinds.size() +
                  kind_index(GetParam(), kind_of(s))] = true;
        for (Belief& n : model.successors(b, s)) next.emplace(Explorer::key(n, ExplorerInstance::contract()), std::move(n));
      }
      ASSERT_TRUE(accepted) << to_string(s) << " is not applicable on any path";
      frontier.clear();
      for (auto& [key, b] : next) frontier.push_back(std::move(b));
    }
  }
  for (std::size_t p = 0; p < covered.size(); ++p)
    if (e.reachable_pairs()[p] && !covered[p])
      ADD_FAILURE() << "the tour misses (" << short_name(static_cast<JobState>(p / kinds.size())) << ", "
                    << to_string(kinds[p % kinds.size()]) << ")";
}

// The adaptive tour plans over the outcomes a target was seen to take: once Resume is known to leave
// a suspended job with a file where it was (a target that never queues it), the way to QUEUED no
// longer starts with that Resume.
TEST(Explorer, AdaptiveTourPlansOverTheOutcomesATargetTook) {
  JobModel model;
  Explorer e(model, ExplorerInstance::contract());
  e.run();
  const Belief created = model.successors(model.initial(), stim::create_job(0)).front();
  const Belief with_file = model.successors(created, stim::add_file(0, 0)).front();
  ASSERT_EQ(with_file.jobs[0].candidates.front().state, JobState::Suspended);
  // Every reachable pair covered but GetState in QUEUED.
  const std::size_t kinds = all_kinds(Profile::Bits).size();
  std::vector<bool> covered(e.reachable_pairs().size(), true);
  const std::size_t target = static_cast<std::size_t>(JobState::Queued) * kinds +
                             static_cast<std::size_t>(kind_index(Profile::Bits, kind_of(stim::call(Op::GetState, 0))));
  ASSERT_TRUE(e.reachable_pairs()[target]);
  covered[target] = false;

  const auto planned = e.toward_uncovered(with_file, covered);
  ASSERT_TRUE(planned);
  EXPECT_EQ(planned->next, stim::call(Op::Resume, 0));
  EXPECT_EQ(planned->pair, target);

  Explorer::Taken taken;
  e.learn(taken, with_file, stim::call(Op::Resume, 0), with_file);
  const auto replanned = e.toward_uncovered(with_file, covered, &taken);
  ASSERT_TRUE(replanned);
  EXPECT_NE(replanned->next, stim::call(Op::Resume, 0));
  EXPECT_EQ(replanned->pair, target);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ContractInstance, ::testing::Values(Profile::Bits, Profile::Do),
                         [](const auto& info) { return std::string(name(info.param)); });

}  // namespace
}  // namespace bgc
