#include "model_coverage.h"

#include <algorithm>

#include "bgconform/explorer.h"

namespace bgc::fuzz {
namespace {

// The job states, and two more rows: an empty slot (so CreateJob counts too), and a released slot whose
// error objects the client still holds (the model keeps its candidates for those handles). Without the
// last, a ReleaseJob with a held object, and every call on that object afterwards, would look like
// nothing new to libFuzzer (the mutant crash-after-release hides exactly there).
constexpr std::size_t kNoJob = kJobStateCount;
constexpr std::size_t kReleased = kJobStateCount + 1;
constexpr std::size_t kStates = kJobStateCount + 2;
static_assert(kStates <= 16, "the rows of a slot are a 16-bit mask");
constexpr std::size_t kKindsMax = 40;  // all_kinds() has 31 in bits
constexpr std::size_t kCauses = 9;     // Cause values, and "no record"
constexpr std::size_t kErrorOps = 6;   // Error.GetError ... ReleaseError, in Op order
static_assert(static_cast<int>(Op::ReleaseError) - static_cast<int>(Op::ErrGetError) + 1 == kErrorOps);
constexpr std::size_t kPairs = kStates * kKindsMax;
constexpr std::size_t kTriples = kPairs * kStates;
// state × cause × observed × held handles (0-2) × what the held objects are (all of the current
// record; one of an earlier record; one stale; both) × record discarded × files transferred (0-2) ×
// in mid-file (some chunks of the current file are in) × the source of the record answers otherwise
// now (so the next failure will differ from the one held)
constexpr std::size_t kSituations = kStates * kCauses * 2 * 3 * 4 * 2 * 3 * 2 * 2;
// GetErrorCount (E-9): state × the fewest errors the job must have counted (0, 1, 2+) × whether the
// count is known exactly (GetErrorCount answered since the last failure) × record discarded (the job
// transferred again since). A small block of its own: in the situations' product these would multiply
// the corpus.
constexpr std::size_t kErrorCounts = kStates * 3 * 2 * 2;
// Calls on a held error object (E-5 to E-8): the cause of the record it was taken from × whether that
// failure was a local file's × the call × whether the object is stale. Without it, Error.GetProtocol on
// the object of a local file's failure was nothing new once it had been made on an HTTP failure's.
constexpr std::size_t kErrorCalls = kCauses * 2 * kErrorOps * 2;
constexpr std::size_t kCounters = kPairs + kTriples + kSituations + kErrorCounts + kErrorCalls;
constexpr std::size_t kErrorCountsAt = kPairs + kTriples + kSituations;
constexpr std::size_t kErrorCallsAt = kErrorCountsAt + kErrorCounts;

}  // namespace
}  // namespace bgc::fuzz

// libFuzzer finds this array by its section (__start/__stop symbols) and treats every byte as a
// coverage counter. Outside a libFuzzer build it is just an array.
extern "C" {
__attribute__((section("__libfuzzer_extra_counters"), used)) std::uint8_t bgc_model_counters[bgc::fuzz::kCounters];
}

namespace bgc::fuzz {
namespace {

// Presence, not a count: libFuzzer buckets counts (1, 2, 3, 4-7, ...), and a situation reached three
// times instead of twice is not new to the model; counted, such inputs crowd the corpus.
inline void hit(std::size_t i) { bgc_model_counters[i] = 1; }

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

}  // namespace

ModelCoverage::ModelCoverage(Profile profile, bool enabled)
    : enabled_(enabled), profile_(profile), kinds_(static_cast<int>(all_kinds(profile).size())) {}

std::size_t ModelCoverage::size() { return kCounters; }

std::span<const std::uint8_t> ModelCoverage::counters() { return {bgc_model_counters, kCounters}; }

void ModelCoverage::clear() { std::fill(std::begin(bgc_model_counters), std::end(bgc_model_counters), 0); }

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
    if (is_environment(s.op) ? !slot.live && !holds_objects(slot) : s.job != j) continue;
    pending_states_[j] = rows_of(slot);
    for (std::size_t st = 0; st < kStates; ++st)
      if (pending_states_[j] >> st & 1u) hit(st * kKindsMax + static_cast<std::size_t>(k));
  }
  if (s.op >= Op::ErrGetError && s.op <= Op::ReleaseError) count_error_call(belief, s);
}

