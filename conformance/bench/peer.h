// The Hypothesis peer (peer/hypothesis_peer.py), run as a child process on the same
// plugins in the same run, and read back from the JSON it prints.
#pragma once

#include <string>
#include <vector>

namespace bgc::bench {

struct PeerKill {
  std::string name, rule;
  bool killed = false;
  double first_failure_seconds = -1, kill_seconds = -1;  // CPU seconds of the peer's process
  std::size_t counterexample_steps = 0;
};

struct PeerFigures {
  bool ran = false;
  std::string error;    // why it did not run
  std::string version;  // "hypothesis 6.67.1"
  int examples = 0;
  double steps_per_second = 0;
  std::size_t steps = 0;
  double seconds = 0;
  std::string speed_failure;  // a failure on the reference plugin (a bug in the peer)
  int kill_examples = 0;
  std::vector<PeerKill> kills;
};

// The mutants whose rules the peer checks (its seed rules: ST-1, E-1, E-2, E-3, E-5, E-6, M-13).
const std::vector<std::string>& peer_mutants();

PeerFigures run_peer(const std::string& python, const std::string& script, const std::string& constants,
                     const std::string& reference_plugin, const std::string& mutant_dir, int speed_examples,
                     int kill_examples);

}  // namespace bgc::bench
