// The rule catalogue (rule_catalogue.def): every spec ID with its status, and the covered ones
// as RuleId values that checks cite.
#pragma once

#include <bitset>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "bgconform/constants.h"
#include "bgconform/types.h"

namespace bgc {

enum class RuleId : std::uint8_t {
#define COVERED(Enum, Id, Profiles, Statement, Judges, Interps, Calls, Sources) Enum,
#define NOT_MODELLED(Id, Statement, Why, Sources)
#include "bgconform/rule_catalogue.def"
#undef COVERED
#undef NOT_MODELLED
  Count
};
inline constexpr int kRuleCount = static_cast<int>(RuleId::Count);

enum class RuleProfiles : std::uint8_t { Both, BitsOnly, DoOnly };

// One row of the catalogue.
struct RuleInfo {
  std::string_view id;               // "E-2"
  bool covered;                      // checked by the model, or not-modelled
  RuleProfiles profiles;             // covered rules: where they are checked
  std::string_view statement;        // what the rule says, in bgconform's words
  std::string_view judges;           // covered: the observed values it decides
  std::string_view interpretations;  // covered: the I- IDs that shape it
  std::string_view why_not;          // not-modelled: why
  std::string_view sources;          // the documentation it comes from: doc_pages.def keys, space-separated
};

// A page of the documentation the rules come from (doc_pages.def).
struct DocPage {
  std::string_view key;    // "S-resume"
  std::string_view title;  // "IBackgroundCopyJob::Resume method (bits.h)"
  std::string_view url;
};
std::span<const DocPage> doc_pages();
// The pages a rule comes from, most specific first (every key resolves: rules.cpp checks it when it
// compiles).
std::vector<DocPage> rule_sources(const RuleInfo& rule);

// Every spec ID, in catalogue order.
std::span<const RuleInfo> rule_catalogue();
const RuleInfo& rule_info(RuleId r);
std::string_view rule_id(RuleId r);
std::optional<RuleId> parse_rule_id(std::string_view id);
bool rule_applies(RuleId r, Profile p);
// The optional calls a rule's checks need: a target that answers one of them "not-supported" (a
// vendor library with that function NULL) makes the rule not-supported rather than not-exercised.
std::span<const Op> rule_calls(RuleId r);

// Which checks are switched on (--disable-rule switches one off).
class RuleSet {
 public:
  static RuleSet all() {
    RuleSet s;
    s.bits_.set();
    return s;
  }
  bool on(RuleId r) const { return bits_.test(static_cast<std::size_t>(r)); }
  RuleSet without(RuleId r) const {
    RuleSet s = *this;
    s.bits_.reset(static_cast<std::size_t>(r));
    return s;
  }
  RuleSet with(RuleId r) const {
    RuleSet s = *this;
    s.bits_.set(static_cast<std::size_t>(r));
    return s;
  }
  friend bool operator==(const RuleSet&, const RuleSet&) = default;

 private:
  std::bitset<kRuleCount> bits_;
};

}  // namespace bgc
