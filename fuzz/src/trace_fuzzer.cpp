// trace_fuzzer: the trace-file reader (reports/src/trace_file.cpp) and the judging of what it read
// (bgconform check: conformance/src/check_trace.h, the Runner through a RecordedTarget). A file that
// parses renders to a file that parses to the same trace; a file that does not parse is refused with
// "line N: ..."; a parsed trace is judged to a verdict, or refused with a TraceError - never a crash.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bgconform/reports.h"
#include "check_trace.h"

namespace {

bool same(const bgc::TraceFile& a, const bgc::TraceFile& b) {
  if (a.profile != b.profile || a.real_time != b.real_time || a.seed != b.seed || a.target != b.target ||
      !(a.interpretations == b.interpretations) || a.cases.size() != b.cases.size())
    return false;
  for (std::size_t c = 0; c < a.cases.size(); ++c) {
    const auto& x = a.cases[c].steps;
    const auto& y = b.cases[c].steps;
    if (a.cases[c].index != b.cases[c].index || x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (x[i].step.stimulus != y[i].step.stimulus || x[i].poll != y[i].poll || x[i].called_us != y[i].called_us ||
          x[i].returned_us != y[i].returned_us || x[i].sweep.size() != y[i].sweep.size())
        return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<bgc::TraceFile> f = bgc::parse_trace(text, error);
  if (!f) {
    if (error.rfind("line ", 0) != 0 && error.rfind("case ", 0) != 0) {
      std::fprintf(stderr, "trace_fuzzer: error without a line or case: %s\n", error.c_str());
      std::abort();
    }
    return 0;
  }
  const std::string rendered = bgc::render_trace(*f);
  const std::optional<bgc::TraceFile> again = bgc::parse_trace(rendered, error);
  if (!again || !same(*f, *again) || bgc::render_trace(*again) != rendered) {
    std::fprintf(stderr, "trace_fuzzer: a parsed trace does not survive render and parse (%s):\n%s\n", error.c_str(),
                 rendered.c_str());
    std::abort();
  }
  bgc::RunSettings settings;
  settings.model.profile = f->profile;
  settings.model.interpretations = f->interpretations;
  try {
    const bgc::RunResult r = bgc::check_trace(settings, *f);
    if (r.cases_run != f->cases.size()) {
      std::fprintf(stderr, "trace_fuzzer: %zu cases checked of %zu\n", static_cast<std::size_t>(r.cases_run),
                   f->cases.size());
      std::abort();
    }
  } catch (const bgc::TraceError&) {
    // What the trace does not hold, refused with its line: a verdict of its own.
  }
  return 0;
}
