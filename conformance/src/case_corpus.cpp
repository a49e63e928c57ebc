#include "case_corpus.h"

#include <algorithm>
#include <array>

namespace bgc {
namespace {

std::uint32_t below(RandomBits& random, std::size_t n) { return n == 0 ? 0 : static_cast<std::uint32_t>(random() % n); }

// Source `src` answers some behaviour of its kind (a local file is there or not).
Stimulus source_event(RandomBits& random, int src) {
  if (is_local_source(src)) return stim::source(src, below(random, 2) ? Behaviour::Present : Behaviour::Missing);
  static constexpr std::array<Behaviour, 6> kRemote = {Behaviour::Ok,      Behaviour::Slow,  Behaviour::Http,
                                                       Behaviour::Refused, Behaviour::Reset, Behaviour::Stall};
  static constexpr std::array<std::uint16_t, 4> kStatus = {403, 404, 500, 503};
  return stim::source(src, kRemote[below(random, kRemote.size())], kStatus[below(random, kStatus.size())]);
}

// A stimulus to insert: time passing (a boundary of the contract's), or a change of the environment.
Stimulus inserted(RandomBits& random) {
  switch (below(random, 4)) {
    case 0: return stim::advance(std::array<std::uint32_t, 5>{1, 4, 5, 6, 11}[below(random, 5)]);
    case 1: return stim::network(below(random, 2) == 0);
    default: return source_event(random, static_cast<int>(below(random, kSourceCount)));
  }
}

}  // namespace

std::size_t Situations::size() const {
  return static_cast<std::size_t>(std::count_if(seen_.begin(), seen_.end(), [](std::uint8_t c) { return c != 0; }));
}

void Situations::merge(const Situations& other) {
  for (std::size_t i = 0; i < seen_.size() && i < other.seen_.size(); ++i) seen_[i] |= other.seen_[i];
}

void CaseCorpus::keep(std::vector<Stimulus> stimuli, RandomBits& random) {
  if (stimuli.empty()) return;
  if (kept_.size() < kMostKept)
    kept_.push_back(std::move(stimuli));
  else
    kept_[below(random, kept_.size())] = std::move(stimuli);
}

std::vector<Stimulus> CaseCorpus::derive(RandomBits& random, std::size_t max_steps) const {
  if (kept_.empty() || max_steps == 0) return {};
  const std::vector<Stimulus>& a = kept_[below(random, kept_.size())];
  std::vector<Stimulus> out(a.begin(), a.begin() + 1 + below(random, a.size()));
  switch (below(random, 4)) {
    case 0: break;  // the prefix alone: the generator goes on from where it leads
    case 1: {       // splice on the tail of another kept case
      const std::vector<Stimulus>& b = kept_[below(random, kept_.size())];
      out.insert(out.end(), b.begin() + below(random, b.size()), b.end());
      break;
    }
    case 2: out.insert(out.begin() + 1 + below(random, out.size()), inserted(random)); break;  // after the first
    default: {  // change one Source's behaviour or one Advance's duration
      std::vector<std::size_t> at;
      for (std::size_t i = 0; i < out.size(); ++i)
        if (out[i].op == Op::Source || out[i].op == Op::Advance) at.push_back(i);
      if (at.empty()) {
        out.push_back(inserted(random));
        break;
      }
      Stimulus& s = out[at[below(random, at.size())]];
      if (s.op == Op::Source) {
        s = source_event(random, s.index);
      } else {  // a second either side of it, or twice as long
        const std::uint32_t d = std::max<std::uint32_t>(s.seconds, 1);
        s = stim::advance(std::array<std::uint32_t, 3>{d > 1 ? d - 1 : 1, d + 1, 2 * d}[below(random, 3)]);
      }
      break;
    }
  }
  if (out.size() > max_steps) out.resize(max_steps);
  return out;
}

}  // namespace bgc
