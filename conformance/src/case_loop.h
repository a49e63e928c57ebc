// The case loop of `bgconform run`: cases seeded from (seed, case index), dealt to lanes
// (run_result.h, kLanes), generated against the model's belief and guided by what each lane's earlier
// cases reached (case_corpus.h), run by the Runner, which goes on past every deviation; the first
// deviation of each failing rule is cut from its case and shrunk with the predicate "still breaks that
// rule", until the budgets (cases, checked steps, seconds) run out.
#pragma once

#include <functional>
#include <vector>

#include "bgconform/explorer.h"
#include "bgconform/run_result.h"
#include "generator.h"

namespace bgc {

// The longest wait one Advance makes against a real-time target (GeneratorOptions::longest_advance):
// past the contract's 5 s connecting and chunk boundaries, short enough for a run of minutes.
inline constexpr std::uint32_t kLongestRealTimeAdvance = 6;

// Randomness and shrinking come from outside (the RapidCheck adapter, rc_adapter.cpp), so this
// library stays free of test frameworks and position-independent.
struct CaseTools {
  std::function<RandomBits(std::uint64_t seed, std::uint64_t case_index)> random;
  using Predicate = std::function<bool(const std::vector<Stimulus>&)>;
  std::function<std::vector<Stimulus>(std::vector<Stimulus>, const Predicate&)> shrink;
};

// Called after every case; `result` is the run so far.
using Progress = std::function<void(const RunResult& result, bool new_failure)>;

RunResult run_cases(const RunSettings& settings, Target& target, const CaseTools& tools, const Progress& progress = {});

// The explorer of a model configuration, run on the contract's instance. Exploring takes about a second
// and depends on the configuration alone, so each process explores once per configuration (`bgconform
// mutants` and the benchmarks run many loops); the explorer keeps a model of its own.
struct Explored {
  explicit Explored(const ModelConfig& config);
  JobModel model;
  Explorer explorer;
};
const Explored& explored(const JobModel& model);

// The explorer's reachable (state, kind) pairs and (state, kind, next state) triples.
struct Reachable {
  std::vector<bool> pairs, triples;
};
Reachable reachable_transitions(const JobModel& model);

// Runs one fixed sequence (a replay or a shrink candidate), going on past every deviation; `known`
// marks the ones the ledger covers.
CaseResult run_sequence(Target& target, const JobModel& model, const std::vector<Stimulus>& stimuli,
                        const KnownDeviations& known = {});

// Shrinks a failing case: the result fails the same way (same rule, as known or not to `known`, the
// ledger; or the same crash/hang).
Counterexample shrink_case(Target& target, const JobModel& model, const CaseResult& failing, std::uint64_t case_index,
                           const CaseTools& tools, const KnownDeviations& known = {});

}  // namespace bgc
