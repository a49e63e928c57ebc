// ledger_fuzzer: the known-deviation ledger reader (reports/src/ledger.cpp), which `bgconform run
// --ledger` and `merge --ledger` read. A ledger that parses renders (render_ledger) to a ledger that
// parses to the same entries; one that does not parse is refused with a message. Never a crash, never
// an exception (the fuzzer would report either).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bgconform/reports.h"

namespace {
[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "ledger_fuzzer: %s\n", what.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto entries = bgc::parse_ledger(text, error);
  if (!entries) {
    if (error.empty()) fail("a ledger is refused without a message");
    return 0;
  }
  for (const auto& k : *entries)
    if (!bgc::parse_rule_id(k.rule) || k.why.empty()) fail("an accepted entry has no rule or no reason: " + k.rule);
  const std::string rendered = bgc::render_ledger("ledger_fuzzer", bgc::Profile::Bits, *entries);
  std::string again_error;
  const auto again = bgc::parse_ledger(rendered, again_error);
  if (!again) fail("a rendered ledger is refused (" + again_error + "):\n" + rendered);
  if (again->size() != entries->size()) fail("a ledger does not survive render and parse:\n" + rendered);
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const auto& a = (*entries)[i];
    const auto& b = (*again)[i];
    if (a.rule != b.rule || a.why != b.why || a.link != b.link)
      fail("entry " + std::to_string(i) + " does not survive render and parse:\n" + rendered);
  }
  return 0;
}
