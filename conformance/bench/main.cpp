// bgconform-bench: the benchmarks, one table (report.h). `./quickstart.sh bench` runs it;
// README.md, "Performance", has the latest figures.
#include <CLI/CLI.hpp>
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <thread>

#include "bgconform/interrupt.h"
#include "command.h"
#include "mutants.h"
#include "report.h"

namespace {

using bgc::bench::output_of;

// The commit the figures belong to, marked when the tree has changes on top of it.
std::string commit() {
  const std::string dir = BGC_BENCH_SOURCE_DIR;
  std::string c = output_of("git -C '" + dir + "' rev-parse --short HEAD 2>/dev/null");
  if (c.empty()) return "unknown";
  if (!output_of("git -C '" + dir + "' status --porcelain --untracked-files=no 2>/dev/null").empty()) c += "-dirty";
  return c;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return buf;
}

constexpr int kExitUsage = 2;  // as bgconform's

int usage_error(const std::string& message) {
  std::cerr << "bgconform-bench: " << message << "\nRun 'bgconform-bench --help' for usage.\n";
  return kExitUsage;
}

// The peer's example counts: a whole number > 0 (CLI::PositiveNumber names its bound as a 300-digit double).
const CLI::Range kCount(1, std::numeric_limits<int>::max());

// A call timeout is a finite number of seconds > 0: NaN or infinity would never tell a hang (and
// CLI::PositiveNumber lets NaN through), and mutants.cpp turns it into whole milliseconds, so it must
// also be a millisecond at least and fit in a long (a day at most).
const CLI::Validator kCallSeconds(
    [](std::string& input) -> std::string {
      double seconds = 0;
      if (!CLI::detail::lexical_cast(input, seconds) || !std::isfinite(seconds) || seconds < 0.001 || seconds > 86400)
        return "'" + input + "' is not a number of seconds from 0.001 to 86400";
      return "";
    },
    "SECONDS");

}  // namespace

