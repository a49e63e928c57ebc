// Model-coverage feedback for libFuzzer: the situations of the model (bgconform/model_situations.h, the
// same ones that guide `bgconform run`'s generated cases) are counted in an array placed in the section
// "__libfuzzer_extra_counters", which libFuzzer reads as extra coverage after every input (and clears
// before the next). So a vendor library compiled without coverage instrumentation still gives the fuzzer
// guidance: what the model believes of the target is the coverage.
//
// The counters only observe beliefs; they judge nothing (the Runner and the model do).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "bgconform/model_situations.h"
#include "bgconform/runner.h"

namespace bgc::fuzz {

class ModelCoverage {
 public:
  explicit ModelCoverage(Profile profile, bool enabled = true);
  // Before an applicable stimulus is applied, and after it passed its check (ModelSituations).
  void before(const Belief& belief, const Stimulus& s);
  void after(const Belief& belief);
  // How many counters are set to a non-zero value now (for tests and statistics).
  static std::size_t nonzero();
  static std::size_t size();
  // The counters (libFuzzer clears them before each input; a test clears them itself).
  static std::span<const std::uint8_t> counters();
  static void clear();

 private:
  bool enabled_;
  ModelSituations situations_;
};

// One case as job_sequence_fuzzer runs it: the applicable stimuli of `seq` in order (others are
// skipped, as by the Runner), each counted before it is applied and after it passed its check.
CaseResult run_counted(Target& target, const JobModel& model, ModelCoverage& coverage, std::span<const Stimulus> seq);

}  // namespace bgc::fuzz
