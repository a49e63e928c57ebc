// State changes and failures. enter() is the only place a job's state is written; it keeps the
// scheduler's line and slot, the job's timers and its error record consistent with the new state.
#include <algorithm>

#include "service.h"

namespace bgc::reference {
namespace {

bool holds_slot(JobState s) { return s == JobState::Connecting || s == JobState::Transferring; }

}  // namespace

void Service::enter(Job& job, JobState next) {
  const JobState prev = job.state_;
  if (prev == next) return;

  // Leaving the old state.
  if (prev == JobState::Queued) scheduler_.withdraw(job.id());
  if (holds_slot(prev) && !holds_slot(next)) {
    scheduler_.release(job.id());
    job.exchange_.disarm();  // a request in flight is abandoned; its answer will be ignored
    job.slice_.disarm();
  }
  if (prev == JobState::TransientError) job.retry_.disarm();

  job.state_ = next;

  // Entering the new one.
  switch (next) {
    case JobState::Queued:
      scheduler_.enqueue(job.id());  // the back of the line (FIFO)
      break;
    case JobState::Transferring:
      // The error object is available until the service begins transferring the job's data (E-2,
      // E-3). Clients that hold it keep their snapshot.
      job.error_.reset();
      break;
    case JobState::Error:
      // The run of failures has ended in a verdict; if the client fixes things and resumes, a new
      // no-progress period starts with the next transient error.
      stop_no_progress_timer(job);
      break;
    case JobState::Transferred:
    case JobState::Acknowledged:
    case JobState::Cancelled:
      job.error_.reset();
      stop_no_progress_timer(job);
      break;
    default: break;
  }
}

void Service::fail(Job& job, const Failure& failure) {
  if (failure.counted) ++job.error_count_;  // E-9: every failed attempt, not a network loss

  ErrorObject record;
  record.context = failure.context;
  record.code = failure.code;
  const int file = failure.involves_file ? job.next_file_index() : -1;
  if (file >= 0) {
    record.file = file;
    record.protocol = job.files()[static_cast<std::size_t>(file)].protocol();
  }
  job.error_ = std::make_shared<const ErrorObject>(record);

  // The no-progress period starts with the first transient error after the last progress (ST-12).
  if (!job.no_progress_since_) {
    job.no_progress_since_ = now();
    arm_no_progress_deadline(job);
  }

  // Give up instead of retrying when the failure is fatal (ST-11), when the no-progress period has
  // already run out — always so for a timeout of 0 (ST-13) — or when the retry delay is longer than
  // the no-progress timeout, so no retry could come in time (ST-14).
  const bool retry_too_late = policy_.give_up_when_retry_exceeds_timeout && job.retry_delay_ > job.no_progress_timeout_;
  if (failure.fatal || job.out_of_progress_time(now()) || retry_too_late) {
    enter(job, JobState::Error);
    return;
  }
  enter(job, JobState::TransientError);
  job.transient_since_ = now();
  // A network loss is not retried on a timer: reconnection brings the job back (ST-15).
  if (!failure.awaits_network) arm_retry(job);
}

void Service::stop_no_progress_timer(Job& job) {
  job.no_progress_since_.reset();
  job.no_progress_.disarm();
}

void Service::arm_retry(Job& job) {
  const Seconds due = std::max(now(), job.transient_since_ + job.retry_delay_);
  events_.post(due, EventKind::RetryDue, job.id(), job.retry_.arm());
}

void Service::arm_no_progress_deadline(Job& job) {
  const Seconds due = std::max(now(), *job.no_progress_since_ + job.no_progress_timeout_);
  events_.post(due, EventKind::NoProgressDeadline, job.id(), job.no_progress_.arm());
}

void Service::forget(const Job& job) {
  jobs_.erase(
      std::remove_if(jobs_.begin(), jobs_.end(), [&](const std::shared_ptr<Job>& j) { return j.get() == &job; }),
      jobs_.end());
}

}  // namespace bgc::reference
