// Pure renderers of a RunResult (architecture.md: reports never run anything), and the replay-file
// format: a header (format version, profile, interpretations, seed, expected rule) and one stimulus
// per line in the one-line text form.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bgconform/run_result.h"

namespace bgc {

inline constexpr int kReportSchemaVersion = 1;
inline constexpr int kReplayFormatVersion = 1;

std::string render_json(const RunResult& r);   // report.json
std::string render_junit(const RunResult& r);  // junit.xml: one testcase per rule
// The human summary: rule counts, coverage in absolute counts, speed, and a step table per failure.
// `replay_dir`: where replay files go (for the reproduce commands); may be empty.
std::string render_summary(const RunResult& r, const std::string& replay_dir);
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
};
std::string render_replay(const ReplayFile& f);
// Parses a replay file; on error returns nullopt and sets `error` to "line N: what".
std::optional<ReplayFile> parse_replay(const std::string& text, std::string& error);
// The file name for a counterexample's replay: "replay-E-2.txt".
std::string replay_file_name(const Counterexample& c);

}  // namespace bgc
