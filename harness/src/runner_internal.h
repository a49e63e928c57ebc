// What the two loops of the Runner (runner.cpp: a virtual-clock target with a sweep after each step;
// runner_real_time.cpp: a target that moves in real time) share.
#pragma once

#include <bit>
#include <string>
#include <vector>

#include "bgconform/explorer.h"
#include "bgconform/runner.h"

namespace bgc::detail {

// A crash or a hang ends the case: true when the observation says one happened.
inline bool ended(const Observation& o, CaseResult& r) {
  if (o.outcome == Outcome::Crashed) r.status = CaseStatus::Crash;
  else if (o.outcome == Outcome::TimedOut) r.status = CaseStatus::Timeout;
  else return false;
  r.failed_step = r.trace.size() - 1;
  return true;
}

inline void tally(CaseResult& r, const RuleBits& checked) {
  if (checked.none()) return;
  if constexpr (kRuleCount <= 64) {
    // Only the set bits, word at a time: this runs twice per step.
    for (std::uint64_t bits = checked.to_ullong(); bits != 0; bits &= bits - 1)
      ++r.tallies[static_cast<std::size_t>(std::countr_zero(bits))].checks;
  } else {
    for (int i = 0; i < kRuleCount; ++i)
      if (checked.test(static_cast<std::size_t>(i))) ++r.tallies[static_cast<std::size_t>(i)].checks;
  }
}

// Ends the case with a violation at the last traced step (`at`: 0 its answer, k its k-th sweep entry).
inline void violation(CaseResult& r, RuleId rule, bool by_monitor, int at, std::string allowed) {
  ++r.tallies[static_cast<std::size_t>(rule)].failures;
  r.status = CaseStatus::Violation;
  r.rule = rule;
  r.by_monitor = by_monitor;
  r.failed_step = r.trace.size() - 1;
  r.failed_at = at;
  r.allowed = std::move(allowed);
}

inline void observed_state(Coverage& c, JobState s) {
  c.states |= static_cast<std::uint16_t>(1u << static_cast<unsigned>(s));
}

}  // namespace bgc::detail
