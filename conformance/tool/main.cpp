// bgconform: conformance testing of BITS-style job services against an executable model.
#include <iostream>
#include <string_view>

#include "commands.h"
#include "options.h"

namespace {
bool is_command(CLI::App& app, std::string_view name) {
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == name) return true;
  return false;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace bgc::tool;
  CLI::App app{"bgconform - checks BITS and Delivery Optimization job services against an executable model of "
               "BG_JOB_STATE and the IBackgroundCopyError rules"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("bgconform ") + BGCONFORM_VERSION);
  Runner run;
  add_model_command(app, run);
  add_rules_command(app, run);
  add_run_command(app, run);
  add_faults_command(app, run);
  add_replay_command(app, run);
  add_ledger_command(app, run);
  add_merge_command(app, run);
  add_mutants_command(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    if (argc < 2 || std::string_view(argv[1]).empty()) {
      message = "a command is required";
    } else if (argv[1][0] != '-' && !is_command(app, argv[1])) {
      message = "unknown command '" + std::string(argv[1]) + "'";
    }
    std::cerr << "bgconform: " << message << "\nRun 'bgconform --help' (or 'bgconform <command> --help') for usage.\n";
    return kExitUsage;
  }
  try {
    return run ? run() : kExitUsage;
  } catch (const CLI::ValidationError& e) {
    std::cerr << "bgconform: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    // A target that cannot start (a plugin's create_manager fails) outside a run, which reports it
    // itself; anything else unforeseen ends with its message rather than an abort.
    std::cerr << "bgconform: " << e.what() << "\n";
    return kExitUsage;
  }
}
