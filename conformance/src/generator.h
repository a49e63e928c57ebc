// The stimulus generator of `bgconform run`: picks each next stimulus from what the model now
// believes, so that cases reach deep states (files added and resumed early, time advanced by the
// contract's durations and the job's own timer boundaries, failing sources, network loss).
// Now and then it plays a short scenario chosen from the belief (a fragment: fail the source a job is
// reading and let it recover; take and read an error object, then cause a different error before the
// job transfers again and read the object once more; fail a local-file source and read the object's
// values), whose steps are resolved against the belief as they are applied.
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
  // What the target can stage (Capabilities): a network loss becomes a second of waiting, a refused
  // connection a reset one; and a real-time target waits at most `longest_advance` seconds per Advance
  // (0: no limit), so a case takes seconds, not the contract's ten-minute retry delays.
  bool network_events = true;
  bool refused_connections = true;
  std::uint32_t longest_advance = 0;
  // Swarm testing: the case draws, from its own random bits, a subset of the client calls and of the
  // environment's events to use, and how often time passes, so that some cases leave out the calls that
  // would interrupt a long path (a GetState or Suspend between a failure and its retry) and others
  // press on one kind of event. About half the cases draw a subset; the others use everything.
  bool swarm = false;
};

using RandomBits = std::function<std::uint64_t()>;

class StimulusGenerator {
 public:
  StimulusGenerator(const JobModel& model, GeneratorOptions options, RandomBits random);
  // The next stimulus (always applicable to `belief`), or nullopt when the case is long enough.
  std::optional<Stimulus> next(const Belief& belief);

  // One step of a fragment: a fixed stimulus, or one resolved against the belief when it is due.
  struct PlanStep {
    enum class Kind : std::uint8_t {
      Fixed,          // `stimulus` as it is
      FailCurrent,    // the source of the job's current file answers `stimulus.behaviour`/`status`
      HealCurrent,    // that source answers ok (present) again, and the network is up
      ResumeIfIdle,   // Resume, when the job may be SUSPENDED or ERROR
      ShortRetry,     // SetMinimumRetryDelay 5s, when the job's delay is longer
      PastRetry,      // Advance one second past the job's retry delay
      ToTransfer,     // Advance 2s, when the job may not be TRANSFERRING yet
      LongerTimeout,  // SetNoProgressTimeout to two seconds past the job's retry delay
      PastTimeout,    // Advance one second past the job's no-progress timeout
      Poke,           // a stimulus aimed at an uncovered pair, else a weighted call on the job
    };
    Kind kind = Kind::Fixed;
    int job = 0;
    Stimulus stimulus;
  };

 private:
  std::optional<Stimulus> draw(const Belief& belief);
  void fit(Stimulus& s) const;
  std::uint32_t below(std::uint32_t n) { return n == 0 ? 0 : static_cast<std::uint32_t>(random_() % n); }
  Stimulus pick(const Belief& belief);
  // A stimulus of a kind the run has not yet applied in a job's current state, when there is one.
  std::optional<Stimulus> aim(const Belief& belief);
  std::optional<Stimulus> of_kind(const Belief& belief, int job, const StimulusKind& kind);
  Stimulus job_stimulus(const Belief& belief, int job);
  Stimulus call_on(Op op, const JobSlot& slot, int job, int any_h, int held_h);
  Stimulus environment(const Belief& belief);
  std::uint32_t duration(const Belief& belief);
  std::uint32_t timeout_for(const JobSlot& slot);
  // Starts a fragment that fits the belief, when one does; false otherwise.
  bool plan(const Belief& belief);
  // The plan's next stimulus (skipping steps that do not apply now); nullopt ends the plan.
  std::optional<Stimulus> from_plan(const Belief& belief);
  std::optional<Stimulus> resolve(const Belief& belief, const PlanStep& step);

  // The swarm's draw for this case (GeneratorOptions::swarm): which rows of job_stimulus's table and
  // which environment events may be picked, and a factor on how often time passes (in quarters).
  void draw_swarm();
  bool row_on(std::size_t row) const { return (rows_off_ >> row & 1u) == 0; }

  const JobModel& model_;
  GeneratorOptions options_;
  RandomBits random_;
  std::uint32_t rows_off_ = 0;          // job_stimulus rows left out
  std::uint32_t events_off_ = 0;        // environment() choices left out
  std::uint32_t advance_quarters_ = 4;  // 4: as usual; 2: half as often; 8: twice
  int produced_ = 0;
  std::vector<PlanStep> plan_;  // the fragment in play, in order
  std::size_t plan_at_ = 0;
  bool wants_object_calls_ = false;  // some wanted pair is an error-object call
  std::vector<Stimulus> aimed_;      // aim()'s list, kept for its capacity
};

}  // namespace bgc
