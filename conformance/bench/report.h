// The one table of `bgconform-bench` (the summary, goal by goal) and the detail tables under it, as
// Markdown (printed, and written to bench.md) and as JSON (bench.json).
#pragma once

#include <string>
#include <vector>

#include "com.h"
#include "coverage.h"
#include "mutants.h"
#include "paths.h"
#include "peer.h"

namespace bgc::bench {

struct BenchRun {
  std::string commit;  // git rev-parse --short HEAD (+ "-dirty" with uncommitted changes)
  unsigned cores = 0;  // nproc
  std::string when;    // UTC
  bool quick = false;
  PathOptions path_options;
  PathFigures paths;
  MutantOptions mutant_options;
  std::vector<MutantFigure> mutants;
  CoverageFigures coverage;
  PeerFigures peer;
  ComFigures com;
};

std::string render_markdown(const BenchRun& run);
std::string render_json(const BenchRun& run);

}  // namespace bgc::bench
