#include "case_corpus.h"

#include <algorithm>
#include <array>

namespace bgc {
namespace {

// One job's situation as bits (without its slot, so that the same situation in another slot is the
// same): the tag 1 in the top bits keeps it apart from the pairs below.
std::uint64_t job_situation(const Belief& b, const JobSlot& slot) {
  std::uint64_t record = 0, stale = 0, failed_before = 0, done_lo = kMaxFilesPerJob, done_hi = 0;
  for (const JobCandidate& c : slot.candidates) {
    record |= c.has_record;
    failed_before |= c.errors_hi > 0;
    done_lo = std::min<std::uint64_t>(done_lo, c.files_done);
    done_hi = std::max<std::uint64_t>(done_hi, c.files_done);
    for (const HeldError& h : c.handles) stale |= h.stale;
  }
  std::uint64_t reading = kBehaviourCount;  // the source of the first file not surely done, if any
  if (done_lo < slot.files) reading = static_cast<std::uint64_t>(b.env.behaviour[slot.sources[done_lo]]);
  const std::uint64_t held = static_cast<std::uint64_t>(slot.held[0]) + static_cast<std::uint64_t>(slot.held[1]);
  std::uint64_t k = possible_states(slot);  // 9 bits
  k = k << 1 | record;
  k = k << 1 | stale;
  k = k << 2 | held;
  k = k << 2 | slot.files;
  k = k << 2 | done_lo;
  k = k << 2 | done_hi;
  k = k << 1 | failed_before;
  k = k << 4 | reading;
  k = k << 1 | static_cast<std::uint64_t>(b.env.network_up);
  return k | std::uint64_t{1} << 62;
}

// Two jobs' states at once, the smaller mask first (tag 2).
std::uint64_t pair_situation(std::uint16_t a, std::uint16_t b) {
  if (a > b) std::swap(a, b);
  return std::uint64_t{a} << 16 | b | std::uint64_t{2} << 62;
}

std::uint32_t below(RandomBits& random, std::size_t n) {
  return n == 0 ? 0 : static_cast<std::uint32_t>(random() % n);
}

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

int Situations::add(const Belief& b) {
  int fresh = 0;
  std::array<std::uint16_t, kMaxJobs> states{};
  for (int j = 0; j < kMaxJobs; ++j) {
    const JobSlot& slot = b.jobs[j];
    if (!slot.live) continue;
    states[j] = possible_states(slot);
    fresh += seen_.insert(job_situation(b, slot)).second;
  }
  for (int i = 0; i < kMaxJobs; ++i)
    for (int j = i + 1; j < kMaxJobs; ++j)
      if (states[i] != 0 && states[j] != 0) fresh += seen_.insert(pair_situation(states[i], states[j])).second;
  return fresh;
}

void CaseCorpus::keep(std::vector<Stimulus> stimuli, RandomBits& random) {
  if (stimuli.empty()) return;
  if (kept_.size() < kMostKept) kept_.push_back(std::move(stimuli));
  else kept_[below(random, kept_.size())] = std::move(stimuli);
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
