// The Runner's loop for a target that moves on its own in real time (a real service behind the COM
// agent): asynchronous trace checking (runner.h, RealTimeOptions).
//
// Time is measured, not commanded. Every call is timed; the observation it returns was true at some
// instant inside the call. Between two such instants the service may have moved any number of times,
// so before judging an observation the model advances by every whole number of seconds that may have
// passed since the previous one (an `Advance lo..hi` step of its own in the model, recorded in the
// trace as TracedStep::waited). Counting from the start of the case keeps the error small: the model
// has been given [floor(earliest), ceil(latest)] seconds in total, never a second per call.
// An Advance stimulus of the case makes the target wait (ComTarget sleeps); the model then gets the
// time measured around that wait, not the nominal duration.
#include <cmath>
#include <thread>

#include "runner_internal.h"
#include "trace_monitors.h"

namespace bgc {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

class RealTimeCase {
 public:
  RealTimeCase(Target& target, const JobModel& model, const RealTimeOptions& options)
      : target_(target), model_(model), options_(options), kinds_(all_kinds(model.config().profile)),
        monitors_(model.config()) {
    r_.coverage.init(model.config().profile);
  }

  CaseResult run(const StimulusSource& next) {
    target_.reset(model_.config().profile);
    belief_ = model_.initial();
    start_ = Clock::now();
    int skipped = 0;
    while (auto s = next(belief_)) {
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
    const int k = detail::kind_index(kinds_, s);
    if (k < 0) return true;
    for (int j = 0; j < kMaxJobs; ++j) {
      pending_[j].reset();
      if (!before[j] || (!is_environment(s.op) && s.job != j)) continue;
      const std::size_t pair = static_cast<std::size_t>(*before[j]) * kinds_.size() + static_cast<std::size_t>(k);
      r_.coverage.pairs[pair] = true;
      pending_[j] = pair;
    }
    return true;
  }

  // Polls every live job until the states stay the same for `quiet`, or `settle_timeout` passes.
  bool settle() {
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
      if (now >= deadline) return true;
      std::this_thread::sleep_for(options_.poll_interval);
    }
  }

  // Applies one stimulus (of the case, or a poll), lets the model catch up with the time that passed,
  // and judges the answer. False when the case ended (a violation, a crash or a hang).
  bool observe(const Stimulus& s, bool poll) {
    const auto called = Clock::now();
    Observation o = target_.apply(s);
    const auto returned = Clock::now();
    TracedStep& ts = r_.trace.emplace_back();
    ts.step = {s, o};
    ts.poll = poll;
    if (o.outcome == Outcome::NotSupported) r_.coverage.unsupported_ops.set(static_cast<std::size_t>(s.op));
    if (detail::ended(o, r_)) return false;
    // The observation holds at an instant inside the call; an Advance's wait ends when it returns.
    const double earliest = seconds_between(start_, s.op == Op::Advance ? returned : called);
    const double latest = seconds_between(start_, returned);
    const auto lo = static_cast<std::int64_t>(std::floor(earliest));
    const auto hi = static_cast<std::int64_t>(std::ceil(latest));
    ts.waited.lo = std::max<std::int64_t>(0, lo - given_.lo);
    ts.waited.hi = std::max(ts.waited.lo, hi - given_.hi);
    given_.lo += ts.waited.lo;
    given_.hi += ts.waited.hi;
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
    StepCheck c = model_.check(belief_, step);
    detail::tally(r_, c.checked);
    if (!c.ok) {
      detail::violation(r_, c.rule, false, 0, std::move(c.allowed));
      return false;
    }
    RuleBits monitor_checked;
    std::optional<detail::MonitorFailure> mf = monitors_.feed(step.stimulus, step.observation, monitor_checked);
    detail::tally(r_, monitor_checked);
    if (mf) {
      detail::violation(r_, mf->rule, true, 0, std::move(mf->allowed));
      return false;
    }
    return true;
  }

  Target& target_;
  const JobModel& model_;
  const RealTimeOptions& options_;
  const std::vector<StimulusKind> kinds_;
  detail::TraceMonitors monitors_;
  CaseResult r_;
  Belief belief_;
  Clock::time_point start_;
  Span given_;  // the seconds the model has been given since the start of the case, as [lo, hi]
  std::array<std::optional<JobState>, kMaxJobs> last_{};  // last state seen per job
  std::array<std::optional<std::size_t>, kMaxJobs> pending_{};  // a pair waiting for its next state
};

}  // namespace

CaseResult Runner::run_real_time(Target& target, const JobModel& model, const StimulusSource& next) const {
  return RealTimeCase(target, model, real_time_).run(next);
}

}  // namespace bgc
