// One pending timer of a job (its exchange in flight, its time slice, its retry, its no-progress
// deadline).
//
// Arming hands out a new generation, which the service puts into the event it posts. Re-arming or
// disarming bumps the generation, so an event posted for an earlier arming is recognised as stale
// when it comes due and is dropped — cancelling a timer never has to search the event heap.
#pragma once

#include <cstdint>

namespace bgc::reference {

class JobTimer {
 public:
  // Starts (or restarts) the timer; returns the generation to put into the event.
  std::uint64_t arm() {
    armed_ = true;
    return ++generation_;
  }
  void disarm() {
    armed_ = false;
    ++generation_;
  }
  bool armed() const { return armed_; }
  std::uint64_t generation() const { return generation_; }
  // True when an event carrying `generation` is the live one for this timer.
  bool fires(std::uint64_t generation) const { return armed_ && generation == generation_; }

 private:
  std::uint64_t generation_ = 0;
  bool armed_ = false;
};

}  // namespace bgc::reference
