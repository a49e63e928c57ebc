// bgconform run | faults | replay: the conformance run, the fault catalogue, and replaying a failure.
#include <cerrno>
#include <cstring>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>

#include "../src/case_loop.h"
#include "../src/rc_adapter.h"
#include "bgconform/interrupt.h"
#include "bgconform/fault_target.h"
#include "bgconform/reports.h"
#include "commands.h"
#include "options.h"

namespace bgc::tool {

namespace fs = std::filesystem;

// A full disk shows only when the stream is closed: that is checked too.
void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    errno = 0;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      const int why = errno;  // what the failing write or close left (a full disk: ENOSPC)
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw std::runtime_error("cannot write " + tmp.string() +
                               (why != 0 ? ": " + std::string(std::strerror(why)) : ""));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);  // no half-named file left beside the report
    throw std::runtime_error("cannot replace " + path.string() + ": " + ec.message());
  }
}

int exit_code(const RunResult& r) {
  switch (run_outcome(r)) {
    case RuleOutcome::Crash:
    case RuleOutcome::Timeout: return kExitCrash;
    case RuleOutcome::Pass:
    case RuleOutcome::KnownDeviation: return kExitConformant;
    default: return kExitDeviations;
  }
}

void write_replay_files(const fs::path& dir, const RunResult& r) {
  std::vector<const Counterexample*> all;
  for (const Counterexample& x : r.counterexamples) all.push_back(&x);
  if (r.crash) all.push_back(&*r.crash);
  for (const Counterexample* x : all) {
    const fs::path p = dir / replay_file_name(*x);
    if (fs::exists(p)) continue;
    ReplayFile f;
    f.profile = r.settings.model.profile;
    f.interpretations = r.settings.model.interpretations;
    f.seed = r.settings.seed;
    f.rule = counterexample_label(*x);
    f.target = r.settings.target;
    for (const TracedStep& s : x->trace)
      if (!s.poll) f.stimuli.push_back(s.step.stimulus);  // the Runner polls again when it replays
    f.earlier_cases = x->earlier_cases;
    write_atomically(p, render_replay(f));
  }
}

void write_report_files(const fs::path& dir, const RunResult& r) {
  const std::string d = dir.string();
  // Each file is tried, whatever became of the one before (a full disk may still take the small ones);
  // the first failure is thrown once all were tried.
  std::string first_error;
  const auto write = [&](const char* name, const std::string& text) {
    try {
      write_atomically(dir / name, text);
    } catch (const std::exception& e) {
      if (first_error.empty()) first_error = e.what();
    }
  };
  write("report.json", render_json(r, d));
  write("junit.xml", render_junit(r, d));
  write("summary.md", render_markdown(r, d));
  write("report.html", render_html(r, d));
  if (!first_error.empty()) throw std::runtime_error(first_error);
}

std::optional<std::string> read_text_file(const fs::path& path, std::string& error, std::size_t most) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "cannot read " + path.string() + ": it is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path.string();
    return std::nullopt;
  }
  // A chunk at a time, up to the limit: /dev/zero or an endless pipe must not fill the memory.
  std::string text;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > most) {
      error = "cannot read " + path.string() + ": larger than " + std::to_string(most >> 20) + " MiB";
      return std::nullopt;
    }
  }
  return text;
}

std::vector<RunSettings::KnownDeviation> read_ledger(const std::string& file) {
  std::string error;
  const std::optional<std::string> text = read_text_file(file, error);
  if (!text) throw CLI::ValidationError("--ledger", error);
  auto ledger = parse_ledger(*text, error);
  if (!ledger) throw CLI::ValidationError("--ledger", "malformed ledger " + file + ": " + error);
  return *ledger;
}

namespace {

// Reads a decimal environment variable; nullopt when unset.
std::optional<int> env_int(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  try {
    std::size_t used = 0;
    const int n = std::stoi(v, &used);
    if (used != std::string_view(v).size() || n < 0) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    throw CLI::ValidationError(name, std::string("'") + v + "' is not a non-negative number");
  }
}

struct RunCommand {
  ModelOptions options;
  TargetCli target_cli;
  std::string seed = "1";
  int cases = 200, max_steps = 40, jobs = 3;
  std::string report_dir;
  std::string tier;               // quick | full; --cases/--max-steps/--steps/--time given by hand win
  std::uint64_t step_budget = 0;  // --steps
  double time_budget = 0;         // --time
  std::string ledger;             // the known-deviation ledger
  bool cases_given = false, steps_given = false, budget_given = false;
  bool tour = false;  // the adaptive transition tour instead of generated cases
  bool allow_not_exercised = false;
  std::string record;  // --record: each case's trace, for bgconform check

