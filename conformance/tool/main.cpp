// bgconform: conformance testing of BITS-style job services against an executable model.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"

namespace {

// Started with standard input, output or error closed, the process would hand those numbers to the
// first files and pipes it opens: an isolated plugin's host would get the harness's stderr as its
// request pipe. They are opened on /dev/null instead.
void keep_standard_descriptors() {
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF && ::open("/dev/null", O_RDWR) != fd) std::abort();
}

// A library loaded with --no-isolate that calls exit() ends the process in the middle of a call, and its
// status (often 0) would read as a verdict. main() marks its own return; any other exit is the target's.
bool g_main_returned = false;
extern "C" void on_exit_outside_main() {
  if (g_main_returned) return;
  static const char message[] =
      "bgconform: the process was ended from inside the target (a library loaded with --no-isolate called "
      "exit()): the run is incomplete; run it isolated to see where\n";
  [[maybe_unused]] const ssize_t ignored = ::write(2, message, sizeof message - 1);
  ::_exit(bgc::tool::kExitCrash);
}

// What a command printed is its result (a ledger on standard output, the summary): a write that failed
// (a full disk, a closed descriptor) must not end in exit 0.
int with_output_checked(int code) {
  std::cout.flush();
  const bool lost = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout);
  if (!lost) return code;
  std::cerr << "bgconform: cannot write to standard output" << (errno ? std::string(": ") + std::strerror(errno) : "")
            << "\n";
  return code == bgc::tool::kExitConformant ? bgc::tool::kExitUsage : code;
}

bool is_command(CLI::App& app, std::string_view name) {
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == name) return true;
  return false;
}

int run_command_line(int argc, char** argv) {
  using namespace bgc::tool;
  CLI::App app{
      "bgconform - checks BITS and Delivery Optimization job services against an executable model of "
      "BG_JOB_STATE and the IBackgroundCopyError rules"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("bgconform ") + BGCONFORM_VERSION);
  Runner run;
  add_model_command(app, run);
  add_rules_command(app, run);
  add_run_command(app, run);
  add_faults_command(app, run);
  add_replay_command(app, run);
  add_check_command(app, run);
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
    return run ? with_output_checked(run()) : kExitUsage;
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

}  // namespace

int main(int argc, char** argv) {
  keep_standard_descriptors();
  std::atexit(on_exit_outside_main);
  const int code = run_command_line(argc, argv);
  g_main_returned = true;
  return code;
}
