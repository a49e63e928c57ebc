// report_fuzzer: the report.json reader (reports/src/report_read.cpp), which `bgconform merge` and
// `bgconform ledger --from` read. The input is a report.json (or anything else):
//   - parse_report either returns a RunResult or refuses with a message;
//   - what it returns, `merge` can use: merge_results accepts it (or refuses with a message), and every
//     renderer (JSON, JUnit, Markdown, HTML, the summary, a replay file per counterexample) renders it;
//   - the JSON rendering reads back, and renders again to the same text;
//   - ledger_from_report either refuses with a message or writes a ledger that parse_ledger accepts.
// Never a crash, never an exception.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bgconform/reports.h"

namespace {
[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "report_fuzzer: %s\n", what.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  std::string ledger_error;
  if (const auto ledger = bgc::ledger_from_report(text, ledger_error)) {
    std::string error;
    if (!bgc::parse_ledger(*ledger, error))
      fail("ledger_from_report wrote a ledger that is refused (" + error + "):\n" + *ledger);
  } else if (ledger_error.empty()) {
    fail("ledger_from_report refused a report without a message");
  }

  std::string error;
  const auto r = bgc::parse_report(text, error);
  if (!r) {
    if (error.empty()) fail("a report is refused without a message");
    return 0;
  }
  std::string merge_error;
  if (!bgc::merge_results({*r}, merge_error) && merge_error.empty()) fail("merge refused one report without a message");

  const std::string dir = "report-dir";
  const std::string json = bgc::render_json(*r, dir);
  bgc::render_junit(*r, dir);
  bgc::render_markdown(*r, dir);
  bgc::render_html(*r, dir);
  bgc::render_summary(*r, dir);
  auto replay_of = [&](const bgc::Counterexample& c) {
    bgc::ReplayFile f;
    f.profile = r->settings.model.profile;
    f.interpretations = r->settings.model.interpretations;
    f.seed = r->settings.seed;
    f.rule = bgc::counterexample_label(c);
    f.target = r->settings.target;
    for (const bgc::TracedStep& s : c.trace) f.stimuli.push_back(s.step.stimulus);
    std::string replay_error;
    if (!bgc::parse_replay(bgc::render_replay(f), replay_error))
      fail("a counterexample's replay file is refused: " + replay_error);
  };
  for (const bgc::Counterexample& c : r->counterexamples) replay_of(c);
  if (r->crash) replay_of(*r->crash);

  std::string again_error;
  const auto again = bgc::parse_report(json, again_error);
  if (!again) fail("a rendered report.json is refused (" + again_error + "):\n" + json);
  if (bgc::render_json(*again, dir) != json) fail("a report.json does not survive parse and render:\n" + json);
  return 0;
}
