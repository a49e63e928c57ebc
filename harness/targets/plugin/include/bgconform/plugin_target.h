// PluginTarget: an implementation delivered as a shared library through the vendor C ABI
// (vendor_abi.h), run inside the harness process. For a library that may crash or hang, run it
// through IsolatedTarget (harness/targets/isolated/include/bgconform/isolated_target.h) instead.
//
// It keeps the client's handles per slot exactly as ReferenceTarget does: a job handle per job slot,
// error handles per (job slot, handle slot) that survive ReleaseJob and are replaced by a successful
// GetError. It owns the implementation's environment: the virtual clock (Advance → run_until) and a
// scripted transport (Source, Network).
#pragma once

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bgconform/target.h"

namespace bgc {

namespace vendor {
struct VendorLibrary;
class HarnessEnvironment;
}  // namespace vendor

// When the library answers a success with a value the ABI has no meaning for (a state outside 0-8, a
// context outside 0-8, S_OK without the job, a file handle that is not one of the job's files), the
// observation keeps what came (Observation::odd, "S_OK state=42 (out of range)") under hr::kOutOfRange,
// a failure code no BITS or DO call returns: the model rejects the step under the rule that judges that
// call's HRESULT (M-12 for GetState, ST-1 for CreateJob, E-5 for Error.GetError, E-6 for
// Error.GetFile). Values the Observation can carry (any HRESULT, an error code, progress counts) pass
// through unchanged; an S_OK GetError with a NULL handle passes through as "S_OK null" (E-2 rejects it).

// A library that cannot be used, or a service that cannot be created; what() names the problem.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PluginTarget : public Target {
 public:
  // Loads and checks the library (vendor_library.h lists what is checked). nullptr and a one-line
  // message naming the problem otherwise.
  static std::unique_ptr<PluginTarget> load(const std::string& path, std::string& error);
  ~PluginTarget() override;
  PluginTarget(const PluginTarget&) = delete;
  PluginTarget& operator=(const PluginTarget&) = delete;

  Capabilities capabilities() const override;
  // A fresh service: releases every handle, destroys the manager and creates one in `profile` with a
  // fresh environment. Throws PluginError if create_manager fails or the profile is not offered.
  void reset(Profile profile) override;
  Observation apply(const Stimulus& s) override;
  // "plugin:<implementation name>".
  std::string name() const override;
  // The name the library gives itself.
  std::string implementation_name() const;
  std::string implementation() const override { return implementation_name(); }
  // For a library loaded into this process (--no-isolate): from now on a crash signal (SIGSEGV, SIGBUS,
  // SIGILL, SIGFPE, SIGABRT) raised while a PluginTarget is inside its library ends the process with
  // `exit_code` and a message, not a core dump that reads as the harness's own crash. Outside such a
  // call a signal does what it did before. Not for the isolated host, whose parent tells crashes itself.
  static void report_crashes_in_calls(int exit_code);

 private:
  struct Handles;
  explicit PluginTarget(std::unique_ptr<vendor::VendorLibrary> library);
  void release_all();
  Observation job_call(const Stimulus& s);
  Observation handle_call(const Stimulus& s);
  Observation environment_event(const Stimulus& s);

  std::unique_ptr<vendor::VendorLibrary> library_;
  std::unique_ptr<vendor::HarnessEnvironment> environment_;
  std::unique_ptr<Handles> handles_;
};

}  // namespace bgc
