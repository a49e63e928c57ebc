#include "bgconform/rules.h"

#include <array>

namespace bgc {
namespace {

constexpr RuleProfiles Both = RuleProfiles::Both;
constexpr RuleProfiles BitsOnly = RuleProfiles::BitsOnly;
constexpr RuleProfiles DoOnly = RuleProfiles::DoOnly;

constexpr RuleInfo kCatalogue[] = {
#define COVERED(Enum, Id, Profiles, Statement, Judges, Interps, Calls, Sources) \
  {Id, true, Profiles, Statement, Judges, Interps, "", Sources},
#define NOT_MODELLED(Id, Statement, Why, Sources) {Id, false, Both, Statement, "", "", Why, Sources},
#include "bgconform/rule_catalogue.def"
#undef COVERED
#undef NOT_MODELLED
};

// The calls each covered rule judges (the catalogue's calls column; none: the rule judges any step).
struct CallList {
  std::array<Op, 3> ops{};
  std::size_t count = 0;
};
constexpr CallList call_list(std::initializer_list<Op> calls) {
  CallList list;
  for (Op call : calls) list.ops.at(list.count++) = call;  // a fourth call fails the build: widen `ops`
  return list;
}
using enum Op;
constexpr CallList kRuleCalls[] = {
#define CALLS(...) call_list({__VA_ARGS__})
#define COVERED(Enum, Id, Profiles, Statement, Judges, Interps, Calls, Sources) Calls,
#define NOT_MODELLED(Id, Statement, Why, Sources)
#include "bgconform/rule_catalogue.def"
#undef CALLS
#undef COVERED
#undef NOT_MODELLED
};
static_assert(std::size(kRuleCalls) == kRuleCount);

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
  const CallList& list = kRuleCalls[static_cast<std::size_t>(r)];
  return {list.ops.data(), list.count};
}

}  // namespace bgc
