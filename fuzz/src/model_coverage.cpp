#include "model_coverage.h"

#include <algorithm>

// libFuzzer finds this array by its section (__start/__stop symbols) and treats every byte as a
// coverage counter. Outside a libFuzzer build it is just an array.
extern "C" {
__attribute__((section("__libfuzzer_extra_counters"), used))
std::uint8_t bgc_model_counters[bgc::ModelSituations::kCount];
}

namespace bgc::fuzz {

ModelCoverage::ModelCoverage(Profile profile, bool enabled) : enabled_(enabled), situations_(profile) {}

std::size_t ModelCoverage::size() { return ModelSituations::kCount; }

std::span<const std::uint8_t> ModelCoverage::counters() { return {bgc_model_counters, ModelSituations::kCount}; }

void ModelCoverage::clear() { std::fill(std::begin(bgc_model_counters), std::end(bgc_model_counters), 0); }

std::size_t ModelCoverage::nonzero() {
  return static_cast<std::size_t>(std::count_if(std::begin(bgc_model_counters), std::end(bgc_model_counters),
                                                [](std::uint8_t c) { return c != 0; }));
}

void ModelCoverage::before(const Belief& belief, const Stimulus& s) {
  if (enabled_) situations_.before(bgc_model_counters, belief, s);
}

void ModelCoverage::after(const Belief& belief) {
  if (enabled_) situations_.after(bgc_model_counters, belief);
}

CaseResult run_counted(Target& target, const JobModel& model, ModelCoverage& coverage, std::span<const Stimulus> seq) {
  std::size_t i = 0;
  // Only applicable stimuli are handed to the Runner, so the counters see each applied one.
  return Runner{}.run_case(target, model, [&](const Belief& b) -> std::optional<Stimulus> {
    coverage.after(b);
    while (i < seq.size()) {
      const Stimulus& s = seq[i++];
      if (!model.applicable(b, s)) continue;
      coverage.before(b, s);
      return s;
    }
    return std::nullopt;
  });
}

}  // namespace bgc::fuzz
