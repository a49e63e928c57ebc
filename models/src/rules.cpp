#include "bgconform/rules.h"

#include <array>

namespace bgc {
namespace {

constexpr RuleProfiles Both = RuleProfiles::Both;
constexpr RuleProfiles BitsOnly = RuleProfiles::BitsOnly;
constexpr RuleProfiles DoOnly = RuleProfiles::DoOnly;

constexpr RuleInfo kCatalogue[] = {
#define COVERED(Enum, Id, Profiles, Statement, Judges, Interps, Sources) \
  {Id, true, Profiles, Statement, Judges, Interps, "", Sources},
#define NOT_MODELLED(Id, Statement, Why, Sources) {Id, false, Both, Statement, "", "", Why, Sources},
#include "bgconform/rule_catalogue.def"
#undef COVERED
#undef NOT_MODELLED
};

constexpr DocPage kDocPages[] = {
#define DOC_PAGE(Key, Title, Url) {Key, Title, Url},
#include "bgconform/doc_pages.def"
#undef DOC_PAGE
};

// Calls `each` with every key of a sources column.
template <class F>
constexpr void for_each_key(std::string_view sources, F each) {
  while (!sources.empty()) {
    const std::size_t end = sources.find(' ');
    if (end != 0) each(sources.substr(0, end));
    if (end == std::string_view::npos) break;
    sources.remove_prefix(end + 1);
  }
}

constexpr const DocPage* find_page(std::string_view key) {
  for (const DocPage& p : kDocPages)
    if (p.key == key) return &p;
  return nullptr;
}

// Every row names at least one page, and every key names a row of doc_pages.def: a typo fails the build.
constexpr bool every_source_resolves() {
  for (const RuleInfo& r : kCatalogue) {
    int pages = 0;
    bool ok = true;
    for_each_key(r.sources, [&](std::string_view key) {
      ok = ok && find_page(key) != nullptr;
      ++pages;
    });
    if (!ok || pages == 0) return false;
  }
  return true;
}
static_assert(every_source_resolves(), "a rule_catalogue.def row names no page or a key doc_pages.def lacks");

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
std::span<const DocPage> doc_pages() { return kDocPages; }

std::vector<DocPage> rule_sources(const RuleInfo& rule) {
  std::vector<DocPage> out;
  for_each_key(rule.sources, [&](std::string_view key) { out.push_back(*find_page(key)); });
  return out;
}
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

std::span<const Op> rule_calls(RuleId r) {
  static constexpr Op kSuspend[] = {Op::Suspend};
  static constexpr Op kCancel[] = {Op::Cancel};
  static constexpr Op kComplete[] = {Op::Complete};
  static constexpr Op kGetError[] = {Op::GetError};
  static constexpr Op kErrorValues[] = {Op::GetError, Op::ErrGetError};
  static constexpr Op kErrorFile[] = {Op::GetError, Op::ErrGetFile};
  static constexpr Op kProtocol[] = {Op::GetError, Op::ErrGetProtocol};
  static constexpr Op kDescriptions[] = {Op::GetError, Op::ErrGetErrorDescription, Op::ErrGetErrorContextDescription};
  static constexpr Op kRetryDelay[] = {Op::SetMinimumRetryDelay, Op::GetMinimumRetryDelay};
  static constexpr Op kGetRetryDelay[] = {Op::GetMinimumRetryDelay};
  static constexpr Op kTimeout[] = {Op::SetNoProgressTimeout, Op::GetNoProgressTimeout};
  static constexpr Op kGetTimeout[] = {Op::GetNoProgressTimeout};
  static constexpr Op kSetTimeout[] = {Op::SetNoProgressTimeout};
  static constexpr Op kBothTimers[] = {Op::SetNoProgressTimeout, Op::SetMinimumRetryDelay};
  static constexpr Op kNoProgressCode[] = {Op::SetNoProgressTimeout, Op::GetError, Op::ErrGetError};
  static constexpr Op kProgress[] = {Op::GetProgress};
  static constexpr Op kErrorCount[] = {Op::GetErrorCount};
  switch (r) {
    case RuleId::ST_7:
    case RuleId::M_4: return kSuspend;
    case RuleId::ST_22:
    case RuleId::M_6: return kCancel;
    case RuleId::ST_19:
    case RuleId::M_7: return kComplete;
    case RuleId::E_1:
    case RuleId::E_2:
    case RuleId::E_3:
    case RuleId::M_13: return kGetError;
    case RuleId::E_5:
    case RuleId::E_11: return kErrorValues;
    case RuleId::E_4: return kNoProgressCode;
    case RuleId::E_6: return kErrorFile;
    case RuleId::E_7: return kProtocol;
    case RuleId::E_8: return kDescriptions;
    case RuleId::M_25: return kRetryDelay;
    case RuleId::M_26: return kGetRetryDelay;
    case RuleId::M_27: return kTimeout;
    case RuleId::M_28: return kGetTimeout;
    case RuleId::ST_13: return kSetTimeout;
    case RuleId::ST_14: return kBothTimers;
    case RuleId::M_10:
    case RuleId::P_1: return kProgress;
    case RuleId::M_29:
    case RuleId::E_9: return kErrorCount;
    default: return {};
  }
}

}  // namespace bgc
