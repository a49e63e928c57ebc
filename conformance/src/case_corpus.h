// Coverage-guided cases for `bgconform run`: what the model believes of the target, counted as the
// model's situations (bgconform/model_situations.h), is the coverage. A case that reached a situation no earlier case
// of the run reached is kept, and later cases start from kept ones, changed a little (libFuzzer's idea, in process and
// deterministic from the seed: a case's stimuli depend on the seed, its index and the cases before it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bgconform/model.h"
#include "bgconform/model_situations.h"
#include "generator.h"

namespace bgc {

// The situations a lane's cases reached: the model's situations (bgconform/model_situations.h, the ones
// that guide the fuzzer too), each kept as a byte of the lane's own.
class Situations {
 public:
  explicit Situations(Profile profile = Profile::Bits) : counter_(profile), seen_(ModelSituations::kCount, 0) {}
  // Before an applicable stimulus, and with the belief after it passed (ModelSituations): how many
  // situations the lane had not reached before.
  int before(const Belief& b, const Stimulus& s) { return counter_.before(seen_, b, s); }
  int after(const Belief& b) { return counter_.after(seen_, b); }
  std::size_t size() const;
  // Adds another's situations (the run's figure is the union of its lanes').
  void merge(const Situations& other);

 private:
  ModelSituations counter_;
  std::vector<std::uint8_t> seen_;
};

// The cases kept for reaching new situations, and the cases derived from them.
class CaseCorpus {
 public:
  void keep(std::vector<Stimulus> stimuli, RandomBits& random);
  bool empty() const { return kept_.empty(); }
  std::size_t size() const { return kept_.size(); }
  // The first stimuli of a new case, at most `max_steps`: a prefix of a kept case, then one change -
  // nothing more (the generator extends it), the tail of another kept case spliced on, a stimulus
  // inserted (time passing, a source or the network changing), or a Source's behaviour or an Advance's
  // duration changed. Stimuli that no longer apply are skipped by the Runner.
  std::vector<Stimulus> derive(RandomBits& random, std::size_t max_steps) const;

 private:
  static constexpr std::size_t kMostKept = 4096;  // then a new case replaces a random kept one
  std::vector<std::vector<Stimulus>> kept_;
};

}  // namespace bgc
