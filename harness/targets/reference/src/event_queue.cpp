#include "event_queue.h"

#include <algorithm>
#include <tuple>

namespace bgc::reference {
namespace {

// std::push_heap keeps the *largest* element on top, so "later" compares as "less".
bool runs_later(const Event& a, const Event& b) {
  return std::tie(a.due, a.kind, a.sequence) > std::tie(b.due, b.kind, b.sequence);
}

}  // namespace

void EventQueue::post(Seconds due, EventKind kind, JobId job, std::uint64_t generation) {
  heap_.push_back(Event{due, kind, job, generation, next_sequence_++});
  std::push_heap(heap_.begin(), heap_.end(), runs_later);
}

bool EventQueue::has_due(Seconds until) const { return !heap_.empty() && heap_.front().due <= until; }

Event EventQueue::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), runs_later);
  Event next = heap_.back();
  heap_.pop_back();
  return next;
}

}  // namespace bgc::reference
