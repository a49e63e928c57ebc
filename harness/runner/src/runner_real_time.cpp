// The Runner's loop for a target that moves on its own in real time (a real service behind the COM
// agent): asynchronous trace checking (runner.h, RealTimeOptions).
//
// Time is measured, not commanded. Every call is timed; the observation it returns was true at some
// instant inside the call. Between two such instants the service may have moved any number of times,
// so before judging an observation the model advances by every whole number of seconds that may have
// passed since the previous one (an `Advance lo..hi` step of its own in the model, recorded in the
// trace as TracedStep::waited). The bounds are rounded outward, so between two quick calls the model
// allows up to a second: whatever the service does "at once" (schedule, connect, fail) is allowed, and
// progress faster than the origin serves it is judged only as precisely as that (ST-10 is loose here).
// An Advance stimulus of the case makes the target wait (ComTarget sleeps); the model then gets the
// time measured around that wait, not the nominal duration.
#include <cmath>
#include <thread>
#include <tuple>

#include "bgconform/interrupt.h"
#include "runner_internal.h"
#include "bgconform/trace_monitors.h"

namespace bgc {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t microseconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::microseconds>(b - a).count();
}

class RealTimeCase {
 public:
  RealTimeCase(Target& target, const JobModel& model, const DeviationPolicy& policy, const RealTimeOptions& options,
               const RuleBits& sought, std::uint8_t probes_per_case)
      : target_(target),
        model_(model),
        policy_(policy),
        options_(options),
        kinds_(all_kinds(model.config().profile).size()),
        monitors_(model.config()),
        sought_(sought),
        probes_per_case_(probes_per_case) {
    r_.coverage.init(model.config().profile);
  }

  CaseResult run(const StimulusSource& next) {
    target_.reset(model_.config().profile);
    belief_ = model_.initial();
    start_ = Clock::now();
    int skipped = 0;
    while (auto s = next(belief_)) {
      if (interrupted()) break;
      if (!model_.applicable(belief_, *s)) {
        if (++skipped > 100000) break;
        continue;
      }
      skipped = 0;
      if (!stimulus(*s) || !settle()) break;
    }
    return std::move(r_);
  }

 private:
  // Applies one stimulus of the case and judges its answer; false when the case ended.
  bool stimulus(const Stimulus& s) {
    std::array<std::optional<JobState>, kMaxJobs> before = last_;
    if (!observe(s, false)) return false;
    // Coverage: the pair (state last seen, kind) for each job the stimulus concerns; the next state
    // seen for that job completes the triple.
    const int k = kind_index(model_.config().profile, kind_of(s));
    if (k < 0) return true;
    for (int j = 0; j < kMaxJobs; ++j) {
      pending_[j].reset();
      if (!before[j] || (!is_environment(s.op) && s.job != j)) continue;
      const std::size_t pair = static_cast<std::size_t>(*before[j]) * kinds_ + static_cast<std::size_t>(k);
      r_.coverage.pairs[pair] = true;
      pending_[j] = pair;
    }
    return true;
  }

  // Polls every live job until the states stay the same for `quiet`, or `settle_timeout` passes. A
  // recorded trace's polls are the ones it holds.
  bool settle() {
    if (RecordedAnswers* recorded = target_.recorded()) {
      while (const std::optional<Stimulus> poll = recorded->next_poll())
        if (!observe(*poll, true)) return false;
      return true;
    }
    const auto deadline = Clock::now() + options_.settle_timeout;
    auto changed_at = Clock::now();
    std::array<std::optional<JobState>, kMaxJobs> seen = last_;
    for (;;) {
      for (int j = 0; j < kMaxJobs; ++j)
        if (belief_.jobs[j].live && !observe(stim::call(Op::GetState, j), true)) return false;
      const auto now = Clock::now();
      if (last_ != seen) {
        seen = last_;
        changed_at = now;
      } else if (now - changed_at >= options_.quiet) {
        return true;
      }
      if (now >= deadline || interrupted()) return true;
      std::this_thread::sleep_for(options_.poll_interval);
    }
  }

