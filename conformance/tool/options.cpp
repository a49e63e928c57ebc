#include "options.h"

namespace bgc::tool {

void ModelOptions::add_to(CLI::App& app, bool with_rule_switches) {
  app.add_option("--profile", profile, "Interface family: bits (BITS, qmgr.dll) or do (Delivery Optimization)")
      ->check(CLI::IsMember({"bits", "do"}))
      ->capture_default_str();
  if (!with_rule_switches) return;
  app.add_option("--interpretation", interpretations,
                 "Pick an interpretation where the documentation is silent, e.g. I-1=either (see 'bgconform rules')")
      ->type_name("I-n=VALUE");
  app.add_option("--disable-rule", disabled_rules, "Switch a rule's check off, e.g. E-2 (a negative control)")
      ->type_name("ID");
}

ModelConfig ModelOptions::config() const {
  ModelConfig c;
  c.profile = *parse_profile(profile);
  for (const std::string& assignment : interpretations)
    if (std::string error = c.interpretations.set(assignment); !error.empty())
      throw CLI::ValidationError("--interpretation", error);
  for (const std::string& id : disabled_rules) {
    auto rule = parse_rule_id(id);
    if (!rule)
      throw CLI::ValidationError("--disable-rule", "'" + id + "' is not a rule the model checks (see 'bgconform rules')");
    c.rules = c.rules.without(*rule);
  }
  return c;
}

}  // namespace bgc::tool
