// bgconform mutants: the generated suite against every mutant plugin of a catalogue, as a kill matrix
// with each mutant's time to kill. A mutant is killed when the run names its
// expected rule among the failures, or, for "crash" / "timeout", when the isolated host reports that.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../src/case_loop.h"
#include "../src/rc_adapter.h"
#include "bgconform/reports.h"
#include "target_factory.h"
#include "commands.h"
#include "options.h"

namespace bgc::tool {
namespace {

namespace fs = std::filesystem;

// One row of the catalogue: mutants.def's MUTANT(Enum, "name", "expected", "profile", "description").
struct MutantRow {
  std::string name;
  std::string expected;  // a rule ID, "crash" or "timeout"; "any" when no manifest says (any failure kills)
  std::string profile = "bits";
  std::string description;
  fs::path library;
};

// Reads the MUTANT(...) rows of a manifest in mutants.def's format: rows start a line (comments that
// show the format do not count) and may span lines; the five arguments are an identifier and four
// string literals (backslash escapes kept as written). Read by hand: <regex> is slow to compile
// (docs/performance.md).
std::vector<MutantRow> read_manifest(const fs::path& manifest, const fs::path& dir) {
  std::ifstream in(manifest, std::ios::binary);
  if (!in) throw CLI::ValidationError("--manifest", "cannot read " + manifest.string());
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  std::vector<MutantRow> rows;
  constexpr std::string_view kRow = "MUTANT(";
  for (std::size_t at = 0; (at = all.find(kRow, at)) != std::string::npos; at += kRow.size()) {
    if (at > 0 && all[at - 1] != '\n') continue;
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(all.begin(), all.begin() + static_cast<long>(at), '\n'));
    const auto bad = [&](const std::string& what) {
      return CLI::ValidationError("--manifest", manifest.string() + ":" + std::to_string(line) + ": " + what);
    };
    std::size_t i = at + kRow.size();
    const auto skip_space = [&] {
      while (i < all.size() && std::isspace(static_cast<unsigned char>(all[i]))) ++i;
    };
    const auto expect = [&](char c) {
      skip_space();
      if (i >= all.size() || all[i] != c) throw bad(std::string("expected '") + c + "' in the MUTANT row");
      ++i;
    };
    const auto literal = [&] {
      expect('"');
      const std::size_t from = i;
      while (i < all.size() && all[i] != '"') i += all[i] == '\\' ? 2 : 1;
      if (i >= all.size()) throw bad("a string that does not end");
      return all.substr(from, i++ - from);
    };
    skip_space();
    const std::size_t enum_at = i;
    while (i < all.size() && (std::isalnum(static_cast<unsigned char>(all[i])) || all[i] == '_')) ++i;
    if (i == enum_at) throw bad("expected the mutant's enum name after MUTANT(");
    MutantRow r;
    expect(',');
    r.name = literal();
    expect(',');
    r.expected = literal();
    expect(',');
    r.profile = literal();
    expect(',');
    r.description = literal();
    expect(')');
    if (r.name.empty()) throw bad("a mutant without a name");
    // A row that names no rule or no profile could never be killed: the catalogue is wrong, not the suite.
    if (r.expected != "crash" && r.expected != "timeout" && !parse_rule_id(r.expected))
      throw bad("'" + r.expected + "' is not a rule the model checks, crash or timeout");
    if (!parse_profile(r.profile)) throw bad("unknown profile '" + r.profile + "' (bits or do)");
    r.library = dir / ("libbgc_mutant_" + r.name + ".so");
    rows.push_back(std::move(r));
  }
  if (rows.empty()) throw CLI::ValidationError("--manifest", manifest.string() + " has no MUTANT(...) rows");
  return rows;
}

// Without a manifest: every shared library in the directory, killed by any failure.
std::vector<MutantRow> scan_directory(const fs::path& dir, const std::string& profile) {
  std::vector<MutantRow> rows;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".so") continue;
    MutantRow r;
    r.name = entry.path().stem().string();
    if (r.name.rfind("libbgc_mutant_", 0) == 0) r.name = r.name.substr(14);
    r.expected = "any";
    r.profile = profile;
    r.library = entry.path();
    rows.push_back(std::move(r));
  }
  if (ec) throw CLI::ValidationError("DIR", "cannot list " + dir.string() + ": " + ec.message());
  std::sort(rows.begin(), rows.end(), [](const MutantRow& a, const MutantRow& b) { return a.name < b.name; });
  return rows;
}

