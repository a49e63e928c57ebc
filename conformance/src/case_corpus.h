// Coverage-guided cases for `bgconform run`: what the model believes of the target, abstracted to
// situations, is the coverage. A case that reached a situation no earlier case of the run reached is
// kept, and later cases start from kept ones, changed a little (libFuzzer's idea, in process and
// deterministic from the seed: a case's stimuli depend on the seed, its index and the cases before it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "bgconform/model.h"
#include "generator.h"

namespace bgc {

// The situations a run's beliefs have been in. One job's situation: the states it may be in, whether
// it may have an error record, the error objects held (and whether one went stale), its files and how
// many may be done, whether it may have failed before (its error count), the network and the behaviour
// of the source it reads. Jobs taken together: the states two jobs may be in at once (the scheduling
// rule judges them together), whichever slots they are in.
class Situations {
 public:
  // The situations of `b`; returns how many the run had not seen before.
  int add(const Belief& b);
  std::size_t size() const { return seen_.size(); }
  // Adds another's situations (the run's figure is the union of its lanes').
  void merge(const Situations& other) { seen_.insert(other.seen_.begin(), other.seen_.end()); }

 private:
  std::unordered_set<std::uint64_t> seen_;
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
