#include <set>
#include <sstream>

#include "bgconform/reports.h"

namespace bgc {

std::string replay_file_name(const Counterexample& c) { return "replay-" + counterexample_label(c) + ".txt"; }

std::string render_replay(const ReplayFile& f) {
  std::ostringstream out;
  // Format 1 while there are no earlier cases: what older bgconform versions read.
  out << "# bgconform replay file: a header, then one stimulus per line\n"
      << "format " << (f.earlier_cases.empty() ? 1 : 2) << "\n"
      << "profile " << name(f.profile) << "\n";
  for (int i = 0; i < kInterpCount; ++i) {
    const auto id = static_cast<Interp>(i);
    out << "interpretation " << interp_info(id).id << "=" << f.interpretations.value(id) << "\n";
  }
  out << "seed " << f.seed << "\n"
      << "rule " << f.rule << "\n";
  if (!f.target.empty()) out << "target " << f.target << "\n";
  if (!f.earlier_cases.empty())
    out << "# the cases the failure depends on, run first in the same process, each from a reset\n";
  for (std::size_t i = 0; i < f.earlier_cases.size(); ++i) {
    out << "earlier-case " << i + 1 << "\n";
    for (const Stimulus& s : f.earlier_cases[i]) out << to_string(s) << "\n";
  }
  out << "steps\n";
  for (const Stimulus& s : f.stimuli) out << to_string(s) << "\n";
  return out.str();
}

std::optional<ReplayFile> parse_replay(const std::string& text, std::string& error) {
  ReplayFile f;
  f.format = 0;
  // A BOM that an editor put before the first line is not part of it.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  std::istringstream in(text.compare(0, kBom.size(), kBom) == 0 ? text.substr(kBom.size()) : text);
  std::string line;
  int number = 0;
  bool steps = false;
  bool earlier = false;  // inside the earlier cases (format 2): stimuli until the next case or "steps"
  auto fail = [&](const std::string& what) {
    // The message quotes the text at fault: a megabyte-long word of a broken file is cut, not echoed.
    // Control characters (a NUL of a binary file) are shown as '?', not written to the terminal.
    error = "line " + std::to_string(number) + ": " +
            one_line(what.size() > 200 ? what.substr(0, 200) + "... (cut)" : what);
    return std::nullopt;
  };
  std::set<std::string> given;  // the header keys read so far
  while (std::getline(in, line)) {
    ++number;
    // Spaces, tabs and a CR at either end are not part of the line.
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") + 1 - first);
    if (steps) {
      Parsed<Stimulus> s = parse_stimulus(line);
      if (!s) return fail("column " + std::to_string(s.column) + ": " + s.error);
      f.stimuli.push_back(s.value);
      continue;
    }
    if (line.rfind("earlier-case", 0) == 0 && (line.size() == 12 || line[12] == ' ')) {
      if (f.format < 2) return fail("'earlier-case' needs format 2 (or a 'format' line before it)");
      if (earlier && f.earlier_cases.back().empty()) return fail("an earlier case without stimuli");
      f.earlier_cases.emplace_back();
      earlier = true;
      continue;
    }
    if (earlier && line != "steps") {
      Parsed<Stimulus> s = parse_stimulus(line);
      if (!s) return fail("column " + std::to_string(s.column) + ": " + s.error);
      f.earlier_cases.back().push_back(s.value);
      continue;
    }
    if (line == "steps") {
      if (earlier && f.earlier_cases.back().empty()) return fail("an earlier case without stimuli");
      if (f.format == 0) return fail("the header has no 'format' line");
      if (f.rule.empty()) return fail("the header has no 'rule' line");
      // A rule the profile does not judge (I-14) would pass the replay whatever the target does.
      if (const auto id = parse_rule_id(f.rule); id && !rule_applies(*id, f.profile))
        return fail("rule " + f.rule + " is not judged in profile " + std::string(name(f.profile)));
      steps = true;
      continue;
    }
    const auto space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    // One line per key (interpretations: one per interpretation): a second would silently win.
    const std::string once = key == "interpretation" ? key + " " + value.substr(0, value.find('=')) : key;
    if (!given.insert(once).second) return fail("a second '" + once + "' line");
    if (key == "format") {
      if (value != "1" && value != "2")
        return fail("format '" + value + "' is not supported (this bgconform reads formats 1 and " +
                    std::to_string(kReplayFormatVersion) + ")");
      f.format = value[0] - '0';
    } else if (key == "profile") {
      auto p = parse_profile(value);
      if (!p) return fail("unknown profile '" + value + "'");
      f.profile = *p;
    } else if (key == "interpretation") {
      if (std::string e = f.interpretations.set(value); !e.empty()) return fail(e);
    } else if (key == "seed") {
      try {
        std::size_t used = 0;
        if (value.empty() || value[0] < '0' || value[0] > '9') throw std::invalid_argument(value);  // stoull wraps "-5"
        f.seed = std::stoull(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
      } catch (const std::exception&) {
        return fail("seed '" + value + "' is not a number");
      }
    } else if (key == "rule") {
      if (value != "crash" && value != "timeout" && !parse_rule_id(value))
        return fail("'" + value + "' is not a rule the model checks");
      f.rule = value;
    } else if (key == "target") {
      f.target = value;
    } else {
      return fail("unknown header line '" + key +
                  "' (expected format, profile, interpretation, seed, rule, target, "
                  "earlier-case or steps)");
    }
  }
  if (!steps) {
    ++number;
    return fail("no 'steps' line: the file ends inside the header");
  }
  // Nothing to replay passes whatever the target does: a file cut short, not a fix.
  if (f.stimuli.empty()) return fail("no stimuli after 'steps'");
  return f;
}

}  // namespace bgc
