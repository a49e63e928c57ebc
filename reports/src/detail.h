// Helpers the renderers share (reports/src only).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "bgconform/run_result.h"

namespace bgc::detail {

std::string xml_escape(std::string_view s);
// What went wrong at a counterexample's failing step.
struct FailureDetail {
  std::string stimulus;  // the stimulus (or sweep call) whose answer broke the rule
  std::string observed;  // what the target answered
  std::string allowed;   // what the model allowed ("" for a crash or hang)
};
FailureDetail failure_detail(const Counterexample& c);
std::string sweep_text(std::span<const Step> sweep);
// A traced step's stimulus, marked when the Runner polled a real-time target or let time pass first:
// "GetState j0 (poll, +0..1s)".
std::string stimulus_text(const TracedStep& t);
// "shrunk from 12 to 4 steps", or for a target that is not deterministic "12 steps, not shrunk; failed
// the same way in 2 of 2 re-runs".
std::string size_text(const Counterexample& c);

}  // namespace bgc::detail
