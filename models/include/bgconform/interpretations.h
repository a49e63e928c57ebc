// bgconform's interpretations where the documentation is silent: the rows of interpretations.def, with the
// default value first. --interpretation I-n=VALUE picks another value.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bgc {

// I1 ... I18, one per row of interpretations.def.
enum class Interp : std::uint8_t {
#define BGC_INTERPRETATION(name, id, question, meaning) name,
#define BGC_INTERPRETATION_VALUE(interp, name, text)
#include "bgconform/interpretations.def"
#undef BGC_INTERPRETATION
#undef BGC_INTERPRETATION_VALUE
  Count
};
// Every value of every interpretation, named after both: InterpValue::I1_until_transferring, ...
enum class InterpValue : std::uint8_t {
#define BGC_INTERPRETATION(name, id, question, meaning)
#define BGC_INTERPRETATION_VALUE(interp, name, text) interp##_##name,
#include "bgconform/interpretations.def"
#undef BGC_INTERPRETATION
#undef BGC_INTERPRETATION_VALUE
  Count
};
inline constexpr int kInterpCount = static_cast<int>(Interp::Count);

struct InterpInfo {
  std::string_view id;                       // "I-1"
  std::string_view question;                 // what the documentation leaves open
  std::string_view meaning;                  // what the default decides
  std::span<const std::string_view> values;  // values[0] is the default
};

std::span<const InterpInfo> interpretation_table();
const InterpInfo& interp_info(Interp i);

// The values in force: an index into InterpInfo::values per interpretation.
class Interpretations {
 public:
  // The value in force, e.g. value(Interp::I1) == "until-transferring".
  std::string_view value(Interp i) const;
  // Whether `v` is the value in force of its interpretation.
  bool is(InterpValue v) const;
  // Sets "I-n=VALUE"; returns an error message, or empty on success.
  std::string set(std::string_view assignment);
  friend bool operator==(const Interpretations&, const Interpretations&) = default;

 private:
  std::array<std::uint8_t, kInterpCount> chosen_{};
};

}  // namespace bgc
