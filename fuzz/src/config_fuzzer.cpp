// config_fuzzer: the settings bgconform reads from the command line and from replay-file headers:
// interpretation assignments ("I-3=strict-5xx-transient"), rule IDs, profile names. An accepted
// assignment is printed back by the interpretation table and accepted again; names print back to
// themselves.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bgconform/interpretations.h"
#include "bgconform/rules.h"

namespace {
[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "config_fuzzer: %s\n", what.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  bgc::Interpretations in;
  if (in.set(text).empty()) {
    bgc::Interpretations out;
    for (int i = 0; i < bgc::kInterpCount; ++i) {
      const auto id = static_cast<bgc::Interp>(i);
      const std::string assignment = std::string(bgc::interp_info(id).id) + "=" + std::string(in.value(id));
      if (!out.set(assignment).empty()) fail("the printed assignment '" + assignment + "' is refused");
    }
    for (int i = 0; i < bgc::kInterpCount; ++i)
      if (out.value(static_cast<bgc::Interp>(i)) != in.value(static_cast<bgc::Interp>(i)))
        fail("an interpretation does not survive print and parse: '" + text + "'");
  }
  if (const auto rule = bgc::parse_rule_id(text))
    if (bgc::parse_rule_id(bgc::rule_id(*rule)) != rule) fail("rule id does not print back: '" + text + "'");
  if (const auto p = bgc::parse_profile(text))
    if (bgc::parse_profile(bgc::name(*p)) != p) fail("profile does not print back: '" + text + "'");
  return 0;
}
