#include "bgconform/fault_target.h"

#include <array>

namespace bgc {
namespace {

constexpr std::array<FaultInfo, 10> kFaults = {{
    {Fault::KeepErrorAfterTransfer, "keep-error-after-transfer", "E-2",
     "GetError keeps returning an error object after the job transferred again"},
    {Fault::ErrorObjectWithoutError, "error-object-without-error", "E-1",
     "GetError returns an error object for a job that never failed"},
    {Fault::ResumeEmptySucceeds, "resume-empty-succeeds", "ST-3", "Resume on a job without files returns S_OK"},
    {Fault::SuspendIgnored, "suspend-ignored", "ST-7", "Suspend returns S_OK and does nothing"},
    {Fault::CancelFromFinalSucceeds, "cancel-from-final-succeeds", "M-6",
     "Cancel on a CANCELLED or ACKNOWLEDGED job returns S_OK"},
    {Fault::RetryDelayNotClamped, "retry-delay-not-clamped", "M-25",
     "GetMinimumRetryDelay returns a value under 5 s as it was set"},
    {Fault::NoProgressNeverFires, "no-progress-never-fires", "ST-12",
     "a non-zero no-progress timeout never moves a TRANSIENT_ERROR job to ERROR"},
    {Fault::ErrorCountResetOnResume, "error-count-reset-on-resume", "E-9",
     "GetErrorCount counts only the errors since the last Resume (shows after 6+ steps)"},
    {Fault::HeldErrorFollowsJob, "held-error-follows-job", "E-5",
     "a held error object reads the job's record, which Resume clears: it answers NONE/S_OK after Resume"},
    {Fault::ReconnectRequeuesError, "reconnect-requeues-error", "ST-15",
     "when the network returns, every job in ERROR is re-queued with the TRANSIENT_ERROR ones (blamed on ST-15, "
     "the rule of reconnection, not on ST-9's scheduling)"},
}};

bool is_unavailable(HRESULT h) {
  return h == hr::kBG_E_ERROR_INFORMATION_UNAVAILABLE || h == hr::kDO_E_ERROR_INFORMATION_UNAVAILABLE;
}

}  // namespace

std::span<const FaultInfo> fault_catalogue() { return kFaults; }

const FaultInfo* find_fault(std::string_view name) {
  for (const FaultInfo& f : kFaults)
    if (f.name == name) return &f;
  return nullptr;
}

FaultTarget::FaultTarget(Fault fault, Profile profile) : fault_(fault), inner_(profile) {}

void FaultTarget::reset(Profile profile) {
  inner_.reset(profile);
  slots_ = {};
}

std::string FaultTarget::name() const {
  for (const FaultInfo& f : kFaults)
    if (f.fault == fault_) return "reference+fault:" + std::string(f.name);
  return "reference+fault:?";
}

Observation FaultTarget::apply(const Stimulus& s) {
  Slot* slot = s.job < kMaxJobs && !is_environment(s.op) ? &slots_[s.job] : nullptr;
  if (slot && s.op == Op::CreateJob) *slot = Slot{};
  switch (fault_) {
    case Fault::KeepErrorAfterTransfer:
    case Fault::ErrorObjectWithoutError:
      if (slot && s.op == Op::GetError && s.index < kMaxHandlesPerJob) {
        Observation o = inner_.apply(s);
        slot->phantom[s.index] = false;
        if (hr::succeeded(o.hr) && o.handle) {
          slot->had_error = true;
          // The service caches the last error's answers (this is where the first fault keeps them).
          slot->last_error = inner_.apply(stim::with_handle(Op::ErrGetError, s.job, s.index));
          slot->last_file = inner_.apply(stim::with_handle(Op::ErrGetFile, s.job, s.index));
          slot->last_protocol = inner_.apply(stim::with_handle(Op::ErrGetProtocol, s.job, s.index));
        }
        // The first keeps an object once there was one; the second invents one where there never was.
        const bool lie = fault_ == Fault::KeepErrorAfterTransfer ? slot->had_error : !slot->had_error;
        if (is_unavailable(o.hr) && lie) {
          o.hr = hr::kS_OK;
          o.handle = true;
          slot->phantom[s.index] = fault_ == Fault::KeepErrorAfterTransfer;
        }
        return o;
      }
      if (slot && s.index < kMaxHandlesPerJob && slot->phantom[s.index]) {
        // Calls on the kept object answer from the cache.
        switch (s.op) {
          case Op::ErrGetError: return slot->last_error;
          case Op::ErrGetFile: return slot->last_file;
          case Op::ErrGetProtocol: return slot->last_protocol;
          case Op::ErrGetErrorDescription:
          case Op::ErrGetErrorContextDescription: return Observation{};
          case Op::ReleaseError: slot->phantom[s.index] = false; break;
          default: break;
        }
      }
      break;
    case Fault::ReconnectRequeuesError:
      if (s.op == Op::Network && s.index != 0) {
        const Observation o = inner_.apply(s);
        for (int j = 0; j < kMaxJobs; ++j) {
          const Observation state = inner_.apply(stim::call(Op::GetState, j));
          if (state.outcome == Outcome::Answered && state.hr == hr::kS_OK && state.state == JobState::Error)
            inner_.apply(stim::call(Op::Resume, j));
        }
        return o;
      }
      break;
    case Fault::ResumeEmptySucceeds:
      if (s.op == Op::Resume) {
        Observation o = inner_.apply(s);
        if (o.hr == hr::kBG_E_EMPTY || o.hr == hr::kDO_E_JOB_EMPTY) o.hr = hr::kS_OK;
        return o;
      }
      break;
    case Fault::SuspendIgnored:
      if (s.op == Op::Suspend) {
        Observation probe = inner_.apply(stim::call(Op::GetState, s.job));
        if (hr::succeeded(probe.hr) && !is_final(probe.state)) return Observation{};
      }
      break;
    case Fault::CancelFromFinalSucceeds:
      if (s.op == Op::Cancel) {
        Observation o = inner_.apply(s);
        if (o.hr == hr::kBG_E_INVALID_STATE || o.hr == hr::kDO_E_INVALID_STATE) o.hr = hr::kS_OK;
        return o;
      }
      break;
    case Fault::RetryDelayNotClamped:
      if (slot && s.op == Op::SetMinimumRetryDelay) {
        Observation o = inner_.apply(s);
        if (hr::succeeded(o.hr)) slot->retry_delay = s.seconds < kMinRetryDelay ? s.seconds : 0;
        return o;
      }
      if (slot && s.op == Op::GetMinimumRetryDelay) {
        Observation o = inner_.apply(s);
        if (hr::succeeded(o.hr) && o.value == kMinRetryDelay && slot->retry_delay != 0) o.value = slot->retry_delay;
        return o;
      }
      break;
    case Fault::NoProgressNeverFires:
      // The service stores a non-zero timeout but arms its timer with 2^32-1 s, so it never fires.
      // Timeouts below the retry delay are left alone (ST-14 sends those errors to ERROR at once).
      if (slot && s.op == Op::SetMinimumRetryDelay) {
        Observation o = inner_.apply(s);
        if (hr::succeeded(o.hr)) slot->retry_delay = s.seconds < kMinRetryDelay ? kMinRetryDelay : s.seconds;
        if (slot->timeout != 0)  // the timer is re-armed with the value the client set
          inner_.apply(stim::set_seconds(Op::SetNoProgressTimeout, s.job,
                                         slot->timeout >= slot->retry_delay ? 0xFFFFFFFFu : slot->timeout));
        return o;
      }
      if (slot && s.op == Op::SetNoProgressTimeout) {
        const std::uint32_t delay = slot->retry_delay ? slot->retry_delay : kDefaultRetryDelay;
        Stimulus armed = s;
        if (s.seconds != 0 && s.seconds >= delay) armed.seconds = 0xFFFFFFFFu;
        Observation o = inner_.apply(armed);
        if (hr::succeeded(o.hr)) slot->timeout = s.seconds;
        return o;
      }
      if (slot && s.op == Op::GetNoProgressTimeout && slot->timeout != 0) {
        Observation o = inner_.apply(s);
        if (hr::succeeded(o.hr)) o.value = slot->timeout;
        return o;
      }
      break;
    case Fault::ErrorCountResetOnResume:
      if (slot && s.op == Op::Resume) {
        Observation count = inner_.apply(stim::call(Op::GetErrorCount, s.job));
        Observation o = inner_.apply(s);
        if (hr::succeeded(o.hr) && hr::succeeded(count.hr)) slot->errors_base = count.value;
        return o;
      }
      if (slot && s.op == Op::GetErrorCount) {
        Observation o = inner_.apply(s);
        if (hr::succeeded(o.hr)) o.value = o.value >= slot->errors_base ? o.value - slot->errors_base : 0;
        return o;
      }
      break;
    case Fault::HeldErrorFollowsJob:
      // The service resets the job's one error record on Resume, and held objects read that record.
      if (slot && s.op == Op::Resume) {
        Observation o = inner_.apply(s);
        if (hr::succeeded(o.hr)) slot->cleared.fill(true);
        return o;
      }
      if (slot && s.op == Op::GetError && s.index < kMaxHandlesPerJob) slot->cleared[s.index] = false;
      if (slot && s.op == Op::ErrGetError && s.index < kMaxHandlesPerJob && slot->cleared[s.index]) {
        Observation o = inner_.apply(s);
        if (hr::succeeded(o.hr)) {
          o.context = ErrorContext::None;
          o.code = hr::kS_OK;
        }
        return o;
      }
      break;
  }
  return inner_.apply(s);
}

}  // namespace bgc
