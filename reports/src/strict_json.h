// Parsing the JSON files a user hands in (ledgers, report.json shards), refusing a key given twice
// in one object: nlohmann keeps the last value and drops the first without a word, so a hand-edited
// ledger entry {"rule": "E-2", ..., "rule": "E-5"} would quietly stand for E-5 alone.
#pragma once

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bgc::detail {

// Throws nlohmann::json::exception for text that is not JSON, and std::runtime_error naming the key
// for one given twice.
inline nlohmann::json parse_strict_json(const std::string& text) {
  using nlohmann::json;
  std::vector<std::set<std::string>> keys;  // the keys seen so far in each object being read
  const json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: keys.emplace_back(); break;
      case json::parse_event_t::object_end: keys.pop_back(); break;
      case json::parse_event_t::key:
        if (!keys.back().insert(parsed.get<std::string>()).second)
          throw std::runtime_error("the key " + parsed.dump() + " is given twice in one object");
        break;
      default: break;
    }
    return true;
  };
  return json::parse(text, check);
}

}  // namespace bgc::detail