  std::string rc_params_error;  // RC_PARAMS could not be read

  // The amounts of the run: the tier's budget (by default the quick tier's), unless the amounts are
  // given by hand; a real-time target without a tier keeps its short default.
  void apply_tier(RunSettings& settings, bool real_time) const {
    const bool by_hand = cases_given || budget_given;
    std::string t = tier;
    if (t.empty() && !by_hand && !real_time && !tour) t = "quick";
    settings.tier = t;
    if (t.empty()) {
      if (real_time && !by_hand) settings.cases = kRealTimeCases;
      if (real_time && !steps_given) settings.max_steps = kRealTimeSteps;
      if (!cases_given && budget_given) settings.cases = kNoCaseBound;
      return;
    }
    const Tier& chosen = t == "full" ? kFullTier : kQuickTier;
    const RunSettings given = settings;
    if (real_time) {
      settings.cases = kNoCaseBound;
      settings.max_steps = chosen.real_time_max_steps;
      settings.time_budget = chosen.real_time_seconds;
    } else {
      bgc::apply_tier(settings, chosen, t.c_str());
    }
    // What was given by hand wins.
    if (cases_given || tour) settings.cases = given.cases;
    if (steps_given) settings.max_steps = given.max_steps;
    if (budget_given) {
      settings.step_budget = given.step_budget;
      settings.time_budget = given.time_budget;
    }
  }

