// Model-coverage feedback for libFuzzer: the (state, stimulus kind) pairs, the (state, kind, next state)
// transitions, the situations (error record, held objects and whether the job failed again since
// they were taken, files and chunks transferred), the error count the model knows of each job (E-9)
// and the calls made on held error objects with what they were taken from (E-5 to E-8) the model
// passes through are counted in an array
// placed in the section "__libfuzzer_extra_counters", which libFuzzer reads as extra coverage after every
// input (and clears before the next). A state there is one of the nine job states, "no job" for an
// empty slot, or "released" for a released job whose error objects are still held. So a vendor
// library compiled without coverage instrumentation
// still gives the fuzzer guidance: what the model believes of the target is the coverage.
//
// The counters only observe beliefs; they judge nothing (the Runner and the model do).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "bgconform/model.h"
#include "bgconform/runner.h"

namespace bgc::fuzz {

class ModelCoverage {
 public:
  explicit ModelCoverage(Profile profile, bool enabled = true);
  // Before an applicable stimulus is applied: the pairs (possible state of each job it concerns, kind).
  // An environment event concerns every live job and every released one whose objects are held.
  void before(const Belief& belief, const Stimulus& s);
  // The belief after the last stimulus passed its check: the transitions it made, and the error-record
  // situations of every live job and of every released one whose objects are held.
  void after(const Belief& belief);
  // How many counters are set to a non-zero value now (for tests and statistics).
  static std::size_t nonzero();
  static std::size_t size();
  // The counters (libFuzzer clears them before each input; a test clears them itself).
  static std::span<const std::uint8_t> counters();
  static void clear();

 private:
  void count_error_call(const Belief& belief, const Stimulus& s);

  bool enabled_;
  Profile profile_;
  int kinds_;
  int pending_kind_ = -1;                 // the kind of the stimulus applied last
  std::array<std::uint16_t, kMaxJobs> pending_states_{};  // the states it was applied in, per job
};

// One case as job_sequence_fuzzer runs it: the applicable stimuli of `seq` in order (others are
// skipped, as by the Runner), each counted before it is applied and after it passed its check.
CaseResult run_counted(Target& target, const JobModel& model, ModelCoverage& coverage,
                       std::span<const Stimulus> seq);

}  // namespace bgc::fuzz
