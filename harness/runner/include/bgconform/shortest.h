// The shortest counterexample the model allows: a bounded breadth-first search over stimulus
// sequences, each candidate checked on the target by the Runner, for the shortest sequence that fails
// the same way as a given failing case (the same rule, or the same crash or hang).
//
// The search runs after shrinking (RapidCheck's, or a fuzzer's): its alphabet is the distinct stimuli
// of the failing case before and after shrinking, so every candidate is made of moves the failing case
// made. Sequences
// are merged when the model believes the same of the target after them (the belief, narrowed by the
// target's own answers), so the search walks the model's states, not the sequences. Bounded by nodes
// (and, for a hang, by time): a search cut short keeps the failing case as it was.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "bgconform/runner.h"

namespace bgc {

struct ShortestOptions {
  std::size_t max_nodes = 4000;  // candidate sequences run on the target at most
  // A wall-clock bound, 0 for none. A violation's search has none: the same seed must give the same
  // counterexample on any machine and under any load. A hang's search has one, since each candidate
  // that hangs costs the hang probe's wait, and which candidates hang depends on timing anyway.
  std::chrono::milliseconds max_time{0};
  // The ledger: a shorter candidate fails the same way only if the ledger covers its violation as it
  // covers the failing case's (CaseResult::known), so a deviation outside a scoped entry is not
  // replaced by one inside it (or the other way round).
  KnownDeviations known;
};

struct ShortestResult {
  CaseResult shortest;     // the shortest failing case found (the input when none is shorter)
  std::size_t before = 0;  // applied steps of the input
  std::size_t nodes = 0;   // candidates run
  bool complete = false;   // the search ended within its bounds: no shorter sequence in its alphabet
};

// `failing` must have failed; returns it unchanged if nothing shorter fails the same way. `more` widens
// the alphabet (e.g. the stimuli of the case before shrinking).
ShortestResult shortest_counterexample(Target& target, const JobModel& model, const CaseResult& failing,
                                       const ShortestOptions& options = {}, std::span<const Stimulus> more = {});

// The same search over the model's own moves, for counterexamples that need moves the failing case
// never made (the network going down for an error at once, a shorter retry delay), which no search
// over the case's own stimuli finds. From each sequence it tries the failing step's stimulus (on job
// slot 0) and every stimulus the explorer tries from the belief the target's answers led to (its
// alphabet: calls on job slot 0, source and network events, durations at the job's timer boundaries,
// none longer than the failing case's time in all); sequences are merged when their beliefs are one
// state of the explorer (Explorer::key), so it walks the explorer's states as the target takes them.
// Only violations are searched (a crash or a hang is not judged by the model's states, and every
// hanging candidate costs its timeout).
// Its default bounds: its states are few (some thousands within ten steps) and each costs one run: in
// process tens of milliseconds, in a child process through shared memory about a second at most.
inline ShortestOptions explorer_search_bounds(const KnownDeviations& known = {}) {
  ShortestOptions o;
  o.known = known;
  o.max_nodes = 8000;
  return o;
}
ShortestResult shortest_through_explorer(Target& target, const JobModel& model, const CaseResult& failing,
                                         const ShortestOptions& options = explorer_search_bounds());

// The shortest sequence in the explorer's alphabet (as above: job slot 0, its source and network
// events, durations at its timer boundaries) whose case meets a discriminating situation of `rule` on
// this target (Runner::seeking): a directed case for a rule that generated cases may rarely put to the
// test. A candidate that deviates is not extended. No move lets more than kLongestDirectedWait seconds
// pass (the explorer's two-week timeout would make every candidate slow; a timeout of 0 s is in its
// alphabet). nullopt when nothing within the bounds meets one.
inline constexpr std::uint64_t kLongestDirectedWait = 3600;
std::optional<std::vector<Stimulus>> shortest_to_discriminate(
    Target& target, const JobModel& model, RuleId rule, const ShortestOptions& options = explorer_search_bounds());

// Whether two results fail the same way: the same status and, for violations, the same rule.
bool fails_the_same_way(const CaseResult& a, const CaseResult& b);

}  // namespace bgc