  int run() const {
    if (!rc_params_error.empty()) throw CLI::ValidationError("RC_PARAMS", rc_params_error);
    RunSettings settings;
    settings.tool_version = BGCONFORM_VERSION;
    const std::string target = target_cli.target.empty() ? "reference" : target_cli.target;
    settings.model = options.config_for(target);
    settings.target = target;
    settings.cases = cases;
    settings.max_steps = max_steps;
    settings.jobs = jobs;
    settings.tour = tour;
    settings.allow_not_exercised = allow_not_exercised;
    settings.step_budget = step_budget;
    settings.time_budget = time_budget;
    if (!ledger.empty()) settings.known_deviations = read_ledger(ledger);
    settings.ledger_file = ledger;
    // A CI matrix (or ctest's sharding) splits the cases: GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX.
    const auto total = env_int("GTEST_TOTAL_SHARDS"), index = env_int("GTEST_SHARD_INDEX");
    if (total && *total > 1) {
      settings.shard_count = *total;
      settings.shard_index = index.value_or(0);
      if (settings.shard_index >= settings.shard_count)
        throw CLI::ValidationError("GTEST_SHARD_INDEX", "must be less than GTEST_TOTAL_SHARDS");
      // Tell the test runner that sharding is honoured (googletest's protocol).
      if (const char* f = std::getenv("GTEST_SHARD_STATUS_FILE"); f && *f) std::ofstream(f).put('\n');
    }
    if (seed == "random") {
      std::random_device rd;
      settings.seed = (static_cast<std::uint64_t>(rd()) << 32 | rd()) % 1'000'000'000'000ull;
    } else {
      try {
        std::size_t used = 0;
        // stoull takes a sign and wraps "-5" to 2^64 - 5: only digits are a seed.
        if (seed.empty() || !std::isdigit(static_cast<unsigned char>(seed[0]))) throw std::invalid_argument(seed);
        settings.seed = std::stoull(seed, &used);
        if (used != seed.size()) throw std::invalid_argument(seed);
      } catch (const std::exception&) {
        throw CLI::ValidationError("--seed", "'" + seed + "' is neither a number nor 'random'");
      }
    }
    // The tour's cases learn from each other's outcomes: one run takes them all.
    if (tour && settings.shard_count > 1)
      throw CLI::ValidationError(
          "--tour", "the tour does not shard (unset GTEST_TOTAL_SHARDS): each case learns from the ones before");
    // From here Ctrl-C stops the run instead of killing the process: a com: target's set-up (a Wine
    // prefix of some 700 MB in $TMPDIR) is taken down even when the signal comes while it is made.
    install_interrupt_handlers();
    std::unique_ptr<Target> t = target_cli.make(target, settings.model.profile);
    settings.implementation = t->implementation();
    // A real service moves in real time: a case takes seconds, so the default run is shorter.
    const bool real_time = !t->capabilities().virtual_clock;
    if (tour && real_time)
      throw CLI::ValidationError("--tour", "needs a target on the harness's virtual clock; " + target +
                                               " moves in real time, where the tour cannot plan what time does");
    apply_tier(settings, real_time);
    const bool tty = isatty(fileno(stderr)) != 0;
    std::cerr << "bgconform run: target " << target << ", profile " << name(settings.model.profile) << ", seed "
              << settings.seed << ", " << (tour ? "the adaptive transition tour, " : "") << budget_text(settings)
              << (settings.tier.empty() ? "" : ", tier " + settings.tier)
              << (settings.shard_count > 1 ? ", shard " + std::to_string(settings.shard_index) + " of " +
                                                 std::to_string(settings.shard_count)
                                           : std::string())
              << "\n";
    // A fault wrapper whose rule the profile does not judge (I-14) cannot be found: a pass says nothing.
    if (const FaultInfo* f = fault_of(target))
      if (const auto rule = parse_rule_id(f->rule); rule && !rule_applies(*rule, settings.model.profile))
        std::cerr << "bgconform run: note: " << f->name << " breaks " << f->rule << ", which profile "
                  << name(settings.model.profile) << " does not judge: this run cannot find it\n";
    if (!report_dir.empty()) prepare_report_dir("--report-dir", report_dir, true);
    SpaceReserve reserve(report_dir);
    double last_write = -1;
    std::string write_error;  // the first write that failed (a full disk): the run goes on, the exit says so
    // After a write failed (a full disk) the run goes on without writing until its end; then the
    // reports are written once more, saying they are incomplete and why (the small ones may fit).
    auto write_reports = [&](const RunResult& r, bool new_failure, bool last) {
      if (report_dir.empty() || (!write_error.empty() && !last)) return;
      if (!write_error.empty()) reserve.release();  // the room kept for saying so
      // At the end, a write that fails for the first time is tried once more, marked incomplete.
      for (int attempt = 0; attempt < 2; ++attempt) {
        RunResult marked;
        const RunResult* out = &r;
        if (!write_error.empty()) {
          marked = r;
          marked.reports_incomplete = write_error;
          out = &marked;
        }
        try {
          // Every failure's replay file that is not on disk yet, then the reports.
          if (new_failure) write_replay_files(report_dir, *out);
          if (new_failure || last || r.seconds - last_write > 0.5) {
            write_report_files(report_dir, *out);
            last_write = r.seconds;
          }
          return;
        } catch (const std::exception& e) {
          const bool first_failure = write_error.empty();
          if (first_failure) {
            write_error = e.what();
            std::cerr << "\nbgconform run: " << write_error
                      << "; the run goes on, and tries its reports again at the end\n";
          }
          if (!last || !first_failure) return;
          reserve.release();
        }
      }
    };

    // --record: the header now, then each case as it ends, flushed (an interrupted run keeps its cases).
    std::ofstream trace_out;
    std::string record_error;
    CaseRecorder recorder;
    if (!record.empty()) {
      trace_out.open(record, std::ios::binary | std::ios::trunc);
      TraceFile header;
      header.profile = settings.model.profile;
      header.interpretations = settings.model.interpretations;
      header.real_time = real_time;
      header.seed = settings.seed;
      header.target = target;
      trace_out << render_trace_header(header) << std::flush;
      if (!trace_out) throw CLI::ValidationError("--record", "cannot write " + record);
      recorder = [&](std::uint64_t index, const CaseResult& r) {
        if (!record_error.empty()) return;
        trace_out << render_trace_case(RecordedCase{index, r.trace, {}}, real_time) << std::flush;
        if (!trace_out) {
          record_error = "cannot write " + record;
          std::cerr << "\nbgconform run: " << record_error << "; the run goes on without recording\n";
        }
      };
    }
    RunResult result = run_cases(
        settings, *t, rapidcheck_case_tools(),
        [&](const RunResult& r, bool new_failure) {
          write_reports(r, new_failure, false);
          if (real_time && !tty) std::fprintf(stderr, "%s\n", render_progress(r, true).c_str());
          if (tty) {
            // Rewritten in place: a line wider than the terminal would wrap, and the next one would not
            // replace it.
            std::string line = render_progress(r, false);
            if (winsize w{}; ioctl(fileno(stderr), TIOCGWINSZ, &w) == 0 && w.ws_col > 1 && line.size() >= w.ws_col)
              line.resize(w.ws_col - 1u);
            std::fprintf(stderr, "\r\033[K%s", line.c_str());
          }
        },
        recorder);
    if (tty) std::fprintf(stderr, "\r\033[K");
    write_reports(result, true, true);
    std::cout << render_summary(result, report_dir.empty() ? "DIR" : report_dir);
    if (!report_dir.empty() && write_error.empty())
      std::cout << "reports: " << report_dir << "/{report.json,junit.xml,summary.md,report.html}\n";
    if (report_dir.empty() && (!result.counterexamples.empty() || result.crash))
      std::cout << "(run with --report-dir DIR to save the replay files)\n";
    if (!result.stopped_by.empty()) {
      std::cerr << "bgconform run: stopped after " << result.cases_run << " of " << settings.cases
                << " cases: " << result.stopped_by << (report_dir.empty() ? "" : "; the reports hold what ran") << "\n";
      return kExitUsage;
    }
    if (!write_error.empty()) {
      std::cerr << "bgconform run: the reports in " << report_dir << " are incomplete: " << write_error << "\n";
      return kExitUsage;
    }
    if (!record_error.empty()) {
      std::cerr << "bgconform run: the trace " << record << " is incomplete: " << record_error << "\n";
      return kExitUsage;
    }
    if (!record.empty()) std::cout << "trace: " << record << " (check it with: bgconform check " << record << ")\n";
    if (interrupted()) {
      std::cerr << "bgconform run: interrupted after " << result.cases_run << " of " << settings.cases
                << " cases; the reports hold what ran\n";
      return kExitUsage;
    }
    return exit_code(result);
  }
};

struct ReplayCommand {
  std::string file;
  TargetCli target_cli;
  std::vector<std::string> disabled_rules;
  std::string ledger;  // a real-time target goes on past the deviations it lists (runner.h)
  bool target_from_file = false;

