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

#include "bgconform/inline_list.h"
#include "bgconform/model.h"
#include "bgconform/target.h"

namespace bgc {

// The sweep after one step: at most one GetState per job slot. Kept inline in its TracedStep, so that
// recording a step allocates nothing (a heap sweep was one malloc and free per checked step), and left
// unmade until each Step is added (giving three Steps their default values first was a tenth of the
// Runner's own time).
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
};

struct RuleTally {
  std::uint64_t checks = 0;
  std::uint64_t failures = 0;
};

// What a run has covered, as absolute counts (per profile: all_kinds(profile) decides the layout).
struct Coverage {
  std::uint16_t states = 0;        // bit per JobState observed in a sweep
  std::vector<bool> pairs;         // (state * kinds + kind): state before an applied stimulus of that kind
  std::vector<bool> triples;       // ((state * kinds + kind) * 9 + next state)
  std::bitset<kOpCount> unsupported_ops;  // calls the target answered "not-supported"
  void init(Profile p);
  void merge(const Coverage& other);
  std::size_t state_count() const;
  std::size_t pair_count() const;
  std::size_t triple_count() const;
};

enum class CaseStatus : std::uint8_t { Pass, Violation, Crash, Timeout };

// A rule the target broke in a case, where it first broke it. A case goes on past a deviation
// (DeviationPolicy): each rule it reaches is listed once, in the order found.
struct Deviation {
  RuleId rule = RuleId::ST_9;
  bool by_monitor = false;
  std::size_t step = 0;  // index in CaseResult::trace
  int at = 0;            // 0: the stimulus's answer; k: the k-th sweep observation
  std::string allowed;   // what the model (or monitor) allowed there, in words
  bool known = false;    // listed in the ledger (DeviationPolicy::known): it does not fail the case
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
  std::vector<TracedStep> trace;  // the applied steps, in order (skipped stimuli are not here)
  std::vector<Deviation> deviations;  // every rule broken, the first time it was, known ones included
  std::array<RuleTally, kRuleCount> tallies{};
  Coverage coverage;

  bool failed() const { return status != CaseStatus::Pass; }
  // The applied stimuli (without the Runner's polls): what a replay file or a shrinker needs.
  std::vector<Stimulus> applied() const;
  const Deviation* deviation(RuleId r) const {
    for (const Deviation& d : deviations)
      if (d.rule == r) return &d;
    return nullptr;
  }
  // The case cut at the first deviation of `r`, as a violation of that rule: the counterexample of
  // one rule among several that a case broke.
  CaseResult up_to(RuleId r) const;
};

// The model as it must judge a target with these capabilities: what the target's environment does
// that the harness does not decide (a real file read at the service's own pace).
inline ModelConfig model_config_for(ModelConfig config, const Capabilities& caps) {
  config.paced_local_file = caps.paced_local_file;
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
  // Rules whose deviations are known (the ledger): gone past always, and they do not make the case a
  // violation. A real service is not shrunk but run again, and its known deviations need no re-runs.
  RuleSet known;
};

class Runner {
 public:
  Runner() = default;
  explicit Runner(DeviationPolicy policy, RealTimeOptions real_time = {}) : policy_(policy), real_time_(real_time) {}
  explicit Runner(RealTimeOptions real_time) : real_time_(real_time) {}
  // Runs one case: reset, then each applicable stimulus with its sweep, until the end, a crash or a
  // hang, or a deviation the policy does not go on past.
  CaseResult run_case(Target& target, const JobModel& model, std::span<const Stimulus> stimuli) const;
  CaseResult run_case(Target& target, const JobModel& model, const StimulusSource& next) const;

 private:
  CaseResult run_real_time(Target& target, const JobModel& model, const StimulusSource& next) const;
  DeviationPolicy policy_;
  RealTimeOptions real_time_;
};

}  // namespace bgc
