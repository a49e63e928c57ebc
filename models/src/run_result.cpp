#include "bgconform/run_result.h"

namespace bgc {

std::string_view outcome_name(RuleOutcome o) {
  switch (o) {
    case RuleOutcome::Pass: return "pass";
    case RuleOutcome::Fail: return "fail";
    case RuleOutcome::NotExercised: return "not-exercised";
    case RuleOutcome::NotModelled: return "not-modelled";
    case RuleOutcome::NotSupported: return "not-supported";
    case RuleOutcome::Disabled: return "disabled";
    case RuleOutcome::Crash: return "crash";
    case RuleOutcome::Timeout: return "timeout";
    case RuleOutcome::KnownDeviation: return "known-deviation";
    case RuleOutcome::UnexpectedPass: return "unexpected-pass";
  }
  return "?";
}

namespace {
// The outcome before the ledger is applied.
RuleOutcome raw_outcome(const RunResult& r, RuleId id) {
  if (!rule_applies(id, r.settings.model.profile)) return RuleOutcome::NotSupported;
  if (!r.settings.model.rules.on(id)) return RuleOutcome::Disabled;
  const RuleTally& t = r.tallies[static_cast<std::size_t>(id)];
  if (t.failures > 0 || r.counterexample(id)) return RuleOutcome::Fail;
  // The target crashed or hung answering a call this rule judges: the rule could not be decided.
  if (r.crash && r.crash->failed_step < r.crash->trace.size()) {
    const TracedStep& at = r.crash->trace[r.crash->failed_step];
    const Op op = r.crash->failed_at > 0 ? Op::GetState : at.step.stimulus.op;
    for (Op o : rule_calls(id))
      if (o == op) return r.crash->status == CaseStatus::Timeout ? RuleOutcome::Timeout : RuleOutcome::Crash;
  }
  if (t.checks > 0 && (!r.sought_discriminating || t.discriminating > 0)) return RuleOutcome::Pass;
  // Never checked because the target lacks a call the rule needs: the target does not support it.
  for (Op op : rule_calls(id))
    if (r.coverage.unsupported_ops.test(static_cast<std::size_t>(op))) return RuleOutcome::NotSupported;
  return RuleOutcome::NotExercised;
}
}  // namespace

RuleOutcome rule_outcome(const RunResult& r, RuleId id) {
  const RuleOutcome o = raw_outcome(r, id);
  if (!r.settings.known_deviation(rule_id(id))) return o;
  // A ledgered rule fails when one of its deviations fell outside every entry's scope: its
  // counterexample is then that deviation (run_cases keeps the unknown one over a known one).
  if (o == RuleOutcome::Fail) {
    const Counterexample* c = r.counterexample(id);
    return c && !c->known ? RuleOutcome::Fail : RuleOutcome::KnownDeviation;
  }
  if (o == RuleOutcome::Pass && !r.settings.intermittent(rule_id(id))) return RuleOutcome::UnexpectedPass;
  return o;
}

bool not_exercised_fails(const RunResult& r, RuleId id) {
  // A run that stopped early has not had its chance to check them: its verdict "so far" is what ran.
  return r.finished && !r.settings.allow_not_exercised && rule_outcome(r, id) == RuleOutcome::NotExercised &&
         !r.settings.known_deviation(rule_id(id));
}

RuleOutcome run_outcome(const RunResult& r) {
  if (r.crash) return r.crash->status == CaseStatus::Timeout ? RuleOutcome::Timeout : RuleOutcome::Crash;
  bool known = false, unchecked = false;
  for (int i = 0; i < kRuleCount; ++i) {
    const RuleOutcome o = rule_outcome(r, static_cast<RuleId>(i));
    if (o == RuleOutcome::Fail || o == RuleOutcome::UnexpectedPass) return RuleOutcome::Fail;
    known |= o == RuleOutcome::KnownDeviation;
    unchecked |= not_exercised_fails(r, static_cast<RuleId>(i));
  }
  if (unchecked) return RuleOutcome::NotExercised;
  return known ? RuleOutcome::KnownDeviation : RuleOutcome::Pass;
}

}  // namespace bgc
