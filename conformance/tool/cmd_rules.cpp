// bgconform rules [--all]: the rule catalogue and the interpretations in force.
#include <iostream>

#include "commands.h"
#include "options.h"

namespace bgc::tool {
namespace {

std::string_view profiles_text(RuleProfiles p) {
  switch (p) {
    case RuleProfiles::Both: return "bits, do";
    case RuleProfiles::BitsOnly: return "bits";
    case RuleProfiles::DoOnly: return "do";
  }
  return "";
}

int print_rules(bool all, const ModelConfig& config) {
  std::cout << (all ? "Every spec rule ID and its status" : "Rules the model checks") << " (profile "
            << name(config.profile) << ")\n\n";
  int covered = 0, not_modelled = 0, other_profile = 0, disabled = 0;
  for (const RuleInfo& r : rule_catalogue()) {
    if (!r.covered && !all) continue;
    if (r.covered) {
      ++covered;
      // What a run with these options does with the rule: judges it, or not (another profile's, or off).
      const RuleId id = *parse_rule_id(r.id);
      std::string_view status = "covered";
      if (!rule_applies(id, config.profile)) {
        status = "covered, not judged in this profile";
        ++other_profile;
      } else if (!config.rules.on(id)) {
        status = "covered, disabled (--disable-rule)";
        ++disabled;
      }
      std::cout << r.id << "  " << status << " [" << profiles_text(r.profiles) << "]  " << r.statement << "\n"
                << "      judges: " << r.judges;
      if (!r.interpretations.empty()) std::cout << "; shaped by " << r.interpretations;
      std::cout << "\n";
    } else {
      ++not_modelled;
      std::cout << r.id << "  not-modelled  " << r.statement << "\n      why: " << r.why_not << "\n";
    }
  }
  std::cout << "\n" << covered << " covered (" << covered - other_profile - disabled << " judged in "
            << name(config.profile) << (other_profile ? ", " + std::to_string(other_profile) + " only in the other profile" : "")
            << (disabled ? ", " + std::to_string(disabled) + " disabled" : "") << ")";
  if (all) std::cout << ", " << not_modelled << " not-modelled, " << covered + not_modelled << " in all";
  std::cout << "\n\nInterpretations in force (change with --interpretation I-n=VALUE):\n";
  for (int i = 0; i < kInterpCount; ++i) {
    const InterpInfo& info = interp_info(static_cast<Interp>(i));
    std::cout << info.id << " = " << config.interpretations.value(static_cast<Interp>(i)) << "  (" << info.question
              << ")\n      " << info.meaning << "\n";
    if (info.values.size() > 1) {
      std::cout << "      values:";
      for (auto v : info.values) std::cout << " " << v;
      std::cout << "\n";
    }
  }
  return kExitConformant;
}

}  // namespace

void add_rules_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("rules", "List the rules the model checks and the interpretations in force");
  auto options = std::make_shared<ModelOptions>();
  auto all = std::make_shared<bool>(false);
  cmd->add_flag("--all", *all, "List every spec rule ID with its status (covered, or not-modelled and why)");
  options->add_to(*cmd);
  cmd->callback([&run, options, all] { run = [options, all] { return print_rules(*all, options->config()); }; });
}

}  // namespace bgc::tool
