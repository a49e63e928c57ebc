// The bgconform subcommands: each adds itself to the app and runs when chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace bgc::tool {

// Registers a subcommand; `run` is set to the function to call when it is chosen, returning the exit code.
using Runner = std::function<int()>;
void add_model_command(CLI::App& app, Runner& run);
void add_rules_command(CLI::App& app, Runner& run);
void add_run_command(CLI::App& app, Runner& run);
void add_faults_command(CLI::App& app, Runner& run);
void add_replay_command(CLI::App& app, Runner& run);

}  // namespace bgc::tool
