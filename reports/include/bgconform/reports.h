// Pure renderers of a RunResult (architecture.md: reports never run anything), and the replay-file
// format: a header (format version, profile, interpretations, seed, expected rule) and one stimulus
// per line in the one-line text form.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bgconform/case_result.h"
#include "bgconform/run_result.h"

namespace bgc {

inline constexpr int kReportSchemaVersion = 1;
// Format 2: the cases a failure depends on come first (ReplayFile::earlier_cases); format 1 has none.
inline constexpr int kReplayFormatVersion = 2;
inline constexpr int kTraceFormatVersion = 1;

// report.json; its schema is reports/schema/report.schema.json (kReportSchemaVersion).
std::string render_json(const RunResult& r, const std::string& replay_dir = {});
// junit.xml: one testcase per (target, rule); a failure carries the rule, what the model allowed, what
// the target did and the reproduce command. Valid against reports/schema/junit.xsd.
std::string render_junit(const RunResult& r, const std::string& replay_dir = {});
// summary.md: a short Markdown summary for a CI job summary.
std::string render_markdown(const RunResult& r, const std::string& replay_dir = {});
// report.html: one self-contained page (no network): the BG_JOB_STATE diagram as inline SVG (visited
// states and transitions, failing transitions marked), the rule table, each counterexample's step
// table, coverage, run parameters and reproduce commands.
std::string render_html(const RunResult& r, const std::string& replay_dir = {});
// "bgconform replay DIR/replay-E-2.txt --target T"
std::string reproduce_command(const RunResult& r, const Counterexample& c, const std::string& replay_dir);
// One shell word: as it is when nothing in it means anything to a shell, else in single quotes, so a
// command pasted into a terminal runs what it says (a path with spaces, $ or quotes).
std::string shell_word(const std::string& s);
// Reads a report.json back (for `bgconform merge`); nullopt and `error` when it is not one.
std::optional<RunResult> parse_report(const std::string& json_text, std::string& error);
// Takes `ledger` as the result's ledger, and judges each counterexample by it again (covered by an
// entry's scope or not): `merge --ledger`, and reports written before scoped entries.
void judge_by_ledger(RunResult& r, std::vector<RunSettings::KnownDeviation> ledger);
// Merges shard results of one run (same target, profile, seed, settings): tallies add up, coverage
// unites, the first counterexample of each rule (lowest case index) is kept. Empty `error`: success.
std::optional<RunResult> merge_results(const std::vector<RunResult>& shards, std::string& error);

// The known-deviation ledger: a JSON file
//   {"format": "bgconform-ledger", "version": 1, "target": "...", "profile": "bits",
//    "known_deviations": [{"rule": "E-2", "why": "...", "link": "https://...",
//                          "where": {"state": "ERROR", "stimulus": "GetError", "answer": "..."}}]}
// ("where" optional, each of its keys too: runner.h, DeviationSite.) A rule may have several entries,
// each with another scope. Parses it; on error returns nullopt and sets `error` to a message naming the
// entry at fault.
std::optional<std::vector<RunSettings::KnownDeviation>> parse_ledger(const std::string& text, std::string& error);
std::string render_ledger(const std::string& target, Profile profile,
                          const std::vector<RunSettings::KnownDeviation>& entries);
// Where a deviation happened, in words: "state ERROR, stimulus GetError, answer S_OK handle=null".
std::string site_text(const DeviationSite& where);
// The scopes of a rule's ledger entries, in words ("state ERROR, stimulus GetError; stimulus Resume"),
// or "" when no entry of the rule is scoped (or none lists it).
std::string ledger_scope_text(const std::vector<RunSettings::KnownDeviation>& ledger, std::string_view rule);
// A starting ledger from a report.json: every rule that failed (or is a known deviation already),
// scoped to the state and stimulus of its counterexample's failing step.
std::optional<std::string> ledger_from_report(const std::string& json_text, std::string& error);
// The human summary: rule counts, coverage in absolute counts, speed, and a step table per failure.
// `replay_dir`: where replay files go (for the reproduce commands); may be empty.
std::string render_summary(const RunResult& r, const std::string& replay_dir);
// What bounds a run, in words: "a budget of 300000 checked steps, cases of up to 40 steps",
// "200 cases of up to 40 steps", "180 s, cases of up to 16 steps".
std::string budget_text(const RunSettings& s);
// The progress line of a run under way: cases (of this shard's), steps, failing rules, and the time
// left at the pace so far (not for the tour, whose case count is a bound). `per_case`: a line per case
// in seconds (a real-time target); otherwise the line a terminal rewrites, with coverage and speed.
std::string render_progress(const RunResult& r, bool per_case);
// One counterexample as a step table: stimulus, what the model allowed, what the target did.
std::string render_step_table(const Counterexample& c);
std::string counterexample_label(const Counterexample& c);  // "E-2", "crash", "timeout"

struct ReplayFile {
  int format = kReplayFormatVersion;
  Profile profile = Profile::Bits;
  Interpretations interpretations;
  std::uint64_t seed = 0;
  std::string rule;    // the rule expected to fail ("crash"/"timeout" for those)
  std::string target;  // informative: the target the failure came from
  std::vector<Stimulus> stimuli;
  // Cases to run first, in the same process, each from a reset (a failure that depends on what they
  // leave in the implementation): "earlier-case" lines before "steps", each followed by its stimuli.
  std::vector<std::vector<Stimulus>> earlier_cases;
};
std::string render_replay(const ReplayFile& f);
// Parses a replay file; on error returns nullopt and sets `error` to "line N: what".
std::optional<ReplayFile> parse_replay(const std::string& text, std::string& error);
// The file name for a counterexample's replay: "replay-E-2.txt".
std::string replay_file_name(const Counterexample& c);

// A trace file (`bgconform run --record`, `bgconform check`): what a target answered, case by case.
//   trace-format 1 / profile bits / interpretation I-n=VALUE ... / clock virtual|real-time / seed N / target NAME
//   case 0
//   CreateJob j0 -> S_OK state=SUSPENDED          (a stimulus and its answer, in the one-line text forms)
//   sweep GetState j0 -> S_OK state=SUSPENDED     (virtual clock: the GetState sweep after the step)
//   @1.250000..1.262000 Resume j0 -> S_OK         (real time: when the call was made and returned, in
//   @1.300000..1.301000 poll GetState j0 -> ...    seconds since the case began; a poll follows a stimulus)
struct TraceFile {
  Profile profile = Profile::Bits;
  Interpretations interpretations;
  bool real_time = false;
  std::uint64_t seed = 0;  // informative: the run's seed (a trace from elsewhere may have none)
  std::string target;      // informative: the target the trace was recorded from
  std::vector<RecordedCase> cases;
};
std::string render_trace_header(const TraceFile& f);  // the header alone (cases are appended as they run)
std::string render_trace_case(const RecordedCase& c, bool real_time);
std::string render_trace(const TraceFile& f);
// Parses a trace file; on error returns nullopt and sets `error` to "line N: what was expected".
std::optional<TraceFile> parse_trace(std::string_view text, std::string& error);

}  // namespace bgc
