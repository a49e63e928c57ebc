// Transition coverage against the number of generated cases, for a uniform generator
// (each step uniformly one of the applicable stimuli of a fixed alphabet) and for the state-aware one
// of `bgconform run` (belief-driven picks, fragments, aiming at uncovered pairs); and the explorer's
// transition tour, as a fixed suite and adaptively (Explorer::toward_uncovered). Coverage is counted against the
// explorer's reachable (state, stimulus kind) pairs and its (state, kind, next state) triples.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bgc::bench {

struct CoveragePoint {
  int cases = 0;
  std::size_t uniform_pairs = 0, aware_pairs = 0;      // reachable pairs covered
  std::size_t uniform_triples = 0, aware_triples = 0;  // reachable triples covered
};

struct CoverageFigures {
  std::size_t reachable_pairs = 0, reachable_triples = 0;
  std::vector<CoveragePoint> points;
  std::size_t tour_sequences = 0, tour_steps = 0, tour_pairs = 0, tour_triples = 0;              // the fixed tour
  std::size_t adaptive_cases = 0, adaptive_steps = 0, adaptive_pairs = 0, adaptive_triples = 0;  // the adaptive one
  std::vector<std::string> tour_missed, adaptive_missed;  // reachable pairs each tour did not apply, "(STATE, kind)"
};

CoverageFigures measure_coverage(std::uint64_t seed, const std::vector<int>& checkpoints, int max_steps);

// A line chart (cases on a log axis, % of reachable pairs) as a self-contained SVG document.
std::string coverage_svg(const CoverageFigures& f);

}  // namespace bgc::bench
