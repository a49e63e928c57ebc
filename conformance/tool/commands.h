// The bgconform subcommands: each adds itself to the app and runs when chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>

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

// Shared by run and merge (cmd_run.cpp).
int exit_code(const RunResult& r);  // 0 conformant or only ledgered, 1 deviations, 3 crash or hang
void write_replay_files(const std::filesystem::path& dir, const RunResult& r);
void write_report_files(const std::filesystem::path& dir, const RunResult& r);  // json, junit, md, html
std::vector<RunSettings::KnownDeviation> read_ledger(const std::string& file);  // throws ValidationError

}  // namespace bgc::tool
