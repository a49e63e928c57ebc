// text_form_fuzzer: the one-line text form of stimuli, observations and HRESULTs (types.h), which
// replay files and the plugin host's protocol share. A line that parses prints back to a line that
// parses to the same value; a parse error names a column inside the line.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "bgconform/types.h"

namespace {
[[noreturn]] void fail(const char* what, std::string_view line) {
  std::fprintf(stderr, "text_form_fuzzer: %s: '%.*s'\n", what, static_cast<int>(line.size()), line.data());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  if (const bgc::Parsed<bgc::Stimulus> s = bgc::parse_stimulus(line)) {
    const std::string printed = bgc::to_string(s.value);
    const bgc::Parsed<bgc::Stimulus> again = bgc::parse_stimulus(printed);
    if (!again || !(again.value == s.value)) fail("stimulus does not survive print and parse", line);
  } else if (s.column < 1 || static_cast<std::size_t>(s.column) > line.size() + 1) {
    fail("stimulus error column outside the line", line);
  }
  if (const bgc::Parsed<bgc::Observation> o = bgc::parse_observation(line)) {
    // Every op prints the values it makes meaningful; each print must parse again.
    for (int op = 0; op < bgc::kOpCount; ++op) {
      const std::string printed = bgc::to_string(o.value, static_cast<bgc::Op>(op));
      if (!bgc::parse_observation(printed)) fail("printed observation does not parse", printed);
    }
  }
  if (const bgc::Parsed<bgc::HRESULT> h = bgc::parse_hresult(line)) {
    const bgc::Parsed<bgc::HRESULT> again = bgc::parse_hresult(bgc::hresult_text(h.value));
    if (!again || again.value != h.value) fail("HRESULT does not survive print and parse", line);
  }
  return 0;
}
