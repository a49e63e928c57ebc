// The stimulus generator of `bgconform run`: picks each next stimulus from what the model now
// believes, so that cases reach deep states (files added and resumed early, time advanced by the
// contract's durations and the job's own timer boundaries, failing sources, network loss).
// It draws its randomness from a function, so RapidCheck (or a test) can supply it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include <vector>

#include "bgconform/explorer.h"
#include "bgconform/model.h"

namespace bgc {

struct GeneratorOptions {
  int max_steps = 40;  // applied steps per case
  int jobs = 3;        // job slots in use (1-3)
  // Pairs (state * kinds + kind, as in Coverage::pairs) still worth aiming at: reachable and not yet
  // covered by the run. Empty: no aiming.
  std::vector<bool> wanted_pairs;
};

using RandomBits = std::function<std::uint64_t()>;

class StimulusGenerator {
 public:
  StimulusGenerator(const JobModel& model, GeneratorOptions options, RandomBits random);
  // The next stimulus (always applicable to `belief`), or nullopt when the case is long enough.
  std::optional<Stimulus> next(const Belief& belief);

 private:
  std::uint32_t below(std::uint32_t n) { return n == 0 ? 0 : static_cast<std::uint32_t>(random_() % n); }
  Stimulus pick(const Belief& belief);
  // A stimulus of a kind the run has not yet applied in a job's current state, when there is one.
  std::optional<Stimulus> aim(const Belief& belief);
  std::optional<Stimulus> of_kind(const Belief& belief, int job, const StimulusKind& kind);
  Stimulus job_stimulus(const Belief& belief, int job);
  Stimulus environment(const Belief& belief);
  std::uint32_t duration(const Belief& belief);
  std::uint32_t timeout_for(const JobSlot& slot);

  const JobModel& model_;
  GeneratorOptions options_;
  RandomBits random_;
  int produced_ = 0;
};

}  // namespace bgc
