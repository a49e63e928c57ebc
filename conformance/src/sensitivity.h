// How strict the model is, rule by rule (bgconform rules --sensitivity): passing cases of the reference
// are taken step by step, each answer and sweep observation is changed in one value (other_answers.h),
// and the changed step is judged. A rule's figure is how many of the changes it judges (made where it
// was consulted, to an answer of a call it judges: rule_calls) the model blames on it, of how many. A
// rule that rejects few of them constrains little: the place to look for a blind spot.
//
// A *witness* of a rule is a fixed case that the model rejects with that rule alone and accepts with
// that rule switched off: one changed answer in a recorded case of the reference (conformance/witnesses/).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "bgconform/recorded_target.h"
#include "case_loop.h"

namespace bgc {

struct RuleSensitivity {
  std::uint64_t situations = 0;         // steps at which the rule was consulted
  std::uint64_t tried = 0;              // changes it judges made at those steps
  std::uint64_t rejected = 0;           // of them, rejected with this rule blamed
  std::optional<RecordedCase> witness;  // the first change it alone rejects, as a case (when asked for)
};

struct Sensitivity {
  std::array<RuleSensitivity, kRuleCount> rules{};
  std::uint64_t cases = 0, steps = 0, changes = 0;
};

// Runs `settings` (its cases, seed, profile) against the reference and measures each rule; with
// `witnesses`, also finds each rule's witness.
Sensitivity measure_sensitivity(const RunSettings& settings, const CaseTools& tools, bool witnesses);

}  // namespace bgc
