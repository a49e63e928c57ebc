#include "paths.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "bgconform/explorer.h"
#include "bgconform/isolated_target.h"
#include "bgconform/plugin_target.h"
#include "bgconform/reference_target.h"
#include "case_loop.h"
#include "rc_adapter.h"
#include "sequence_input.h"
#include "workload.h"

// The sequence fuzzer's own entry points (the library bgc_job_sequence_fuzzer_entry): the fuzz path
// is timed by calling them directly, without libFuzzer.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace bgc::bench {
namespace {

// Keeps Google Benchmark's runs (with their counters finalised) and prints them on stderr, so that
// stdout has the one table.
class KeepingReporter : public benchmark::ConsoleReporter {
 public:
  KeepingReporter() : ConsoleReporter(OO_Tabular) {
    SetOutputStream(&std::cerr);
    SetErrorStream(&std::cerr);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) kept[r.run_name.function_name] = r;  // without "/real_time"
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, Run> kept;
};

template <class F>
double seconds_of(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

PathFigures measure_paths(const PathOptions& o) {
  const JobModel model;
  ReferenceTarget reference;
  std::string error;
  std::unique_ptr<PluginTarget> plugin = PluginTarget::load(o.reference_plugin, error);
  if (!plugin) throw std::runtime_error("cannot load the reference plugin: " + error);

  // The replay workload: the default run's cases, as the state-aware generator makes them.
  const Workload work = record_generated(reference, model, o.seed, o.cases, o.max_steps);

  // The fuzz inputs, and the steps they apply (counted once, outside the timing, by the same Runner).
  const auto inputs = random_fuzz_inputs(o.seed, o.cases);
  std::uint64_t fuzz_steps = 0;
  {
    int argc = 1;
    char name[] = "bgconform-bench";
    char* args[] = {name, nullptr};
    char** argv = args;
    LLVMFuzzerInitialize(&argc, &argv);
  }
  for (const auto& in : inputs) {
    const std::vector<Stimulus> seq = fuzz::decode_sequence(in.data(), in.size());
    std::size_t i = 0;
    const CaseResult r = Runner{}.run_case(reference, model, [&](const Belief& b) -> std::optional<Stimulus> {
      while (i < seq.size())
        if (const Stimulus& s = seq[i++]; model.applicable(b, s)) return s;
      return std::nullopt;
    });
    fuzz_steps += r.trace.size();
  }

  PathFigures figures;
  std::uint64_t generation_steps = 0, plugin_generation_steps = 0;
  const std::map<std::string, std::string> what = {
      {"generation", "`bgconform run`'s case loop (RapidCheck random, state-aware generator, aiming, Runner)"},
      {"replay_checked", "the recorded cases replayed through the Runner (model + trace monitors)"},
      {"replay_bare", "the same cases, same sweeps, no model: the target's own cost"},
      {"model_only",
       "the model alone on the recorded traces (JobModel::check per step and sweep): no target, no Runner"},
      {"fuzz_entry", "job_sequence_fuzzer's LLVMFuzzerTestOneInput on random inputs, no libFuzzer"},
      {"plugin_generation", "the case loop, the reference plugin .so in-process through the C ABI"},
      {"plugin_replay_checked", "the replay, the reference plugin .so in-process through the C ABI"},
      {"plugin_replay_bare", "the same, no model"},
      {"plugin_isolated_generation",
       "the case loop, the reference plugin isolated in bgconform-host (`--target plugin:`'s default), through shared "
       "memory; wall-clock"},
      {"plugin_isolated_pipes_generation",
       "the same through the host's pipes (its transport for other programs); wall-clock"},
      {"plugin_isolated_fresh_generation",
       "the same through shared memory, each case in a serving process of its own (isolate_cases: what a run does from "
       "its first failure on); wall-clock"},
  };
  // Wall-clock for the isolated host: its work is another process's CPU time.
  const std::set<std::string> wall_clock = {"plugin_isolated_generation", "plugin_isolated_pipes_generation",
                                            "plugin_isolated_fresh_generation"};
  auto steps_counter = [](benchmark::State& st, std::uint64_t steps) {
    st.counters["steps"] =
        benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsIterationInvariantRate);
  };
  benchmark::RegisterBenchmark("generation", [&](benchmark::State& st) {
    RunSettings settings;
    settings.seed = o.seed;
    settings.cases = o.cases;
    settings.max_steps = o.max_steps;
    for (auto _ : st) generation_steps = run_cases(settings, reference, rapidcheck_case_tools()).steps;
    steps_counter(st, generation_steps);
  });
  auto replay = [&](Target& target, bool checked) {
    return [&target, checked, &work, &model, &steps_counter](benchmark::State& st) {
      for (auto _ : st)
        for (const auto& c : work.cases)
          benchmark::DoNotOptimize(checked ? checked_replay(target, model, c) : bare_replay(target, Profile::Bits, c));
      steps_counter(st, work.steps);
    };
  };
  benchmark::RegisterBenchmark("replay_checked", replay(reference, true));
  benchmark::RegisterBenchmark("replay_bare", replay(reference, false));
  benchmark::RegisterBenchmark("model_only", [&](benchmark::State& st) {
    for (auto _ : st)
      for (const auto& t : work.traces) benchmark::DoNotOptimize(model_replay(model, t));
    steps_counter(st, work.steps);
  });
  benchmark::RegisterBenchmark("fuzz_entry", [&](benchmark::State& st) {
    for (auto _ : st)
      for (const auto& in : inputs) LLVMFuzzerTestOneInput(in.data(), in.size());
    steps_counter(st, fuzz_steps);
  });
  benchmark::RegisterBenchmark("plugin_generation", [&](benchmark::State& st) {
    RunSettings settings;
    settings.seed = o.seed;
    settings.cases = o.cases;
    settings.max_steps = o.max_steps;
    for (auto _ : st) plugin_generation_steps = run_cases(settings, *plugin, rapidcheck_case_tools()).steps;
    steps_counter(st, plugin_generation_steps);
  });
  std::map<std::string, std::uint64_t> isolated_steps;
  auto isolated = [&](const char* name, bool shared_memory, bool fresh_per_case = false) {
    benchmark::RegisterBenchmark(name, [&, name, shared_memory, fresh_per_case](benchmark::State& st) {
      IsolatedOptions io;
      io.host_path = o.host;
      io.shared_memory = shared_memory;
      std::string why;
      const std::unique_ptr<IsolatedTarget> host = IsolatedTarget::launch(o.reference_plugin, io, why);
      if (!host) return st.SkipWithError(("cannot start bgconform-host: " + why).c_str());
      host->isolate_cases(fresh_per_case);
      RunSettings settings;
      settings.seed = o.seed;
      settings.cases = o.cases;
      settings.max_steps = o.max_steps;
      for (auto _ : st) isolated_steps[name] = run_cases(settings, *host, rapidcheck_case_tools()).steps;
      steps_counter(st, isolated_steps[name]);
    })->UseRealTime();
  };
  isolated("plugin_isolated_generation", true);
  isolated("plugin_isolated_pipes_generation", false);
  isolated("plugin_isolated_fresh_generation", true, true);
  benchmark::RegisterBenchmark("plugin_replay_checked", replay(*plugin, true));
  benchmark::RegisterBenchmark("plugin_replay_bare", replay(*plugin, false));

  // The explorer before the loop's cache is warm (a fresh process: `bgconform run`), and warm.
  figures.explorer_seconds = seconds_of([&] {
    Explorer e(model, ExplorerInstance::contract());
    e.run();
  });
  reachable_transitions(model);
  figures.explorer_cached_seconds = seconds_of([&] { reachable_transitions(model); });

  KeepingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  for (const auto& [name, run] : reporter.kept) {
    PathFigure f;
    f.name = name;
    if (auto it = what.find(name); it != what.end()) f.what = it->second;
    // CPU time, as the rates (nanoseconds), but for the isolated host's rows
    f.seconds_per_iteration = (wall_clock.count(name) ? run.GetAdjustedRealTime() : run.GetAdjustedCPUTime()) / 1e9;
    const auto c = run.counters.find("steps");
    if (c != run.counters.end()) f.steps_per_second = c->second.value;
    f.steps_per_iteration = name == "fuzz_entry"          ? fuzz_steps
                            : name == "generation"        ? generation_steps
                            : name == "plugin_generation" ? plugin_generation_steps
                            : isolated_steps.count(name)  ? isolated_steps[name]
                                                          : work.steps;
    figures.rows.push_back(f);
  }
  benchmark::ClearRegisteredBenchmarks();
  return figures;
}

}  // namespace bgc::bench
