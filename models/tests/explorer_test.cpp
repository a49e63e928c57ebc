#include <gtest/gtest.h>

#include <map>

#include "bgconform/explorer.h"
#include "model_driver.h"

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
        for (Belief& n : model.successors(b, s))
          next.emplace(Explorer::key(n, ExplorerInstance::contract()), std::move(n));
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

  // Once the target was also seen to queue it, Resume is the way again, even after it was seen once more
  // to leave the job where it was: every outcome seen is kept, not the last one alone.
  const Belief queued = model.successors(with_file, stim::call(Op::Resume, 0)).front();
  ASSERT_EQ(queued.jobs[0].candidates.front().state, JobState::Queued);
  e.learn(taken, with_file, stim::call(Op::Resume, 0), queued);
  e.learn(taken, with_file, stim::call(Op::Resume, 0), with_file);
  const auto again = e.toward_uncovered(with_file, covered, &taken);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->next, stim::call(Op::Resume, 0));
}

// The contract's instance (bits) explored once for the tests below: exploring takes about a second.
struct ContractExplorer {
  JobModel model;
  Explorer explorer{model, ExplorerInstance::contract()};
  ContractExplorer() { explorer.run(); }
};
const ContractExplorer& contract_explorer() {
  static const ContractExplorer c;
  return c;
}

// A job with a file, resumed: QUEUED.
Belief queued_job(const JobModel& model) {
  Belief b = model.successors(model.initial(), stim::create_job(0)).front();
  b = model.successors(b, stim::add_file(0, 0)).front();
  return model.successors(b, stim::call(Op::Resume, 0)).front();
}

// The same job observed CONNECTING a second later.
Belief connecting_job(const JobModel& model) {
  for (Belief& n : model.successors(queued_job(model), stim::advance(1)))
    if (n.jobs[0].candidates.front().state == JobState::Connecting) return n;
  ADD_FAILURE() << "the model does not let a job connect for a second";
  return queued_job(model);
}

// The pairs of the contract's instance, all covered but (state, kind of `s`).
std::vector<bool> all_covered_but(const Explorer& e, JobState state, const Stimulus& s) {
  const std::size_t kinds = all_kinds(Profile::Bits).size();
  std::vector<bool> covered(e.reachable_pairs().size(), true);
  const std::size_t pair =
      static_cast<std::size_t>(state) * kinds + static_cast<std::size_t>(kind_index(Profile::Bits, kind_of(s)));
  EXPECT_TRUE(e.reachable_pairs()[pair]);
  covered[pair] = false;
  return covered;
}

// A source that delays its headers is, to the explorer, an ok one (the model does not tell them apart),
// so a target steered with one is still in a state of the instance and the tour goes on from there.
TEST(Explorer, ADelayedHeadersSourceCountsAsOk) {
  const JobModel& model = contract_explorer().model;
  const Explorer& e = contract_explorer().explorer;
  const Belief queued = queued_job(model);
  ASSERT_EQ(queued.jobs[0].candidates.front().state, JobState::Queued);
  const Belief delayed = model.successors(queued, stim::source(0, Behaviour::DelayedHeaders)).front();
  ASSERT_EQ(delayed.env.behaviour[0], Behaviour::DelayedHeaders);
  EXPECT_EQ(Explorer::key(delayed, ExplorerInstance::contract()), Explorer::key(queued, ExplorerInstance::contract()));
  EXPECT_NE(Explorer::key(model.successors(queued, stim::source(0, Behaviour::Refused)).front(),
                          ExplorerInstance::contract()),
            Explorer::key(queued, ExplorerInstance::contract()));
  EXPECT_TRUE(e.toward_uncovered(delayed, all_covered_but(e, JobState::Connecting, stim::call(Op::Suspend, 0))));
}

// The step says which outcome its path follows: from a queued job, the way to a pair in CONNECTING is
// time passing with the job still connecting (what a driver may steer the target into); a pair applied
// where the job is needs no outcome.
TEST(Explorer, TourStepSaysTheOutcomeItsPathFollows) {
  const JobModel& model = contract_explorer().model;
  const Explorer& e = contract_explorer().explorer;
  const Belief queued = queued_job(model);
  const auto to_connecting =
      e.toward_uncovered(queued, all_covered_but(e, JobState::Connecting, stim::call(Op::Suspend, 0)));
  ASSERT_TRUE(to_connecting);
  EXPECT_EQ(to_connecting->next.op, Op::Advance);
  EXPECT_EQ(to_connecting->expected, JobState::Connecting);

  const auto here = e.toward_uncovered(queued, all_covered_but(e, JobState::Queued, stim::call(Op::Suspend, 0)));
  ASSERT_TRUE(here);
  EXPECT_EQ(here->next, stim::call(Op::Suspend, 0));
  EXPECT_EQ(here->expected, std::nullopt);
}

