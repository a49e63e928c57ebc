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
  EXPECT_NE(again.deviation(rule), nullptr) << f.name;
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

// Each fault is found by its own rule: with the catch-all ST-9 switched off (the rule blamed when no
// other explains a state), it still fails with the rule that speaks of what it does wrong.
TEST_P(FaultTest, ItsRuleRejectsItOnItsOwn) {
  const FaultInfo& f = GetParam();
  if (f.rule == "ST-9") GTEST_SKIP() << "the catch-all itself";
  FaultTarget target(f.fault);
  const RuleId rule = *parse_rule_id(attributed_rule(f));
  ModelConfig without_st9;
  without_st9.rules = without_st9.rules.without(RuleId::ST_9);
  RunResult r = run_cases(pinned(without_st9), target, rapidcheck_case_tools());
  EXPECT_NE(r.counterexample(rule), nullptr) << f.name << " passes with ST-9 off";
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

// A service with two faults: Suspend is ignored while the job runs (ST-7) and, shallower, a successful
// Resume answers S_FALSE (M-5: S_OK). A job runs only after a Resume, so every case that could show the
// first fault shows the second before it: a case that ended at its first deviation would never find
// ST-7. Going on past M-5, the run finds both.
class TwoFaults : public Target {
 public:
  Capabilities capabilities() const override { return inner_.capabilities(); }
  void reset(Profile p) override { inner_.reset(p); }
  Observation apply(const Stimulus& s) override {
    Observation o = inner_.apply(s);
    if (s.op == Op::Resume && o.outcome == Outcome::Answered && o.hr == hr::kS_OK) o.hr = hr::kS_FALSE;
    return o;
  }
  std::string name() const override { return "two-faults"; }

 private:
  FaultTarget inner_{Fault::SuspendIgnored};
};

TEST(Faults, ARunFindsEveryRuleACaseBreaksEachWithItsOwnCounterexample) {
  TwoFaults target;
  RunResult r = run_cases(pinned(), target, rapidcheck_case_tools());
  for (const RuleId rule : {RuleId::M_5, RuleId::ST_7}) {
    const Counterexample* c = r.counterexample(rule);
    ASSERT_NE(c, nullptr) << rule_id(rule);
    EXPECT_EQ(c->rule, rule);
    EXPECT_EQ(c->failed_step + 1, c->trace.size()) << "cut at its own deviation";
    std::vector<Stimulus> seq;
    for (const TracedStep& t : c->trace) seq.push_back(t.step.stimulus);
    EXPECT_NE(run_sequence(target, JobModel(), seq).deviation(rule), nullptr) << rule_id(rule);
  }
  // Each counterexample is as short as its own rule needs.
  EXPECT_LE(r.counterexample(RuleId::M_5)->trace.size(), 3u);
  EXPECT_LE(r.counterexample(RuleId::ST_7)->trace.size(), 5u);
  EXPECT_EQ(rule_outcome(r, RuleId::ST_7), RuleOutcome::Fail);
  // A case that ends at its first deviation stops at M-5 on the way to ST-7.
  std::vector<Stimulus> seq;
  for (const TracedStep& t : r.counterexample(RuleId::ST_7)->trace) seq.push_back(t.step.stimulus);
  EXPECT_EQ(Runner{}.run_case(target, JobModel(), std::span<const Stimulus>(seq)).rule, RuleId::M_5);
}

// A fault that counts its resets: in a process of their own (isolate_cases on, as an isolated plugin
// would start one per reset) or in the one serving process.
class CountsProcesses : public Target {
 public:
  Capabilities capabilities() const override { return inner_.capabilities(); }
  void isolate_cases(bool on) override { isolating_ = on; }
  void reset(Profile p) override {
    ++(isolating_ ? own_processes : shared_process);
    inner_.reset(p);
  }
  Observation apply(const Stimulus& s) override { return inner_.apply(s); }
  std::string name() const override { return inner_.name(); }

  int own_processes = 0, shared_process = 0;

 private:
  FaultTarget inner_{Fault::KeepErrorAfterTransfer};
  bool isolating_ = false;
};

// From the first new failure on each case starts in a process of its own; the shrinking's candidates
// share one, and each counterexample is checked once alone. A deviation the ledger lists starts no
// process per case (a gate whose service shows one at once forked for every case).
TEST(Faults, ProcessesOfTheirOwnForTheCasesAfterANewFailureNotForTheShrinking) {
  CountsProcesses target;
  const RunResult r = run_cases(pinned(), target, rapidcheck_case_tools());
  ASSERT_FALSE(r.counterexamples.empty());
  auto first = static_cast<std::uint64_t>(r.settings.cases);
  for (const Counterexample& c : r.counterexamples) first = std::min(first, c.case_index);
  const auto cases_after = static_cast<int>(static_cast<std::uint64_t>(r.settings.cases) - first - 1);
  const auto checks = static_cast<int>(r.counterexamples.size());
  ASSERT_GT(cases_after, 0);
  EXPECT_EQ(target.own_processes, cases_after + checks);
  EXPECT_GT(target.shared_process, 10 * checks) << "the shrinking's candidates run in the serving process";

  // The same run with every rule it broke in the ledger.
  CountsProcesses gated;
  RunSettings with_ledger = pinned();
  for (const Counterexample& c : r.counterexamples)
    with_ledger.known_deviations.push_back({.rule = std::string(rule_id(c.rule)), .why = "listed", .link = {}});
  const RunResult k = run_cases(with_ledger, gated, rapidcheck_case_tools());
  ASSERT_EQ(k.counterexamples.size(), r.counterexamples.size());
  for (const Counterexample& c : k.counterexamples) EXPECT_TRUE(c.known) << rule_id(c.rule);
  EXPECT_EQ(gated.own_processes, static_cast<int>(k.counterexamples.size())) << "only each counterexample's check";
}

}  // namespace
}  // namespace bgc
