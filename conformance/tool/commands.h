// The bgconform subcommands: each adds itself to the app and runs when chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "bgconform/run_result.h"

namespace bgc::tool {

// Registers a subcommand; `run` is set to the function to call when it is chosen, returning the exit code.
using Runner = std::function<int()>;
void add_model_command(CLI::App& app, Runner& run);
void add_rules_command(CLI::App& app, Runner& run);
void add_run_command(CLI::App& app, Runner& run);
void add_faults_command(CLI::App& app, Runner& run);
void add_replay_command(CLI::App& app, Runner& run);
void add_ledger_command(CLI::App& app, Runner& run);
void add_merge_command(CLI::App& app, Runner& run);
void add_mutants_command(CLI::App& app, Runner& run);
void add_check_command(CLI::App& app, Runner& run);

// Shared by run and merge (cmd_run.cpp).
int exit_code(const RunResult& r);  // 0 conformant or only ledgered, 1 deviations, 3 crash or hang
// Writes a file whole or not at all (a temporary beside it, then rename); throws std::runtime_error
// naming the file that could not be written.
void write_atomically(const std::filesystem::path& path, const std::string& text);
void write_replay_files(const std::filesystem::path& dir, const RunResult& r);
void write_report_files(const std::filesystem::path& dir, const RunResult& r);  // json, junit, md, html
std::vector<RunSettings::KnownDeviation> read_ledger(const std::string& file);  // throws ValidationError
// A replay, ledger or report file: its text, or nullopt with `error` saying why (missing, a directory,
// larger than kMostInputBytes - the biggest real one is a few MiB).
inline constexpr std::size_t kMostInputBytes = std::size_t{64} << 20;
std::optional<std::string> read_text_file(const std::filesystem::path& path, std::string& error,
                                          std::size_t most = kMostInputBytes);
// A trace (bgconform check) may be larger: a full tier's is some hundreds of MiB.
inline constexpr std::size_t kMostTraceBytes = std::size_t{4} << 30;
// Makes the report directory, takes it for this process (one run per directory: a second one, while
// this process lives, is refused naming it; a lock whose process is gone is taken over) and checks it
// takes files, all before any work starts (CLI::ValidationError, exit 2, naming `option`);
// `clear_replays` removes an earlier run's replay files from it.
void prepare_report_dir(const std::string& option, const std::filesystem::path& dir, bool clear_replays);

// Space kept in the report directory for the run's last word: a disk that fills up during the run (the
// reports rewritten as it goes, a neighbour's files) still takes the reports that say they are
// incomplete, once release() gives the space back. Nothing when the directory has no room for it.
class SpaceReserve {
 public:
  static constexpr std::uintmax_t kBytes = std::uintmax_t{2} << 20;
  explicit SpaceReserve(const std::filesystem::path& dir);
  ~SpaceReserve() { release(); }
  SpaceReserve(const SpaceReserve&) = delete;
  SpaceReserve& operator=(const SpaceReserve&) = delete;
  void release();

 private:
  std::filesystem::path file_;
};

}  // namespace bgc::tool
