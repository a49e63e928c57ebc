// The known-deviation ledger (a JSON file, see reports.h): reader, writer, and a starting ledger from
// a report.json.
#include <nlohmann/json.hpp>
#include <set>

#include "bgconform/reports.h"
#include "strict_json.h"

namespace bgc {

using nlohmann::json;

std::optional<std::vector<RunSettings::KnownDeviation>> parse_ledger(const std::string& text, std::string& error) {
  const std::optional<json> parsed = detail::parse_strict_json(text, error);
  if (!parsed) return std::nullopt;
  const json& doc = *parsed;
  if (!doc.is_object()) {
    error = "a ledger is a JSON object with \"known_deviations\": [...]";
    return std::nullopt;
  }
  if (doc.contains("format") && doc["format"] != "bgconform-ledger") {
    error = "\"format\" must be \"bgconform-ledger\"";
    return std::nullopt;
  }
  if (doc.contains("version") && doc["version"] != 1) {
    error = "unsupported ledger \"version\" " + doc["version"].dump() + " (this bgconform reads version 1)";
    return std::nullopt;
  }
  for (const auto& [key, value] : doc.items())
    if (key != "format" && key != "version" && key != "target" && key != "profile" && key != "known_deviations" &&
        key != "comment") {
      error = "unknown key \"" + key + "\" (expected format, version, target, profile, comment, known_deviations)";
      return std::nullopt;
    }
  if (!doc.contains("known_deviations") || !doc["known_deviations"].is_array()) {
    error = "\"known_deviations\" must be an array";
    return std::nullopt;
  }
  std::vector<RunSettings::KnownDeviation> out;
  std::set<std::string> seen;
  std::size_t i = 0;
  for (const json& e : doc["known_deviations"]) {
    const std::string where = "known_deviations[" + std::to_string(i++) + "]: ";
    if (!e.is_object()) {
      error = where + "an entry is an object {\"rule\": ..., \"why\": ..., \"link\": ...}";
      return std::nullopt;
    }
    for (const auto& [key, value] : e.items())
      if (key != "rule" && key != "why" && key != "link" && key != "intermittent") {
        error = where + "unknown key \"" + key + "\" (expected rule, why, link, intermittent)";
        return std::nullopt;
      }
    if (!e.contains("rule") || !e["rule"].is_string()) {
      error = where + "\"rule\" (a rule ID such as \"E-2\") is required";
      return std::nullopt;
    }
    RunSettings::KnownDeviation k;
    k.rule = e["rule"].get<std::string>();
    if (!parse_rule_id(k.rule)) {
      error = where + "'" + k.rule + "' is not a rule the model checks (see 'bgconform rules')";
      return std::nullopt;
    }
    if (!e.contains("why") || !e["why"].is_string() || e["why"].get<std::string>().empty()) {
      error = where + "\"why\" (a non-empty string) is required for " + k.rule;
      return std::nullopt;
    }
    k.why = e["why"].get<std::string>();
    if (e.contains("link")) {
      if (!e["link"].is_string()) {
        error = where + "\"link\" must be a string";
        return std::nullopt;
      }
      k.link = e["link"].get<std::string>();
    }
    if (e.contains("intermittent")) {
      if (!e["intermittent"].is_boolean()) {
        error = where + "\"intermittent\" must be true or false";
        return std::nullopt;
      }
      k.intermittent = e["intermittent"].get<bool>();
    }
    if (!seen.insert(k.rule).second) {
      error = where + k.rule + " is listed twice";
      return std::nullopt;
    }
    out.push_back(std::move(k));
  }
  return out;
}

std::string render_ledger(const std::string& target, Profile profile,
                          const std::vector<RunSettings::KnownDeviation>& entries) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& k : entries) {
    nlohmann::ordered_json e = {{"rule", k.rule}, {"why", k.why}};
    if (!k.link.empty()) e["link"] = k.link;
    if (k.intermittent) e["intermittent"] = true;
    list.push_back(e);
  }
  nlohmann::ordered_json doc = {{"format", "bgconform-ledger"},
              {"version", 1},
              {"target", target},
              {"profile", std::string(name(profile))},
              {"known_deviations", list}};
  return doc.dump(2) + "\n";
}

std::optional<std::string> ledger_from_report(const std::string& json_text, std::string& error) {
  const std::optional<json> parsed = detail::parse_strict_json(json_text, error);
  if (!parsed) return std::nullopt;
  const json& doc = *parsed;
  if (!doc.is_object() || !doc.contains("schema") || doc["schema"] != "bgconform-report" || !doc.contains("rules")) {
    error = "not a bgconform report.json";
    return std::nullopt;
  }
  // A report written by hand (or damaged) must give a message, never an exception, and the ledger
  // written from it must be one parse_ledger accepts (found by fuzz/src/report_fuzzer.cpp).
  const auto text = [](const json& j, const char* key) -> std::string {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  if (!doc["rules"].is_array()) {
    error = "\"rules\" must be an array";
    return std::nullopt;
  }
  std::vector<RunSettings::KnownDeviation> entries;
  std::set<std::string> seen;
  std::size_t i = 0;
  for (const json& row : doc["rules"]) {
    const std::string where = "rules[" + std::to_string(i++) + "]: ";
    if (!row.is_object()) {
      error = where + "a rule's row is an object";
      return std::nullopt;
    }
    const std::string outcome = text(row, "outcome");
    if (outcome != "fail" && outcome != "known-deviation") continue;
    RunSettings::KnownDeviation k;
    k.rule = text(row, "id");
    if (!parse_rule_id(k.rule)) {
      error = where + "'" + k.rule + "' is not a rule the model checks";
      return std::nullopt;
    }
    if (!seen.insert(k.rule).second) {
      error = where + k.rule + " is listed twice";
      return std::nullopt;
    }
    if (row.contains("ledger")) {
      k.why = text(row["ledger"], "why");
      k.link = text(row["ledger"], "link");
    }
    if (k.why.empty()) {
      const std::string seed = doc.contains("seed") && doc["seed"].is_number_unsigned() ? doc["seed"].dump() : "?";
      k.why = "TODO: why this deviation is accepted (failed in the run of seed " + seed + ")";
    }
    entries.push_back(std::move(k));
  }
  const Profile profile = parse_profile(text(doc, "profile")).value_or(Profile::Bits);
  return render_ledger(text(doc, "target"), profile, entries);
}

}  // namespace bgc
