#include "check_trace.h"

#include <chrono>

#include "bgconform/interrupt.h"

namespace bgc {

RunResult check_trace(const RunSettings& settings, const TraceFile& trace, const Progress& progress) {
  RunResult result;
  result.settings = settings;
  result.settings.cases = static_cast<int>(trace.cases.size());
  Capabilities caps;
  caps.virtual_clock = !trace.real_time;
  caps.paced_local_file = !trace.real_time;
  const JobModel model(model_config_for(settings.model, caps));
  result.coverage.init(settings.model.profile);
  const Reachable reachable = reachable_transitions(model);
  result.reachable_pairs = reachable.pairs;
  result.reachable_triples = reachable.triples;
  result.sought_discriminating = true;
  const auto start = std::chrono::steady_clock::now();
  const Runner runner(DeviationPolicy{.go_on = true, .known = known_deviations_of(settings.known_deviations)});
  const RuleBits in_force = rules_in_force(settings.model);
  std::array<LaneSeeking, kLanes> lanes;
  for (const RecordedCase& recorded : trace.cases) {
    if (interrupted()) break;
    RecordedTarget target(recorded, settings.model.profile, trace.real_time, !trace.real_time);
    LaneSeeking& lane = lanes[recorded.index % kLanes];
    const CaseResult r = lane.next_case(runner, in_force, !trace.real_time).run_case(target, model, target.stimuli());
    target.expect_all_used();
    if (r.failed() && result.first_failure_seconds < 0)
      result.first_failure_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CaseFindings found = add_case(result, lane, r, recorded.index, !trace.real_time);
    if (!found.failures.empty()) {
      std::vector<Counterexample> counterexamples;
      for (const CaseResult& f : found.failures)
        counterexamples.push_back(as_found(f, recorded.index, r.applied().size(), "checked from a recorded trace"));
      add_counterexamples(result, std::move(counterexamples), found.crashed);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (progress) progress(result, found.new_failure);
  }
  result.finished = !interrupted();
  return result;
}

}  // namespace bgc
