// The reference job service as a Target: a BITS-like (or DO-like) service on a virtual clock with a
// simulated transport, written independently of the model (architecture.md, "Against tautology").
//
// It is deterministic, its clock moves only on Advance, and Source/Network events reach its
// transport. Its own choices where the spec is silent (connection delays, time slice, stall timeout,
// failure codes) are documented in harness/targets/reference/src.
#pragma once

#include <memory>
#include <string>

#include "bgconform/target.h"

namespace bgc {

class ReferenceTarget : public Target {
 public:
  explicit ReferenceTarget(Profile profile = Profile::Bits);
  ~ReferenceTarget() override;
  ReferenceTarget(const ReferenceTarget&) = delete;
  ReferenceTarget& operator=(const ReferenceTarget&) = delete;

  Capabilities capabilities() const override;
  // A fresh service in `profile`: no jobs, every source answering, the network up, the clock at 0.
  void reset(Profile profile) override;
  Observation apply(const Stimulus& s) override;
  std::string name() const override { return "reference"; }

 private:
  struct Session;  // the service and the client's job and error-object references
  std::unique_ptr<Session> session_;
};

}  // namespace bgc
