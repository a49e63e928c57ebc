#include "workload.h"

#include <random>

#include "generator.h"
#include "rc_adapter.h"

namespace bgc::bench {

volatile std::uint64_t benchmark_sink = 0;

Workload record_generated(Target& target, const JobModel& model, std::uint64_t seed, int cases, int max_steps) {
  const CaseTools tools = rapidcheck_case_tools();
  Workload w;
  GeneratorOptions options;
  options.max_steps = max_steps;
  for (int i = 0; i < cases; ++i) {
    StimulusGenerator generator(model, options, tools.random(seed, static_cast<std::uint64_t>(i)));
    const CaseResult r = Runner{}.run_case(target, model, [&](const Belief& b) { return generator.next(b); });
    w.cases.push_back(r.applied());
    w.traces.push_back(r.trace);
    w.steps += r.trace.size();
  }
  return w;
}

std::uint64_t bare_replay(Target& target, Profile profile, std::span<const Stimulus> stimuli) {
  target.reset(profile);
  std::array<bool, kMaxJobs> live{};
  std::uint64_t sink = 0;
  for (const Stimulus& s : stimuli) {
    sink += static_cast<std::uint32_t>(target.apply(s).hr);
    if (s.op == Op::CreateJob) live[s.job] = true;
    if (s.op == Op::ReleaseJob) live[s.job] = false;
    for (int j = 0; j < kMaxJobs; ++j)
      if (live[j]) sink += static_cast<std::uint32_t>(target.apply(stim::call(Op::GetState, j)).state);
  }
  // The answers go nowhere, but the calls are virtual and opaque: none of them can be left out.
  benchmark_sink = sink;
  return stimuli.size();
}

std::uint64_t checked_replay(Target& target, const JobModel& model, std::span<const Stimulus> stimuli) {
  return Runner{}.run_case(target, model, stimuli).trace.size();
}

std::uint64_t model_replay(const JobModel& model, std::span<const TracedStep> trace) {
  Belief belief = model.initial();
  std::uint64_t sink = 0;
  for (const TracedStep& t : trace) sink += model.check(belief, t.step, t.sweep).ok;
  benchmark_sink = sink;
  return trace.size();
}

std::vector<std::vector<std::uint8_t>> random_fuzz_inputs(std::uint64_t seed, int count) {
  std::mt19937_64 random(seed);
  std::vector<std::vector<std::uint8_t>> out;
  for (int i = 0; i < count; ++i) {
    std::vector<std::uint8_t> input(16 + random() % 241);
    for (auto& b : input) b = static_cast<std::uint8_t>(random());
    out.push_back(std::move(input));
  }
  return out;
}

}  // namespace bgc::bench
