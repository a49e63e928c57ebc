// bgconform rules [--all]: the rule catalogue and the interpretations in force.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "../src/rc_adapter.h"
#include "../src/sensitivity.h"
#include "bgconform/reports.h"
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
    if (all) {
      std::cout << "      documented in:";
      for (const DocPage& p : rule_sources(r)) std::cout << " [" << p.key << "]";
      std::cout << "\n";
    }
  }
  std::cout << "\n"
            << covered << " covered (" << covered - other_profile - disabled << " judged in " << name(config.profile)
            << (other_profile ? ", " + std::to_string(other_profile) + " only in the other profile" : "")
            << (disabled ? ", " + std::to_string(disabled) + " disabled" : "") << ")";
  if (all) {
    std::cout << ", " << not_modelled << " not-modelled, " << covered + not_modelled << " in all\n\n"
              << "The documentation the rules come from:\n";
    for (const DocPage& p : doc_pages()) std::cout << "[" << p.key << "] " << p.title << "\n      " << p.url << "\n";
  }
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

// --sensitivity: each rule's figure on passing cases of the reference; --witnesses DIR writes each
// rule's witness there as a trace (conformance/witnesses/ holds the suite's).
int print_sensitivity(const ModelConfig& config, int cases, std::uint64_t seed, const std::string& witness_dir) {
  RunSettings settings;
  settings.model = config;
  settings.cases = cases;
  settings.seed = seed;
  std::cerr << "bgconform rules: measuring on " << cases << " cases of the reference, profile " << name(config.profile)
            << ", seed " << seed << "...\n";
  const Sensitivity s = measure_sensitivity(settings, rapidcheck_case_tools(), !witness_dir.empty());
  std::cout
      << "Rule sensitivity (profile " << name(config.profile) << "): " << s.cases << " passing cases, " << s.steps
      << " steps, " << s.changes << " changed answers judged\n"
      << "A change is one value of an answer or a sweep observation (state, HRESULT, context, code, file, count,\n"
      << "progress); a rule's are those it judges (an answer of its calls) made where it was consulted; rejected:\n"
      << "the model blamed it. A witness: a case that rule alone rejects and that passes with it off.\n\n"
      << "rule    situations   rejected / tried          share  witness\n";
  int low = 0;
  for (int k = 0; k < kRuleCount; ++k) {
    const RuleId id = static_cast<RuleId>(k);
    if (!rule_applies(id, config.profile) || !config.rules.on(id)) continue;
    const RuleSensitivity& r = s.rules[static_cast<std::size_t>(k)];
    const double share = r.tried ? 100.0 * static_cast<double>(r.rejected) / static_cast<double>(r.tried) : 0.0;
    char line[160];
    std::snprintf(line, sizeof line, "%-6s %11llu %10llu / %-12llu %6.1f %%", std::string(rule_id(id)).c_str(),
                  static_cast<unsigned long long>(r.situations), static_cast<unsigned long long>(r.rejected),
                  static_cast<unsigned long long>(r.tried), share);
    std::cout << line;
    if (!witness_dir.empty()) std::cout << (r.witness ? "  found" : "  none");
    if (share < 25.0) {
      std::cout << "  (under a quarter)";
      ++low;
    }
    std::cout << "\n";
    if (r.witness && !witness_dir.empty()) {
      TraceFile w;
      w.profile = config.profile;
      w.interpretations = config.interpretations;
      w.seed = seed;
      w.target = "reference, one answer changed";
      w.cases.push_back(*r.witness);
      std::filesystem::create_directories(witness_dir);
      const std::string file =
          witness_dir + "/" + std::string(rule_id(id)) + "-" + std::string(name(config.profile)) + ".trace";
      write_atomically(file,
                       "# witness of " + std::string(rule_id(id)) +
                           ": rejected with this rule alone, accepted with it off (bgconform rules --witnesses)\n" +
                           render_trace(w));
    }
  }
  std::cout << "\n" << low << " rules reject under a quarter of the changes they judge\n";
  return kExitConformant;
}

}  // namespace

void add_rules_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("rules", "List the rules the model checks and the interpretations in force");
  auto options = std::make_shared<ModelOptions>();
  auto all = std::make_shared<bool>(false);
  cmd->add_flag("--all", *all, "List every spec rule ID with its status (covered, or not-modelled and why)");
  options->add_to(*cmd);
  struct Measure {
    bool sensitivity = false;
    int cases = 300;
    std::uint64_t seed = 1;
    std::string witnesses;
  };
  auto m = std::make_shared<Measure>();
  cmd->add_flag("--sensitivity", m->sensitivity,
                "Measure how strict each rule is: on passing cases of the reference, change one value of each answer "
                "and count the changes the rule rejects, of those made where it was consulted");
  cmd->add_option("--cases", m->cases, "--sensitivity: cases of the reference to measure on")
      ->capture_default_str()
      ->check(positive_count());
  cmd->add_option("--seed", m->seed, "--sensitivity: the seed of those cases")->capture_default_str();
  cmd->add_option("--witnesses", m->witnesses,
                  "--sensitivity: write each rule's witness (a case rejected with that rule alone, accepted with it "
                  "off) to DIR as a trace")
      ->type_name("DIR");
  cmd->callback([&run, options, all, m] {
    run = [options, all, m] {
      if (m->sensitivity || !m->witnesses.empty())
        return print_sensitivity(options->config(), m->cases, m->seed, m->witnesses);
      return print_rules(*all, options->config());
    };
  });
}

}  // namespace bgc::tool
