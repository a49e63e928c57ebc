// Command-line options shared by the bgconform subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgconform/model.h"
#include "target_factory.h"
#include "tiers.h"

namespace bgc::tool {

// --profile, --interpretation and --disable-rule, turned into a ModelConfig.
struct ModelOptions {
  std::string profile = "bits";
  CLI::Option* profile_option = nullptr;  // to tell a given --profile from the default
  std::vector<std::string> interpretations;
  std::vector<std::string> disabled_rules;

  void add_to(CLI::App& app, bool with_rule_switches = true);
  // Throws CLI::ValidationError with a clear message for a bad value.
  ModelConfig config() const;
  // The --interpretation and --disable-rule values applied over `c` (check: over a trace's own).
  void apply_switches(ModelConfig& c) const;
  // The profile a target implies when --profile is not given: com:do runs in do.
  ModelConfig config_for(const std::string& target) const;
};

// --target, --isolate/--no-isolate and --call-timeout.
struct TargetCli {
  std::string target;  // empty: the command's default
  bool isolate = true;
  double call_timeout = 5.0;
  std::string com_agent, com_host = "auto", wine_prefix, com_work_dir;  // com: targets
  double com_start_timeout = 120.0;                                     // com: targets, seconds
  HostLimits host_limits;                                               // isolated plugins

  void add_to(CLI::App& app, const std::string& default_help);
  TargetOptions options() const;
  // Makes the target; throws CLI::ValidationError (exit 2) with the loader's message.
  std::unique_ptr<Target> make(const std::string& spec, Profile profile) const;
};

// Digits only: CLI11 reads "-5" into an unsigned option by wrapping it to 2^64 - 5.
const CLI::Validator& digits_only();
// A whole number from 1 up (--cases, --max-steps), with a message a person can read.
const CLI::Validator& positive_count();
const CLI::Validator& positive_count64();  // a whole number from 1 to 10^15
const CLI::Validator& positive_seconds();  // seconds, more than 0
// --call-timeout: 0.001 to 86400 seconds, NaN refused.
const CLI::Validator& call_timeout_range();

// RapidCheck's RC_PARAMS ("seed=N max_success=N max_size=N ..."), the keys bgconform uses.
struct RcParams {
  std::optional<std::uint64_t> seed;
  std::optional<int> max_success, max_size;
  std::string error;  // a value that is not a number
};
RcParams rc_params_from_environment();

// Exit codes of bgconform (architecture.md).
inline constexpr int kExitConformant = 0;
inline constexpr int kExitDeviations = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCrash = 3;

// Without --tier, --cases, --steps or --time: the quick tier; against a real-time target, 12 cases of
// up to 16 steps (a minute or two against Wine's qmgr).
inline constexpr int kRealTimeCases = 12, kRealTimeSteps = 16;

}  // namespace bgc::tool