struct MatrixRow {
  MutantRow mutant;
  bool killed = false;
  std::string error;                  // the plugin could not be loaded
  std::vector<std::string> failures;  // every failing rule, and crash/timeout, in the order found
  double first_failure_seconds = -1;  // -1: no failure
  std::size_t shrunk_steps = 0;       // the killing counterexample's steps after shrinking (0: none)
  std::size_t original_steps = 0;     // and before
  double seconds = 0;                 // the whole run
};

std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string pad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "-" : out;
}

struct MutantsCommand {
  std::string dir;
  std::string manifest;
  std::string profile = "bits";
  TargetCli target_cli;
  std::uint64_t seed = 1;
  int cases = 200, max_steps = 40, jobs = 3;
  std::string tier;  // quick | full: the tier's step budget instead of --cases (options.h)
  std::vector<std::string> only;
  std::string report_dir;

  // What one mutant's run does, in words ("a budget of 300000 checked steps of up to 40 steps each").
  std::string amounts() const {
    RunSettings settings;
    settings.cases = cases;
    settings.max_steps = max_steps;
    if (!tier.empty()) bgc::apply_tier(settings, tier == "full" ? kFullTier : kQuickTier, tier.c_str());
    return budget_text(settings) + (tier.empty() ? "" : ", tier " + tier);
  }

  MatrixRow run_one(const MutantRow& m) const {
    MatrixRow row;
    row.mutant = m;
    RunSettings settings;
    settings.tool_version = BGCONFORM_VERSION;
    const auto profile_value = parse_profile(m.profile);
    if (!profile_value) {
      row.error = "unknown profile '" + m.profile + "'";
      return row;
    }
    settings.model.profile = *profile_value;
    settings.target = plugin_spec(m.library.string());
    settings.seed = seed;
    settings.cases = cases;
    settings.max_steps = max_steps;
    settings.jobs = jobs;
    if (!tier.empty())
      bgc::apply_tier(settings, tier == "full" ? kFullTier : kQuickTier, tier.c_str());  // as `run --tier`
    std::unique_ptr<Target> target;
    try {
      target = target_cli.make(settings.target, settings.model.profile);
    } catch (const CLI::ValidationError& e) {
      row.error = e.what();
      return row;
    }
    const auto start = std::chrono::steady_clock::now();
    const RunResult r = run_cases(settings, *target, rapidcheck_case_tools());
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    row.error = r.stopped_by;  // the plugin could not start a case: the row says why, whatever ran before
    row.first_failure_seconds = r.first_failure_seconds;
    const Counterexample* kill = nullptr;
    for (const Counterexample& c : r.counterexamples) {
      row.failures.push_back(counterexample_label(c));
      if (!kill && (m.expected == "any" || counterexample_label(c) == m.expected)) kill = &c;
    }
    if (r.crash) {
      row.failures.push_back(counterexample_label(*r.crash));
      if (!kill && (m.expected == "any" || counterexample_label(*r.crash) == m.expected)) kill = &*r.crash;
    }
    if (kill) {
      row.killed = true;
      row.shrunk_steps = kill->trace.size();
      row.original_steps = kill->original_steps;
    }
    return row;
  }

