#include "bgconform/recorded_target.h"

namespace bgc {

RecordedTarget::RecordedTarget(const RecordedCase& recorded, Profile profile, bool real_time, bool paced_local_file)
    : case_(recorded), real_time_(real_time) {
  caps_.deterministic = !real_time;
  caps_.virtual_clock = !real_time;
  caps_.paced_local_file = paced_local_file;
  caps_.profiles = {profile};
}

void RecordedTarget::reset(Profile) {
  next_ = 0;
  given_.reset();
  last_call_ = {0, 0};
}

int RecordedTarget::line_of(std::size_t step) const { return step < case_.lines.size() ? case_.lines[step] : 0; }

void RecordedTarget::fail(std::size_t step, const std::string& what) const { throw TraceError(line_of(step), what); }

StimulusSource RecordedTarget::stimuli() {
  return [this](const Belief&) -> std::optional<Stimulus> {
    // The Runner asks for the next stimulus without applying the last: the model cannot apply it there.
    if (given_)
      fail(*given_, "'" + to_string(case_.steps[*given_].step.stimulus) +
                        "' cannot be applied here (its job slot is not live, or is taken already)");
    if (next_ >= case_.steps.size()) return std::nullopt;
    if (case_.steps[next_].poll)
      fail(next_, "a poll where the case's next stimulus was expected (polls follow a stimulus)");
    given_ = next_;
    return case_.steps[next_].step.stimulus;
  };
}

std::optional<Stimulus> RecordedTarget::next_poll() {
  if (given_ || next_ >= case_.steps.size() || !case_.steps[next_].poll) return std::nullopt;
  given_ = next_;
  return case_.steps[next_].step.stimulus;
}

Observation RecordedTarget::apply(const Stimulus& s) {
  if (!given_ || case_.steps[*given_].step.stimulus != s)
    fail(given_.value_or(next_), "the checker asked for '" + to_string(s) + "', which the trace does not hold here");
  const TracedStep& t = case_.steps[*given_];
  last_call_ = {t.called_us, t.returned_us};
  next_ = *given_ + 1;
  given_.reset();
  return t.step.observation;
}

void RecordedTarget::apply_all(std::span<const Stimulus> stimuli, std::span<Observation> answers) {
  if (real_time_ || stimuli.empty()) return Target::apply_all(stimuli, answers);
  const std::size_t at = given_.value_or(next_);
  answers[0] = apply(stimuli[0]);
  const TracedStep& t = case_.steps[at];
  // The Runner's sweep is GetState of every job live after the step: the recording's must be the same.
  std::size_t used = 0;
  for (std::size_t k = 1; k < stimuli.size(); ++k) {
    if (ends_the_case(answers[k - 1].outcome)) {
      answers[k].outcome = answers[k - 1].outcome;
      continue;
    }
    const Step* found = nullptr;
    for (const Step& q : t.sweep)
      if (q.stimulus == stimuli[k]) found = &q;
    if (found == nullptr)
      fail(at, "the sweep after '" + to_string(t.step.stimulus) + "' has no '" + to_string(stimuli[k]) +
                   "' (every job live after a step is swept)");
    answers[k] = found->observation;
    ++used;
  }
  if (!ends_the_case(answers[0].outcome) && used != t.sweep.size())
    for (const Step& q : t.sweep) {
      bool asked = false;
      for (std::size_t k = 1; k < stimuli.size(); ++k) asked |= stimuli[k] == q.stimulus;
      if (!asked)
        fail(at, "the sweep after '" + to_string(t.step.stimulus) + "' has '" + to_string(q.stimulus) +
                     "', a job slot that is not live after it");
    }
}

void RecordedTarget::expect_all_used() const {
  if (given_ || next_ < case_.steps.size())
    fail(given_.value_or(next_), "the case cannot go on past its crash or hang (or the check stopped here)");
}

}  // namespace bgc
