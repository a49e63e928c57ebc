// The case loop of `bgconform run`: cases seeded from (seed, case index), dealt to lanes
// (run_result.h, kLanes), generated against the model's belief and guided by what each lane's earlier
// cases reached (case_corpus.h), run by the Runner, which goes on past every deviation; the first
// deviation of each failing rule is cut from its case and shrunk with the predicate "still breaks that
// rule", until the budgets (cases, checked steps, seconds) run out.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "bgconform/explorer.h"
#include "bgconform/run_result.h"
#include "bgconform/runner.h"
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

// Called with each case of the run as it ran (its index, and the Runner's result): `run --record`.
// Shrinking's and re-runs' cases are not the run's.
using CaseRecorder = std::function<void(std::uint64_t case_index, const CaseResult& result)>;

RunResult run_cases(const RunSettings& settings, Target& target, const CaseTools& tools, const Progress& progress = {},
                    const CaseRecorder& record = {});

// ---- What every loop of cases shares (run_cases; check_trace.h, which judges recorded ones) --------

// The rules a run judges: switched on, and applicable in its profile.
RuleBits rules_in_force(const ModelConfig& config);

// A lane seeks a discriminating situation of a rule in this many of its cases at most (a few steps of
// each, runner_internal.h): a rule its target never lets discriminate would cost every case a share.
inline constexpr std::uint32_t kSeekCases = 64;
inline constexpr std::uint8_t kProbesPerCase = 4;  // steps of a case a rule is sought at (Runner::seeking)

// What a lane (run_result.h, kLanes) seeks in its cases: each rule in force until one of its cases met
// a discriminating situation of it (found in lane order, so a shard finds what the whole run does).
struct LaneSeeking {
  RuleBits discriminated;                             // the rules that met one in the lane's cases
  std::array<std::uint32_t, kRuleCount> sought_in{};  // the lane's cases that sought each rule
  // The Runner for the lane's next case, seeking what it still lacks: on the virtual clock each rule in
  // the lane's first kSeekCases cases, at kProbesPerCase steps each; in real time at every step.
  Runner next_case(const Runner& runner, const RuleBits& in_force, bool virtual_clock);
};

// What a case brought its run: the failures it found first (each rule's first deviation cut there,
// then a crash or hang, which is the last).
struct CaseFindings {
  bool new_failure = false;
  bool crashed = false;  // the run's first crash or hang: the last of `failures`
  std::vector<CaseResult> failures;
};
// Adds a case's tallies, coverage and steps to its run and lane, and says what it found first. A known
// deviation of a target that is not deterministic is added as it happened.
CaseFindings add_case(RunResult& result, LaneSeeking& lane, const CaseResult& r, std::uint64_t index,
                      bool deterministic);
// Adds the counterexamples of those failures (the crash last when `crashed`): an unknown one replaces
// its rule's known one.
void add_counterexamples(RunResult& result, std::vector<Counterexample> found, bool crashed);
// A failure as it happened, neither shrunk nor run again, and why.
Counterexample as_found(const CaseResult& failure, std::uint64_t case_index, std::size_t original_steps,
                        std::string why);

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
