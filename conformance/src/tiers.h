// The tiers of a run: how much checking `bgconform run --tier quick|full` does.
#pragma once

#include <cstdint>

#include "bgconform/run_result.h"

namespace bgc {

// The tiers of `bgconform run --tier` (and `bgconform mutants --tier`): budgets of checked steps, not
// cases, so that a tier means the same amount of checking whatever the cases' lengths. quick is sized
// so that the reference plugin in its child process takes about 5 s on a 2-core machine (every pull
// request); full about a minute (before a release). A target that moves in real time (com:bits) has
// tiers in minutes instead.
struct Tier {
  std::uint64_t steps;       // checked steps
  int max_steps;             // stimuli per case at most
  double real_time_seconds;  // the budget against a real-time target
  int real_time_max_steps;
};
inline constexpr Tier kQuickTier{1'500'000, 40, 180, 16};
inline constexpr Tier kFullTier{18'000'000, 80, 1800, 30};
// A run's settings at a tier against a target on the virtual clock: the tier's step budget, no case bound.
inline void apply_tier(RunSettings& s, const Tier& t, const char* name) {
  s.tier = name;
  s.cases = kNoCaseBound;
  s.step_budget = t.steps;
  s.time_budget = 0;
  s.max_steps = t.max_steps;
}

}  // namespace bgc
