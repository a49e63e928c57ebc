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

#include "bgconform/case_result.h"
#include "bgconform/model.h"
#include "bgconform/target.h"

namespace bgc {

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
