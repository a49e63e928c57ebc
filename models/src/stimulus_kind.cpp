#include "bgconform/stimulus_kind.h"

#include <array>

namespace bgc {

namespace {
// Source events are one kind per behaviour: what a source does next is what moves a job.
constexpr bool kinds_per_behaviour(Op op) { return row_of(op).operand == OpOperand::SourceEvent; }
}  // namespace

StimulusKind kind_of(const Stimulus& s) { return {s.op, kinds_per_behaviour(s.op) ? s.behaviour : Behaviour::Ok}; }

std::string to_string(const StimulusKind& k) {
  std::string out(op_name(k.op));
  if (kinds_per_behaviour(k.op)) out += "(" + std::string(behaviour_name(k.behaviour)) + ")";
  return out;
}

namespace {

// The index of each (op, behaviour) in its profile's kinds, -1 for none: a table made at compile time,
// since the Runner and the generator look a kind up on every step.
using KindIndex = std::array<std::array<std::int8_t, kBehaviourCount>, kOpCount>;

constexpr KindIndex make_kind_index(Profile p) {
  KindIndex t{};
  for (auto& row : t) row.fill(-1);
  std::int8_t k = 0;
  for (int i = 0; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    if (row_of(op).coverage == OpCoverage::NotCounted || (p == Profile::Do && undocumented_in_do(op))) continue;
    if (kinds_per_behaviour(op)) {
      for (int b = 0; b < kBehaviourCount; ++b) t[i][b] = k++;
    } else {
      t[i][static_cast<std::size_t>(Behaviour::Ok)] = k++;
    }
  }
  return t;
}

constexpr KindIndex kBitsKinds = make_kind_index(Profile::Bits);
constexpr KindIndex kDoKinds = make_kind_index(Profile::Do);

constexpr const KindIndex& kind_index_of(Profile p) { return p == Profile::Bits ? kBitsKinds : kDoKinds; }

// The kinds in their order: make_kind_index numbers them in this same walk over (op, behaviour).
std::vector<StimulusKind> make_kinds(Profile p) {
  std::vector<StimulusKind> kinds;
  const KindIndex& index = kind_index_of(p);
  for (int i = 0; i < kOpCount; ++i)
    for (int b = 0; b < kBehaviourCount; ++b)
      if (index[i][b] >= 0) kinds.push_back({static_cast<Op>(i), static_cast<Behaviour>(b)});
  return kinds;
}

}  // namespace

const std::vector<StimulusKind>& all_kinds(Profile p) {
  static const std::vector<StimulusKind> bits = make_kinds(Profile::Bits);
  static const std::vector<StimulusKind> delivery_optimization = make_kinds(Profile::Do);
  return p == Profile::Bits ? bits : delivery_optimization;
}

int kind_index(Profile p, const StimulusKind& k) {
  const auto op = static_cast<std::size_t>(k.op);
  const auto behaviour = static_cast<std::size_t>(k.behaviour);
  if (op >= static_cast<std::size_t>(kOpCount) || behaviour >= static_cast<std::size_t>(kBehaviourCount)) return -1;
  return kind_index_of(p)[op][behaviour];
}

}  // namespace bgc
