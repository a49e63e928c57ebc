// The service's agenda: things that will happen at a known virtual time.
//
// Every asynchronous step of the service (a connection answers, a chunk arrives, a watchdog or a
// timer runs out, a time slice ends) is an Event. Events name their job by id and carry the
// generation of the JobTimer that posted them; a handler ignores an event whose timer has been
// re-armed or disarmed since, so nothing ever has to be removed from the middle of the heap.
#pragma once

#include <cstdint>
#include <vector>

#include "virtual_clock.h"

namespace bgc::reference {

using JobId = std::uint64_t;

// The order of the kinds is the order in which events due at the same second run: data that arrives
// in a second counts before a watchdog or timer looks at the job, a no-progress deadline is judged
// before a retry due at the same second gets a chance to hide it, and a time slice ends last so the
// chunk that completed in its final second is not thrown away.
enum class EventKind : std::uint8_t {
  ConnectDone,         // the answer to a connection request arrives
  ChunkDone,           // the answer to a chunk request arrives
  StallTimeout,        // the exchange in flight got no answer within the stall timeout
  NoProgressDeadline,  // the no-progress period of a job in TRANSIENT_ERROR ran out
  RetryDue,            // the minimum retry delay of a job in TRANSIENT_ERROR has passed
  SliceEnd,            // the running job's time slice is over
};

struct Event {
  Seconds due = 0;
  EventKind kind = EventKind::ConnectDone;
  JobId job = 0;
  std::uint64_t generation = 0;  // of the JobTimer that posted it
  std::uint64_t sequence = 0;    // posting order; breaks the remaining ties
};

class EventQueue {
 public:
  void post(Seconds due, EventKind kind, JobId job, std::uint64_t generation);
  // True when the earliest event is due at or before `until`.
  bool has_due(Seconds until) const;
  // Removes and returns the earliest event. Precondition: !empty().
  Event pop();
  bool empty() const { return heap_.empty(); }

 private:
  std::vector<Event> heap_;  // a binary heap ordered by (due, kind, sequence), earliest on top
  std::uint64_t next_sequence_ = 0;
};

}  // namespace bgc::reference
