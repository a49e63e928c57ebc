#include "bgconform/trace_monitors.h"

namespace bgc::detail {

TraceMonitors::TraceMonitors(const ModelConfig& config)
    : profile_(config.profile),
      e1_on_(config.rules.on(RuleId::E_1)),
      e5_on_(config.rules.on(RuleId::E_5) && !config.interpretations.is(InterpValue::I2_either)),
      snapshot_(config.interpretations.is(InterpValue::I2_snapshot)),
      unscripted_failures_(config.unscripted_transient_errors()) {
  behaviour_.fill(Behaviour::Ok);
  behaviour_[kLocalSource] = Behaviour::Present;
}

bool TraceMonitors::failing_environment() const {
  // I-17: time may bring a failure the harness did not script.
  if (!network_up_ || unscripted_failures_) return true;
  for (Behaviour b : behaviour_)
    // DelayedHeaders counts as failing: a service may time the headers out (its own choice).
    if (b != Behaviour::Ok && b != Behaviour::Slow && b != Behaviour::Present) return true;
  return false;
}

void TraceMonitors::observe_state(Job& job, JobState s) {
  job.last = s;
  if (is_error_state(s)) job.error_possible = true;
  if (s == JobState::Transferring) {
    job.error_possible = false;
    // I-2 until-transferring: from now on a held object may answer anything.
    if (!snapshot_)
      for (Held& h : job.held)
        if (!h.detached) h.tracked = false;
  }
}

// A job that only a client's call moves on: it cannot pass TRANSFERRING while time passes.
bool waits_for_a_call(const std::optional<JobState>& last) {
  return last && (*last == JobState::Error || *last == JobState::Suspended || *last == JobState::Transferred ||
                  is_final(*last));
}

std::optional<MonitorFailure> TraceMonitors::feed_other(const Stimulus& s, const Observation& o, RuleBits& checked) {
  if (o.outcome != Outcome::Answered) return std::nullopt;
  switch (s.op) {
    case Op::Source:
      if (s.index < kSourceCount) behaviour_[s.index] = s.behaviour;
      return std::nullopt;
    case Op::Network: network_up_ = s.index != 0; return std::nullopt;
    case Op::Advance: {
      const bool failing = failing_environment();
      for (Job& job : jobs_) {
        if (failing) job.error_possible = true;
        // A job that may move on its own may pass TRANSFERRING unseen inside one Advance.
        if (!waits_for_a_call(job.last) && !snapshot_)
          for (Held& h : job.held)
            if (!h.detached) h.tracked = false;
      }
      return std::nullopt;
    }
    default: break;
  }
  if (s.job >= kMaxJobs) return std::nullopt;
  Job& job = jobs_[s.job];
  const bool handle_ok = s.index < kMaxHandlesPerJob;
  switch (s.op) {
    case Op::ReleaseJob: {
      // The released job runs on unseen (I-2: its objects go stale) unless only a call could move it
      // on: then it never transfers again, and its objects keep their values (E-3).
      const bool detach = waits_for_a_call(job.last) || snapshot_;
      for (Held& h : job.held) {
        if (!h.tracked) continue;
        if (detach)
          h.detached = true;
        else
          h.tracked = false;
      }
      const std::array<Held, kMaxHandlesPerJob> held = job.held;
      job = Job{};
      job.held = held;
      return std::nullopt;
    }
    case Op::CreateJob:
      // A new job has had no error; objects held from the slot's released job stay as it left them.
      job.error_possible = false;
      job.last.reset();
      if (hr::succeeded(o.hr)) job.last = o.state;
      return std::nullopt;
    case Op::GetState:
      if (hr::succeeded(o.hr)) observe_state(job, o.state);
      return std::nullopt;
    case Op::Resume:
      job.last.reset();  // the job may move on from here: its state is known again at the next poll
      return std::nullopt;
    case Op::GetError: {
      if (handle_ok) job.held[s.index] = Held{};
      if (!e1_on_) return std::nullopt;
      checked.set(static_cast<std::size_t>(RuleId::E_1));
      if (hr::failed(o.hr) && o.handle)
        return MonitorFailure{RuleId::E_1, "no error object with the failure " + hresult_text(o.hr) +
                                               " (a failing GetError returns none; monitor)"};
      if (hr::succeeded(o.hr) && o.handle) {
        if (!job.error_possible)
          return MonitorFailure{RuleId::E_1,
                                hresult_text(codes_for(profile_).error_info_unavailable) +
                                    " and no error object: since the last TRANSFERRING no ERROR/TRANSIENT_ERROR was "
                                    "observed and no time passed under a failing source or network loss (monitor)"};
        if (handle_ok) job.held[s.index].tracked = true;
      }
      return std::nullopt;
    }
    case Op::ErrGetError: {
      if (!handle_ok || !e5_on_ || hr::failed(o.hr)) return std::nullopt;
      Held& h = job.held[s.index];
      if (!h.tracked) return std::nullopt;
      checked.set(static_cast<std::size_t>(RuleId::E_5));
      if (!h.known) {
        h.known = true;
        h.context = o.context;
        h.code = o.code;
        return std::nullopt;
      }
      if (h.context != o.context || h.code != o.code)
        return MonitorFailure{RuleId::E_5,
                              "the held object's first answer again: context=" + std::string(short_name(h.context)) +
                                  " code=" + hresult_text(h.code) + " (monitor, I-2)"};
      return std::nullopt;
    }
    case Op::ReleaseError:
      if (handle_ok) job.held[s.index] = Held{};
      return std::nullopt;
    default: return std::nullopt;
  }
}

}  // namespace bgc::detail
