// Drives the model the way the Runner does: each stimulus with its answer, then the sweep (the
// state of every live job). Steps are written in the one-line text form.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "bgconform/model.h"

namespace bgc::testing {

class ModelDriver {
 public:
  explicit ModelDriver(ModelConfig config = {}) : model_(std::move(config)), belief_(model_.initial()) {}

  // Applies `stimulus` answered by `answer`; `states` are the states the sweep saw, one per live
  // job slot in slot order (e.g. {"QUEUED"}). Returns the check.
  StepCheck step(const std::string& stimulus, const std::string& answer, std::vector<std::string> states = {}) {
    auto s = parse_stimulus(stimulus);
    EXPECT_TRUE(s) << stimulus << ": " << s.error;
    auto o = parse_observation(answer);
    EXPECT_TRUE(o) << answer << ": " << o.error;
    EXPECT_TRUE(model_.applicable(belief_, s.value)) << stimulus << " is not applicable here";
    live_after(s.value);
    std::vector<Step> sweep;
    std::size_t next = 0;
    for (int j = 0; j < kMaxJobs; ++j) {
      if (!live_[j]) continue;
      EXPECT_LT(next, states.size()) << "the sweep needs a state for job " << j << " after " << stimulus;
      if (next >= states.size()) break;
      Observation seen;
      seen.state = *parse_job_state(states[next++]);
      sweep.push_back({stim::call(Op::GetState, j), seen});
    }
    return model_.check(belief_, {s.value, o.value}, sweep);
  }
  // A step that must pass.
  void ok(const std::string& stimulus, const std::string& answer, std::vector<std::string> states = {}) {
    StepCheck c = step(stimulus, answer, std::move(states));
    EXPECT_TRUE(c.ok) << stimulus << " -> " << answer << " broke " << rule_id(c.rule) << "; allowed: " << c.allowed;
  }
  // A step that must fail with `rule`.
  void fails(const std::string& rule, const std::string& stimulus, const std::string& answer,
             std::vector<std::string> states = {}) {
    StepCheck c = step(stimulus, answer, std::move(states));
    EXPECT_FALSE(c.ok) << stimulus << " -> " << answer << " passed";
    if (!c.ok) {
      EXPECT_EQ(rule, rule_id(c.rule)) << stimulus << " -> " << answer << "; allowed: " << c.allowed;
    }
  }
  const Belief& belief() const { return belief_; }
  const JobModel& model() const { return model_; }

 private:
  void live_after(const Stimulus& s) {
    if (s.op == Op::CreateJob) live_[s.job] = true;
    if (s.op == Op::ReleaseJob) live_[s.job] = false;
  }
  JobModel model_;
  Belief belief_;
  bool live_[kMaxJobs] = {};
};

inline ModelConfig with(Profile p, std::vector<std::string> interps = {}) {
  ModelConfig c;
  c.profile = p;
  for (auto& i : interps) EXPECT_EQ("", c.interpretations.set(i));
  return c;
}

// Two beliefs are the same: the environment, and per slot what the model knows exactly and every candidate.
inline bool same_belief(const Belief& a, const Belief& b) {
  if (a.env.behaviour != b.env.behaviour || a.env.status != b.env.status || a.env.network_up != b.env.network_up)
    return false;
  for (int j = 0; j < kMaxJobs; ++j) {
    const JobSlot &x = a.jobs[j], &y = b.jobs[j];
    if (x.live != y.live || x.files != y.files || x.sources != y.sources || x.held != y.held ||
        x.candidates != y.candidates)
      return false;
  }
  return true;
}

// CreateJob j0, AddFile from `source`, Resume: a queued job (bits).
inline void queued_job(ModelDriver& m, const std::string& source = "src0") {
  m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
  m.ok("AddFile j0 " + source, "S_OK", {"SUSPENDED"});
  m.ok("Resume j0", "S_OK", {"QUEUED"});
}

// An interpretation switch: after `scenario`, the last step fails with `rule` under one value and
// passes under the other. `failing_value` is "default" or the alternative "I-n=VALUE".
struct SwitchCase {
  Profile profile = Profile::Bits;
  std::string alternative;    // "I-n=VALUE"
  bool default_fails = true;  // which side fails
  std::string rule;
  std::string stimulus, answer;
  std::vector<std::string> states;
};
inline void check_switch(const SwitchCase& c, const std::function<void(ModelDriver&)>& scenario) {
  ModelDriver def(with(c.profile));
  scenario(def);
  ModelDriver alt(with(c.profile, {c.alternative}));
  scenario(alt);
  ModelDriver& failing = c.default_fails ? def : alt;
  ModelDriver& passing = c.default_fails ? alt : def;
  failing.fails(c.rule, c.stimulus, c.answer, c.states);
  passing.ok(c.stimulus, c.answer, c.states);
}

}  // namespace bgc::testing
