// The progress line of a run under way (bgconform run prints it on stderr after each case).
#include <algorithm>
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
  const RunSettings& s = r.settings;
  if (s.tour || r.cases_run == 0 || r.seconds <= 0) return {};
  // The share of the run done: by whichever bound comes first.
  double done = 0;
  if (s.cases != kNoCaseBound) done = static_cast<double>(r.cases_run) / std::max(1, s.cases_in_shard());
  if (s.step_budget > 0)
    done = std::max(done, static_cast<double>(r.steps) / static_cast<double>(s.step_budget_in_shard()));
  if (s.time_budget > 0) done = std::max(done, r.seconds / s.time_budget);
  if (done <= 0 || done >= 1) return {};
  const double left = r.seconds / done * (1 - done);
  if (left < 1) return {};  // a fast run's: no figure worth reading
  return "about " + rough_duration(left) + " left";
}

}  // namespace

std::string render_progress(const RunResult& r, bool per_case) {
  char line[200];
  const RunSettings& s = r.settings;
  int n = 0;
  if (s.cases != kNoCaseBound)
    n = std::snprintf(line, sizeof line, "  case %llu/%d", static_cast<unsigned long long>(r.cases_run),
                      s.cases_in_shard());
  else
    n = std::snprintf(line, sizeof line, "  case %llu", static_cast<unsigned long long>(r.cases_run));
  const auto rest = [&](const char* format, auto... args) {
    if (n >= 0 && static_cast<std::size_t>(n) < sizeof line)
      n += std::snprintf(line + n, sizeof line - n, format, args...);
  };
  if (s.step_budget > 0)
    rest("  steps %llu/%llu", static_cast<unsigned long long>(r.steps),
         static_cast<unsigned long long>(s.step_budget_in_shard()));
  else
    rest("  steps %llu", static_cast<unsigned long long>(r.steps));
  rest("  failing rules %zu", r.counterexamples.size());
  const std::string left = time_left(r);
  // With a ledger, how many of those it expects: a run against a real service fails a dozen known ones.
  if (!r.settings.known_deviations.empty()) {
    std::size_t known = 0;
    for (const Counterexample& c : r.counterexamples) known += c.known;  // within the ledger's scopes
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
