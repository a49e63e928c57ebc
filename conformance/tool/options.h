// Command-line options shared by the bgconform subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "bgconform/model.h"

namespace bgc::tool {

// --profile, --interpretation and --disable-rule, turned into a ModelConfig.
struct ModelOptions {
  std::string profile = "bits";
  std::vector<std::string> interpretations;
  std::vector<std::string> disabled_rules;

  void add_to(CLI::App& app, bool with_rule_switches = true);
  // Throws CLI::ValidationError with a clear message for a bad value.
  ModelConfig config() const;
};

// Exit codes of bgconform (architecture.md).
inline constexpr int kExitConformant = 0;
inline constexpr int kExitDeviations = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCrash = 3;

}  // namespace bgc::tool
