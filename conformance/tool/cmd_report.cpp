// bgconform ledger | merge: a starting known-deviation ledger from a report, and merging the reports
// of a sharded run (GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX) into one report set.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bgconform/reports.h"
#include "commands.h"
#include "options.h"

namespace bgc::tool {
namespace {

namespace fs = std::filesystem;

struct LedgerCommand {
  std::string from, output;
  int run() const {
    std::string error;
    auto text = read_text_file(from, error);
    if (!text) {
      std::cerr << "bgconform ledger: " << error << "\n";
      return kExitUsage;
    }
    auto ledger = ledger_from_report(*text, error);
    if (!ledger) {
      std::cerr << "bgconform ledger: " << from << ": " << error << "\n";
      return kExitUsage;
    }
    if (output.empty() || output == "-") {
      std::cout << *ledger;
    } else {
      std::ofstream out(output, std::ios::binary | std::ios::trunc);
      out << *ledger;
      out.close();  // a full disk shows only when the buffer is written
      if (!out) {
        std::cerr << "bgconform ledger: cannot write " << output << "\n";
        return kExitUsage;
      }
      std::cerr << "bgconform ledger: wrote " << output << "; give each entry its reason (\"why\") and a link\n";
    }
    return kExitConformant;
  }
};

// "0, 2": the shards a merged result holds.
std::string shard_list(const RunResult& r) {
  std::string out;
  for (int k : r.settings.shards) out += (out.empty() ? "" : ", ") + std::to_string(k);
  return out;
}

struct MergeCommand {
  std::vector<std::string> inputs;
  std::string report_dir, ledger;
  int run() const {
    std::vector<RunResult> shards;
    for (const std::string& in : inputs) {
      const fs::path p = fs::is_directory(in) ? fs::path(in) / "report.json" : fs::path(in);
      std::string error;
      auto text = read_text_file(p, error);
      if (!text) {
        std::cerr << "bgconform merge: " << error << "\n";
        return kExitUsage;
      }
      auto r = parse_report(*text, error);
      if (!r) {
        std::cerr << "bgconform merge: " << p.string() << ": " << error << "\n";
        return kExitUsage;
      }
      if (!ledger.empty()) judge_by_ledger(*r, read_ledger(ledger));  // every shard judged by --ledger
      shards.push_back(std::move(*r));
    }
    std::string error;
    auto merged = merge_results(shards, error);
    if (!merged) {
      std::cerr << "bgconform merge: " << error << "\n";
      return kExitUsage;
    }
    if (!ledger.empty()) merged->settings.ledger_file = ledger;
    if (!report_dir.empty()) {
      prepare_report_dir("--report-dir", report_dir, true);
      try {
        write_replay_files(report_dir, *merged);
        write_report_files(report_dir, *merged);
      } catch (const std::exception& e) {
        std::cerr << "bgconform merge: " << e.what() << "\n";
        return kExitUsage;
      }
    }
    std::cout << "merged " << inputs.size() << " reports"
              << (merged->settings.shards.empty() ? " (every shard)" : " (some shards are missing)") << "\n"
              << render_summary(*merged, report_dir.empty() ? "DIR" : report_dir);
    // Like an unfinished run (exit 2): a shard that is missing (its artifact lost) or did not finish
    // (interrupted, stopped) leaves cases unchecked, and a gate must not pass on the rest.
    if (!merged->settings.shards.empty() || !merged->finished) {
      std::cerr << "bgconform merge: incomplete: "
                << (!merged->settings.shards.empty()
                        ? "shards " + shard_list(*merged) + " of " + std::to_string(merged->settings.shard_count) +
                              " only"
                        : std::string("a shard did not finish") +
                              (merged->stopped_by.empty() ? std::string(" (interrupted)") : ": " + merged->stopped_by))
                << "\n";
      return kExitUsage;
    }
    return exit_code(*merged);
  }
};

}  // namespace

void add_ledger_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("ledger", "Write a starting known-deviation ledger from a report.json");
  auto m = std::make_shared<LedgerCommand>();
  cmd->add_option("--from", m->from, "A report.json written by 'bgconform run --report-dir'")->required();
  cmd->add_option("--output,-o", m->output, "Write the ledger here (default: standard output)")->type_name("FILE");
  cmd->callback([&run, m] { run = [m] { return m->run(); }; });
}

void add_merge_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand(
      "merge", "Merge the reports of a sharded run into one report set; exits with the merged run's verdict");
  auto m = std::make_shared<MergeCommand>();
  cmd->add_option("reports", m->inputs, "Shard report directories (or their report.json files)")->required();
  cmd->add_option("--report-dir", m->report_dir, "Write the merged report set here");
  cmd->add_option("--ledger", m->ledger, "Known-deviation ledger (replaces the shards' ledger)")->type_name("FILE");
  cmd->callback([&run, m] { run = [m] { return m->run(); }; });
}

}  // namespace bgc::tool