  // Applies one stimulus (of the case, or a poll), lets the model catch up with the time that passed,
  // and judges the answer. False when the case ended (a violation, a crash or a hang).
  bool observe(const Stimulus& s, bool poll) {
    if (!poll) {  // a new segment: this stimulus and the polls that follow it
      segment_start_ = belief_;
      segment_.clear();
      segment_checked_.reset();
      segment_stimulus_ = s;
      segment_last_ = last_;
    }
    const auto called = Clock::now();
    Observation o = target_.apply(s);
    const auto returned = Clock::now();
    TracedStep& ts = r_.trace.emplace_back();
    ts.step = {s, o};
    ts.poll = poll;
    if (RecordedAnswers* recorded = target_.recorded()) {
      std::tie(ts.called_us, ts.returned_us) = recorded->last_call_us();
    } else {
      ts.called_us = microseconds_between(start_, called);
      ts.returned_us = microseconds_between(start_, returned);
    }
    if (o.outcome == Outcome::NotSupported) r_.coverage.unsupported_ops.set(static_cast<std::size_t>(s.op));
    if (detail::ended(o, r_, target_)) return false;
    // The observation holds at an instant inside the call (an Advance's wait: when it returns), the
    // previous one inside its own call: the time between them is within [this call's start - the
    // previous call's end, this call's end - the previous call's start], in whole seconds outward.
    const double earliest = static_cast<double>(s.op == Op::Advance ? ts.returned_us : ts.called_us) / 1e6;
    const double latest = static_cast<double>(ts.returned_us) / 1e6;
    ts.waited.lo = static_cast<std::int64_t>(std::floor(std::max(0.0, earliest - previous_latest_)));
    ts.waited.hi = std::max(ts.waited.lo, static_cast<std::int64_t>(std::ceil(latest - previous_earliest_)));
    previous_earliest_ = earliest;
    previous_latest_ = latest;
    if (ts.waited.hi > 0 && !judge({stim::advance_between(static_cast<std::uint32_t>(ts.waited.lo),
                                                          static_cast<std::uint32_t>(ts.waited.hi)),
                                    Observation{}}))
      return false;
    // The Advance itself was the time just given; an environment event the target cannot stage never
    // happened; everything else is judged as it is.
    const bool happened = s.op != Op::Advance && !(is_environment(s.op) && o.outcome == Outcome::NotSupported);
    if (happened && !judge(ts.step)) return false;
    if (s.op == Op::GetState || s.op == Op::CreateJob) {
      if (o.outcome == Outcome::Answered && hr::succeeded(o.hr)) {
        last_[s.job] = o.state;
        detail::observed_state(r_.coverage, o.state);
        if (pending_[s.job]) {
          r_.coverage.triples[*pending_[s.job] * kJobStateCount + static_cast<std::size_t>(o.state)] = true;
          pending_[s.job].reset();
        }
      }
    }
    if (s.op == Op::ReleaseJob) last_[s.job].reset();
    return true;
  }

  // The model, then the trace monitors, on one step (no sweep: polls are steps of their own).
  bool judge(const Step& step) {
    segment_.push_back(step);
    // Where a deviation seen here happened: the segment's stimulus, the states seen before it, and this
    // observation (a poll's answer is judged as part of the stimulus's segment, as a sweep is).
    const auto where = [&](int) { return detail::site_of(segment_stimulus_, step, segment_last_); };
    StepCheck c = model_.check(belief_, step);
    detail::tally(r_, c.checked);
    segment_checked_ |= c.checked;
    if (c.ok && sought_.any())
      detail::seek_discriminating_in_segment(r_, sought_, probes_, probes_per_case_, model_, segment_start_, segment_,
                                             segment_checked_);
    // A failure is attributed over the whole segment - the case's last stimulus, and the time and polls
    // since - as a virtual-clock sweep is: a Suspend that did nothing breaks ST-7, not "jobs move only
    // while time passes" at the poll that saw it. A deviation is gone past with its rule off for the
    // segment.
    if (!c.ok) {
      const auto recheck = [&](const RuleSet& rules) {
        Belief b = segment_start_;
        StepCheck again = model_.check_sequence(rules, b, segment_);
        if (again.ok) belief_ = std::move(b);
        again.failed_at = 0;  // a step of its own (the segment's index is not a sweep entry)
        return again;
      };
      if (!detail::go_past(r_, policy_, model_.config().rules, recheck(model_.config().rules), recheck, where))
        return false;
    }
    RuleBits monitor_checked;
    std::optional<detail::MonitorFailure> mf = monitors_.feed(step.stimulus, step.observation, monitor_checked);
    detail::tally(r_, monitor_checked);
    return !mf || detail::deviate(r_, policy_, mf->rule, true, 0, std::move(mf->allowed), where(0));
  }

  Target& target_;
  const JobModel& model_;
  const DeviationPolicy& policy_;
  const RealTimeOptions& options_;
  const std::size_t kinds_;  // stimulus kinds in the profile (Coverage::pairs is state * kinds_ + kind)
  detail::TraceMonitors monitors_;
  CaseResult r_;
  RuleBits sought_;  // rules still without a discriminating situation in this case (Runner::seeking)
  detail::ProbeCounts probes_{};
  std::uint8_t probes_per_case_;
  Belief belief_;
  Clock::time_point start_;
  double previous_earliest_ = 0, previous_latest_ = 0;  // when the previous observation may have held
  Belief segment_start_;                                // the belief before the case's last stimulus
  std::vector<Step> segment_;        // the steps judged since (time given to the model, the stimulus, polls)
  RuleBits segment_checked_;         // the rules they consulted
  Stimulus segment_stimulus_;        // the case's last stimulus (a deviation's DeviationSite::op)
  detail::LastSeen segment_last_{};  // the states last seen before it (DeviationSite::state)
  detail::LastSeen last_{};          // last state seen per job
  std::array<std::optional<std::size_t>, kMaxJobs> pending_{};  // a pair waiting for its next state
};

}  // namespace

CaseResult Runner::run_real_time(Target& target, const JobModel& model, const StimulusSource& next) const {
  return RealTimeCase(target, model, policy_, real_time_, sought_, probes_per_case_).run(next);
}

}  // namespace bgc
