// A recorded case as a target: the answers a service gave once (a trace file, `bgconform check`), given
// back to the Runner, which judges them as it judges a live target's - one judging path for both.
//
// The Runner asks; the recording answers. Whatever the Runner asks that the recording does not hold (a
// sweep without a GetState of a live job, a stimulus the model cannot apply there) is a malformed trace:
// a TraceError naming the trace's line.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bgconform/runner.h"

namespace bgc {

// What a trace cannot be checked for, at a line of its file (0 when it is not from a file).
class TraceError : public std::runtime_error {
 public:
  TraceError(int line, const std::string& what) : std::runtime_error(what), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

class RecordedTarget final : public Target, private RecordedAnswers {
 public:
  // `real_time`: the recording was of a service that moves on its own (polls and times), else of one
  // on the harness's virtual clock (a sweep after each step). `paced_local_file` as Capabilities says.
  RecordedTarget(const RecordedCase& recorded, Profile profile, bool real_time, bool paced_local_file);
  // The case's stimuli, in order, for Runner::run_case: each must be applied (a stimulus the Runner
  // skips as inapplicable is a TraceError).
  StimulusSource stimuli();
  // Throws a TraceError unless every recorded line was asked for.
  void expect_all_used() const;

  Capabilities capabilities() const override { return caps_; }
  void reset(Profile profile) override;
  Observation apply(const Stimulus& s) override;
  void apply_all(std::span<const Stimulus> stimuli, std::span<Observation> answers) override;
  RecordedAnswers* recorded() override { return real_time_ ? this : nullptr; }
  std::string name() const override { return "recorded trace"; }

 private:
  std::pair<std::int64_t, std::int64_t> last_call_us() const override { return last_call_; }
  std::optional<Stimulus> next_poll() override;
  int line_of(std::size_t step) const;
  [[noreturn]] void fail(std::size_t step, const std::string& what) const;

  const RecordedCase& case_;
  Capabilities caps_;
  bool real_time_;
  std::size_t next_ = 0;              // the next step not yet given to the Runner
  std::optional<std::size_t> given_;  // a stimulus given by stimuli() and not yet applied
  std::pair<std::int64_t, std::int64_t> last_call_{0, 0};
};

}  // namespace bgc
