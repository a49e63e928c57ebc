// bgconform check: judges a recorded trace (run --record, or one a Windows engineer recorded against
// their own service) as a run judges a live target; the same verdicts, reports, ledger and exit codes.
#include <iostream>

#include "../src/check_trace.h"
#include "bgconform/interrupt.h"
#include "commands.h"
#include "options.h"

namespace bgc::tool {

namespace {

struct CheckCommand {
  std::string file;
  ModelOptions switches;  // --interpretation and --disable-rule, over the trace's own
  std::string ledger;
  std::string report_dir;
  bool allow_not_exercised = false;

  int run() const {
    std::string error;
    const std::optional<std::string> text = read_text_file(file, error, kMostTraceBytes);
    if (!text) {
      std::cerr << "bgconform check: " << error << "\n";
      return kExitUsage;
    }
    const std::optional<TraceFile> trace = parse_trace(*text, error);
    if (!trace) {
      std::cerr << "bgconform check: " << file << ": " << error << "\n";
      return kExitUsage;
    }
    RunSettings settings;
    settings.tool_version = BGCONFORM_VERSION;
    settings.target = trace->target.empty() ? "recorded" : trace->target;
    settings.seed = trace->seed;
    settings.model.profile = trace->profile;
    settings.model.interpretations = trace->interpretations;
    switches.apply_switches(settings.model);
    settings.allow_not_exercised = allow_not_exercised;
    if (!ledger.empty()) settings.known_deviations = read_ledger(ledger);
    settings.ledger_file = ledger;
    settings.trace_file = file;
    settings.max_steps = 0;
    for (const RecordedCase& c : trace->cases)
      settings.max_steps = std::max(settings.max_steps, static_cast<int>(c.steps.size()));
    if (!report_dir.empty()) prepare_report_dir("--report-dir", report_dir, true);
    std::cerr << "bgconform check: " << file << ": " << trace->cases.size()
              << (trace->cases.size() == 1 ? " case" : " cases") << " recorded from " << settings.target << ", profile "
              << name(settings.model.profile) << ", " << (trace->real_time ? "real time" : "virtual clock") << "\n";
    install_interrupt_handlers();
    RunResult result;
    try {
      result = check_trace(settings, *trace);
    } catch (const TraceError& e) {
      std::cerr << "bgconform check: " << file << ": "
                << (e.line() > 0 ? "line " + std::to_string(e.line()) + ": " : "") << e.what() << "\n";
      return kExitUsage;
    }
    std::string write_error;
    if (!report_dir.empty()) {
      try {
        write_replay_files(report_dir, result);
        write_report_files(report_dir, result);
      } catch (const std::exception& e) {
        write_error = e.what();
      }
    }
    std::cout << render_summary(result, report_dir.empty() ? "DIR" : report_dir);
    if (!report_dir.empty() && write_error.empty())
      std::cout << "reports: " << report_dir << "/{report.json,junit.xml,summary.md,report.html}\n";
    if (!write_error.empty()) {
      std::cerr << "bgconform check: the reports in " << report_dir << " are incomplete: " << write_error << "\n";
      return kExitUsage;
    }
    if (interrupted()) {
      std::cerr << "bgconform check: interrupted after " << result.cases_run << " of " << trace->cases.size()
                << " cases\n";
      return kExitUsage;
    }
    return exit_code(result);
  }
};

}  // namespace

void add_check_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand(
      "check",
      "Judge a recorded trace (bgconform run --record, or the COM agent's --record against Microsoft's BITS or DO): "
      "the same rules, verdicts, reports, ledger and exit codes as run");
  auto m = std::make_shared<CheckCommand>();
  cmd->add_option("trace", m->file, "A trace file: a header, then each case's stimuli with the answers the target gave")
      ->required();
  cmd->add_option("--interpretation", m->switches.interpretations,
                  "Judge with another interpretation than the trace was recorded with, e.g. I-1=either")
      ->type_name("I-n=VALUE");
  cmd->add_option("--disable-rule", m->switches.disabled_rules, "Switch a rule's check off, e.g. E-2")->type_name("ID");
  cmd->add_option("--ledger", m->ledger, "Known-deviation ledger (JSON), as for run")->type_name("FILE");
  cmd->add_option("--report-dir", m->report_dir,
                  "Write report.json, junit.xml, summary.md, report.html and one replay file per failing rule here");
  cmd->add_flag("--allow-not-exercised", m->allow_not_exercised,
                "Do not fail (exit 1) on applicable rules the trace never put to the test (a short trace reaches few)");
  cmd->callback([&run, m] { run = [m] { return m->run(); }; });
}

}  // namespace bgc::tool
