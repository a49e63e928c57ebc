// The workloads the benchmarks time: recorded cases of the state-aware generator (what `bgconform
// run` applies), replayed with the model (a checked replay, as `bgconform replay` does) or without it
// (a bare replay: the same stimuli and the same observation sweeps, nothing judged), and random byte
// inputs for the sequence fuzzer's entry point.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bgconform/runner.h"

namespace bgc::bench {

struct Workload {
  std::vector<std::vector<Stimulus>> cases;     // the applied stimuli of each case
  std::vector<std::vector<TracedStep>> traces;  // what the target answered to them, sweeps included
  std::uint64_t steps = 0;                      // their total
};

// `cases` generated cases (seed, case index as in `bgconform run`, no aiming) against `target`.
Workload record_generated(Target& target, const JobModel& model, std::uint64_t seed, int cases, int max_steps);

// A replay without the model: reset, then each stimulus and the GetState sweep of every live slot,
// as the Runner makes it. Returns the steps applied (the stimuli, sweeps not counted).
std::uint64_t bare_replay(Target& target, Profile profile, std::span<const Stimulus> stimuli);
// The same through the Runner (model check and trace monitors). Returns the steps applied.
std::uint64_t checked_replay(Target& target, const JobModel& model, std::span<const Stimulus> stimuli);

// The model alone on a recorded trace: each step and its sweep judged by JobModel::check, no target,
// no Runner. Returns the steps judged. What it costs against the bare replay is the floor of the
// cost of checking.
std::uint64_t model_replay(const JobModel& model, std::span<const TracedStep> trace);

// Random inputs for job_sequence_fuzzer (sizes 16..256 bytes), from a fixed seed.
std::vector<std::vector<std::uint8_t>> random_fuzz_inputs(std::uint64_t seed, int count);

}  // namespace bgc::bench
