// --record: the calls the agent answers, written as a bgconform trace (README, "Traces") while they are
// answered, so a session against Microsoft's BITS or DO - driven by the harness or by hand - can be
// checked later with `bgconform check`. The same lines as `bgconform run --record` writes for a real-time
// target, without the harness's own events (it stages sources, network and waits itself) and without
// telling polls from stimuli (every GetState is a call of the case).
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>

#include "bgconform/types.h"

namespace bgc::agent {

class TraceRecorder {
 public:
  // Opens FILE and writes the header; false (with `error`) when it cannot.
  bool open(const std::string& file, Profile profile, const std::string& implementation, std::string& error);
  bool active() const { return out_.is_open(); }
  // A reset: a new case from now on.
  void new_case();
  // One call answered: made at `called`, returned at `returned`.
  void call(const Stimulus& s, const Observation& o, std::chrono::steady_clock::time_point called,
            std::chrono::steady_clock::time_point returned);

 private:
  std::ofstream out_;
  std::uint64_t cases_ = 0;
  bool in_case_ = false;
  std::chrono::steady_clock::time_point case_start_;
};

}  // namespace bgc::agent
