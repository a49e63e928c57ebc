// What the two loops of the Runner (runner.cpp: a virtual-clock target with a sweep after each step;
// runner_real_time.cpp: a target that moves in real time) share.
#pragma once

#include <array>
#include <bit>
#include <optional>
#include <string>
#include <vector>

#include "bgconform/stimulus_kind.h"
#include "bgconform/other_answers.h"
#include "bgconform/runner.h"

namespace bgc::detail {

// A crash or a hang ends the case: true when the observation says one happened.
inline bool ended(const Observation& o, CaseResult& r, const Target& target) {
  if (o.outcome == Outcome::Crashed)
    r.status = CaseStatus::Crash;
  else if (o.outcome == Outcome::TimedOut)
    r.status = CaseStatus::Timeout;
  else
    return false;
  r.failed_step = r.trace.size() - 1;
  r.failure = target.failure_detail();
  r.failed_in_reset = target.failed_in_reset();
  return true;
}

inline void tally(CaseResult& r, const RuleBits& checked) {
  if (checked.none()) return;
  if constexpr (kRuleCount <= 64) {
    // Only the set bits, word at a time: this runs twice per step.
    for (std::uint64_t bits = checked.to_ullong(); bits != 0; bits &= bits - 1)
      ++r.tallies[static_cast<std::size_t>(std::countr_zero(bits))].checks;
  } else {
    for (int i = 0; i < kRuleCount; ++i)
      if (checked.test(static_cast<std::size_t>(i))) ++r.tallies[static_cast<std::size_t>(i)].checks;
  }
}

using LastSeen = std::array<std::optional<JobState>, kMaxJobs>;  // each job's last observed state

// Where a deviation happened (runner.h, DeviationSite): `stimulus` is the step's stimulus (in real time,
// the case's stimulus whose segment the observation belongs to), `observed` the call whose answer broke
// the rule (the stimulus itself, or a GetState of the sweep or a poll), `before` the states seen before
// the step. The job judged is the observed call's; an environment event's own answer names none.
inline DeviationSite site_of(const Stimulus& stimulus, const Step& observed, const LastSeen& before) {
  DeviationSite where;
  where.op = stimulus.op;
  if (!is_environment(observed.stimulus.op) && observed.stimulus.job < kMaxJobs)
    where.state = before[observed.stimulus.job];
  where.answer = to_string(observed.observation, observed.stimulus.op);
  return where;
}

// Ends the case with a violation at the last traced step (`at`: 0 its answer, k its k-th sweep entry).
inline void violation(CaseResult& r, RuleId rule, bool by_monitor, int at, std::string allowed, DeviationSite where) {
  ++r.tallies[static_cast<std::size_t>(rule)].failures;
  r.status = CaseStatus::Violation;
  r.rule = rule;
  r.by_monitor = by_monitor;
  r.failed_step = r.trace.size() - 1;
  r.failed_at = at;
  r.where = where;
  r.known = false;
  if (!r.deviation(rule, false))
    r.deviations.push_back({rule, by_monitor, r.failed_step, at, allowed, false, std::move(where)});
  r.allowed = std::move(allowed);
}

// The last traced step broke `rule` at `where`: counted, listed among the case's deviations (the first
// time it is known, and the first time it is not), and the case's violation unless the ledger covers
// it. True when the policy goes on past it.
inline bool deviate(CaseResult& r, const DeviationPolicy& policy, RuleId rule, bool by_monitor, int at,
                    std::string allowed, DeviationSite where) {
  const bool known = policy.known.covers(rule, where);
  if (!known && r.status == CaseStatus::Pass) {
    violation(r, rule, by_monitor, at, std::move(allowed), std::move(where));
    return policy.go_on;
  }
  ++r.tallies[static_cast<std::size_t>(rule)].failures;
  if (!r.deviation(rule, known))
    r.deviations.push_back({rule, by_monitor, r.trace.size() - 1, at, std::move(allowed), known, std::move(where)});
  return known || policy.go_on;
}

// After the model rejected a step (`c`, judged with `rules` in force): each rule it blames is a
// deviation, and the step is judged again without it (`recheck(rules)` judges it with those rules and,
// when it passes, moves the belief), until the step passes. When no single rule explains the step, it
// is judged with every rule off. False when the case ends here.
// `where(at)` says where a failure at `at` happened (site_of).
template <class Recheck, class Where>
bool go_past(CaseResult& r, const DeviationPolicy& policy, const RuleSet in_force, StepCheck c, const Recheck& recheck,
             const Where& where) {
  RuleSet rules = in_force;
  while (!c.ok) {
    if (rules.on(c.rule)) {
      if (!deviate(r, policy, c.rule, false, c.failed_at, std::move(c.allowed), where(c.failed_at))) return false;
      rules = rules.without(c.rule);
    } else if (rules != RuleSet()) {
      rules = RuleSet();  // the rule blamed is already off: no single rule explains the step
    } else {
      // Nothing explains it (a value outside every rule's range): the case ends here, a violation of the
      // rule that rejected it - unless that rule is switched off (--disable-rule), which is never named.
      if (r.status == CaseStatus::Pass && in_force.on(c.rule))
        violation(r, c.rule, false, c.failed_at, std::move(c.allowed), where(c.failed_at));
      return false;
    }
    c = recheck(rules);
  }
  return true;
}

// How many steps of a case each rule was sought at (Runner::seeking's probes_per_case bounds them).
using ProbeCounts = std::array<std::uint8_t, kRuleCount>;

// After a step sought `wanted` and `found` some: those met a discriminating situation
// (CaseResult::discriminated) and are sought no more in this case; the others used one of their probes.
inline void credit(CaseResult& r, RuleBits& sought, ProbeCounts& probes, std::uint8_t probes_per_case,
                   const RuleBits& wanted, const RuleBits& found) {
  r.discriminated |= found;
  sought &= ~found;
  for (std::size_t i = 0; i < wanted.size(); ++i)
    if (wanted.test(i) && !found.test(i) && ++probes[i] >= probes_per_case) sought.reset(i);
}

// After a step passed (judged from `before`, consulting `checked`): the answers a target could have
// given instead (other_answers.h), to the stimulus and to each observation of its sweep, are judged, and
// each rule still `sought` whose check rejects one of them (JobModel::rejecting_rules) is credited.
inline void seek_discriminating(CaseResult& r, RuleBits& sought, ProbeCounts& probes, std::uint8_t probes_per_case,
                                const JobModel& model, const Belief& before, const Step& step,
                                std::span<const Step> sweep, const RuleBits& checked) {
  const RuleBits wanted = sought & checked;
  if (wanted.none()) return;
  thread_local std::vector<Observation> others;
  thread_local std::vector<Step> changed_sweep;
  RuleBits found;
  others.clear();
  // An environment event's answer is the harness's own, not the target's.
  if (!is_environment(step.stimulus.op)) other_answers(step.observation, step.stimulus.op, others);
  for (const Observation& o : others) {
    if ((wanted & ~found).none()) break;
    found |= model.rejecting_rules(model.config().rules, before, {step.stimulus, o}, sweep, wanted & ~found);
  }
  for (std::size_t k = 0; k < sweep.size(); ++k) {
    others.clear();
    other_answers(sweep[k].observation, sweep[k].stimulus.op, others);
    changed_sweep.assign(sweep.begin(), sweep.end());
    for (const Observation& o : others) {
      if ((wanted & ~found).none()) break;
      changed_sweep[k].observation = o;
      found |= model.rejecting_rules(model.config().rules, before, step, changed_sweep, wanted & ~found);
    }
  }
  credit(r, sought, probes, probes_per_case, wanted, found);
}

// The same for a real-time target, whose observations are judged with the segment they belong to (the
// case's last stimulus, the time since, the polls: check_sequence): the answers the last of `segment`
// could have had instead, each judged with the whole segment from `before` (the belief before it).
inline void seek_discriminating_in_segment(CaseResult& r, RuleBits& sought, ProbeCounts& probes,
                                           std::uint8_t probes_per_case, const JobModel& model, const Belief& before,
                                           std::span<const Step> segment, const RuleBits& checked) {
  const RuleBits wanted = sought & checked;
  if (wanted.none() || segment.empty()) return;
  const Step& last = segment.back();
  if (is_environment(last.stimulus.op)) return;  // the harness's own event, or the time it let pass
  thread_local std::vector<Observation> others;
  thread_local std::vector<Step> changed;
  others.clear();
  other_answers(last.observation, last.stimulus.op, others);
  changed.assign(segment.begin(), segment.end());
  RuleBits found;
  for (const Observation& o : others) {
    if ((wanted & ~found).none()) break;
    changed.back().observation = o;
    found |= model.rejecting_rules_in_sequence(model.config().rules, before, changed, wanted & ~found);
  }
  credit(r, sought, probes, probes_per_case, wanted, found);
}

inline void observed_state(Coverage& c, JobState s) {
  c.states |= static_cast<std::uint16_t>(1u << static_cast<unsigned>(s));
}

}  // namespace bgc::detail
