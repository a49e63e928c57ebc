// The client calls of the service: each checks what the state allows and has only its immediate,
// documented effect. Anything that takes time is left to the agenda (service_engine.cpp).
#include <algorithm>

#include "service.h"

namespace bgc::reference {

std::shared_ptr<Job> Service::create_job() {
  auto job = std::make_shared<Job>(next_id_++, policy_);
  jobs_.push_back(job);
  return job;  // SUSPENDED until the client resumes it (ST-1)
}

HRESULT Service::add_file(Job& job, int source) {
  // Files may be added at any time before Complete or Cancel (W-AF; A-7, M-34 for the final states).
  if (is_final(job.state())) return policy_.codes.invalid_state;
  // The state does not change: a running job picks the file up after the ones before it, a
  // TRANSFERRED or ERROR job waits for Resume (ST-24).
  job.add_file(source);
  return hr::kS_OK;
}

HRESULT Service::resume(Job& job) {
  if (is_final(job.state())) return policy_.codes.invalid_state;  // ST-6
  if (!job.has_files()) return policy_.codes.empty;               // ST-3: stays where it is
  switch (job.state()) {
    case JobState::Queued:
    case JobState::Connecting:
    case JobState::Transferring: return hr::kS_OK;  // already on its way (ST-5)
    case JobState::Transferred:
      // Nothing left to fetch: the job is done and stays TRANSFERRED (I-6). A file added since
      // sends it back to the line (ST-24).
      if (!job.has_untransferred_file()) return hr::kS_OK;
      enter(job, JobState::Queued);
      return hr::kS_OK;
    default:
      // SUSPENDED, ERROR, TRANSIENT_ERROR: back in line now, ahead of any retry delay (ST-2, ST-4).
      // The error record stays until the job transfers again (I-1).
      enter(job, JobState::Queued);
      return hr::kS_OK;
  }
}

HRESULT Service::suspend(Job& job) {
  if (is_final(job.state())) return policy_.codes.invalid_state;
  enter(job, JobState::Suspended);  // a request in flight is dropped; received chunks are kept (ST-7)
  return hr::kS_OK;
}

HRESULT Service::cancel(Job& job) {
  if (is_final(job.state())) return policy_.codes.invalid_state;
  enter(job, JobState::Cancelled);  // ST-22
  forget(job);
  return hr::kS_OK;
}

HRESULT Service::complete(Job& job) {
  if (is_final(job.state())) return policy_.codes.invalid_state;
  // Only whole files are kept (ST-19). When some but not all of them are, BITS says so with
  // BG_S_PARTIAL_COMPLETE (M-7); with none there is nothing partial to report.
  const std::uint32_t kept = job.files_transferred();
  const bool partial = kept > 0 && kept < job.files().size();
  enter(job, JobState::Acknowledged);
  forget(job);
  return partial && policy_.partial_complete_code ? hr::kBG_S_PARTIAL_COMPLETE : hr::kS_OK;
}

HRESULT Service::set_minimum_retry_delay(Job& job, std::uint32_t seconds) {
  if (is_final(job.state())) return policy_.codes.invalid_state;
  job.retry_delay_ = std::max(seconds, kMinRetryDelay);  // M-25: at least 5 s
  // A retry already planned is re-planned from when the job failed, so it never comes earlier than
  // the delay now in force.
  if (job.state() == JobState::TransientError && job.retry_.armed()) arm_retry(job);
  return hr::kS_OK;
}

HRESULT Service::set_no_progress_timeout(Job& job, std::uint32_t seconds) {
  if (is_final(job.state())) return policy_.codes.invalid_state;
  job.no_progress_timeout_ = seconds;  // any value; 0 means no retries (ST-13)
  // A running no-progress period is measured against the new timeout from now on; if that has already
  // run out, the job gives up as soon as time moves.
  if (job.no_progress_since_) arm_no_progress_deadline(job);
  return hr::kS_OK;
}

}  // namespace bgc::reference
