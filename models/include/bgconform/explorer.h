// The explorer: breadth-first search of the model on a finite instance (model-contract.md,
// "The explorer's finite instance"). It counts reachable states, (state, stimulus kind) pairs and
// transitions, checks the cross-cutting invariants on every reachable state, draws the job-state
// graph, and builds a transition tour.
//
// Jobs are independent in the model except for the scheduling rule (I-12), which is checked across
// jobs on every observation sweep; so the explorer walks one job with its environment, which
// reaches every per-job state the two-job instance reaches.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bgconform/model.h"
#include "bgconform/stimulus_kind.h"

namespace bgc {

struct ExplorerInstance {
  int files_per_job = 2;
  std::vector<int> sources = {0};
  std::vector<Stimulus> source_events;  // the Source stimuli to try
  bool network_events = true;
  std::vector<std::uint32_t> retry_delays = {5, 600};
  std::vector<std::uint32_t> timeouts = {0, 1'209'600};
  std::vector<std::uint32_t> durations = {1, 4, 5, 6};  // plus the boundaries ±1 of the job's timers
  std::vector<Op> job_ops;                              // empty: every job call of the profile

  // The contract's instance: one source with {ok, http(404), refused}, network up/down,
  // retry delay {5, 600}, timeout {0, 1,209,600}, up to two files.
  static ExplorerInstance contract();
};

struct ExplorerStats {
  std::size_t states = 0;                       // reachable abstract states (environment + one job)
  std::size_t transitions = 0;                  // distinct (state, stimulus, next state) edges
  std::size_t pairs = 0;                        // reachable (job state, stimulus kind) pairs
  std::size_t triples = 0;                      // (job state, stimulus kind, next job state) seen
  std::size_t job_states = 0;                   // BG_JOB_STATE values reachable
  std::vector<std::string> invariant_failures;  // empty when every invariant holds
};

class Explorer {
 public:
  Explorer(const JobModel& model, ExplorerInstance instance);
  void run();
  const ExplorerStats& stats() const { return stats_; }
  // Reachable (state, kind) pairs, as a bit per (state * kinds + kind index).
  const std::vector<bool>& reachable_pairs() const { return pairs_; }
  // Seen (state, kind, next state) triples.
  const std::vector<bool>& triples() const { return triples_; }
  // The job-state graph in Graphviz DOT: states, and edges labelled by stimulus kinds.
  std::string dot() const;
  // The abstract state the explorer counts a belief as (equal keys: one state). A source that delays
  // its headers counts as an ok one (the model does not tell them apart).
  static std::string key(const Belief& b, const ExplorerInstance& instance);
  // The stimuli the walk tries from a belief (the instance's alphabet there, on job slot 0): every
  // applicable call, source and network event, and durations at the job's timer boundaries. Needs no run().
  void stimuli_for(const Belief& b, std::vector<Stimulus>& out) const;
  // Few stimulus sequences (each starting from a fresh service, each at most max_steps long) that
  // together apply every reachable (state, kind) pair. Empty before run().
  std::vector<std::vector<Stimulus>> tour(int max_steps = 40) const;
  // The same tour with the outcome it follows: after stimuli[i] the path goes on from the job state
  // expected[i] (none: no job). The model allows other outcomes; a driver may steer a target into these
  // (the bench makes a source delay its headers where the tour expects CONNECTING after time passes).
  struct TourSequence {
    std::vector<Stimulus> stimuli;
    std::vector<std::optional<JobState>> expected;
  };
  std::vector<TourSequence> planned_tour(int max_steps = 40) const;
  // The adaptive tour's next stimulus: from the state a belief is in, the first step of a shortest
  // path to a (state, kind) pair not in `covered` (laid out as reachable_pairs()); nullopt when the
  // belief is not a state of the instance or nothing uncovered is reachable from it. The fixed tour
  // follows one outcome of each stimulus; a target that takes another outcome leaves it, while the
  // adaptive tour goes on from wherever the target's answers put the belief.
  struct TourStep {
    Stimulus next;
    std::size_t pair = 0;  // the pair the path leads to
    // The job's state the path goes on from after `next` (the outcome of `next` it follows); none when
    // `next` applies the pair itself (any outcome covers it) or the path goes on without a job. A
    // driver may steer the target into that outcome (the bench makes a source delay its headers when
    // the path needs the job to stay CONNECTING while time passes).
    std::optional<JobState> expected;
  };
  // Outcomes a target was seen to take: (explorer state, stimulus) → the states it led to. Where some
  // are known, toward_uncovered plans over those alone. The model allows outcomes a target may never take
  // (a TRANSFERRED job may go to TRANSIENT_ERROR on network loss, I-10); a tour that kept aiming through
  // one of those alternated the same two stimuli until it gave the pair up. Every outcome seen is kept,
  // not the last one alone: an explorer state does not hold all a target goes by (how long a job has
  // been connecting, for one), so the same stimulus from it may be seen to lead to several states.
  struct Taken {
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> next;
  };
  // Records that `s` took the target from `before` to `after` (nothing when either is not a state here,
  // nor for time passing in CONNECTING: how long the job has been connecting is in no state here, so
  // one outcome says nothing about the next).
  void learn(Taken& taken, const Belief& before, const Stimulus& s, const Belief& after) const;
  std::optional<TourStep> toward_uncovered(const Belief& belief, const std::vector<bool>& covered,
                                           const Taken* taken = nullptr) const;

 private:
  struct Node;
  struct Edge {
    std::uint32_t to;
    std::uint32_t stimulus;  // index into stimuli_
  };
  std::uint32_t intern(const Stimulus& s);

  const JobModel& model_;
  ExplorerInstance instance_;
  std::vector<Belief> nodes_;
  // Looked up by string_view: the key of a successor is made in a reused buffer, not a new string.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view k) const { return std::hash<std::string_view>{}(k); }
  };
  std::unordered_map<std::string, std::uint32_t, KeyHash, std::equal_to<>> index_;  // node by key()
  std::vector<std::vector<Edge>> edges_;
  std::vector<Stimulus> stimuli_;
  std::size_t intern_hint_ = 0;  // where intern() looks first
  std::vector<bool> pairs_, triples_;
  ExplorerStats stats_;
};

}  // namespace bgc