  int run() const {
    std::string error;
    const std::optional<std::string> text = read_text_file(file, error);
    if (!text) {
      std::cerr << "bgconform replay: " << error << "\n";
      return kExitUsage;
    }
    auto replay = parse_replay(*text, error);
    if (!replay) {
      std::cerr << file << ":" << error << "\n";
      return kExitUsage;
    }
    ModelConfig config;
    config.profile = replay->profile;
    config.interpretations = replay->interpretations;
    for (const std::string& id : disabled_rules) {
      auto rule = parse_rule_id(id);
      if (!rule) throw CLI::ValidationError("--disable-rule", "'" + id + "' is not a rule the model checks");
      config.rules = config.rules.without(*rule);
    }
    const std::string& target = target_cli.target;
    const std::string spec = !target.empty() ? target : (!replay->target.empty() ? replay->target : "reference");
    // A replay file comes from anywhere (a bug report, an artifact): the library or service it names is
    // not loaded on its word. The built-in targets run no code from outside.
    const bool built_in = spec == "reference" || spec.rfind("reference+fault:", 0) == 0;
    if (target.empty() && !target_from_file && !built_in) {
      std::cerr << "bgconform replay: " << file << " names the target '" << spec
                << "'; bgconform does not load what a replay file names. Run it with --target " << shell_word(spec)
                << " (or --target-from-file), or against another target with --target SPEC\n";
      return kExitUsage;
    }
    install_interrupt_handlers();  // as for run: what the target set up is taken down
    std::unique_ptr<Target> t = target_cli.make(spec, config.profile);
    const JobModel model(model_config_for(config, t->capabilities()));
    // As in a run, the replay goes on past every deviation (runner.h), so the expected rule is found
    // wherever it fails; the deviations the ledger covers (within its entries' scopes) are known.
    DeviationPolicy policy{.go_on = true, .known = {}};
    std::vector<RunSettings::KnownDeviation> entries;
    if (!ledger.empty()) entries = read_ledger(ledger);
    policy.known = known_deviations_of(entries);
    // The cases the failure depends on, first, in the target's one fresh process (their own
    // deviations are not this replay's question).
    for (std::size_t i = 0; i < replay->earlier_cases.size() && !interrupted(); ++i) {
      const CaseResult e = bgc::Runner(policy).run_case(*t, model, std::span<const Stimulus>(replay->earlier_cases[i]));
      if (e.status == CaseStatus::Crash || e.status == CaseStatus::Timeout)
        std::cout << "earlier case " << i + 1 << " " << (e.status == CaseStatus::Crash ? "crashed" : "hung") << ": "
                  << e.failure << "\n";
    }
    CaseResult r = bgc::Runner(policy).run_case(*t, model, std::span<const Stimulus>(replay->stimuli));
    if (interrupted()) {  // the replay stopped part-way: neither a pass nor a failure
      std::cerr << "bgconform replay: interrupted\n";
      return kExitUsage;
    }
    std::cout << "replay " << file << ": " << replay->stimuli.size() << " stimuli";
    if (!replay->earlier_cases.empty())
      std::cout << " after " << replay->earlier_cases.size() << " earlier cases in the same process";
    std::cout << ", target " << spec << ", profile " << name(config.profile) << ", expected " << replay->rule << "\n";
    // Each deviation with where it happened, so a scoped ledger entry can be written from it.
    for (const Deviation& d : r.deviations) {
      std::cout << "deviation " << rule_id(d.rule) << " at step " << d.step + 1 << " (" << site_text(d.where) << ")";
      if (d.known)
        std::cout << " (known: in the ledger)";
      else if (const std::string scope = ledger_scope_text(entries, rule_id(d.rule)); !scope.empty())
        std::cout << " outside the ledger's scope (" << scope << ")";
      std::cout << "\n";
    }
    const auto expected = parse_rule_id(replay->rule);
    // The deviation the ledger does not cover, when there is one: that is what still fails.
    const Deviation* still = !expected                       ? nullptr
                             : r.deviation(*expected, false) ? r.deviation(*expected, false)
                                                             : r.deviation(*expected);
    if (still != nullptr) {
      Counterexample c = counterexample_of(r.up_to(*expected, still->known));
      c.original_steps = replay->stimuli.size();
      std::cout << render_step_table(c);
      std::cout << "still fails with " << replay->rule << (still->known ? " (a known deviation in the ledger)" : "")
                << "\n";
      return kExitDeviations;
    }
    if (r.status == CaseStatus::Pass) {
      if (expected && !config.rules.on(*expected)) {  // a pass that says nothing of a fix
        std::cout << "passes with " << replay->rule << " switched off (--disable-rule): not a sign that it is fixed\n";
        return kExitConformant;
      }
      std::cout << "passes: " << replay->rule << " no longer fails\n";
      return kExitConformant;
    }
    Counterexample c = counterexample_of(r.status == CaseStatus::Violation ? r.up_to(r.rule) : r);
    c.original_steps = replay->stimuli.size();
    std::cout << render_step_table(c);
    if (counterexample_label(c) == replay->rule)  // a crash or hang replayed: the same failure again
      std::cout << "still fails: the target " << (r.status == CaseStatus::Crash ? "crashes" : "hangs") << "\n";
    else
      std::cout << "fails with another rule: " << counterexample_label(c) << "\n";
    return r.status == CaseStatus::Violation ? kExitDeviations : kExitCrash;
  }
};

}  // namespace