// Time passing in CONNECTING is not learned: how long the job has been connecting is in no explorer
// state, so a target seen still connecting after a second may be through the next second; the way on to
// TRANSFERRING stays open.
TEST(Explorer, TimeInConnectingIsNotLearned) {
  const JobModel& model = contract_explorer().model;
  const Explorer& e = contract_explorer().explorer;
  const Belief connecting = connecting_job(model);
  const std::vector<bool> covered = all_covered_but(e, JobState::Transferring, stim::call(Op::Suspend, 0));
  const auto planned = e.toward_uncovered(connecting, covered);
  ASSERT_TRUE(planned);
  ASSERT_EQ(planned->next.op, Op::Advance);
  Explorer::Taken taken;
  e.learn(taken, connecting, planned->next, connecting);
  EXPECT_TRUE(taken.next.empty());
  const auto replanned = e.toward_uncovered(connecting, covered, &taken);
  ASSERT_TRUE(replanned);
  EXPECT_EQ(replanned->next, planned->next);
}

// The planned tour is the tour with the outcome it follows after each stimulus, and those outcomes are
// ones the model allows one after another.
TEST(Explorer, PlannedTourFollowsOutcomesTheModelAllows) {
  const JobModel& model = contract_explorer().model;
  const Explorer& e = contract_explorer().explorer;
  const auto tour = e.tour();
  const auto planned = e.planned_tour();
  ASSERT_EQ(tour.size(), planned.size());
  for (std::size_t t = 0; t < tour.size(); ++t) {
    ASSERT_EQ(tour[t], planned[t].stimuli);
    ASSERT_EQ(planned[t].stimuli.size(), planned[t].expected.size());
    std::map<std::string, Belief> frontier = {{"", model.initial()}};
    for (std::size_t i = 0; i < planned[t].stimuli.size(); ++i) {
      const Stimulus& s = planned[t].stimuli[i];
      std::map<std::string, Belief> next;
      for (const auto& [key, b] : frontier) {
        if (!model.applicable(b, s)) continue;
        for (Belief& n : model.successors(b, s)) {
          const JobSlot& slot = n.jobs[0];
          const std::optional<JobState> state =
              slot.live && !slot.candidates.empty() ? std::optional(slot.candidates.front().state) : std::nullopt;
          if (state == planned[t].expected[i])
            next.emplace(Explorer::key(n, ExplorerInstance::contract()), std::move(n));
        }
      }
      ASSERT_FALSE(next.empty()) << "sequence " << t << ", step " << i << ": " << to_string(s);
      frontier = std::move(next);
    }
  }
}

// The explorer asks for successors through a pool that keeps beliefs from call to call: what a call
// leaves there (more beliefs, other candidates) must not show in the next one. Two live jobs, so that
// an Advance makes their product (less the pairs ST-9 forbids), between calls that make one or none.
TEST(Explorer, SuccessorsThroughAReusedPoolAreTheFreshOnes) {
  using testing::same_belief;
  const JobModel model;
  const std::vector<Stimulus> walk = {stim::create_job(0),
                                      stim::create_job(1),
                                      stim::add_file(0, 0),
                                      stim::add_file(1, 1),
                                      stim::call(Op::Resume, 0),
                                      stim::call(Op::Resume, 1),
                                      stim::advance(2),
                                      stim::source(1, Behaviour::Refused),
                                      stim::advance(6),
                                      stim::network(false),
                                      stim::call(Op::GetState, 1),
                                      stim::network(true),
                                      stim::advance(5),
                                      stim::with_handle(Op::GetError, 1, 0),
                                      stim::call(Op::Cancel, 0)};
  std::vector<Belief> pool;
  Belief at = model.initial();
  std::size_t most = 0;
  for (const Stimulus& s : walk) {
    const std::vector<Belief> fresh = model.successors(at, s);
    const std::span<Belief> pooled = model.successors(at, s, pool);
    ASSERT_EQ(fresh.size(), pooled.size()) << to_string(s);
    for (std::size_t i = 0; i < fresh.size(); ++i)
      EXPECT_TRUE(same_belief(fresh[i], pooled[i])) << to_string(s) << " #" << i;
    most = std::max(most, fresh.size());
    ASSERT_FALSE(fresh.empty()) << to_string(s);
    at = fresh.back();
  }
  EXPECT_GT(most, 4u);  // some Advance made a product, so later calls reuse a pool with beliefs left over
}

INSTANTIATE_TEST_SUITE_P(Profiles, ContractInstance, ::testing::Values(Profile::Bits, Profile::Do),
                         [](const auto& info) { return std::string(name(info.param)); });

}  // namespace
}  // namespace bgc
