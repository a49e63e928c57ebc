// The suite proves it can fail (model-contract.md, "Against tautology"): each fault wrapper fails
// with its rule on a pinned seed, its counterexample shrinks to at most 10 steps, and with that rule
// switched off the fault survives. Parameters are pinned: seed 1, 400 cases of up to 40 steps.
#include <gtest/gtest.h>

#include "bgconform/explorer.h"
#include "bgconform/fault_target.h"
#include "bgconform/reference_target.h"
#include "case_loop.h"
#include "rc_adapter.h"

namespace bgc {
// Test names and parameter printouts show the fault by name.
void PrintTo(const FaultInfo& f, std::ostream* os) { *os << f.name; }

namespace {

// The rule each fault names; the test holds the model to it.
std::string_view attributed_rule(const FaultInfo& f) { return f.rule; }

RunSettings pinned(ModelConfig model = {}) {
  RunSettings s;
  s.model = std::move(model);
  s.seed = 1;
  s.cases = 400;
  return s;
}

class FaultTest : public ::testing::TestWithParam<FaultInfo> {};

TEST_P(FaultTest, FailsWithItsRuleAndShrinks) {
  const FaultInfo& f = GetParam();
  FaultTarget target(f.fault);
  const RuleId rule = *parse_rule_id(attributed_rule(f));
  RunResult r = run_cases(pinned(), target, rapidcheck_case_tools());
  const Counterexample* c = r.counterexample(rule);
  ASSERT_NE(c, nullptr) << f.name << " was not caught with " << attributed_rule(f);
  EXPECT_LE(c->trace.size(), 10u) << f.name;
  // The shrunk case still fails with that rule when replayed.
  std::vector<Stimulus> seq;
  for (const TracedStep& t : c->trace) seq.push_back(t.step.stimulus);
  CaseResult again = run_sequence(target, JobModel(r.settings.model), seq);
  EXPECT_EQ(again.status, CaseStatus::Violation);
  EXPECT_EQ(again.rule, rule);
}

TEST_P(FaultTest, SurvivesWithItsRuleSwitchedOff) {
  const FaultInfo& f = GetParam();
  FaultTarget target(f.fault);
  const RuleId rule = *parse_rule_id(attributed_rule(f));
  ModelConfig off;
  off.rules = off.rules.without(rule);
  RunResult r = run_cases(pinned(off), target, rapidcheck_case_tools());
  EXPECT_EQ(r.counterexample(rule), nullptr) << f.name;
  EXPECT_EQ(rule_outcome(r, rule), RuleOutcome::Disabled);
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultTest, ::testing::ValuesIn(fault_catalogue().begin(), fault_catalogue().end()),
                         [](const ::testing::TestParamInfo<FaultInfo>& info) {
                           std::string n;
                           for (char ch : info.param.name) n += ch == '-' ? '_' : ch;
                           return n;
                         });

TEST(Faults, AtLeastSixAcrossTheFamilies) {
  bool st = false, m = false, e = false;
  for (const FaultInfo& f : fault_catalogue()) {
    st |= f.rule.starts_with("ST-");
    m |= f.rule.starts_with("M-");
    e |= f.rule.starts_with("E-");
  }
  EXPECT_GE(fault_catalogue().size(), 6u);
  EXPECT_TRUE(st && m && e);
}

TEST(Faults, OneShowsOnlyAfterSixSteps) {
  FaultTarget target(Fault::ErrorCountResetOnResume);
  RunResult r = run_cases(pinned(), target, rapidcheck_case_tools());
  const Counterexample* c = r.counterexample(RuleId::E_9);
  ASSERT_NE(c, nullptr);
  EXPECT_GE(c->trace.size(), 6u);
}

}  // namespace
}  // namespace bgc
