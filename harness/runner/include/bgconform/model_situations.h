// What the model believes of the target, counted as situations: the coverage that guides both the
// generated cases of `bgconform run` (conformance/src/case_corpus.h) and the sequence fuzzer (fuzz/:
// libFuzzer's extra counters). So a vendor library built without coverage instrumentation still guides
// them: what the model believes of it is the coverage.
//
// One byte per situation, set when the situation is reached (presence, not a count: libFuzzer buckets
// counts, and a situation reached three times instead of twice is nothing new), in an array the caller
// owns: the fuzzer's is the section libFuzzer reads, each lane of a run has its own. A job's row is one of
// the nine job states, "no job" for an empty slot, or "released" for a released job whose error objects
// the client still holds. The situations:
//   - (row, stimulus kind) pairs, and (row, kind, next row) transitions, of each job a stimulus concerns;
//   - each job's error record and held objects: the record's cause and whether it was observed, how many
//     objects are held and whether they are stale or of an earlier record, whether the record went away
//     when the job transferred again, files done, mid-file, whether the failing source answers otherwise
//     now;
//   - each job's error count (E-9): the fewest errors counted, whether the count is known exactly;
//   - calls on held error objects (E-5 to E-8) with what the object was taken from;
//   - each job with its environment: the behaviour of the source it reads now, the network;
//   - jobs taken together: the rows of two jobs at once (the scheduling rule judges them together),
//     whichever slots they are in.
// Slot-blind throughout: the same situation in another slot is the same. Observes beliefs only; it
// judges nothing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "bgconform/model.h"

namespace bgc {

namespace situations_layout {
inline constexpr std::size_t kRows = kJobStateCount + 2;  // the states, "no job", "released"
inline constexpr std::size_t kKindsMax = 40;              // all_kinds() has 31 in bits
inline constexpr std::size_t kCauses = 9;                 // Cause values, and "no record"
inline constexpr std::size_t kErrorOps = 6;               // Error.GetError ... ReleaseError, in Op order
inline constexpr std::size_t kPairs = kRows * kKindsMax;
inline constexpr std::size_t kTransitions = kPairs * kRows;
inline constexpr std::size_t kRecords = kRows * kCauses * 2 * 3 * 4 * 2 * 3 * 2 * 2;
inline constexpr std::size_t kErrorCounts = kRows * 3 * 2 * 2;
inline constexpr std::size_t kErrorCalls = kCauses * 2 * kErrorOps * 2;
inline constexpr std::size_t kEnvironments = kRows * (kBehaviourCount + 1) * 2;
inline constexpr std::size_t kTogether = kRows * kRows;
inline constexpr std::size_t kCount =
    kPairs + kTransitions + kRecords + kErrorCounts + kErrorCalls + kEnvironments + kTogether;
}  // namespace situations_layout

class ModelSituations {
 public:
  static constexpr std::size_t kCount = situations_layout::kCount;  // the counters an array needs

  explicit ModelSituations(Profile profile);
  // Before an applicable stimulus is applied: the pairs (each row the jobs it concerns may be in, its
  // kind). An environment event concerns every live job and every released one whose objects are held.
  // Returns how many counters were zero.
  int before(std::span<std::uint8_t> counters, const Belief& belief, const Stimulus& s);
  // The belief after the last stimulus passed its check: the transitions it made, and the situations of
  // every job. Returns how many counters were zero.
  int after(std::span<std::uint8_t> counters, const Belief& belief);

 private:
  int error_call(std::span<std::uint8_t> counters, const Belief& belief, const Stimulus& s);

  Profile profile_;
  int pending_kind_ = -1;                               // the kind of the stimulus applied last
  std::array<std::uint16_t, kMaxJobs> pending_rows_{};  // the rows it was applied in, per job
};

}  // namespace bgc