int main(int argc, char** argv) {
  using namespace bgc::bench;
  CLI::App app{"bgconform-bench - the benchmarks: checking paths, mutants, coverage, the Hypothesis peer"};
  bool quick = false, peer = true, com = true;
  std::string out = "bench-results", python = BGC_BENCH_PYTHON;
  int peer_examples = 300, peer_kill_examples = 500;
  app.add_flag("--quick", quick, "A tiny workload (the smoke test): every section runs, the figures mean little");
  app.add_option("--out", out, "Directory for bench.md, bench.json and coverage.svg")->capture_default_str();
  app.add_flag("--peer,!--no-peer", peer, "Run the Hypothesis peer (python3-hypothesis)")->capture_default_str();
  app.add_flag("--com,!--no-com", com, "Measure the COM agent against a plain client under Wine")
      ->capture_default_str();
  app.add_option("--python", python, "The Python that runs the peer")->capture_default_str();
  app.add_option("--peer-examples", peer_examples, "The peer's examples for its speed")
      ->capture_default_str()
      ->check(kCount);
  app.add_option("--peer-kill-examples", peer_kill_examples, "The peer's examples per mutant at most")
      ->capture_default_str()
      ->check(kCount);
  // A hang is seen only once a call outlasts the timeout, so the hanging mutant's kill is about
  // (1 + hanging candidates while shrinking) times it; the reference answers in microseconds.
  double call_timeout = 0.1;
  app.add_option("--call-timeout", call_timeout,
                 "Seconds a call of an isolated mutant may take (bgconform mutants: 0.5)")
      ->capture_default_str()
      ->check(kCallSeconds);
  std::vector<std::string> only_mutants;
  bgc::bench::MutantOptions mutant_defaults;
  std::size_t search_nodes = mutant_defaults.search_nodes;
  double search_seconds = mutant_defaults.search_seconds;
  app.add_option("--search-nodes", search_nodes,
                 "The wider search's bound in section 2: candidate sequences per mutant")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000000}));
  app.add_option("--search-seconds", search_seconds, "The wider search's time bound per mutant in section 2")
      ->capture_default_str()
      ->check(kCallSeconds);
  app.add_option("--mutant", only_mutants, "Measure only these mutants (by name) in section 2")
      ->check(CLI::IsMember(mutant_names()));
  app.allow_extras();  // --benchmark_* flags go to Google Benchmark (and nothing else: below)
  // Every mistake on the command line is a usage error (exit 2, as bgconform) found before the
  // benchmarks start: they take minutes.
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }
  // allow_extras() lets through whatever CLI11 does not know: a misspelt flag or a stray word must
  // not run the whole benchmark.
  for (const std::string& extra : app.remaining())
    if (extra.rfind("--benchmark_", 0) != 0)
      return usage_error("unknown argument '" + extra + "' (only --benchmark_* flags pass to Google Benchmark)");

  BenchRun run;
  run.quick = quick;
  run.commit = commit();
  run.cores = std::thread::hardware_concurrency();
  run.when = utc_now();

  PathOptions& po = run.path_options;
  po.reference_plugin = BGC_BENCH_REFERENCE_PLUGIN;
  po.host = BGC_BENCH_HOST;
  MutantOptions& mo = run.mutant_options;
  mo.dir = BGC_BENCH_MUTANT_DIR;
  mo.host = BGC_BENCH_HOST;
  mo.call_timeout = call_timeout;
  mo.only = only_mutants;
  mo.search_nodes = search_nodes;
  mo.search_seconds = search_seconds;
  std::vector<int> checkpoints = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
  if (quick) {
    po.cases = 5;
    po.min_time = 0.01;
    if (mo.only.empty()) mo.only = {"resume-empty-succeeds", "null-error-with-s-ok"};  // --mutant wins
    mo.search_nodes = 200;
    mo.search_seconds = 0.2;
    checkpoints = {1, 2, 5};
    peer = false;
    com = false;
  }

  // Google Benchmark gets its own flags (e.g. --benchmark_filter) and a minimum time per benchmark.
  std::string min_time = "--benchmark_min_time=" + std::to_string(po.min_time);
  std::vector<std::string> extras = app.remaining();
  std::vector<char*> bargv = {argv[0], min_time.data()};
  for (std::string& e : extras) bargv.push_back(e.data());
  int bargc = static_cast<int>(bargv.size());
  bargv.push_back(nullptr);
  benchmark::Initialize(&bargc, bargv.data());
  // It leaves in place the --benchmark_ flags it does not know (and says which).
  if (benchmark::ReportUnrecognizedArguments(bargc, bargv.data())) return usage_error("unknown Google Benchmark flag");

  std::cerr << "bgconform-bench: 1. paths (Google Benchmark)\n";
  run.paths = measure_paths(po);
  std::cerr << "bgconform-bench: 2. mutants\n";
  run.mutants = measure_mutants(mo);
  std::cerr << "bgconform-bench: 3. coverage\n";
  run.coverage = measure_coverage(po.seed, checkpoints, po.max_steps);
  if (peer) {
    std::cerr << "bgconform-bench: 4. the Hypothesis peer (" << python << ")\n";
    run.peer = run_peer(python, BGC_BENCH_PEER, BGC_BENCH_PEER_CONSTANTS, po.reference_plugin, mo.dir, peer_examples,
                        peer_kill_examples);
  } else {
    run.peer.error = "--no-peer";
  }

  if (com) {
    std::cerr << "bgconform-bench: 5. the COM agent under Wine\n";
    // Ctrl-C from here ends the section instead of the process, so its Wine prefix (some 700 MB in
    // $TMPDIR) is removed; the figures of an interrupted run are not written over the last ones.
    bgc::install_interrupt_handlers();
    run.com = measure_com(BGC_BENCH_COM_CLIENT, quick ? 50 : 2000);
    if (bgc::interrupted()) {
      std::cerr << "bgconform-bench: interrupted; " << out << " is left as it was\n";
      return kExitUsage;
    }
  } else {
    run.com.error = quick ? "--quick" : "--no-com";
  }

  const std::string md = render_markdown(run);
  std::cout << md;
  std::filesystem::create_directories(out);
  std::ofstream(std::filesystem::path(out) / "bench.md", std::ios::binary | std::ios::trunc) << md;
  std::ofstream(std::filesystem::path(out) / "bench.json", std::ios::binary | std::ios::trunc) << render_json(run);
  std::ofstream(std::filesystem::path(out) / "coverage.svg", std::ios::binary | std::ios::trunc)
      << coverage_svg(run.coverage);
  std::cerr << "bgconform-bench: wrote " << out << "/bench.md, bench.json, coverage.svg\n";
  return 0;
}
