#include "sensitivity.h"

#include "bgconform/other_answers.h"
#include "bgconform/reference_target.h"

namespace bgc {

namespace {

// Whether `c` (a recorded case, its last step changed) fails with `rule` and nothing else, and passes
// with that rule switched off: a witness of the rule.
bool witnesses(const RecordedCase& c, const ModelConfig& config, RuleId rule) {
  const auto judged = [&](const RuleSet& rules) {
    ModelConfig m = config;
    m.rules = rules;
    RecordedTarget target(c, m.profile, false, true);
    return Runner(DeviationPolicy{.go_on = true, .known = {}}).run_case(target, JobModel(m), target.stimuli());
  };
  const CaseResult with = judged(config.rules);
  if (with.deviations.size() != 1 || with.deviations.front().rule != rule || with.deviations.front().by_monitor)
    return false;
  const CaseResult without = judged(config.rules.without(rule));
  return without.status == CaseStatus::Pass && without.deviations.empty();
}

// Whether a change of an answer to `op` is one the rule judges: its calls, where the catalogue names
// them (rule_calls: E-9 judges GetErrorCount); any for the state rules (ST-: they judge every
// observation after a step) and for rules that name none.
bool judged_by(RuleId rule, Op op) {
  const std::span<const Op> calls = rule_calls(rule);
  if (calls.empty() || rule_id(rule).starts_with("ST-")) return true;
  for (Op o : calls)
    if (o == op) return true;
  return false;
}

}  // namespace

Sensitivity measure_sensitivity(const RunSettings& settings, const CaseTools& tools, bool find_witnesses) {
  Sensitivity out;
  std::vector<CaseResult> cases;
  ReferenceTarget reference(settings.model.profile);
  RunSettings run = settings;
  run.tier.clear();
  run_cases(run, reference, tools, {}, [&](std::uint64_t, const CaseResult& r) {
    if (r.status == CaseStatus::Pass && r.deviations.empty()) cases.push_back(r);
  });
  const JobModel model(model_config_for(settings.model, reference.capabilities()));
  std::vector<Observation> others;
  std::vector<Step> sweep;
  for (const CaseResult& r : cases) {
    ++out.cases;
    Belief belief = model.initial();
    for (std::size_t i = 0; i < r.trace.size(); ++i) {
      const TracedStep& t = r.trace[i];
      ++out.steps;
      const Belief before = belief;
      const StepCheck c = model.check(belief, t.step, t.sweep);
      if (!c.ok) break;  // cannot happen in a passing case; the rest would be judged from a wrong belief
      for (int k = 0; k < kRuleCount; ++k)
        if (c.checked.test(static_cast<std::size_t>(k))) ++out.rules[static_cast<std::size_t>(k)].situations;
      // Each answer of the step in turn (the stimulus's own, unless the harness's event; each sweep
      // entry), changed in one value and judged from the belief before the step.
      for (std::size_t at = 0; at <= t.sweep.size(); ++at) {
        const Step& original = at == 0 ? t.step : t.sweep[at - 1];
        if (at == 0 && is_environment(original.stimulus.op)) continue;
        others.clear();
        other_answers(original.observation, original.stimulus.op, others);
        for (const Observation& o : others) {
          ++out.changes;
          Step step = t.step;
          sweep.assign(t.sweep.begin(), t.sweep.end());
          (at == 0 ? step : sweep[at - 1]).observation = o;
          Belief b = before;
          const StepCheck x = model.check(b, step, sweep);
          const Op changed_op = original.stimulus.op;
          for (int k = 0; k < kRuleCount; ++k)
            if (c.checked.test(static_cast<std::size_t>(k)) && judged_by(static_cast<RuleId>(k), changed_op))
              ++out.rules[static_cast<std::size_t>(k)].tried;
          if (x.ok || !c.checked.test(static_cast<std::size_t>(x.rule)) || !judged_by(x.rule, changed_op)) continue;
          RuleSensitivity& blamed = out.rules[static_cast<std::size_t>(x.rule)];
          ++blamed.rejected;
          if (!find_witnesses || blamed.witness) continue;
          RecordedCase w{0, {r.trace.begin(), r.trace.begin() + static_cast<std::ptrdiff_t>(i + 1)}, {}};
          TracedStep& last = w.steps.back();
          if (at == 0)
            last.step.observation = o;
          else
            last.sweep[at - 1].observation = o;
          if (witnesses(w, model.config(), x.rule)) blamed.witness = std::move(w);
        }
      }
    }
  }
  return out;
}

}  // namespace bgc
