// bgconform's interpretations where the documentation is silent (model-contract.md, I-1..I-16; I-17 and I-18 are bgconform's own):
// one table row each, with the default first. --interpretation I-n=VALUE picks another value.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bgc {

enum class Interp : std::uint8_t { I1, I2, I3, I4, I5, I6, I7, I8, I9, I10, I11, I12, I13, I14, I15, I16, I17, I18, Count };
inline constexpr int kInterpCount = static_cast<int>(Interp::Count);

struct InterpInfo {
  std::string_view id;        // "I-1"
  std::string_view question;  // what the documentation leaves open
  std::string_view meaning;   // what the default decides
  std::span<const std::string_view> values;  // values[0] is the default
};

std::span<const InterpInfo> interpretation_table();
const InterpInfo& interp_info(Interp i);

// The values in force: an index into InterpInfo::values per interpretation.
class Interpretations {
 public:
  // The value in force, e.g. value(Interp::I1) == "until-transferring".
  std::string_view value(Interp i) const;
  bool is(Interp i, std::string_view v) const { return value(i) == v; }
  // Sets "I-n=VALUE"; returns an error message, or empty on success.
  std::string set(std::string_view assignment);
  friend bool operator==(const Interpretations&, const Interpretations&) = default;

 private:
  std::array<std::uint8_t, kInterpCount> chosen_{};
};

}  // namespace bgc
