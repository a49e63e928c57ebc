// What a case and its steps come to: the results the Runner fills in and the reports render. Plain values
// of the model's types, so that reports depend on the model alone (docs/architecture.md, layers).
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgconform/inline_list.h"
#include "bgconform/model.h"

namespace bgc {

// The sweep after one step: at most one GetState per job slot. Kept inline in its TracedStep, so that
// recording a step allocates nothing, and left unmade until each Step is added: both are on the path of
// every checked step (docs/performance.md).
using Sweep = InlineList<Step, kMaxJobs>;

// One applied stimulus with its answer and the sweep that followed it.
struct TracedStep {
  // Every member has its own initializer; a constructor of our own keeps `TracedStep()` from zeroing
  // the whole step first (one is made on every checked step).
  TracedStep() {}
  Step step;
  Sweep sweep;
  // Real-time targets (runner.h, RealTimeOptions): the seconds that may have passed since the previous
  // observation, which the model allowed before judging this one; and whether this is a GetState the
  // Runner made to follow the service rather than a stimulus of the case.
  Span waited;
  bool poll = false;
  // Real-time targets: when the call was made and when it returned, in microseconds since the case
  // began (whole microseconds, so a recorded trace re-checks with exactly the times judged: trace files).
  std::int64_t called_us = 0, returned_us = 0;
};

struct RuleTally {
  std::uint64_t checks = 0;
  std::uint64_t failures = 0;
  // Cases in which the rule met a discriminating situation (Runner::seeking): a step where its check
  // excluded an answer a target could have given.
  std::uint64_t discriminating = 0;
};

// What a run has covered, as absolute counts (per profile: all_kinds(profile) decides the layout).
struct Coverage {
  std::uint16_t states = 0;               // bit per JobState observed in a sweep
  std::vector<bool> pairs;                // (state * kinds + kind): state before an applied stimulus of that kind
  std::vector<bool> triples;              // ((state * kinds + kind) * 9 + next state)
  std::bitset<kOpCount> unsupported_ops;  // calls the target answered "not-supported"
  void init(Profile p);
  void merge(const Coverage& other);
  std::size_t state_count() const;
  std::size_t pair_count() const;
  std::size_t triple_count() const;
};

enum class CaseStatus : std::uint8_t { Pass, Violation, Crash, Timeout };

// Where a deviation happened, as a ledger entry's "where" names it (README, "CI gating").
// `state` is the state the judged job was last observed in before the step: the stimulus's job, when
// the deviation is in the call's answer or in the sweep's observation of that job; else the job whose
// sweep observation broke the rule (an environment event, or another job's observation). None when that
// job was not seen before the step (CreateJob; an environment event's own answer names no job).
struct DeviationSite {
  std::optional<JobState> state;
  Op op = Op::GetState;  // the step's stimulus (op_name: "GetError", "Advance", ...)
  std::string answer;    // the observation that broke the rule, in text form (to_string(observation, op))
  friend bool operator==(const DeviationSite&, const DeviationSite&) = default;
};

// A rule the target broke in a case, where it first broke it. A case goes on past a deviation
// (DeviationPolicy): each rule it reaches is listed once as known and once as not known (a scoped
// ledger entry covers some of a rule's deviations only), in the order found.
struct Deviation {
  RuleId rule = RuleId::ST_9;
  bool by_monitor = false;
  std::size_t step = 0;  // index in CaseResult::trace
  int at = 0;            // 0: the stimulus's answer; k: the k-th sweep observation
  std::string allowed;   // what the model (or monitor) allowed there, in words
  bool known = false;    // covered by the ledger (DeviationPolicy::known): it does not fail the case
  DeviationSite where;
};

// One ledger entry as the Runner matches it: a rule, and where its deviations are known (each part
// optional: an entry without any is the rule anywhere).
struct KnownScope {
  RuleId rule = RuleId::ST_9;
  std::optional<JobState> state;
  std::optional<Op> op;
  std::optional<std::string> answer;
  bool covers(const DeviationSite& where) const {
    return (!state || where.state == state) && (!op || where.op == *op) && (!answer || where.answer == *answer);
  }
};

// The deviations a ledger expects. `rules` (every rule with an entry) keeps the common answer cheap:
// a rule without one is never known, whatever the scopes.
struct KnownDeviations {
  KnownDeviations() = default;
  // Each of these rules known anywhere (an unscoped ledger).
  KnownDeviations(RuleSet anywhere) : rules(anywhere), anywhere(anywhere) {}  // NOLINT: implicit on purpose
  RuleSet rules;
  RuleSet anywhere;                // rules with an unscoped entry
  std::vector<KnownScope> scoped;  // the scoped entries
  bool covers(RuleId rule, const DeviationSite& where) const {
    if (!rules.on(rule)) return false;
    if (anywhere.on(rule)) return true;
    for (const KnownScope& k : scoped)
      if (k.rule == rule && k.covers(where)) return true;
    return false;
  }
  void add(const KnownScope& k) {
    rules = rules.with(k.rule);
    if (!k.state && !k.op && !k.answer)
      anywhere = anywhere.with(k.rule);
    else
      scoped.push_back(k);
  }
};

struct CaseResult {
  CaseStatus status = CaseStatus::Pass;
  // Violation: the first deviation that is not known, and where: the index in `trace` and 0 (the
  // stimulus's answer) or k (the k-th sweep observation); `allowed` says what the model (or monitor)
  // allowed there. Crash and Timeout: the step that crashed or hung.
  RuleId rule = RuleId::ST_9;
  bool by_monitor = false;
  std::size_t failed_step = 0;
  int failed_at = 0;
  std::string allowed;
  std::string failure;           // Crash and Timeout: how the target failed, in its words (Target::failure_detail)
  bool failed_in_reset = false;  // Crash and Timeout: in the reset before the case (Target::failed_in_reset)
  std::string output;  // a case that failed or deviated: what the implementation printed (Target::case_output)
  // A violation: where it happened, and whether the ledger covers it (a case cut at one of its known
  // deviations by up_to; the Runner's own violation is never known).
  DeviationSite where;
  bool known = false;
  std::vector<TracedStep> trace;      // the applied steps, in order (skipped stimuli are not here)
  std::vector<Deviation> deviations;  // every rule broken, the first time it was, known ones included
  std::array<RuleTally, kRuleCount> tallies{};
  RuleBits discriminated;  // the rules sought (Runner::seeking) that met a discriminating situation
  Coverage coverage;

  bool failed() const { return status != CaseStatus::Pass; }
  // The applied stimuli (without the Runner's polls): what a replay file or a shrinker needs.
  std::vector<Stimulus> applied() const;
  // The first deviation of `r` (known or not), or the one that is (not) known.
  const Deviation* deviation(RuleId r) const {
    for (const Deviation& d : deviations)
      if (d.rule == r) return &d;
    return nullptr;
  }
  const Deviation* deviation(RuleId r, bool known) const {
    for (const Deviation& d : deviations)
      if (d.rule == r && d.known == known) return &d;
    return nullptr;
  }
  // The case cut at the first deviation of `r` (the known or unknown one when `known` says which), as a
  // violation of that rule: the counterexample of one rule among several that a case broke.
  CaseResult up_to(RuleId r, std::optional<bool> known = std::nullopt) const;
};

// One case of a trace: its steps as the Runner traced them (stimulus, answer, sweep or poll, times).
struct RecordedCase {
  std::uint64_t index = 0;  // the case's index in the run that recorded it (decides its lane)
  std::vector<TracedStep> steps;
  std::vector<int> lines;  // each step's line in its file (0: not from a file)
};

}  // namespace bgc
