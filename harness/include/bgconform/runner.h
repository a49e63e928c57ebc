// The Runner: the only place where a target and the model meet (architecture.md).
//
// It applies stimuli to a target, makes the observation sweep after each one (GetState of every live
// job), asks the model whether the step is allowed, runs the trace monitors (which see only stimuli and
// observations: model-contract.md, "Against tautology"), and counts rule checks and coverage.
#pragma once

#include <array>
#include <bitset>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>
#include <utility>

#include "bgconform/inline_list.h"
#include "bgconform/model.h"
#include "bgconform/target.h"

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

// The model as it must judge a target with these capabilities: what the target's environment does
// that the harness does not decide (a real file read at the service's own pace).
inline ModelConfig model_config_for(ModelConfig config, const Capabilities& caps) {
  config.paced_local_file = caps.paced_local_file;
  config.real_time = !caps.virtual_clock;
  return config;
}

// Supplies the next stimulus of a case, given what the model now believes; nullopt ends the case.
using StimulusSource = std::function<std::optional<Stimulus>(const Belief&)>;

// How the Runner follows a target that moves on its own in real time (Capabilities::virtual_clock false:
// a real service). After each stimulus it polls GetState of every live job until the states have not
// changed for `quiet` or `settle_timeout` has passed. Before judging each observation it lets the model
// advance by the whole seconds that may have passed since the previous one (measured around the calls),
// so internal transitions that polling did not see are allowed; a deviation is an observation that no
// path through that time explains. Each poll is a step of its own (I-12, a rule about one instant, is
// not judged across polls made at different times).
struct RealTimeOptions {
  std::chrono::milliseconds poll_interval{100};
  std::chrono::milliseconds quiet{300};
  std::chrono::milliseconds settle_timeout{3000};
};

// What the Runner does when a step breaks a rule. It judges the step again with that rule switched off
// (for that step: the model keeps the possibilities that explain the observation without the rule, and
// judges every later step with every rule again), so one shallow deviation does not hide the deeper
// ones. When no rule, switched off alone, explains the step, the step is judged with every rule off
// (the model then lets each job be in any state the observation shows) and the case still goes on.
struct DeviationPolicy {
  // Go on past every deviation (bgconform run, replay); false: the case ends at the first deviation
  // that is not known (what the shortest-sequence searches want: a case that fails first with a rule).
  bool go_on = false;
  // Deviations that are known (the ledger, with its scopes): gone past always, and they do not make the
  // case a violation. A real service is not shrunk but run again, and its known deviations need no
  // re-runs. Consulted only at a deviation.
  KnownDeviations known;
};

class Runner {
 public:
  Runner() = default;
  explicit Runner(DeviationPolicy policy, RealTimeOptions real_time = {})
      : policy_(std::move(policy)), real_time_(real_time) {}
  explicit Runner(RealTimeOptions real_time) : real_time_(real_time) {}
  // Runs one case: reset, then each applicable stimulus with its sweep, until the end, a crash or a
  // hang, or a deviation the policy does not go on past.
  CaseResult run_case(Target& target, const JobModel& model, std::span<const Stimulus> stimuli) const;
  CaseResult run_case(Target& target, const JobModel& model, const StimulusSource& next) const;

  // The same Runner, looking in each case for a discriminating situation of each of these rules: a step
  // that consults the rule, where an answer the target could have given instead (one value changed,
  // other_answers.h) is one the rule rejects (JobModel::rejecting_rules). Those found are
  // in CaseResult::discriminated. A rule that only ever allows every answer has checked nothing.
  // A rule is judged so at `probes_per_case` steps of a case at most (kProbeEveryStep: at each step that
  // consults it): against a fast target, a rule it never lets discriminate would otherwise have every
  // step that consults it judged some fifty times over.
  Runner seeking(const RuleBits& rules, std::uint8_t probes_per_case) const {
    Runner r = *this;
    r.sought_ = rules;
    r.probes_per_case_ = probes_per_case;
    return r;
  }

 private:
  CaseResult run_virtual_time(Target& target, const JobModel& model, const StimulusSource& next) const;
  CaseResult run_real_time(Target& target, const JobModel& model, const StimulusSource& next) const;
  DeviationPolicy policy_;
  RealTimeOptions real_time_;
  RuleBits sought_;
  std::uint8_t probes_per_case_ = 4;
};

inline constexpr std::uint8_t kProbeEveryStep = 255;  // Runner::seeking: more than a case has steps

}  // namespace bgc
