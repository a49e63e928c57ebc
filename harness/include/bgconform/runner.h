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

struct CaseResult {
  CaseStatus status = CaseStatus::Pass;
  // Violation: the rule and where: the index in `trace` and 0 (the stimulus's answer) or k (the k-th sweep
  // observation); `allowed` says what the model (or monitor) allowed there.
  RuleId rule = RuleId::ST_9;
  bool by_monitor = false;
  std::size_t failed_step = 0;
  int failed_at = 0;
  std::string allowed;
  std::vector<TracedStep> trace;  // the applied steps, in order (skipped stimuli are not here)
  // Known deviations the case went on past (RealTimeOptions::go_on_past), the first of each rule.
  struct PassedDeviation {
    RuleId rule = RuleId::ST_9;
    bool by_monitor = false;
    std::size_t step = 0;  // index in `trace`
    std::string allowed;
  };
  std::vector<PassedDeviation> passed;
  std::array<RuleTally, kRuleCount> tallies{};
  Coverage coverage;

  bool failed() const { return status != CaseStatus::Pass; }
  // The applied stimuli (without the Runner's polls): what a replay file or a shrinker needs.
  std::vector<Stimulus> applied() const;
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
  // Rules whose failure is a known deviation of this service (the ledger): the case goes on past such
  // a failure, judging that step with the rule switched off, so one shallow known deviation does not
  // hide every deeper behaviour of a real service. The failure is counted and listed in `passed`.
  RuleSet go_on_past;
};

class Runner {
 public:
  Runner() = default;
  explicit Runner(RealTimeOptions real_time) : real_time_(real_time) {}
  // Runs one case: reset, then each applicable stimulus with its sweep, until the end, the first
  // violation, a crash or a hang.
  CaseResult run_case(Target& target, const JobModel& model, std::span<const Stimulus> stimuli) const;
  CaseResult run_case(Target& target, const JobModel& model, const StimulusSource& next) const;

 private:
  CaseResult run_real_time(Target& target, const JobModel& model, const StimulusSource& next) const;
  RealTimeOptions real_time_;
};

}  // namespace bgc
