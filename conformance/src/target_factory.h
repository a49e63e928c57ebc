// Targets by name, as the command line spells them:
//   reference                 the built-in reference job service
//   reference+fault:NAME      the reference with one fault wrapper (see fault_catalogue())
//   plugin:PATH               a vendor library through the C ABI (vendor_abi.h), isolated in a child
//                             host process unless TargetOptions::isolate is false
//   com:bits, com:do          the real service through the COM agent, under Wine or on Windows from
//                             inside WSL (com_target.h)
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "bgconform/isolated_target.h"
#include "bgconform/target.h"

namespace bgc {

struct TargetOptions {
  bool isolate = true;                                  // plugins run in bgconform-host (crash and hang safe)
  std::chrono::milliseconds call_timeout{5000};         // isolated plugins: one call's time limit
  std::string host_path;                                // empty: the default host (isolated_target.h)
  HostLimits host_limits;                               // isolated plugins: what the host may do
  std::string com_agent;                                // com: targets; empty: the default (com_target.h)
  std::string com_host = "auto";                        // com: targets: wine, windows (inside WSL) or auto
  std::string wine_prefix;                              // com: targets; empty: a private prefix for the run
  std::string com_work_dir;                             // com: targets; empty: the host's default
  std::chrono::milliseconds com_start_timeout{120000};  // com: targets: the agent's start (Wine's services)
};

// The spec of a vendor library at `path` ("plugin:PATH"), and whether a spec names one.
inline constexpr std::string_view kPluginPrefix = "plugin:";
inline std::string plugin_spec(std::string_view path) { return std::string(kPluginPrefix) + std::string(path); }
inline bool is_plugin_spec(std::string_view spec) { return spec.substr(0, kPluginPrefix.size()) == kPluginPrefix; }

struct FaultInfo;
// The fault wrapper a "reference+fault:NAME" spec names; nullptr for other specs and unknown names.
const FaultInfo* fault_of(std::string_view spec);

// nullptr and a one-line message naming the problem when the target cannot be made.
std::unique_ptr<Target> make_target(std::string_view spec, Profile profile, const TargetOptions& options,
                                    std::string& error);

}  // namespace bgc
