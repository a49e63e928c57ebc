// Trace monitors: checks of E-1 and E-5 that see only the stimuli and the observations, never the
// model's belief (model-contract.md, "Against tautology"). They are sound over-approximations: they
// stop judging wherever an unseen move inside one Advance could explain an answer.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "bgconform/model.h"

namespace bgc::detail {

struct MonitorFailure {
  RuleId rule;
  std::string allowed;
};

class TraceMonitors {
 public:
  explicit TraceMonitors(const ModelConfig& config);
  // Feeds one stimulus and its answer; returns a failure when a monitor rejects the answer.
  // `checked` gets the rules a monitor consulted.
  std::optional<MonitorFailure> feed(const Stimulus& s, const Observation& o, RuleBits& checked) {
    // Most of what the monitors see is the sweep's GetState answers: taken here, inline, without a call
    // of the general path below and the optional it returns.
    if (s.op == Op::GetState && s.job < kMaxJobs && o.outcome == Outcome::Answered) {
      if (hr::succeeded(o.hr)) observe_state(jobs_[s.job], o.state);
      return std::nullopt;
    }
    return feed_other(s, o, checked);
  }

 private:
  std::optional<MonitorFailure> feed_other(const Stimulus& s, const Observation& o, RuleBits& checked);

  struct Held {
    bool tracked = false;   // values must stay the same (I-2) while tracked
    bool detached = false;  // its job was released waiting for a call: it never transfers again (E-3)
    bool known = false;     // the first Error.GetError answer was seen
    ErrorContext context = ErrorContext::None;
    HRESULT code = 0;
  };
  struct Job {
    bool error_possible = false;  // since the last observed TRANSFERRING: an error may have happened
    std::optional<JobState> last;
    std::array<Held, kMaxHandlesPerJob> held{};
  };
  void observe_state(Job& job, JobState s);
  bool failing_environment() const;

  Profile profile_;
  bool e1_on_, e5_on_, snapshot_;
  bool unscripted_failures_;  // I-17 (ModelConfig::unscripted_transient_errors)
  std::array<Behaviour, kSourceCount> behaviour_{};
  bool network_up_ = true;
  std::array<Job, kMaxJobs> jobs_{};
};

}  // namespace bgc::detail
