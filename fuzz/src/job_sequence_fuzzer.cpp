// job_sequence_fuzzer: the input's bytes become a stimulus sequence (sequence_input.h); the Runner
// applies it to a target and the model judges every step. Any verdict failure aborts, printing the
// violated rule first, then the readable trace and a replay file for `bgconform replay`.
//
// The target is the in-process reference by default; another comes from --target=SPEC or
// $BGC_FUZZ_TARGET, as `bgconform run --target` spells it (reference+fault:NAME, plugin:PATH). Plugins
// load into the fuzzer's process (a crash is then libFuzzer's crash); --isolate=1 runs them in
// bgconform-host instead, so a crash or hang becomes a "crash"/"timeout" verdict with a replay file.
// Other settings: --profile=bits|do ($BGC_FUZZ_PROFILE), --interpretation=I-n=VALUE[,I-m=VALUE...]
// ($BGC_FUZZ_INTERPRETATION: the model judges as `bgconform run --interpretation` makes it; the
// replay files it writes carry them), --model-coverage=0|1
// ($BGC_FUZZ_MODEL_COVERAGE, default 1: the extra counters of model_coverage.h), and
// $BGC_FUZZ_REPLAY_DIR (where replay files go; default: printed only) and $BGC_FUZZ_INPUT_REPLAY (a
// path: each input is first written there as a replay file with rule "crash", for converting an input
// that crashes the process). --input-format=replay ($BGC_FUZZ_INPUT_FORMAT) reads each input as a
// replay file instead of bytes, with the file's profile and interpretations, for replaying saved
// regressions (fuzz/regressions/*.replay) in this build: `job_sequence_fuzzer --input-format=replay
// FILE...` fails as the fuzzer does (a replay file that does not parse exits 2). libFuzzer ignores
// flags that start with "--".
#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "bgconform/interpretations.h"
#include "bgconform/reports.h"
#include "bgconform/shortest.h"
#include "target_factory.h"
#include "model_coverage.h"
#include "sequence_input.h"

namespace {

struct Settings {
  std::string target = "reference";
  bgc::Profile profile = bgc::Profile::Bits;
  bgc::Interpretations interpretations;
  bool model_coverage = true;
  bool isolate = false;
  std::string replay_dir;
  std::string input_replay;   // $BGC_FUZZ_INPUT_REPLAY: each input is written there as a replay file first
  bool replay_input = false;  // --input-format=replay: inputs are replay files
};

Settings g_settings;
std::unique_ptr<bgc::Target> g_target;
std::unique_ptr<bgc::JobModel> g_model;
std::unique_ptr<bgc::fuzz::ModelCoverage> g_coverage;
std::uint64_t g_executions = 0;

const char* setting(int argc, char** argv, const char* flag, const char* env) {
  const std::size_t n = std::strlen(flag);
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], flag, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
  return std::getenv(env);
}

bool truthy(const char* v) {
  return !(std::strcmp(v, "0") == 0 || std::strcmp(v, "false") == 0 || std::strcmp(v, "off") == 0);
}

// Greedy removal of single steps that keeps the same failure: a fuzzer input is long and noisy, and the
// model's breadth-first search (shortest.h) works best from a short case.
bgc::CaseResult remove_steps(bgc::Target& target, const bgc::JobModel& model, bgc::CaseResult best) {
  bool progress = true;
  int budget = 2000;
  while (progress && budget > 0) {
    progress = false;
    std::vector<bgc::Stimulus> seq = best.applied();
    for (std::size_t i = 0; i < seq.size() && budget > 0; ++i, --budget) {
      std::vector<bgc::Stimulus> candidate = seq;
      candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(i));
      bgc::CaseResult r = bgc::Runner{}.run_case(target, model, std::span<const bgc::Stimulus>(candidate));
      if (bgc::fails_the_same_way(r, best) && r.trace.size() < best.trace.size()) {
        best = std::move(r);
        progress = true;
        break;
      }
    }
  }
  return best;
}

// libFuzzer's -timeout is an alarm on the whole input, shrinking included: a hang's shrinking (each
// candidate that still hangs waits out the hang probe) would be cut off by it with no replay file. The
// finding is ours from here and the process aborts after reporting it: the alarm is stopped.
void stop_the_input_alarm() {
  const itimerval none{};
  ::setitimer(ITIMER_REAL, &none, nullptr);
  std::signal(SIGALRM, SIG_IGN);
}

