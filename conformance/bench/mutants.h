// For every mutant of harness/sdk/mutants/mutants.def, what `bgconform run` does to
// it: the time to its first failure with the mutant's rule, the time shrinking takes (RapidCheck's
// shrinker, then the model's breadth-first search, shortest.h), the counterexample's length before and
// after, and the shortest length the model allows, by a wider breadth-first search of our own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bgc::bench {

struct MutantOptions {
  std::string dir;            // libbgc_mutant_<name>.so
  std::string host;           // bgconform-host, for the mutants that crash or hang
  double call_timeout = 0.5;  // seconds (as `bgconform mutants`)
  std::uint64_t seed = 1;
  int cases = 200, max_steps = 40;
  std::size_t search_nodes = 1000000;  // the wider search's bounds, per mutant (E-2's needs a million)
  double search_seconds = 20;
  std::vector<std::string> only;  // empty: all
};

struct MutantFigure {
  std::string name, expected, profile;
  bool isolated = false;  // run in bgconform-host (crash/timeout), else in-process
  bool killed = false;
  double first_failure_seconds = -1;  // run start to the failing case's end (the explorer is cached)
  double shrink_seconds = -1;         // shrinking and the model's search
  double kill_seconds = -1;           // both: when the run has the shrunk counterexample
  std::size_t original_steps = 0, counterexample_steps = 0;
  std::size_t shortest_steps = 0;     // the wider search's result (== counterexample_steps if none shorter)
  bool shortest_complete = false;     // the wider search ended within its bounds
  std::size_t shortest_alphabet = 0;  // stimuli it combined
  std::string error;
};

std::vector<MutantFigure> measure_mutants(const MutantOptions& options);

// The catalogue's names (mutants.def), in its order: what MutantOptions::only may name.
std::vector<std::string> mutant_names();

}  // namespace bgc::bench
