// Who may use the network next (spec ST-9, contract I-12).
//
// Background jobs take turns: there is a single transfer slot, held by the job that is CONNECTING or
// TRANSFERRING, and a first-in first-out line of QUEUED jobs waiting for it. The scheduler only keeps
// the line and the slot; the service decides when a job joins, leaves or gets the slot. More slots
// than one break ST-9: only the mutant catalogue asks for them (background-jobs-in-parallel).
#pragma once

#include <deque>
#include <optional>
#include <vector>

#include "event_queue.h"

namespace bgc::reference {

class Scheduler {
 public:
  explicit Scheduler(std::size_t slots = 1) : slots_(slots) {}

  // A job entered QUEUED: it goes to the back of the line.
  void enqueue(JobId job);
  // A job left QUEUED without getting the slot (suspended, cancelled, parked by a network loss).
  void withdraw(JobId job);
  // Gives the free slot to the job at the front of the line. Empty when the slot is taken or nobody
  // waits.
  std::optional<JobId> grant_next();
  // The job holding the slot stopped (transferred, failed, suspended, yielded its slice).
  void release(JobId job);

  bool slot_free() const { return running_.size() < slots_; }
  bool anyone_waiting() const { return !waiting_.empty(); }

 private:
  std::size_t slots_;
  std::deque<JobId> waiting_;
  std::vector<JobId> running_;  // the jobs holding a slot
};

}  // namespace bgc::reference
