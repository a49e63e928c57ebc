// The default run (seed 1, the quick tier's budget of checked steps, 3 jobs: what `bgconform run` does
// with no flags) against the reference service: it passes, reaches every state of the profile, applies
// at least 99% of the explorer's reachable (state, stimulus kind) pairs, and exercises every rule the
// profile checks in a discriminating situation (a step where its check excluded an answer).
#include <gtest/gtest.h>

#include "bgconform/reference_target.h"
#include "case_loop.h"
#include "rc_adapter.h"
#include "tiers.h"

namespace bgc {
namespace {

class DefaultRun : public ::testing::TestWithParam<Profile> {
 protected:
  static RunResult run(Profile p) {
    RunSettings s;
    s.model.profile = p;
    apply_tier(s, kQuickTier, "quick");
    ReferenceTarget target;
    return run_cases(s, target, rapidcheck_case_tools());
  }
};

TEST_P(DefaultRun, PassesCoversAndExercisesEveryRule) {
  const Profile p = GetParam();
  const RunResult r = run(p);
  EXPECT_GE(r.steps, kQuickTier.steps);
  // Each lane stops once past its share: by less than a case each.
  EXPECT_LT(r.steps, kQuickTier.steps + static_cast<std::uint64_t>(kLanes * kQuickTier.max_steps))
      << "stops at its budget";
  EXPECT_TRUE(r.finished);
  EXPECT_TRUE(r.sought_discriminating);
  // The directed phase: the tour's cases, then cases aimed at the rules the tour did not put to the test.
  EXPECT_GT(r.tour_cases, 0u);
  EXPECT_GT(r.directed_cases, 0u);
  for (const Counterexample& c : r.counterexamples) ADD_FAILURE() << "the reference fails " << rule_id(c.rule);
  EXPECT_FALSE(r.crash.has_value());
  EXPECT_EQ(p == Profile::Bits ? 9u : 8u, r.coverage.state_count());
  const double covered =
      static_cast<double>(r.covered_reachable_pairs()) / static_cast<double>(r.reachable_pair_count());
  EXPECT_GE(covered, 0.99) << r.covered_reachable_pairs() << " of " << r.reachable_pair_count() << " pairs";
  for (int i = 0; i < kRuleCount; ++i) {
    const RuleId rule = static_cast<RuleId>(i);
    if (rule_applies(rule, p)) {
      EXPECT_EQ(RuleOutcome::Pass, rule_outcome(r, rule)) << rule_id(rule);
      EXPECT_GT(r.tallies[static_cast<std::size_t>(i)].discriminating, 0u) << rule_id(rule) << " never discriminated";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, DefaultRun, ::testing::Values(Profile::Bits, Profile::Do),
                         [](const auto& info) { return std::string(name(info.param)); });

}  // namespace
}  // namespace bgc
