// Parsing the JSON files a user hands in (ledgers, report.json shards), refusing a key given twice
// in one object: nlohmann keeps the last value and drops the first without a word, so a hand-edited
// ledger entry {"rule": "E-2", ..., "rule": "E-5"} would quietly stand for E-5 alone.
#pragma once

#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bgc::detail {

// The document, or nullopt with `error` saying why: text that is not JSON ("not JSON: ..."), or a key
// given twice (naming it).
inline std::optional<nlohmann::json> parse_strict_json(const std::string& text, std::string& error) {
  using nlohmann::json;
  struct KeyGivenTwice : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  std::vector<std::set<std::string>> keys;  // the keys seen so far in each object being read
  const json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: keys.emplace_back(); break;
      case json::parse_event_t::object_end: keys.pop_back(); break;
      case json::parse_event_t::key:
        if (!keys.back().insert(parsed.get<std::string>()).second)
          throw KeyGivenTwice("the key " + parsed.dump() + " is given twice in one object");
        break;
      default: break;
    }
    return true;
  };
  try {
    return json::parse(text, check);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e999 (ledger_fuzzer)
    error = std::string("not JSON: ") + e.what();
  } catch (const KeyGivenTwice& e) {
    error = e.what();
  }
  return std::nullopt;
}

}  // namespace bgc::detail
