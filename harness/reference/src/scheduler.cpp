#include "scheduler.h"

#include <algorithm>

namespace bgc::reference {

void Scheduler::enqueue(JobId job) {
  if (std::find(waiting_.begin(), waiting_.end(), job) == waiting_.end()) waiting_.push_back(job);
}

void Scheduler::withdraw(JobId job) { waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), job), waiting_.end()); }

std::optional<JobId> Scheduler::grant_next() {
  if (running_ || waiting_.empty()) return std::nullopt;
  running_ = waiting_.front();
  waiting_.pop_front();
  return running_;
}

void Scheduler::release(JobId job) {
  if (running_ == job) running_.reset();
}

}  // namespace bgc::reference
