// The service's clock: whole seconds since the service started.
//
// Time never passes on its own. Only the event loop moves it (Service::advance), which is what makes
// the reference deterministic and lets a test jump over a 14-day timeout in one step.
#pragma once

#include <cstdint>

namespace bgc::reference {

using Seconds = std::uint64_t;

class VirtualClock {
 public:
  Seconds now() const { return now_; }
  // Moves the clock forward to t; a clock never runs backwards, so an earlier t is ignored.
  void move_to(Seconds t) {
    if (t > now_) now_ = t;
  }

 private:
  Seconds now_ = 0;
};

}  // namespace bgc::reference