// A call on a held error object, with what the object was taken from (kErrorCalls).
void ModelCoverage::count_error_call(const Belief& belief, const Stimulus& s) {
  const JobSlot& slot = belief.jobs[s.job];
  if (s.index >= kMaxHandlesPerJob || !slot.held[s.index]) return;
  const std::size_t call = static_cast<std::size_t>(s.op) - static_cast<std::size_t>(Op::ErrGetError);
  for (const JobCandidate& c : slot.candidates) {
    const HeldError& h = c.handles[s.index];
    std::size_t i = std::min(static_cast<std::size_t>(h.snapshot.cause) + 1, kCauses - 1);
    i = i * 2 + (is_local_source(h.snapshot.source) ? 1 : 0);
    i = i * kErrorOps + call;
    i = i * 2 + (h.stale ? 1 : 0);
    hit(kErrorCallsAt + i);
  }
}

void ModelCoverage::after(const Belief& belief) {
  if (!enabled_) return;
  if (pending_kind_ >= 0) {
    for (int j = 0; j < kMaxJobs; ++j) {
      if (pending_states_[j] == 0) continue;
      const std::uint16_t now = rows_of(belief.jobs[j]);
      for (std::size_t a = 0; a < kStates; ++a) {
        if (!(pending_states_[j] >> a & 1u)) continue;
        for (std::size_t b = 0; b < kStates; ++b)
          if (now >> b & 1u) hit(kPairs + (a * kKindsMax + static_cast<std::size_t>(pending_kind_)) * kStates + b);
      }
    }
    pending_kind_ = -1;
  }
  // Error-record situations: what the model believes of each job's record and held objects (a released
  // job's too, while objects of it are held).
  for (const JobSlot& slot : belief.jobs) {
    if (!slot.live && !holds_objects(slot)) continue;
    for (const JobCandidate& c : slot.candidates) {
      const std::size_t cause = c.has_record ? static_cast<std::size_t>(c.record.cause) + 1 : 0;
      std::size_t held = 0;
      bool stale = false, superseded = false;  // superseded: the job has failed again since it was taken
      for (int h = 0; h < kMaxHandlesPerJob; ++h)
        if (slot.held[h]) {
          ++held;
          stale = stale || c.handles[h].stale;
          superseded = superseded || (!c.handles[h].stale && c.has_record && c.handles[h].snapshot.serial != c.record.serial);
        }
      std::size_t i = slot.live ? static_cast<std::size_t>(c.state) : kReleased;
      i = i * kCauses + std::min(cause, kCauses - 1);
      i = i * 2 + (c.has_record && c.record.observed ? 1 : 0);
      i = i * 3 + std::min<std::size_t>(held, 2);
      i = i * 4 + (stale ? 2 : 0) + (superseded ? 1 : 0);
      i = i * 2 + (c.record_discarded ? 1 : 0);
      i = i * 3 + std::min<std::size_t>(c.files_done, 2);
      i = i * 2 + (c.chunks > 0 ? 1 : 0);
      i = i * 2 + (c.has_record && source_changed(belief.env, c.record) ? 1 : 0);
      hit(kPairs + kTriples + i);
      if (!slot.live) continue;
      std::size_t e = static_cast<std::size_t>(c.state);
      e = e * 3 + std::min<std::uint32_t>(c.errors_lo, 2);
      e = e * 2 + (c.errors_lo == c.errors_hi ? 1 : 0);
      e = e * 2 + (c.record_discarded ? 1 : 0);
      hit(kErrorCountsAt + e);
    }
  }
}

CaseResult run_counted(Target& target, const JobModel& model, ModelCoverage& coverage,
                       std::span<const Stimulus> seq) {
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
