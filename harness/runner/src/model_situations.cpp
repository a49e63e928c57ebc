#include "bgconform/model_situations.h"

#include <algorithm>

#include "bgconform/stimulus_kind.h"

namespace bgc {
namespace {

using namespace situations_layout;
constexpr std::size_t kNoJob = kJobStateCount;
constexpr std::size_t kReleased = kJobStateCount + 1;
static_assert(kRows <= 16, "the rows of a slot are a 16-bit mask");
static_assert(static_cast<int>(Op::ReleaseError) - static_cast<int>(Op::ErrGetError) + 1 == kErrorOps);
constexpr std::size_t kTransitionsAt = kPairs;
constexpr std::size_t kRecordsAt = kTransitionsAt + kTransitions;
constexpr std::size_t kErrorCountsAt = kRecordsAt + kRecords;
constexpr std::size_t kErrorCallsAt = kErrorCountsAt + kErrorCounts;
constexpr std::size_t kEnvironmentsAt = kErrorCallsAt + kErrorCalls;
constexpr std::size_t kTogetherAt = kEnvironmentsAt + kEnvironments;
static_assert(kTogetherAt + kTogether == kCount);

// Sets a counter; 1 when it was not set before.
inline int hit(std::span<std::uint8_t> counters, std::size_t i) {
  const int fresh = counters[i] == 0 ? 1 : 0;
  counters[i] = 1;
  return fresh;
}

bool holds_objects(const JobSlot& slot) {
  for (bool h : slot.held)
    if (h) return true;
  return false;
}

// Whether the source a record's failure came from answers otherwise now (another status, or none).
bool source_changed(const Environment& env, const ErrorRecord& r) {
  if (r.source >= kSourceCount) return false;
  const std::uint16_t now = env.behaviour[r.source] == Behaviour::Http ? env.status[r.source] : 0;
  return now != r.status;
}

// The rows a slot is in: its possible states while live; "released" while only held objects keep it;
// else "no job".
std::uint16_t rows_of(const JobSlot& slot) {
  if (slot.live) return possible_states(slot);
  return static_cast<std::uint16_t>(1u << (holds_objects(slot) ? kReleased : kNoJob));
}

// The behaviour of the source of the first file the job may not have done (kBehaviourCount: none).
std::size_t reading(const Belief& b, const JobSlot& slot) {
  std::size_t done = kMaxFilesPerJob;
  for (const JobCandidate& c : slot.candidates) done = std::min<std::size_t>(done, c.files_done);
  if (done >= slot.files) return kBehaviourCount;
  return static_cast<std::size_t>(b.env.behaviour[slot.sources[done]]);
}

}  // namespace

ModelSituations::ModelSituations(Profile profile) : profile_(profile) {}

int ModelSituations::before(std::span<std::uint8_t> counters, const Belief& belief, const Stimulus& s) {
  pending_kind_ = -1;
  const int k = kind_index(profile_, kind_of(s));
  if (k < 0 || k >= static_cast<int>(kKindsMax)) return 0;
  pending_kind_ = k;
  int fresh = 0;
  for (int j = 0; j < kMaxJobs; ++j) {
    pending_rows_[j] = 0;
    const JobSlot& slot = belief.jobs[j];
    if (is_environment(s.op) ? !slot.live && !holds_objects(slot) : s.job != j) continue;
    pending_rows_[j] = rows_of(slot);
    for (std::size_t row = 0; row < kRows; ++row)
      if (pending_rows_[j] >> row & 1u) fresh += hit(counters, row * kKindsMax + static_cast<std::size_t>(k));
  }
  if (s.op >= Op::ErrGetError && s.op <= Op::ReleaseError) fresh += error_call(counters, belief, s);
  return fresh;
}

// A call on a held error object, with what the object was taken from.
int ModelSituations::error_call(std::span<std::uint8_t> counters, const Belief& belief, const Stimulus& s) {
  const JobSlot& slot = belief.jobs[s.job];
  if (s.index >= kMaxHandlesPerJob || !slot.held[s.index]) return 0;
  const std::size_t call = static_cast<std::size_t>(s.op) - static_cast<std::size_t>(Op::ErrGetError);
  int fresh = 0;
  for (const JobCandidate& c : slot.candidates) {
    const HeldError& h = c.handles[s.index];
    std::size_t i = std::min(static_cast<std::size_t>(h.snapshot.cause) + 1, kCauses - 1);
    i = i * 2 + (is_local_source(h.snapshot.source) ? 1 : 0);
    i = i * kErrorOps + call;
    i = i * 2 + (h.stale ? 1 : 0);
    fresh += hit(counters, kErrorCallsAt + i);
  }
  return fresh;
}

int ModelSituations::after(std::span<std::uint8_t> counters, const Belief& belief) {
  int fresh = 0;
  if (pending_kind_ >= 0) {
    for (int j = 0; j < kMaxJobs; ++j) {
      if (pending_rows_[j] == 0) continue;
      const std::uint16_t now = rows_of(belief.jobs[j]);
      for (std::size_t a = 0; a < kRows; ++a) {
        if (!(pending_rows_[j] >> a & 1u)) continue;
        for (std::size_t b = 0; b < kRows; ++b)
          if (now >> b & 1u)
            fresh +=
                hit(counters, kTransitionsAt + (a * kKindsMax + static_cast<std::size_t>(pending_kind_)) * kRows + b);
      }
    }
    pending_kind_ = -1;
  }
  std::array<std::uint16_t, kMaxJobs> rows{};
  for (int j = 0; j < kMaxJobs; ++j) {
    const JobSlot& slot = belief.jobs[j];
    if (!slot.live && !holds_objects(slot)) continue;
    rows[j] = rows_of(slot);
    for (const JobCandidate& c : slot.candidates) {
      const std::size_t cause = c.has_record ? static_cast<std::size_t>(c.record.cause) + 1 : 0;
      std::size_t held = 0;
      bool stale = false, superseded = false;  // superseded: the job has failed again since it was taken
      for (int h = 0; h < kMaxHandlesPerJob; ++h)
        if (slot.held[h]) {
          ++held;
          stale = stale || c.handles[h].stale;
          superseded =
              superseded || (!c.handles[h].stale && c.has_record && c.handles[h].snapshot.serial != c.record.serial);
        }
      const std::size_t row = slot.live ? static_cast<std::size_t>(c.state) : kReleased;
      std::size_t i = row;
      i = i * kCauses + std::min(cause, kCauses - 1);
      i = i * 2 + (c.has_record && c.record.observed ? 1 : 0);
      i = i * 3 + std::min<std::size_t>(held, 2);
      i = i * 4 + (stale ? 2 : 0) + (superseded ? 1 : 0);
      i = i * 2 + (c.record_discarded ? 1 : 0);
      i = i * 3 + std::min<std::size_t>(c.files_done, 2);
      i = i * 2 + (c.chunks > 0 ? 1 : 0);
      i = i * 2 + (c.has_record && source_changed(belief.env, c.record) ? 1 : 0);
      fresh += hit(counters, kRecordsAt + i);
      if (!slot.live) continue;
      std::size_t e = row;
      e = e * 3 + std::min<std::uint32_t>(c.errors_lo, 2);
      e = e * 2 + (c.errors_lo == c.errors_hi ? 1 : 0);
      e = e * 2 + (c.record_discarded ? 1 : 0);
      fresh += hit(counters, kErrorCountsAt + e);
    }
    if (!slot.live) continue;
    const std::size_t env = reading(belief, slot) * 2 + (belief.env.network_up ? 1 : 0);
    for (std::size_t row = 0; row < kRows; ++row)
      if (rows[j] >> row & 1u) fresh += hit(counters, kEnvironmentsAt + row * (kBehaviourCount + 1) * 2 + env);
  }
  // Two jobs at once, the lower row first (whichever slots they are in).
  for (int i = 0; i < kMaxJobs; ++i)
    for (int j = i + 1; j < kMaxJobs; ++j) {
      if (rows[i] == 0 || rows[j] == 0) continue;
      for (std::size_t a = 0; a < kRows; ++a)
        for (std::size_t b = 0; b < kRows; ++b)
          if ((rows[i] >> a & 1u) && (rows[j] >> b & 1u))
            fresh += hit(counters, kTogetherAt + std::min(a, b) * kRows + std::max(a, b));
    }
  return fresh;
}

}  // namespace bgc
