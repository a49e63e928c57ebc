// One transfer job: its files, its state, its current error record, its settings and timers.
//
// A Job is data with a few questions it can answer about itself. It never changes its own state:
// the Service does that (Service::enter), because every state change also touches the scheduler and
// the timers, and keeping all of that in one place keeps it consistent. Jobs are shared_ptr-owned:
// the service holds the jobs it still runs, and a client holds the jobs it has not released, so a
// released job keeps running and a cancelled job stays answerable to the client that holds it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "bgconform/constants.h"
#include "error_object.h"
#include "event_queue.h"
#include "job_timer.h"
#include "profile_policy.h"
#include "transfer_file.h"
#include "virtual_clock.h"

namespace bgc::reference {

struct JobProgress {
  std::uint32_t files_total = 0;
  std::uint32_t files_transferred = 0;
  std::uint64_t bytes_total = 0;  // kSizeUnknown while the size of some file is not known yet
  std::uint64_t bytes_transferred = 0;
};

class Job {
 public:
  Job(JobId id, const ProfilePolicy& policy)
      : id_(id), retry_delay_(policy.default_retry_delay), no_progress_timeout_(policy.default_no_progress_timeout) {}

  JobId id() const { return id_; }
  JobState state() const { return state_; }

  void add_file(int source) { files_.emplace_back(source); }
  const std::vector<TransferFile>& files() const { return files_; }
  bool has_files() const { return !files_.empty(); }
  // Files go strictly in the order they were added (ST-9): the next one is the first not done.
  int next_file_index() const;
  bool has_untransferred_file() const { return next_file_index() >= 0; }
  std::uint32_t files_transferred() const;
  JobProgress progress() const;

  // The error record GetError hands out; null when there is none.
  const ErrorRef& error() const { return error_; }

  std::uint32_t retry_delay() const { return retry_delay_; }
  std::uint32_t no_progress_timeout() const { return no_progress_timeout_; }
  std::uint32_t error_count() const { return error_count_; }

  // The no-progress period has run out (ST-12): a timer is running and `now` is at or past its end.
  // A zero timeout has always run out the moment it starts (ST-13).
  bool out_of_progress_time(Seconds now) const {
    return no_progress_since_ && now >= *no_progress_since_ + no_progress_timeout_;
  }

 private:
  friend class Service;

  JobId id_;
  JobState state_ = JobState::Suspended;  // a new job waits for Resume (ST-1)
  std::vector<TransferFile> files_;
  ErrorRef error_;
  std::uint32_t retry_delay_;
  std::uint32_t no_progress_timeout_;
  std::uint32_t error_count_ = 0;

  JobTimer exchange_;  // the request in flight (connect or chunk) and its stall watchdog
  // When the chunk request in flight was made, and whether its source was serving data then.
  Seconds chunk_asked_at_ = 0;
  bool chunk_asked_while_serving_ = true;
  JobTimer slice_;        // end of the current time slice while holding the transfer slot
  JobTimer retry_;        // automatic retry of a TRANSIENT_ERROR job
  JobTimer no_progress_;  // the no-progress deadline event
  // When the current no-progress period began: the first transient error since the last progress.
  std::optional<Seconds> no_progress_since_;
  Seconds transient_since_ = 0;  // when the job last entered TRANSIENT_ERROR (for the retry delay)
};

}  // namespace bgc::reference
