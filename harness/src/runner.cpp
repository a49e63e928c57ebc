#include "bgconform/runner.h"

#include <algorithm>
#include <bit>

#include "bgconform/stimulus_kind.h"
#include "runner_internal.h"
#include "trace_monitors.h"

namespace bgc {

void Coverage::init(Profile p) {
  const std::size_t kinds = all_kinds(p).size();
  states = 0;
  pairs.assign(kJobStateCount * kinds, false);
  triples.assign(kJobStateCount * kinds * kJobStateCount, false);
}

void Coverage::merge(const Coverage& other) {
  states |= other.states;
  unsupported_ops |= other.unsupported_ops;
  if (pairs.size() < other.pairs.size()) pairs.resize(other.pairs.size(), false);
  if (triples.size() < other.triples.size()) triples.resize(other.triples.size(), false);
  // Bit iterators rather than indexing: this runs after every case over some 2,800 bits.
  auto into = [](std::vector<bool>& to, const std::vector<bool>& from) {
    auto t = to.begin();
    for (auto f = from.begin(); f != from.end(); ++f, ++t)
      if (*f) *t = true;
  };
  into(pairs, other.pairs);
  into(triples, other.triples);
}

std::size_t Coverage::state_count() const {
  std::size_t n = 0;
  for (int s = 0; s < kJobStateCount; ++s) n += (states >> s) & 1u;
  return n;
}
std::size_t Coverage::pair_count() const {
  std::size_t n = 0;
  for (bool b : pairs) n += b;
  return n;
}
std::size_t Coverage::triple_count() const {
  std::size_t n = 0;
  for (bool b : triples) n += b;
  return n;
}

CaseResult CaseResult::up_to(RuleId rule, std::optional<bool> known) const {
  CaseResult c;
  const Deviation* d = known ? deviation(rule, *known) : deviation(rule);
  if (d == nullptr) return c;
  c.status = CaseStatus::Violation;
  c.rule = rule;
  c.by_monitor = d->by_monitor;
  c.failed_step = d->step;
  c.failed_at = d->at;
  c.allowed = d->allowed;
  c.where = d->where;
  c.known = d->known;
  c.trace.assign(trace.begin(), trace.begin() + static_cast<std::ptrdiff_t>(d->step + 1));
  for (const Deviation& e : deviations)
    if (e.step <= d->step) c.deviations.push_back(e);
  c.tallies = tallies;
  c.coverage = coverage;
  c.output = output;
  return c;
}

std::vector<Stimulus> CaseResult::applied() const {
  std::vector<Stimulus> out;
  out.reserve(trace.size());
  for (const TracedStep& t : trace)
    if (!t.poll) out.push_back(t.step.stimulus);
  return out;
}

// The sweep's calls, made once.
const std::array<Stimulus, kMaxJobs> kGetState = [] {
  std::array<Stimulus, kMaxJobs> calls;
  for (int j = 0; j < kMaxJobs; ++j) calls[j] = stim::call(Op::GetState, j);
  return calls;
}();

// Generated cases are at most 40 steps (the default max_steps); longer ones regrow as usual.
constexpr std::size_t kTraceReserve = 48;

using detail::ended;
using detail::tally;

CaseResult Runner::run_case(Target& target, const JobModel& model, std::span<const Stimulus> stimuli) const {
  std::size_t i = 0;
  return run_case(target, model, [&](const Belief&) -> std::optional<Stimulus> {
    if (i >= stimuli.size()) return std::nullopt;
    return stimuli[i++];
  });
}

CaseResult Runner::run_case(Target& target, const JobModel& model, const StimulusSource& next) const {
  CaseResult r =
      target.capabilities().virtual_clock ? run_virtual_time(target, model, next) : run_real_time(target, model, next);
  // A finding's facts include what the implementation printed meanwhile (read only then: a shrinker's
  // passing candidates cost nothing more).
  if (r.failed() || !r.deviations.empty()) r.output = target.case_output();
  return r;
}

CaseResult Runner::run_virtual_time(Target& target, const JobModel& model, const StimulusSource& next) const {
  const Profile profile = model.config().profile;
  const std::size_t kinds = all_kinds(profile).size();
  CaseResult r;
  r.coverage.init(profile);
  r.trace.reserve(kTraceReserve);  // a generated case's steps without regrowing the trace
  target.reset(profile);
  Belief belief = model.initial();
  detail::TraceMonitors monitors(model.config());
  detail::LastSeen last{};  // last observed state of each live slot
  int skipped = 0;
  std::array<Stimulus, 1 + kMaxJobs> batch;  // a step's stimulus and its sweep, and their answers
  std::array<Observation, 1 + kMaxJobs> answers;
  RuleBits sought = sought_;
  detail::ProbeCounts probes{};
  Belief before;  // the belief before the step, while a discriminating situation is sought

  while (auto s = next(belief)) {
    if (!model.applicable(belief, *s)) {
      if (++skipped > 100000) break;  // a source that offers nothing applicable
      continue;
    }
    skipped = 0;
    // The stimulus and its sweep (GetState of every slot that is live after the step) go to the
    // target as one batch: a target in another process answers them in one round trip.
    std::array<bool, kMaxJobs> live{};
    for (int j = 0; j < kMaxJobs; ++j) live[j] = belief.jobs[j].live;
    if (s->op == Op::CreateJob) live[s->job] = true;
    if (s->op == Op::ReleaseJob) live[s->job] = false;
    std::size_t n = 0;
    batch[n++] = *s;
    for (int j = 0; j < kMaxJobs; ++j)
      if (live[j]) batch[n++] = kGetState[j];
    target.apply_all({batch.data(), n}, {answers.data(), n});

    TracedStep& ts = r.trace.emplace_back();
    ts.step.stimulus = *s;
    ts.step.observation = answers[0];
    if (ts.step.observation.outcome == Outcome::NotSupported)
      r.coverage.unsupported_ops.set(static_cast<std::size_t>(s->op));
    if (ended(ts.step.observation, r, target)) return r;
    for (std::size_t k = 1; k < n; ++k) {
      const Step& q = ts.sweep.push_back({batch[k], answers[k]});
      if (ended(q.observation, r, target)) {
        r.failed_at = static_cast<int>(ts.sweep.size());
        return r;
      }
    }

    const RuleSet& rules = model.config().rules;
    if (sought.any()) before = belief;
    StepCheck c = model.check_with(rules, belief, ts.step, ts.sweep);
    tally(r, c.checked);
    if (c.ok && sought.any())
      detail::seek_discriminating(r, sought, probes, probes_per_case_, model, before, ts.step, ts.sweep, c.checked);
    // Where a failure at `at` (0: the answer, k: the k-th sweep entry) happened; made only at a deviation.
    const auto where = [&](int at) {
      const std::size_t k = static_cast<std::size_t>(at);
      return detail::site_of(*s, at > 0 && k <= ts.sweep.size() ? ts.sweep[k - 1] : ts.step, last);
    };
    if (!c.ok &&
        !detail::go_past(
            r, policy_, rules, std::move(c),
            [&](const RuleSet& in_force) { return model.check_with(in_force, belief, ts.step, ts.sweep); }, where))
      return r;
    // The trace monitors, on the stimulus and then on the sweep.
    RuleBits monitor_checked;
    std::optional<detail::MonitorFailure> mf = monitors.feed(ts.step.stimulus, ts.step.observation, monitor_checked);
    for (std::size_t k = 0; k <= ts.sweep.size(); ++k) {
      if (k > 0) mf = monitors.feed(ts.sweep[k - 1].stimulus, ts.sweep[k - 1].observation, monitor_checked);
      if (mf && !detail::deviate(r, policy_, mf->rule, true, static_cast<int>(k), std::move(mf->allowed),
                                 where(static_cast<int>(k)))) {
        tally(r, monitor_checked);
        return r;
      }
    }
    tally(r, monitor_checked);

    // Coverage: (state before, kind) per affected live job, and the state observed after.
    std::array<std::optional<JobState>, kMaxJobs> now{};
    for (const Step& q : ts.sweep)
      if (q.observation.outcome == Outcome::Answered && hr::succeeded(q.observation.hr)) {
        now[q.stimulus.job] = q.observation.state;
        detail::observed_state(r.coverage, q.observation.state);
      }
    const int k = kind_index(profile, kind_of(*s));
    if (k >= 0) {
      for (int j = 0; j < kMaxJobs; ++j) {
        if (!last[j]) continue;
        if (!is_environment(s->op) && s->job != j) continue;
        const std::size_t pair = static_cast<std::size_t>(*last[j]) * kinds + static_cast<std::size_t>(k);
        r.coverage.pairs[pair] = true;
        if (now[j]) r.coverage.triples[pair * kJobStateCount + static_cast<std::size_t>(*now[j])] = true;
      }
    }
    last = now;
  }
  return r;
}

}  // namespace bgc

// ---- run_result.h ----------------------------------------------------------------------------
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
