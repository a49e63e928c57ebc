#include "model_coverage.h"

#include <algorithm>

#include "bgconform/explorer.h"

namespace bgc::fuzz {
namespace {

constexpr std::size_t kStates = kJobStateCount;
constexpr std::size_t kKindsMax = 40;  // all_kinds() has 31 in bits
constexpr std::size_t kCauses = 9;     // Cause values, and "no record"
constexpr std::size_t kPairs = kStates * kKindsMax;
constexpr std::size_t kTriples = kPairs * kStates;
// state × cause × observed × held handles (0-2) × a held handle is stale × record discarded
constexpr std::size_t kSituations = kStates * kCauses * 2 * 3 * 2 * 2;
constexpr std::size_t kCounters = kPairs + kTriples + kSituations;

}  // namespace
}  // namespace bgc::fuzz

// libFuzzer finds this array by its section (__start/__stop symbols) and treats every byte as a
// coverage counter. Outside a libFuzzer build it is just an array.
extern "C" {
__attribute__((section("__libfuzzer_extra_counters"), used)) std::uint8_t bgc_model_counters[bgc::fuzz::kCounters];
}

namespace bgc::fuzz {
namespace {

inline void hit(std::size_t i) {
  std::uint8_t& c = bgc_model_counters[i];
  if (c != 0xff) ++c;
}

}  // namespace

ModelCoverage::ModelCoverage(Profile profile, bool enabled)
    : enabled_(enabled), profile_(profile), kinds_(static_cast<int>(all_kinds(profile).size())) {}

std::size_t ModelCoverage::size() { return kCounters; }

std::size_t ModelCoverage::nonzero() {
  return static_cast<std::size_t>(
      std::count_if(std::begin(bgc_model_counters), std::end(bgc_model_counters), [](std::uint8_t c) { return c != 0; }));
}

void ModelCoverage::before(const Belief& belief, const Stimulus& s) {
  pending_kind_ = -1;
  if (!enabled_) return;
  const int k = kind_index(profile_, kind_of(s));
  if (k < 0 || k >= static_cast<int>(kKindsMax)) return;
  pending_kind_ = k;
  for (int j = 0; j < kMaxJobs; ++j) {
    pending_states_[j] = 0;
    const JobSlot& slot = belief.jobs[j];
    if (!slot.live || (!is_environment(s.op) && s.job != j)) continue;
    pending_states_[j] = possible_states(slot);
    for (std::size_t st = 0; st < kStates; ++st)
      if (pending_states_[j] >> st & 1u) hit(st * kKindsMax + static_cast<std::size_t>(k));
  }
}

void ModelCoverage::after(const Belief& belief) {
  if (!enabled_) return;
  if (pending_kind_ >= 0) {
    for (int j = 0; j < kMaxJobs; ++j) {
      if (pending_states_[j] == 0 || !belief.jobs[j].live) continue;
      const std::uint16_t now = possible_states(belief.jobs[j]);
      for (std::size_t a = 0; a < kStates; ++a) {
        if (!(pending_states_[j] >> a & 1u)) continue;
        for (std::size_t b = 0; b < kStates; ++b)
          if (now >> b & 1u) hit(kPairs + (a * kKindsMax + static_cast<std::size_t>(pending_kind_)) * kStates + b);
      }
    }
    pending_kind_ = -1;
  }
  // Error-record situations: what the model believes of each live job's record and held objects.
  for (const JobSlot& slot : belief.jobs) {
    if (!slot.live) continue;
    for (const JobCandidate& c : slot.candidates) {
      const std::size_t cause = c.has_record ? static_cast<std::size_t>(c.record.cause) + 1 : 0;
      std::size_t held = 0;
      bool stale = false;
      for (int h = 0; h < kMaxHandlesPerJob; ++h)
        if (slot.held[h]) {
          ++held;
          stale = stale || c.handles[h].stale;
        }
      std::size_t i = static_cast<std::size_t>(c.state);
      i = i * kCauses + std::min(cause, kCauses - 1);
      i = i * 2 + (c.has_record && c.record.observed ? 1 : 0);
      i = i * 3 + std::min<std::size_t>(held, 2);
      i = i * 2 + (stale ? 1 : 0);
      i = i * 2 + (c.record_discarded ? 1 : 0);
      hit(kPairs + kTriples + i);
    }
  }
}

}  // namespace bgc::fuzz
