// The agenda: what the service does while time passes. Jobs take turns on the transfer slot,
// connect, fetch chunks, fail, wait for retries and give up, one event at a time in time order.
#include "service.h"

namespace bgc::reference {

void Service::advance(Seconds seconds) {
  // Nothing moves unless time passes (contract: "Time and movement").
  if (seconds == 0) return;
  const Seconds until = now() + seconds;
  dispatch();
  while (events_.has_due(until)) {
    const Event event = events_.pop();
    clock_.move_to(event.due);
    handle(event);
    dispatch();
  }
  clock_.move_to(until);
}

void Service::react_now() {
  dispatch();
  while (events_.has_due(now())) {
    handle(events_.pop());
    dispatch();
  }
}

void Service::set_network(bool up) {
  // The service hears about changes only: "up" while up, or "down" while down, tells it nothing.
  if (up == transport_.network_up()) return;
  transport_.set_network(up);
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    Job& job = *jobs_[i];
    if (!up) {
      // Jobs that are waiting for or using the network lose it (ST-15, I-10).
      const JobState s = job.state();
      if (s == JobState::Queued || s == JobState::Connecting || s == JobState::Transferring) {
        fail(job, network_lost(policy_));
      }
    } else if (job.state() == JobState::TransientError) {
      // Reconnection re-queues every job in TRANSIENT_ERROR, whatever its error (ST-15).
      enter(job, JobState::Queued);
    }
  }
}

// Hands the free transfer slot to the next job in line (ST-9: one background job at a time).
void Service::dispatch() {
  if (!transport_.network_up()) {
    // No network, no turns: a job that joined the line meanwhile is parked like the others (ST-15).
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      if (jobs_[i]->state() == JobState::Queued) fail(*jobs_[i], network_lost(policy_));
    }
    return;
  }
  while (auto id = scheduler_.grant_next()) {
    if (Job* job = find(*id)) {
      start_turn(*job);
    } else {
      scheduler_.release(*id);  // cannot happen: final jobs leave the line when they leave QUEUED
    }
  }
}

void Service::start_turn(Job& job) {
  if (!job.has_untransferred_file()) {
    // Resumed with every file already here (e.g. suspended after it finished): nothing to fetch.
    scheduler_.release(job.id());
    enter(job, JobState::Transferred);
    return;
  }
  enter(job, policy_.shows_connecting ? JobState::Connecting : JobState::Transferring);
  arm_slice(job);
  start_connect(job);
}

void Service::arm_slice(Job& job) { events_.post(now() + kTimeSlice, EventKind::SliceEnd, job.id(), job.slice_.arm()); }

// Asks the source of the next file for it. The answer comes after the connection delay; a watchdog
// ends the wait if it never comes.
void Service::start_connect(Job& job) {
  const int source = job.files()[static_cast<std::size_t>(job.next_file_index())].source();
  const std::uint64_t generation = job.exchange_.arm();
  events_.post(now() + transport_.connect_seconds(source), EventKind::ConnectDone, job.id(), generation);
  events_.post(now() + kStallTimeout, EventKind::StallTimeout, job.id(), generation);
}

// Asks for the next chunk of the next file (one ranged request per chunk).
void Service::start_chunk(Job& job) {
  const int source = job.files()[static_cast<std::size_t>(job.next_file_index())].source();
  const std::uint64_t generation = job.exchange_.arm();
  job.chunk_asked_at_ = now();
  job.chunk_asked_while_serving_ = transport_.serves_data(source);
  events_.post(now() + transport_.chunk_seconds(source), EventKind::ChunkDone, job.id(), generation);
  events_.post(now() + kStallTimeout, EventKind::StallTimeout, job.id(), generation);
}

void Service::on_connect_answer(Job& job) {
  TransferFile& file = job.files_[static_cast<std::size_t>(job.next_file_index())];
  const Reply reply = transport_.answer(file.source());
  switch (reply.kind) {
    case ReplyKind::Data:
      file.learn_size();
      enter(job, JobState::Transferring);  // connected (ST-9); in DO the job already shows TRANSFERRING
      start_chunk(job);
      return;
    case ReplyKind::Silence: return;  // accepted but no headers: the stall watchdog will end the wait
    default:
      fail(job, failure_from_reply(reply, policy_));  // CONNECTING → TRANSIENT_ERROR or ERROR
      return;
  }
}

void Service::on_chunk_answer(Job& job) {
  TransferFile& file = job.files_[static_cast<std::size_t>(job.next_file_index())];
  const Reply reply = transport_.answer(file.source());
  switch (reply.kind) {
    case ReplyKind::Data:
      if (!job.chunk_asked_while_serving_) {
        // Asked while the source served nothing (refused, an error status, a stall) and answered
        // after it recovered: the data comes at the rate the source serves now, counted from the
        // request. Its failure's 1 s answer time is no data rate, and no chunk may come faster than
        // some behaviour in force since the request serves it (ST-10).
        const Seconds due = job.chunk_asked_at_ + transport_.chunk_seconds(file.source());
        if (due > now()) {
          events_.post(due, EventKind::ChunkDone, job.id(), job.exchange_.generation());
          return;
        }
      }
      file.receive_chunk();
      stop_no_progress_timer(job);  // progress resets the no-progress timer (ST-12)
      if (!job.has_untransferred_file()) {
        enter(job, JobState::Transferred);  // ST-10
        return;
      }
      start_chunk(job);  // the rest of this file, or the next file, over the same turn
      return;
    case ReplyKind::Silence: return;  // the stall watchdog will end the wait
    default: fail(job, failure_from_reply(reply, policy_)); return;
  }
}

void Service::handle(const Event& event) {
  Job* job = find(event.job);
  if (job == nullptr) return;  // the job reached a final state and left the service
  switch (event.kind) {
    case EventKind::ConnectDone:
      if (job->exchange_.fires(event.generation)) on_connect_answer(*job);
      return;
    case EventKind::ChunkDone:
      if (job->exchange_.fires(event.generation)) on_chunk_answer(*job);
      return;
    case EventKind::StallTimeout:
      if (job->exchange_.fires(event.generation)) fail(*job, stalled_exchange(policy_));
      return;
    case EventKind::NoProgressDeadline:
      if (!job->no_progress_.fires(event.generation)) return;
      job->no_progress_.disarm();
      // A job still waiting to retry gives up now (ST-12) and keeps its last error as the reason.
      // A job that is retrying at this moment is judged at its next failure instead.
      if (job->state() == JobState::TransientError) enter(*job, JobState::Error);
      return;
    case EventKind::RetryDue:
      if (!job->retry_.fires(event.generation)) return;
      job->retry_.disarm();
      // No retries without a network: reconnection will bring the job back (ST-15).
      if (job->state() == JobState::TransientError && transport_.network_up()) enter(*job, JobState::Queued);
      return;
    case EventKind::SliceEnd:
      if (!job->slice_.fires(event.generation)) return;
      if (scheduler_.anyone_waiting()) {
        enter(*job, JobState::Queued);  // yield the slot and go to the back of the line (ST-9)
      } else {
        arm_slice(*job);  // nobody waits: another slice
      }
      return;
  }
}

Job* Service::find(JobId id) {
  for (const std::shared_ptr<Job>& job : jobs_) {
    if (job->id() == id) return job.get();
  }
  return nullptr;
}

}  // namespace bgc::reference