  std::string render_text(const std::vector<MatrixRow>& rows, std::size_t killed) const {
    std::ostringstream out;
    out << pad("mutant", 38) << pad("expected", 9) << pad("killed", 7) << pad("first failure", 14)
        << pad("shrunk steps", 13) << "failures\n";
    for (const MatrixRow& r : rows) {
      out << pad(r.mutant.name, 38) << pad(r.mutant.expected, 9) << pad(r.killed ? "yes" : "NO", 7)
          << pad(r.first_failure_seconds < 0 ? "-" : fixed3(r.first_failure_seconds) + " s", 14)
          << pad(r.killed ? std::to_string(r.shrunk_steps) + " (of " + std::to_string(r.original_steps) + ")" : "-", 13)
          << (r.error.empty() ? joined(r.failures) : "error: " + r.error) << "\n";
    }
    out << "mutation score: " << killed << " of " << rows.size() << " killed for their rule ("
        << (rows.empty() ? 0 : 100 * killed / rows.size()) << " %), seed " << seed << ", " << amounts()
        << ", call timeout " << target_cli.call_timeout << " s\n";
    return out.str();
  }

  std::string render_markdown(const std::vector<MatrixRow>& rows, std::size_t killed) const {
    std::ostringstream out;
    out << "# Mutant kill matrix\n\nseed " << seed << ", " << amounts() << ", call timeout " << target_cli.call_timeout
        << " s. **Mutation score: " << killed << " of " << rows.size() << "** killed for their rule.\n\n"
        << "| mutant | profile | expected | killed | time to first failure (s) | counterexample steps (shrunk of "
           "original) | failures |\n"
        << "|---|---|---|---|---|---|---|\n";
    for (const MatrixRow& r : rows)
      out << "| " << r.mutant.name << " | " << r.mutant.profile << " | " << r.mutant.expected << " | "
          << (r.killed ? "yes" : "**no**") << " | "
          << (r.first_failure_seconds < 0 ? "-" : fixed3(r.first_failure_seconds)) << " | "
          << (r.killed ? std::to_string(r.shrunk_steps) + " of " + std::to_string(r.original_steps) : "-") << " | "
          << (r.error.empty() ? joined(r.failures) : "error: " + r.error) << " |\n";
    return out.str();
  }

  std::string render_json(const std::vector<MatrixRow>& rows, std::size_t killed) const {
    nlohmann::json mutants = nlohmann::json::array();
    for (const MatrixRow& r : rows) {
      nlohmann::json j = {{"name", r.mutant.name},
                          {"profile", r.mutant.profile},
                          {"expected", r.mutant.expected},
                          {"description", r.mutant.description},
                          {"library", r.mutant.library.string()},
                          {"killed", r.killed},
                          {"failures", r.failures},
                          {"first_failure_seconds", nullptr},
                          {"counterexample_steps", nullptr},
                          {"original_steps", nullptr},
                          {"run_seconds", r.seconds}};
      if (r.first_failure_seconds >= 0) j["first_failure_seconds"] = r.first_failure_seconds;
      if (r.killed) {
        j["counterexample_steps"] = r.shrunk_steps;
        j["original_steps"] = r.original_steps;
      }
      if (!r.error.empty()) j["error"] = r.error;
      mutants.push_back(std::move(j));
    }
    const nlohmann::json doc = {
        {"schema", "bgconform-mutants"},
        {"schema_version", 1},
        {"tool_version", BGCONFORM_VERSION},
        {"seed", seed},
        {"cases", cases},
        {"max_steps", max_steps},
        {"jobs", jobs},
        {"call_timeout_seconds", target_cli.call_timeout},
        {"isolate", target_cli.isolate},
        {"killed", killed},
        {"total", rows.size()},
        {"score", rows.empty() ? 0.0 : static_cast<double>(killed) / static_cast<double>(rows.size())},
        {"mutants", mutants}};
    return doc.dump(2) + "\n";
  }

