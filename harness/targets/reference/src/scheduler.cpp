#include "scheduler.h"

#include <algorithm>

namespace bgc::reference {

void Scheduler::enqueue(JobId job) {
  if (std::find(waiting_.begin(), waiting_.end(), job) == waiting_.end()) waiting_.push_back(job);
}

void Scheduler::withdraw(JobId job) {
  waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), job), waiting_.end());
}

std::optional<JobId> Scheduler::grant_next() {
  if (!slot_free() || waiting_.empty()) return std::nullopt;
  const JobId next = waiting_.front();
  waiting_.pop_front();
  running_.push_back(next);
  return next;
}

void Scheduler::release(JobId job) {
  running_.erase(std::remove(running_.begin(), running_.end(), job), running_.end());
}

}  // namespace bgc::reference