void add_run_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("run", "Run generated cases against a target and report each rule's outcome");
  auto m = std::make_shared<RunCommand>();
  // RapidCheck's RC_PARAMS sets the defaults (seed, max_success = cases, max_size = steps); flags win.
  const RcParams rc = rc_params_from_environment();
  if (rc.seed) m->seed = std::to_string(*rc.seed);
  if (rc.max_success) m->cases = *rc.max_success;
  const bool cases_from_rc = rc.max_success.has_value(), steps_from_rc = rc.max_size.has_value();
  if (rc.max_size) m->max_steps = *rc.max_size;
  m->rc_params_error = rc.error;
  m->target_cli.add_to(*cmd, "Default: reference.");
  m->options.add_to(*cmd);
  cmd->add_option("--seed", m->seed, "Seed of the run (a number, or 'random': picked and printed)")
      ->capture_default_str();
  cmd->add_option("--cases", m->cases, "Cases to run")->capture_default_str()->check(positive_count());
  cmd->add_option("--max-steps", m->max_steps, "Stimuli per case at most")
      ->capture_default_str()
      ->check(positive_count());
  cmd->add_option("--jobs", m->jobs, "Job slots per case")->capture_default_str()->check(CLI::Range(1, 3));
  cmd->add_option("--report-dir", m->report_dir,
                  "Write report.json, junit.xml, summary.md, report.html and one replay file per failing rule here");
  cmd->add_option("--tier", m->tier,
                  "quick (the default): " + std::to_string(kQuickTier.steps) + " checked steps in cases of up to " +
                      std::to_string(kQuickTier.max_steps) +
                      " (about 5 s against a plugin; for every pull request); full: " +
                      std::to_string(kFullTier.steps) + " in cases of up to " + std::to_string(kFullTier.max_steps) +
                      " (about a minute; before a release). Against a real-time target (com:): " +
                      std::to_string(static_cast<int>(kQuickTier.real_time_seconds / 60)) + " and " +
                      std::to_string(static_cast<int>(kFullTier.real_time_seconds / 60)) + " minutes")
      ->check(CLI::IsMember({"quick", "full"}));
  cmd->add_option(
         "--steps", m->step_budget,
         "Stop after this many checked steps (the case under way is finished); with --time, whichever comes first")
      ->check(positive_count64());
  cmd->add_option("--time", m->time_budget,
                  "Stop after this many seconds (the case under way is finished; a hang still ends as a hang)")
      ->check(positive_seconds());
  cmd->add_flag("--tour", m->tour,
                "Run the adaptive transition tour instead of generated cases: each case aims at the nearest reachable "
                "(state, stimulus kind) pair of the model not applied yet, following the target's answers, until every "
                "one is (a few hundred steps against a fast target; --cases bounds the cases). No randomness; not for "
                "com: targets");
  cmd->add_option("--ledger", m->ledger,
                  "Known-deviation ledger (JSON): its rules' failures are known-deviation (exit 0), their passes "
                  "unexpected-pass (exit 1)")
      ->type_name("FILE");
  cmd->add_option("--record", m->record,
                  "Write each case's stimuli and the target's answers (sweeps, polls, call times) to FILE, a trace "
                  "that 'bgconform check FILE' judges again anywhere")
      ->type_name("FILE");
  cmd->add_flag("--allow-not-exercised", m->allow_not_exercised,
                "Do not fail the gate (exit 1) on applicable rules the run never put to the test (never checked "
                "where the rule's check excluded an answer the target could have given); they are still listed as "
                "not-exercised");
  cmd->callback([&run, m, cmd, cases_from_rc, steps_from_rc] {
    m->cases_given = cmd->count("--cases") > 0 || cases_from_rc;
    m->steps_given = cmd->count("--max-steps") > 0 || steps_from_rc;
    m->budget_given = cmd->count("--steps") > 0 || cmd->count("--time") > 0;
    run = [m] { return m->run(); };
  });
}

