// The adaptive transition tour (`bgconform run --tour`, and the benchmarks' coverage figures): cases
// that each go from wherever the target's answers put the belief towards the nearest reachable
// (state, stimulus kind) pair of the explorer's instance not applied yet, until none is left. No
// randomness: the same target gives the same cases.
#pragma once

#include <optional>
#include <vector>

#include "bgconform/explorer.h"
#include "bgconform/runner.h"

namespace bgc {

// A stimulus outside the explorer's instance that steers a target into the outcome a tour path follows,
// when `next` lets time pass: each working source of job 0's files set to delayed headers where the
// job is to stay CONNECTING, to ok where it is to go on. The model treats the two alike (and the
// explorer's key counts them as one), but a fast target connects within one Advance unless its source
// delays. Nothing when no steering is needed or the model would not apply it.
std::optional<Stimulus> steer(const JobModel& model, const Belief& b, const Stimulus& next,
                              std::optional<JobState> expected);

class AdaptiveTour {
 public:
  // `explorer` has run, on `model`; both outlive the tour. A case has at most `max_steps` stimuli.
  AdaptiveTour(const JobModel& model, const Explorer& explorer, int max_steps);

  // The next case's stimuli, one at a time for the Runner (StimulusSource); nullopt ends the case.
  // Call begin_case() before each case.
  void begin_case();
  std::optional<Stimulus> next(const Belief& belief);
  // True once a case has applied nothing: no pair the tour still aims at is reachable.
  bool over() const { return over_; }
  // After each case: whether it applied anything (the Runner's trace).
  void end_case(const CaseResult& r) { over_ = r.trace.empty(); }

 private:
  const JobModel& model_;
  const Explorer& explorer_;
  int max_steps_;
  std::vector<bool> aimed_;  // pairs applied or given up so far (laid out as reachable_pairs())
  std::vector<int> tries_;   // steps aimed at each pair
  Explorer::Taken taken_;    // the outcomes the target took: paths are planned over those
  int produced_ = 0;         // stimuli of this case so far
  std::optional<std::pair<Belief, Stimulus>> previous_;
  bool over_ = false;
};

}  // namespace bgc
