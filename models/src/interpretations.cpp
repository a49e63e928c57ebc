#include "bgconform/interpretations.h"

namespace bgc {
namespace {

// Every value row, in the table's order: an interpretation's values are the rows after its own.
struct ValueRow {
  Interp interp;
  std::string_view text;
};
constexpr ValueRow kValues[] = {
#define BGC_INTERPRETATION(name, id, question, meaning)
#define BGC_INTERPRETATION_VALUE(interp, name, text) {Interp::interp, text},
#include "bgconform/interpretations.def"
#undef BGC_INTERPRETATION
#undef BGC_INTERPRETATION_VALUE
};
constexpr std::string_view kValueTexts[] = {
#define BGC_INTERPRETATION(name, id, question, meaning)
#define BGC_INTERPRETATION_VALUE(interp, name, text) text,
#include "bgconform/interpretations.def"
#undef BGC_INTERPRETATION
#undef BGC_INTERPRETATION_VALUE
};
static_assert(std::size(kValues) == static_cast<std::size_t>(InterpValue::Count));

constexpr std::size_t first_value(Interp i) {
  std::size_t k = 0;
  while (k < std::size(kValues) && kValues[k].interp != i) ++k;
  return k;
}
constexpr std::size_t value_count(Interp i) {
  std::size_t n = 0;
  for (std::size_t k = first_value(i); k < std::size(kValues) && kValues[k].interp == i; ++k) ++n;
  return n;
}
// Each interpretation has a value (its default), and its values stand together after its row.
constexpr bool values_well_formed() {
  std::size_t counted = 0;
  for (int i = 0; i < kInterpCount; ++i) {
    if (value_count(static_cast<Interp>(i)) == 0) return false;
    counted += value_count(static_cast<Interp>(i));
  }
  return counted == std::size(kValues);
}
static_assert(values_well_formed(), "interpretations.def: every interpretation needs its values right after it");

constexpr InterpInfo kTable[] = {
#define BGC_INTERPRETATION(name, id, question, meaning) \
  {id, question, meaning,                               \
   std::span<const std::string_view>(kValueTexts + first_value(Interp::name), value_count(Interp::name))},
#define BGC_INTERPRETATION_VALUE(interp, name, text)
#include "bgconform/interpretations.def"
#undef BGC_INTERPRETATION
#undef BGC_INTERPRETATION_VALUE
};
static_assert(std::size(kTable) == kInterpCount);

}  // namespace

std::span<const InterpInfo> interpretation_table() { return kTable; }
const InterpInfo& interp_info(Interp i) { return kTable[static_cast<std::size_t>(i)]; }

std::string_view Interpretations::value(Interp i) const {
  return interp_info(i).values[chosen_[static_cast<std::size_t>(i)]];
}

bool Interpretations::is(InterpValue v) const {
  const ValueRow& row = kValues[static_cast<std::size_t>(v)];
  return chosen_[static_cast<std::size_t>(row.interp)] == static_cast<std::size_t>(v) - first_value(row.interp);
}

std::string Interpretations::set(std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos) return "expected I-n=VALUE, got '" + std::string(assignment) + "'";
  std::string_view id = assignment.substr(0, eq), v = assignment.substr(eq + 1);
  for (std::size_t i = 0; i < std::size(kTable); ++i) {
    if (kTable[i].id != id) continue;
    for (std::size_t k = 0; k < kTable[i].values.size(); ++k)
      if (kTable[i].values[k] == v) {
        chosen_[i] = static_cast<std::uint8_t>(k);
        return {};
      }
    std::string known;
    for (auto value : kTable[i].values) known += (known.empty() ? "" : ", ") + std::string(value);
    return "unknown value '" + std::string(v) + "' for " + std::string(id) + " (one of: " + known + ")";
  }
  return "unknown interpretation '" + std::string(id) + "' (I-1 to I-" + std::to_string(kInterpCount) + ")";
}

}  // namespace bgc
