// Checked steps per second on each path against the reference in-process, and the
// cost of checking (a checked replay against a bare replay of the same sequences). Timed with Google
// Benchmark; the figures come back from its reporter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bgc::bench {

struct PathOptions {
  std::uint64_t seed = 1;
  int cases = 200;  // generated cases per iteration / recorded for replay (the default run's)
  int max_steps = 40;
  double min_time = 0.5;         // seconds Google Benchmark runs each benchmark at least
  std::string reference_plugin;  // libbgc_reference_plugin.so, loaded in-process and in the host
  std::string host;              // bgconform-host, for the isolated rows
};

// One timed benchmark: steps per second (each step a stimulus with its observation sweep).
struct PathFigure {
  std::string name;
  std::string what;  // one line: what was timed
  double steps_per_second = 0;
  double seconds_per_iteration = 0;
  std::uint64_t steps_per_iteration = 0;
};

struct PathFigures {
  std::vector<PathFigure> rows;
  double explorer_seconds = 0;         // one exploration of the contract's instance (bits)
  double explorer_cached_seconds = 0;  // the same through the case loop's cache, once it is warm
  const PathFigure* find(const std::string& name) const {
    for (const PathFigure& f : rows)
      if (f.name == name) return &f;
    return nullptr;
  }
};

PathFigures measure_paths(const PathOptions& options);

}  // namespace bgc::bench
