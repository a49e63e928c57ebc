// The known-deviation ledger (a JSON file, see reports.h): reader, writer, and a starting ledger from
// a report.json.
#include <nlohmann/json.hpp>
#include <set>

#include "bgconform/reports.h"
#include "detail.h"
#include "strict_json.h"

namespace bgc {

using nlohmann::json;

namespace {

// The stimulus names a "where" accepts: the ops as the replay syntax spells them (op_name).
std::optional<Op> op_from_name(std::string_view text) {
  for (int i = 0; i < kOpCount; ++i)
    if (op_name(static_cast<Op>(i)) == text) return static_cast<Op>(i);
  return std::nullopt;
}

std::string known_ops() {
  std::string out;
  for (int i = 0; i < kOpCount; ++i) out += (i ? ", " : "") + std::string(op_name(static_cast<Op>(i)));
  return out;
}

std::string known_states() {
  std::string out;
  for (int i = 0; i < kJobStateCount; ++i) out += (i ? ", " : "") + std::string(short_name(static_cast<JobState>(i)));
  return out;
}

// The scope of one entry in words: "state ERROR, stimulus GetError, answer ..."; "" when unscoped.
std::string scope_text(const RunSettings::KnownDeviation& k) {
  std::string out;
  const auto part = [&out](std::string_view key, std::string_view value) {
    out += (out.empty() ? "" : ", ") + std::string(key) + " " + std::string(value);
  };
  if (k.state) part("state", short_name(*k.state));
  if (k.stimulus) part("stimulus", op_name(*k.stimulus));
  if (k.answer) part("answer", *k.answer);
  return out;
}

}  // namespace

// An entry's "where" into `k` (detail.h).
bool detail::parse_scope(const json& w, RunSettings::KnownDeviation& k, std::string& error) {
  if (!w.is_object()) {
    error = "\"where\" is an object {\"state\": ..., \"stimulus\": ..., \"answer\": ...}";
    return false;
  }
  for (const auto& [key, value] : w.items()) {
    if (key != "state" && key != "stimulus" && key != "answer") {
      error = "unknown key \"" + key + "\" in \"where\" (expected state, stimulus, answer)";
      return false;
    }
    if (!value.is_string()) {
      error = "\"where\".\"" + key + "\" must be a string";
      return false;
    }
  }
  if (w.contains("state")) {
    const std::string text = w["state"].get<std::string>();
    k.state = parse_job_state(text);
    if (!k.state) {
      error = "\"where\": '" + text + "' is not a job state (" + known_states() + ")";
      return false;
    }
  }
  if (w.contains("stimulus")) {
    const std::string text = w["stimulus"].get<std::string>();
    k.stimulus = op_from_name(text);
    if (!k.stimulus) {
      error = "\"where\": '" + text + "' is not a stimulus (" + known_ops() + ")";
      return false;
    }
  }
  if (w.contains("answer")) {
    // Compared with the observation's text form, so it must be one (and is kept as that form prints).
    const std::string text = w["answer"].get<std::string>();
    const Parsed<Observation> o = parse_observation(text);
    if (!o) {
      error = "\"where\": '" + text + "' is not an answer (" + o.error + "; e.g. \"S_OK state=ERROR\", \"0x8020000F\")";
      return false;
    }
    // The code as the step tables print it ("0x80200010" and "BG_E_..." name one answer).
    const std::size_t space = text.find(' ');
    const Parsed<HRESULT> code = parse_hresult(text.substr(0, space));
    k.answer = code ? hresult_text(code.value) + (space == std::string::npos ? "" : text.substr(space)) : text;
  }
  return true;
}

std::string site_text(const DeviationSite& where) {
  RunSettings::KnownDeviation k;
  k.state = where.state;
  k.stimulus = where.op;
  std::string out = scope_text(k);
  if (!where.state) out = "no state seen, " + out;
  if (!where.answer.empty()) out += ", answer " + where.answer;
  return out;
}

std::string ledger_scope_text(const std::vector<RunSettings::KnownDeviation>& ledger, std::string_view rule) {
  std::string out;
  for (const RunSettings::KnownDeviation& k : ledger) {
    if (k.rule != rule) continue;
    if (!k.scoped()) return "";  // the rule anywhere
    out += (out.empty() ? "" : "; ") + scope_text(k);
  }
  return out;
}

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
      if (key != "rule" && key != "why" && key != "link" && key != "intermittent" && key != "where") {
        error = where + "unknown key \"" + key + "\" (expected rule, why, link, intermittent, where)";
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
    if (e.contains("where") && !detail::parse_scope(e["where"], k, error)) {
      error = where + error;
      return std::nullopt;
    }
    // A rule may have several entries, each with its own scope; the same scope twice is a mistake.
    if (!seen.insert(k.rule + "\n" + scope_text(k)).second) {
      error = where + k.rule + (k.scoped() ? " is listed twice with the scope " + scope_text(k) : " is listed twice");
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
    if (k.scoped()) e["where"] = detail::scope_json<nlohmann::ordered_json>(k);
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
  // The ledger the run was judged by (its echo in the report), entries that do not read skipped.
  std::vector<RunSettings::KnownDeviation> echoed;
  if (doc.contains("known_deviations") && doc["known_deviations"].is_array())
    for (const json& e : doc["known_deviations"]) {
      RunSettings::KnownDeviation k;
      k.rule = text(e, "rule");
      k.why = text(e, "why");
      k.link = text(e, "link");
      k.intermittent = e.is_object() && e.contains("intermittent") && e["intermittent"] == true;
      std::string ignored;
      if (!parse_rule_id(k.rule) || k.why.empty()) continue;
      if (e.contains("where") && !detail::parse_scope(e["where"], k, ignored)) continue;
      echoed.push_back(std::move(k));
    }
  // The scope of a new entry: the stimulus of the rule's counterexample's failing step. Not the state
  // the job was in, nor the answer: one deviation shows in several (E-2's kept error object at a GetError
  // in TRANSFERRING in one case, in TRANSFERRED in the next), so an entry scoped to them would let the
  // same run fail again. Narrow an entry by hand where the state or the answer is what is accepted.
  const auto scope_from_counterexample = [&](RunSettings::KnownDeviation& k) {
    if (!doc.contains("counterexamples") || !doc["counterexamples"].is_array()) return;
    for (const json& c : doc["counterexamples"]) {
      if (text(c, "rule") != k.rule || !c.contains("where") || !c["where"].is_object()) continue;
      RunSettings::KnownDeviation scope;
      std::string ignored;
      if (c["where"].contains("stimulus"))
        detail::parse_scope(json{{"stimulus", c["where"]["stimulus"]}}, scope, ignored);
      k.stimulus = scope.stimulus;
      return;
    }
  };
  std::set<std::string> seen_rules;
  std::vector<RunSettings::KnownDeviation> entries;
  std::set<std::string> seen;  // rule and scope: the same entry twice is an error to parse_ledger
  const auto add = [&](RunSettings::KnownDeviation k) {
    if (seen.insert(k.rule + "\n" + scope_text(k)).second) entries.push_back(std::move(k));
  };
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
    if (seen_rules.contains(k.rule)) {
      error = where + k.rule + " is listed twice";
      return std::nullopt;
    }
    seen_rules.insert(k.rule);
    // The ledger the run had keeps its entries of the rule as they were (an unscoped one is not
    // narrowed); a failure outside their scopes adds one for where it happened.
    bool listed = false;
    for (const RunSettings::KnownDeviation& old : echoed)
      if (old.rule == k.rule) {
        add(old);
        listed = true;
      }
    if (outcome == "known-deviation" && listed) continue;
    if (row.contains("ledger")) {
      k.why = text(row["ledger"], "why");
      k.link = text(row["ledger"], "link");
    }
    if (k.why.empty()) {
      const std::string seed = doc.contains("seed") && doc["seed"].is_number_unsigned() ? doc["seed"].dump() : "?";
      k.why = "TODO: why this deviation is accepted (failed in the run of seed " + seed + ")";
    }
    scope_from_counterexample(k);
    add(std::move(k));
  }
  const Profile profile = parse_profile(text(doc, "profile")).value_or(Profile::Bits);
  return render_ledger(text(doc, "target"), profile, entries);
}

}  // namespace bgc
