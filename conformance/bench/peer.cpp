#include "peer.h"

#include <nlohmann/json.hpp>

#include "command.h"

namespace bgc::bench {

const std::vector<std::string>& peer_mutants() {
  static const std::vector<std::string> names = {
      "error-without-error",        "error-cleared-on-resume", "error-kept-after-transfer",
      "failing-call-creates-error", "no-error-in-transient",   "held-error-follows-job",
      "file-for-transport-error",   "internal-context-leaks",  "null-error-with-s-ok"};
  return names;
}

PeerFigures run_peer(const std::string& python, const std::string& script, const std::string& constants,
                     const std::string& reference_plugin, const std::string& mutant_dir, int speed_examples,
                     int kill_examples) {
  PeerFigures f;
  const std::string base = quoted(python) + " " + quoted(script) + " --constants " + quoted(constants) + " ";
  std::string out;
  if (!capture(base + quoted(reference_plugin) + " speed --examples " + std::to_string(speed_examples), out)) {
    f.error = "the peer did not run (" + python + " with python3-hypothesis?)";
    return f;
  }
  try {
    const auto j = nlohmann::json::parse(out);
    f.version = j.value("peer", "");
    f.examples = j.value("examples", 0);
    f.steps = j.value("steps", std::size_t{0});
    f.seconds = j.value("seconds", 0.0);
    f.steps_per_second = j.value("steps_per_second", 0.0);
    if (!j["failure"].is_null()) f.speed_failure = j["failure"].get<std::string>();
    out.clear();
    std::string command = base + quoted(mutant_dir) + " kill";
    for (const std::string& m : peer_mutants()) command += " " + m;
    command += " --examples " + std::to_string(kill_examples);
    if (!capture(command, out)) {
      f.error = "the peer's kill run failed";
      return f;
    }
    f.kill_examples = kill_examples;
    const auto kills = nlohmann::json::parse(out);  // kept: a range-for over a temporary's member would dangle
    for (const auto& m : kills["mutants"]) {
      PeerKill k;
      k.name = m["name"].get<std::string>();
      k.killed = m["killed"].get<bool>();
      if (k.killed) {
        k.rule = m["rule"].get<std::string>();
        k.first_failure_seconds = m["first_failure_seconds"].get<double>();
        k.kill_seconds = m["kill_seconds"].get<double>();
        k.counterexample_steps = m["counterexample_steps"].get<std::size_t>();
      }
      f.kills.push_back(k);
    }
  } catch (const std::exception& e) {
    f.error = std::string("unreadable peer output: ") + e.what();
    return f;
  }
  f.ran = true;
  return f;
}

}  // namespace bgc::bench
