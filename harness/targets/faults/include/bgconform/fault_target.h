// Fault wrappers: the reference service with one small, plausible non-conformance each, so the suite
// proves it can fail (model-contract.md, "Against tautology"). Each names the rule it should break.
// Like the reference they know nothing of the model: they only change calls and answers.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bgconform/reference_target.h"

namespace bgc {

enum class Fault : std::uint8_t {
  KeepErrorAfterTransfer,
  ErrorObjectWithoutError,
  ResumeEmptySucceeds,
  SuspendIgnored,
  CancelFromFinalSucceeds,
  RetryDelayNotClamped,
  NoProgressNeverFires,
  ErrorCountResetOnResume,
  HeldErrorFollowsJob,
  ReconnectRequeuesError,
};

struct FaultInfo {
  Fault fault;
  std::string_view name;         // as in --target reference+fault:NAME
  std::string_view rule;         // the rule ID it breaks
  std::string_view description;  // what it does wrong
};

std::span<const FaultInfo> fault_catalogue();
const FaultInfo* find_fault(std::string_view name);

class FaultTarget : public Target {
 public:
  FaultTarget(Fault fault, Profile profile = Profile::Bits);
  Capabilities capabilities() const override { return inner_.capabilities(); }
  void reset(Profile profile) override;
  Observation apply(const Stimulus& s) override;
  std::string name() const override;

 private:
  Fault fault_;
  ReferenceTarget inner_;
  // What the wrapper remembers per job slot.
  struct Slot {
    bool had_error = false;                            // a GetError succeeded on this job
    std::array<bool, kMaxHandlesPerJob> phantom{};     // the handle is a kept object the service no longer has
    Observation last_error, last_file, last_protocol;  // the answers of the last real error object
    std::uint32_t retry_delay = 0;                  // the retry delay the client set (0: none; as each fault needs it)
    std::uint32_t errors_base = 0;                  // GetErrorCount at the last Resume
    std::uint32_t timeout = 0;                      // the no-progress timeout the client set (0: none)
    std::array<bool, kMaxHandlesPerJob> cleared{};  // the held object's record was cleared by Resume
  };
  std::array<Slot, kMaxJobs> slots_{};
};

}  // namespace bgc