  int run() const {
    std::vector<MutantRow> catalogue = manifest.empty() ? scan_directory(dir, profile) : read_manifest(manifest, dir);
    if (!only.empty()) {
      std::erase_if(catalogue,
                    [&](const MutantRow& m) { return std::find(only.begin(), only.end(), m.name) == only.end(); });
      if (catalogue.empty()) throw CLI::ValidationError("--only", "no mutant of that name in the catalogue");
    }
    if (catalogue.empty()) {
      std::cerr << "bgconform mutants: no plugins in " << dir << "\n";
      return kExitUsage;
    }
    if (!report_dir.empty()) prepare_report_dir("--report-dir", report_dir, false);
    std::cerr << "bgconform mutants: " << catalogue.size() << " mutants, seed " << seed << ", " << amounts()
              << ", call timeout " << target_cli.call_timeout << " s\n";
    std::vector<MatrixRow> rows;
    std::size_t killed = 0;
    for (const MutantRow& m : catalogue) {
      rows.push_back(run_one(m));
      const MatrixRow& r = rows.back();
      killed += r.killed;
      std::cerr << "  " << pad(m.name, 38) << (r.killed ? "killed" : "survived") << " (" << fixed3(r.seconds)
                << " s)\n";
    }
    const std::string text = render_text(rows, killed);
    std::cout << text;
    if (!report_dir.empty()) {
      try {
        write_atomically(fs::path(report_dir) / "mutants.json", render_json(rows, killed));
        write_atomically(fs::path(report_dir) / "mutants.md", render_markdown(rows, killed));
      } catch (const std::runtime_error& e) {
        std::cerr << "bgconform mutants: " << e.what() << "\n";
        return kExitUsage;
      }
    }
    // A mutant that could not run (its library missing, refused, unable to start a case) says nothing of
    // the suite: the matrix is incomplete, as a run that could not finish is (exit 2), not a survivor.
    const auto could_not_run =
        std::count_if(rows.begin(), rows.end(), [](const MatrixRow& r) { return !r.error.empty() && !r.killed; });
    if (could_not_run > 0) {
      std::cerr << "bgconform mutants: " << could_not_run << " of " << rows.size()
                << " mutants could not run (see their errors): the matrix is incomplete\n";
      return kExitUsage;
    }
    return killed == rows.size() ? kExitConformant : kExitDeviations;
  }
};

}  // namespace

void add_mutants_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("mutants",
                                 "Run the generated suite against every mutant plugin and print the kill matrix; exit "
                                 "1 unless all are killed, 2 when one could not run");
  auto m = std::make_shared<MutantsCommand>();
  m->target_cli.call_timeout = 0.5;
  cmd->add_option("dir", m->dir, "Directory of the mutant plugins (libbgc_mutant_<name>.so)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option(
         "--manifest", m->manifest,
         "The catalogue (mutants.def rows: name, expected rule or crash/timeout, profile). Without it every .so in "
         "DIR is run in --profile and any failure kills")
      ->check(CLI::ExistingFile);
  cmd->add_option("--profile", m->profile, "Profile for plugins without a manifest row")
      ->check(CLI::IsMember({"bits", "do"}))
      ->capture_default_str();
  cmd->add_flag("--isolate,!--no-isolate", m->target_cli.isolate,
                "Run each plugin in a child host process, so a crash or hang is a finding (default), or in-process")
      ->default_str("--isolate");
  cmd->add_option("--call-timeout", m->target_cli.call_timeout, "Seconds one call may take before it counts as hung")
      ->capture_default_str()
      ->check(call_timeout_range());
  cmd->add_option("--seed", m->seed, "Seed of every run")->capture_default_str()->check(digits_only());
  cmd->add_option("--cases", m->cases, "Cases per mutant")->capture_default_str()->check(positive_count());
  cmd->add_option("--tier", m->tier,
                  "Run each mutant at a tier of 'bgconform run' (its step budget) instead of --cases")
      ->check(CLI::IsMember({"quick", "full"}))
      ->excludes("--cases");
  cmd->add_option("--max-steps", m->max_steps, "Stimuli per case at most")
      ->capture_default_str()
      ->check(positive_count());
  cmd->add_option("--jobs", m->jobs, "Job slots per case")->capture_default_str()->check(CLI::Range(1, 3));
  cmd->add_option("--only", m->only, "Run only these mutants (by name)")->type_name("NAME");
  cmd->add_option("--report-dir", m->report_dir, "Write mutants.json and mutants.md here");
  cmd->callback([&run, m] { run = [m] { return m->run(); }; });
}

}  // namespace bgc::tool
