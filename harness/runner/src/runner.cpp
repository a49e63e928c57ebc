#include "bgconform/runner.h"

#include <algorithm>
#include <bit>

#include "bgconform/stimulus_kind.h"
#include "runner_internal.h"
#include "bgconform/trace_monitors.h"

namespace bgc {

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