[[noreturn]] void report_and_abort(const bgc::JobModel& model, const bgc::CaseResult& failing) {
  stop_the_input_alarm();
  const std::size_t fuzzed = failing.trace.size();
  // A hang shrinks as `bgconform run` shrinks one (case_loop.cpp, shrink_case): with the target's hang
  // probe (a call far slower than every answer so far is taken for the hang), the result confirmed
  // under the full call timeout.
  const bool hang = failing.status == bgc::CaseStatus::Timeout;
  if (hang) g_target->probe_hangs(true);
  bgc::CaseResult removed = remove_steps(*g_target, model, failing);
  const std::size_t after_removal = removed.trace.size();
  // As `bgconform run` shrinks: the model's own moves first (moves the input never made), then the
  // input's own.
  removed = bgc::shortest_through_explorer(*g_target, model, removed).shortest;
  bgc::ShortestResult shortest = bgc::shortest_counterexample(*g_target, model, removed, {}, failing.applied());
  if (hang) {
    g_target->probe_hangs(false);
    bgc::CaseResult confirmed =
        bgc::Runner{}.run_case(*g_target, model, std::span<const bgc::Stimulus>(shortest.shortest.applied()));
    // A slow answer the probe took for the hang: the input as fuzzed, which hung at full patience.
    shortest.shortest = bgc::fails_the_same_way(confirmed, failing) ? std::move(confirmed) : failing;
  }
  const bgc::CaseResult& r = shortest.shortest;

  bgc::Counterexample c = bgc::counterexample_of(r);
  c.original_steps = fuzzed;
  c.shrunk_steps = after_removal;
  const std::string label = bgc::counterexample_label(c);

  std::fprintf(stderr, "\n==== bgconform: %s", label.c_str());
  if (c.status == bgc::CaseStatus::Violation)
    std::fprintf(stderr, "  %s%s", std::string(bgc::rule_info(c.rule).statement).c_str(),
                 c.by_monitor ? "  (trace monitor)" : "");
  std::fprintf(stderr,
               "\n  target %s, profile %s, after %llu executions\n"
               "  counterexample: %zu steps as fuzzed, %zu after removing steps, %zu shortest by the model%s\n",
               g_target->name().c_str(), std::string(bgc::name(model.config().profile)).c_str(),
               static_cast<unsigned long long>(g_executions), fuzzed, after_removal, c.trace.size(),
               shortest.complete ? "" : " (search cut short by its bounds)");
  std::fprintf(stderr, "%s", bgc::render_step_table(c).c_str());

  bgc::ReplayFile replay;
  replay.profile = model.config().profile;
  replay.interpretations = model.config().interpretations;
  replay.rule = label;
  replay.target = g_settings.target;
  replay.stimuli = r.applied();
  const std::string text = bgc::render_replay(replay);
  if (!g_settings.replay_dir.empty()) {
    const std::string path = g_settings.replay_dir + "/" + bgc::replay_file_name(c);
    std::ofstream(path) << text;
    std::fprintf(stderr, "  replay file: %s\n  reproduce: bgconform replay %s --target %s\n", path.c_str(),
                 path.c_str(), g_settings.target.c_str());
  } else {
    std::fprintf(stderr, "  replay file (set BGC_FUZZ_REPLAY_DIR to save it):\n%s", text.c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  if (const char* v = setting(*argc, *argv, "--target", "BGC_FUZZ_TARGET")) g_settings.target = v;
  if (const char* v = setting(*argc, *argv, "--profile", "BGC_FUZZ_PROFILE")) {
    auto p = bgc::parse_profile(v);
    if (!p) {
      std::fprintf(stderr, "job_sequence_fuzzer: unknown profile '%s'\n", v);
      std::exit(2);
    }
    g_settings.profile = *p;
  }
  if (const char* v = setting(*argc, *argv, "--interpretation", "BGC_FUZZ_INTERPRETATION")) {
    const std::string list = v;
    for (std::size_t from = 0; from <= list.size();) {
      const std::size_t comma = std::min(list.find(',', from), list.size());
      if (const std::string error = g_settings.interpretations.set(list.substr(from, comma - from)); !error.empty()) {
        std::fprintf(stderr, "job_sequence_fuzzer: --interpretation: %s\n", error.c_str());
        std::exit(2);
      }
      from = comma + 1;
    }
  }
  if (const char* v = setting(*argc, *argv, "--model-coverage", "BGC_FUZZ_MODEL_COVERAGE"))
    g_settings.model_coverage = truthy(v);
  if (const char* v = setting(*argc, *argv, "--isolate", "BGC_FUZZ_ISOLATE")) g_settings.isolate = truthy(v);
  if (const char* v = setting(*argc, *argv, "--input-format", "BGC_FUZZ_INPUT_FORMAT")) {
    if (std::strcmp(v, "replay") != 0 && std::strcmp(v, "bytes") != 0) {
      std::fprintf(stderr, "job_sequence_fuzzer: --input-format is bytes (the default) or replay, not '%s'\n", v);
      std::exit(2);
    }
    g_settings.replay_input = std::strcmp(v, "replay") == 0;
  }
  if (const char* v = std::getenv("BGC_FUZZ_REPLAY_DIR")) g_settings.replay_dir = v;
  if (const char* v = std::getenv("BGC_FUZZ_INPUT_REPLAY")) g_settings.input_replay = v;

  bgc::TargetOptions options;
  options.isolate = g_settings.isolate;
  // The fuzzers are not installed and live in fuzz/ under the build: the host built with them, unless
  // $BGCONFORM_HOST names another.
  if (const char* env = std::getenv("BGCONFORM_HOST"); env == nullptr || *env == '\0')
    options.host_path = BGC_FUZZ_HOST;
  options.call_timeout = std::chrono::milliseconds(2000);
  std::string error;
  g_target = bgc::make_target(g_settings.target, g_settings.profile, options, error);
  if (!g_target) {
    std::fprintf(stderr, "job_sequence_fuzzer: %s\n", error.c_str());
    std::exit(2);
  }
  bgc::ModelConfig config;
  config.profile = g_settings.profile;
  config.interpretations = g_settings.interpretations;
  g_model = std::make_unique<bgc::JobModel>(config);
  g_coverage = std::make_unique<bgc::fuzz::ModelCoverage>(g_settings.profile, g_settings.model_coverage);
  std::string chosen;  // the interpretations not at their defaults
  const bgc::Interpretations defaults;
  for (int i = 0; i < bgc::kInterpCount; ++i) {
    const auto id = static_cast<bgc::Interp>(i);
    if (config.interpretations.value(id) != defaults.value(id))
      chosen += " " + std::string(bgc::interp_info(id).id) + "=" + std::string(config.interpretations.value(id));
  }
  std::fprintf(stderr,
               "job_sequence_fuzzer: target %s, profile %s, interpretations %s, model coverage %s (%zu counters)\n",
               g_target->name().c_str(), std::string(bgc::name(g_settings.profile)).c_str(),
               chosen.empty() ? "the defaults" : chosen.substr(1).c_str(), g_settings.model_coverage ? "on" : "off",
               bgc::fuzz::ModelCoverage::size());
  return 0;
}

namespace {

// --input-format=replay: the input is a replay file; it runs like `bgconform replay FILE --target T`.
int replay_input(const std::uint8_t* data, std::size_t size) {
  std::string error;
  const auto file = bgc::parse_replay(std::string(reinterpret_cast<const char*>(data), size), error);
  if (!file) {
    std::fprintf(stderr, "job_sequence_fuzzer: not a replay file: %s\n", error.c_str());
    std::exit(2);
  }
  bgc::ModelConfig config;
  config.profile = file->profile;
  config.interpretations = file->interpretations;
  const bgc::JobModel model(config);
  const bgc::CaseResult r = bgc::Runner{}.run_case(*g_target, model, std::span<const bgc::Stimulus>(file->stimuli));
  std::fprintf(stderr, "job_sequence_fuzzer: replay of %zu stimuli (profile %s, once failing with %s): %s\n",
               file->stimuli.size(), std::string(bgc::name(file->profile)).c_str(), file->rule.c_str(),
               r.failed() ? "fails" : "passes");
  if (r.failed()) report_and_abort(model, r);
  return 0;
}

}  // namespace

// Mutations by whole stimuli (sequence_input.h), with libFuzzer's byte mutations among them. Weak:
// the replay main of a build without libFuzzer has no LLVMFuzzerMutate (and never mutates).
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size,
                                                              std::size_t max_size);

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  return bgc::fuzz::mutate_sequence(data, size, max_size, seed, LLVMFuzzerMutate);
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b,
                                                 std::size_t b_size, std::uint8_t* out, std::size_t max_out,
                                                 unsigned int seed) {
  return bgc::fuzz::cross_over_sequences(a, a_size, b, b_size, out, max_out, seed);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ++g_executions;
  if (g_settings.replay_input) return replay_input(data, size);
  const std::vector<bgc::Stimulus> seq = bgc::fuzz::decode_sequence(data, size);
  if (!g_settings.input_replay.empty()) {
    // Before running: the input as a replay file, so even an in-process crash leaves one behind.
    bgc::ReplayFile replay;
    replay.profile = g_settings.profile;
    replay.rule = "crash";
    replay.target = g_settings.target;
    replay.stimuli = seq;
    std::ofstream(g_settings.input_replay) << bgc::render_replay(replay);
  }
  const bgc::JobModel& model = *g_model;
  const bgc::CaseResult r = bgc::fuzz::run_counted(*g_target, model, *g_coverage, seq);
  if (r.failed()) report_and_abort(model, r);
  return 0;
}