void add_faults_command(CLI::App& app, Runner& run) {
  auto* cmd =
      app.add_subcommand("faults", "List the fault wrappers (--target reference+fault:NAME) and the rule each breaks");
  cmd->callback([&run] {
    run = [] {
      for (const FaultInfo& f : fault_catalogue())
        std::cout << f.name << std::string(f.name.size() < 30 ? 30 - f.name.size() : 1, ' ') << f.rule
                  << std::string(f.rule.size() < 6 ? 6 - f.rule.size() : 1, ' ') << f.description << "\n";
      return kExitConformant;
    };
  });
}

void add_replay_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("replay", "Replay a replay file; exit 1 while its rule still fails");
  auto m = std::make_shared<ReplayCommand>();
  cmd->add_option("file", m->file, "A replay file written by 'bgconform run --report-dir'")->required();
  m->target_cli.add_to(*cmd,
                       "Default: the file's target when it is built in (reference, reference+fault:NAME), else "
                       "reference; a library or service the file names runs only with --target or --target-from-file.");
  cmd->add_flag("--target-from-file", m->target_from_file,
                "Run the target the file names even when it is a library (plugin:) or a service (com:): a replay "
                "file is data, and without this flag or --target bgconform loads no code it names");
  cmd->add_option("--disable-rule", m->disabled_rules, "Switch a rule's check off")->type_name("ID");
  cmd->add_option("--ledger", m->ledger,
                  "A known-deviation ledger: against a real-time target (com:), go on past the deviations it lists");
  cmd->callback([&run, m] { run = [m] { return m->run(); }; });
}

}  // namespace bgc::tool
