// Coverage guidance (case_corpus.h): situations (the model's, model_situations.h) are counted once,
// slot-blind, jobs taken together count; derived cases start from a kept case and are the same for the same random
// bits; a guided run reaches more situations than the generator alone on the same budget.
#include <gtest/gtest.h>

#include <cstdio>

#include "bgconform/reference_target.h"
#include "case_corpus.h"
#include "case_loop.h"
#include "rc_adapter.h"

namespace bgc {
namespace {

// Runs `seq` and counts its situations into `seen` (as the case loop does); returns how many were new.
int reached(Situations& seen, const std::vector<Stimulus>& seq) {
  const JobModel model;
  ReferenceTarget target;
  int fresh = 0;
  Runner{}.run_case(target, model, [&, i = std::size_t{0}](const Belief& b) mutable -> std::optional<Stimulus> {
    fresh += seen.after(b);
    if (i >= seq.size()) return std::nullopt;
    fresh += seen.before(b, seq[i]);
    return seq[i++];
  });
  return fresh;
}

TEST(Situations, AreCountedOnceWhicheverSlotAndTwoJobsCountTogether) {
  Situations seen;
  EXPECT_GT(reached(seen, {stim::create_job(0)}), 0);  // CreateJob on no job, a SUSPENDED job with no files
  EXPECT_EQ(reached(seen, {stim::create_job(0)}), 0);
  EXPECT_EQ(reached(seen, {stim::create_job(2)}), 0) << "the same situations in another slot";
  // Two SUSPENDED jobs: nothing new of either job, but the two together.
  EXPECT_EQ(reached(seen, {stim::create_job(0), stim::create_job(1)}), 1);
  EXPECT_EQ(reached(seen, {stim::create_job(2), stim::create_job(0)}), 0) << "the same two, in other slots";
  EXPECT_GT(reached(seen, {stim::create_job(0), stim::add_file(0, 0)}), 0);  // a file
  Situations other;
  other.merge(seen);
  EXPECT_EQ(other.size(), seen.size());
}

RandomBits counter(std::uint64_t start) {
  return [n = start]() mutable { return n = n * 6364136223846793005ull + 1442695040888963407ull; };
}

TEST(CaseCorpus, DerivesFromKeptCasesTheSameWayForTheSameRandomBits) {
  CaseCorpus corpus;
  RandomBits r = counter(1);
  EXPECT_TRUE(corpus.derive(r, 40).empty());
  const std::vector<Stimulus> kept = {stim::create_job(0),
                                      stim::add_file(0, 1),
                                      stim::call(Op::Resume, 0),
                                      stim::advance(5),
                                      stim::source(1, Behaviour::Reset),
                                      stim::advance(6)};
  corpus.keep(kept, r);
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    RandomBits a = counter(seed), b = counter(seed);
    const std::vector<Stimulus> x = corpus.derive(a, 40), y = corpus.derive(b, 40);
    EXPECT_EQ(x, y);
    ASSERT_FALSE(x.empty());
    EXPECT_EQ(x.front(), kept.front()) << "starts from a kept case";
    EXPECT_LE(x.size(), kept.size() * 2 + 1);
    RandomBits c = counter(seed);
    EXPECT_LE(corpus.derive(c, 3).size(), 3u);
  }
}

// The same budget of steps, guided and not: the guided run reaches more of the model's situations. (Not
// on a small budget: at 40,000 steps the two are even, the kept cases have not yet paid for themselves.)
TEST(CaseCorpus, AGuidedRunReachesMoreSituationsThanTheGeneratorAlone) {
  auto situations = [](bool guided) {
    RunSettings s;
    s.cases = kNoCaseBound;
    s.step_budget = 500'000;
    s.guided = guided;
    ReferenceTarget target;
    RunResult r = run_cases(s, target, rapidcheck_case_tools());
    EXPECT_TRUE(r.counterexamples.empty());
    return r.situations;
  };
  const std::uint64_t guided = situations(true), alone = situations(false);
  std::printf("situations: guided %llu, alone %llu\n", (unsigned long long)guided, (unsigned long long)alone);
  EXPECT_GT(guided, alone) << "guided " << guided << ", the generator alone " << alone;
}

}  // namespace
}  // namespace bgc
