#include "bgconform/rules.h"

#include <array>

namespace bgc {
namespace {

constexpr RuleProfiles Both = RuleProfiles::Both;
constexpr RuleProfiles BitsOnly = RuleProfiles::BitsOnly;
constexpr RuleProfiles DoOnly = RuleProfiles::DoOnly;

constexpr RuleInfo kCatalogue[] = {
#define COVERED(Enum, Id, Profiles, Statement, Judges, Interps) {Id, true, Profiles, Statement, Judges, Interps, ""},
#define NOT_MODELLED(Id, Statement, Why) {Id, false, Both, Statement, "", "", Why},
#include "bgconform/rule_catalogue.def"
#undef COVERED
#undef NOT_MODELLED
};

// Index of each covered rule's row in kCatalogue.
constexpr std::array<std::size_t, kRuleCount> covered_rows() {
  std::array<std::size_t, kRuleCount> rows{};
  std::size_t next = 0;
  for (std::size_t i = 0; i < std::size(kCatalogue); ++i)
    if (kCatalogue[i].covered) rows[next++] = i;
  return rows;
}
constexpr auto kCoveredRows = covered_rows();

}  // namespace

std::span<const RuleInfo> rule_catalogue() { return kCatalogue; }
const RuleInfo& rule_info(RuleId r) { return kCatalogue[kCoveredRows.at(static_cast<std::size_t>(r))]; }
std::string_view rule_id(RuleId r) { return rule_info(r).id; }

std::optional<RuleId> parse_rule_id(std::string_view id) {
  for (int r = 0; r < kRuleCount; ++r)
    if (rule_id(static_cast<RuleId>(r)) == id) return static_cast<RuleId>(r);
  return std::nullopt;
}

bool rule_applies(RuleId r, Profile p) {
  switch (rule_info(r).profiles) {
    case RuleProfiles::Both: return true;
    case RuleProfiles::BitsOnly: return p == Profile::Bits;
    case RuleProfiles::DoOnly: return p == Profile::Do;
  }
  return false;
}

}  // namespace bgc
