// The progress line of a run under way (bgconform run prints it on stderr after each case).
#include <cmath>
#include <cstdio>
#include <string>

#include "bgconform/reports.h"

namespace bgc {
namespace {

// "40 s", "12 min", "2 h 5 min": a rough figure, to the nearest second or minute.
std::string rough_duration(double seconds) {
  const long long s = std::llround(seconds);
  if (s < 60) return std::to_string(s) + " s";
  const long long minutes = (s + 30) / 60;
  if (minutes < 60) return std::to_string(minutes) + " min";
  return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

// The time the cases still to run take at the pace of those that ran; empty when it cannot be said
// or is under a second.
std::string time_left(const RunResult& r) {
  const auto planned = static_cast<std::uint64_t>(r.settings.cases_in_shard());
  if (r.settings.tour || r.cases_run == 0 || r.cases_run >= planned || r.seconds <= 0) return {};
  const double left = r.seconds / static_cast<double>(r.cases_run) * static_cast<double>(planned - r.cases_run);
  if (left < 1) return {};  // a fast run's: no figure worth reading
  return "about " + rough_duration(left) + " left";
}

}  // namespace

std::string render_progress(const RunResult& r, bool per_case) {
  char line[200];
  int n = std::snprintf(line, sizeof line, "  case %llu/%d  steps %llu  failing rules %zu",
                        static_cast<unsigned long long>(r.cases_run), r.settings.cases_in_shard(),
                        static_cast<unsigned long long>(r.steps), r.counterexamples.size());
  const std::string left = time_left(r);
  const auto rest = [&](const char* format, auto... args) {
    if (n >= 0 && static_cast<std::size_t>(n) < sizeof line) n += std::snprintf(line + n, sizeof line - n, format, args...);
  };
  // With a ledger, how many of those it expects: a run against a real service fails a dozen known ones.
  if (!r.settings.known_deviations.empty()) {
    std::size_t known = 0;
    for (const Counterexample& c : r.counterexamples) known += r.settings.known_deviation(rule_id(c.rule)) != nullptr;
    rest(" (%zu known)", known);
  }
  if (per_case)  // minutes, not seconds: one line per case
    rest("  %.0f s%s%s", r.seconds, left.empty() ? "" : ", ", left.c_str());
  else
    rest("  pairs %zu/%zu  %.0f steps/s%s%s", r.covered_reachable_pairs(), r.reachable_pair_count(),
         r.seconds > 0 ? static_cast<double>(r.steps) / r.seconds : 0.0, left.empty() ? "" : "  ", left.c_str());
  return line;
}

}  // namespace bgc
