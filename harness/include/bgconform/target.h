// A Target is the implementation under test, seen through the stimulus alphabet.
// Targets never judge: they apply a stimulus and say what came back (architecture.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bgconform/types.h"

namespace bgc {

struct Capabilities {
  bool deterministic = true;    // the same stimuli always give the same observations
  bool virtual_clock = true;    // Advance moves the target's clock exactly
  bool fault_injection = true;  // Source and Network events reach the target's transport
  // A real service behind a loopback origin server sees neither a network loss nor a refused
  // connection on one URL: the generator leaves out what the target cannot stage.
  bool network_events = true;
  bool refused_connections = true;
  std::vector<Profile> profiles;  // the profiles the target can run in
};

class Target {
 public:
  virtual ~Target() = default;
  virtual Capabilities capabilities() const = 0;
  // Starts a fresh service in the given profile for the next case.
  virtual void reset(Profile profile) = 0;
  // One call or one environment event.
  virtual Observation apply(const Stimulus& s) = 0;
  // A short name for reports, e.g. "reference" or "reference+fault:keep-error-after-transfer".
  virtual std::string name() const = 0;
};

}  // namespace bgc
