#include "bgconform/case_result.h"

#include "bgconform/stimulus_kind.h"

namespace bgc {

void Coverage::init(Profile p) {
  const std::size_t kinds = all_kinds(p).size();
  states = 0;
  pairs.assign(kJobStateCount * kinds, false);
  triples.assign(kJobStateCount * kinds * kJobStateCount, false);
}

void Coverage::merge(const Coverage& other) {
  states |= other.states;
  unsupported_ops |= other.unsupported_ops;
  if (pairs.size() < other.pairs.size()) pairs.resize(other.pairs.size(), false);
  if (triples.size() < other.triples.size()) triples.resize(other.triples.size(), false);
  // Bit iterators rather than indexing: this runs after every case over some 2,800 bits.
  auto into = [](std::vector<bool>& to, const std::vector<bool>& from) {
    auto t = to.begin();
    for (auto f = from.begin(); f != from.end(); ++f, ++t)
      if (*f) *t = true;
  };
  into(pairs, other.pairs);
  into(triples, other.triples);
}

std::size_t Coverage::state_count() const {
  std::size_t n = 0;
  for (int s = 0; s < kJobStateCount; ++s) n += (states >> s) & 1u;
  return n;
}
std::size_t Coverage::pair_count() const {
  std::size_t n = 0;
  for (bool b : pairs) n += b;
  return n;
}
std::size_t Coverage::triple_count() const {
  std::size_t n = 0;
  for (bool b : triples) n += b;
  return n;
}

CaseResult CaseResult::up_to(RuleId rule, std::optional<bool> known) const {
  CaseResult c;
  const Deviation* d = known ? deviation(rule, *known) : deviation(rule);
  if (d == nullptr) return c;
  c.status = CaseStatus::Violation;
  c.rule = rule;
  c.by_monitor = d->by_monitor;
  c.failed_step = d->step;
  c.failed_at = d->at;
  c.allowed = d->allowed;
  c.where = d->where;
  c.known = d->known;
  c.trace.assign(trace.begin(), trace.begin() + static_cast<std::ptrdiff_t>(d->step + 1));
  for (const Deviation& e : deviations)
    if (e.step <= d->step) c.deviations.push_back(e);
  c.tallies = tallies;
  c.coverage = coverage;
  c.output = output;
  return c;
}

std::vector<Stimulus> CaseResult::applied() const {
  std::vector<Stimulus> out;
  out.reserve(trace.size());
  for (const TracedStep& t : trace)
    if (!t.poll) out.push_back(t.step.stimulus);
  return out;
}

}  // namespace bgc
