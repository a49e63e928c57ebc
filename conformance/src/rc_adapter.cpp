#include "rc_adapter.h"

#include <memory>
#include <rapidcheck/Random.h>
#include <rapidcheck/Seq.h>
#include <rapidcheck/seq/Transform.h>
#include <rapidcheck/shrink/Shrink.h>

namespace bgc {
namespace {

rc::Seq<Stimulus> shrink_stimulus(const Stimulus& s) {
  if (s.op != Op::Advance || s.seconds <= 1 || s.seconds != s.seconds_max) return rc::Seq<Stimulus>();
  return rc::seq::map(rc::shrink::towards<std::uint32_t>(s.seconds, 1u),
                      [](std::uint32_t secs) { return stim::advance(secs); });
}

std::vector<Stimulus> shrink(std::vector<Stimulus> seq, const CaseTools::Predicate& fails) {
  int budget = 4000;  // predicate calls; each is one short case
  bool progress = true;
  while (progress && budget > 0) {
    progress = false;
    auto chunks = rc::shrink::removeChunks(seq);
    while (auto candidate = chunks.next()) {
      if (--budget < 0) break;
      if (fails(*candidate)) {
        seq = std::move(*candidate);
        progress = true;
        break;
      }
    }
    if (progress) continue;
    auto elements = rc::shrink::eachElement(seq, shrink_stimulus);
    while (auto candidate = elements.next()) {
      if (--budget < 0) break;
      if (fails(*candidate)) {
        seq = std::move(*candidate);
        progress = true;
        break;
      }
    }
  }
  return seq;
}

}  // namespace

CaseTools rapidcheck_case_tools() {
  CaseTools t;
  t.random = [](std::uint64_t seed, std::uint64_t index) -> RandomBits {
    auto random = std::make_shared<rc::Random>(rc::Random::Key{seed, index, 0x6267636f6e666f72ull, 0});
    return [random] { return random->next(); };
  };
  t.shrink = shrink;
  return t;
}

}  // namespace bgc
