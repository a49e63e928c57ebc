#include "case_loop.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <mutex>

#include "bgconform/explorer.h"
#include "bgconform/interrupt.h"
#include "bgconform/shortest.h"
#include "tour.h"

namespace bgc {

CaseResult run_sequence(Target& target, const JobModel& model, const std::vector<Stimulus>& stimuli) {
  return Runner{}.run_case(target, model, std::span<const Stimulus>(stimuli));
}

namespace {

bool same_failure(const CaseResult& a, const CaseResult& b) {
  if (a.status != b.status) return false;
  return a.status != CaseStatus::Violation || a.rule == b.rule;
}

Counterexample to_counterexample(const CaseResult& r, std::uint64_t case_index, std::size_t original) {
  Counterexample c = counterexample_of(r);
  c.case_index = case_index;
  c.original_steps = original;
  return c;
}

// Shrinking, then the shortest sequence the model allows.
Counterexample shrink_and_search(Target& target, const JobModel& model, const CaseResult& failing,
                                 std::uint64_t case_index, const CaseTools& tools) {
  std::vector<Stimulus> seq = failing.applied();
  const std::size_t original = seq.size();
  CaseResult best = failing;
  if (tools.shrink) {
    auto predicate = [&](const std::vector<Stimulus>& candidate) {
      CaseResult r = run_sequence(target, model, candidate);
      if (!same_failure(r, failing)) return false;
      if (r.trace.size() <= best.trace.size()) best = std::move(r);
      return true;
    };
    seq = tools.shrink(std::move(seq), predicate);
    CaseResult r = run_sequence(target, model, seq);
    if (same_failure(r, failing)) best = std::move(r);
  }
  // Then the shortest sequence the model allows (bounded breadth-first search, shortest.h). Its
  // alphabet: the shrunk case's stimuli, and moves a generated case rarely makes where they would cut
  // it short: the network going down (an error state at once, I-10) and up, and the plain calls on the
  // job slots the case uses; then also the case's stimuli before shrinking.
  const std::size_t shrunk = best.trace.size();
  auto cutting_moves = [](const std::vector<Stimulus>& seq) {
    std::vector<Stimulus> more = {stim::network(false), stim::network(true)};
    std::array<bool, kMaxJobs> used{};
    for (const Stimulus& s : seq)
      if (!is_environment(s.op) && s.job < kMaxJobs) used[s.job] = true;
    for (int j = 0; j < kMaxJobs; ++j)
      if (used[j])
        for (Op op : {Op::Resume, Op::Suspend, Op::Cancel, Op::Complete, Op::GetState}) more.push_back(stim::call(op, j));
    return more;
  };
  // First the search over the model's own moves (the explorer's alphabet): it finds what needs moves
  // the case never made, and what it finds bounds the searches below.
  best = shortest_through_explorer(target, model, best).shortest;
  // Then two searches under one budget. The first has few letters (the shrunk case's own and the cutting
  // moves on its slots), so within the bound it goes deep: with the pre-shrinking stimuli as well
  // (often thirty letters) the node bound ran out two levels short of a 6-step counterexample made of
  // the shrunk case's moves and the network. The second, with every letter, looks for shorter still.
  const ShortestOptions budget;
  const auto start = std::chrono::steady_clock::now();
  ShortestResult first = shortest_counterexample(target, model, best, budget, cutting_moves(best.applied()));
  ShortestOptions rest;
  rest.max_nodes = budget.max_nodes - std::min(first.nodes, budget.max_nodes);
  rest.max_time = std::chrono::duration_cast<std::chrono::milliseconds>(budget.max_time - (std::chrono::steady_clock::now() - start));
  std::vector<Stimulus> more = failing.applied();
  for (const Stimulus& s : cutting_moves(more)) more.push_back(s);
  ShortestResult shortest = rest.max_nodes > 0 && rest.max_time.count() > 0
                                ? shortest_counterexample(target, model, first.shortest, rest, more)
                                : first;
  Counterexample c = to_counterexample(shortest.shortest, case_index, original);
  c.shrunk_steps = shrunk;
  return c;
}

}  // namespace

Counterexample shrink_case(Target& target, const JobModel& model, const CaseResult& failing, std::uint64_t case_index,
                           const CaseTools& tools) {
  if (failing.status != CaseStatus::Timeout) return shrink_and_search(target, model, failing, case_index, tools);
  // Every candidate that still hangs costs the whole call timeout (seconds by default), and most
  // candidates do: the shrinking runs with the target's hang probe (a call far slower than any answer
  // so far is taken for the hang), and its result is confirmed under the full timeout. A slow answer
  // the probe mistook for the hang makes the confirmation fail: then again at full patience.
  target.probe_hangs(true);
  Counterexample probed = shrink_and_search(target, model, failing, case_index, tools);
  target.probe_hangs(false);
  std::vector<Stimulus> stimuli;
  for (const TracedStep& t : probed.trace) stimuli.push_back(t.step.stimulus);
  const CaseResult confirmed = run_sequence(target, model, stimuli);
  if (!same_failure(confirmed, failing)) return shrink_and_search(target, model, failing, case_index, tools);
  Counterexample c = to_counterexample(confirmed, case_index, probed.original_steps);
  c.shrunk_steps = probed.shrunk_steps;
  return c;
}

// A target that is not deterministic: the failing case is not shrunk (each run of it takes real time
// and may go another way) but run again, and the report says how often it failed the same way.
Counterexample confirm_case(const Runner& runner, Target& target, const JobModel& model, const CaseResult& failing,
                            std::uint64_t case_index, int reruns) {
  const std::vector<Stimulus> stimuli = failing.applied();
  Counterexample c = to_counterexample(failing, case_index, stimuli.size());
  for (int i = 0; i < reruns && !interrupted(); ++i) {
    const bool same = same_failure(runner.run_case(target, model, std::span<const Stimulus>(stimuli)), failing);
    if (interrupted()) break;  // the re-run was cut short: it says nothing
    ++c.reruns;
    c.reproduced += same ? 1 : 0;
  }
  return c;
}

// A known deviation a real-time case went on past: the trace up to it, as it happened.
Counterexample passed_deviation(const CaseResult& r, const CaseResult::PassedDeviation& p, std::uint64_t case_index) {
  Counterexample c;
  c.rule = p.rule;
  c.by_monitor = p.by_monitor;
  c.case_index = case_index;
  c.trace.assign(r.trace.begin(), r.trace.begin() + static_cast<std::ptrdiff_t>(p.step + 1));
  c.original_steps = c.trace.size();
  c.failed_step = p.step;
  c.allowed = p.allowed;
  c.gone_past = true;
  return c;
}

Reachable reachable_transitions(const JobModel& model) {
  static std::mutex mutex;
  static std::deque<std::pair<ModelConfig, Reachable>> cache;
  const ModelConfig& config = model.config();
  const std::lock_guard<std::mutex> lock(mutex);
  for (const auto& [c, r] : cache)
    if (c == config) return r;
  Explorer explorer(model, ExplorerInstance::contract());
  explorer.run();
  cache.emplace_back(config, Reachable{explorer.reachable_pairs(), explorer.triples()});
  return cache.back().second;
}

RunResult run_cases(const RunSettings& settings, Target& target, const CaseTools& tools, const Progress& progress) {
  RunResult result;
  result.settings = settings;
  const Capabilities caps = target.capabilities();
  const JobModel model(model_config_for(settings.model, caps));
  result.coverage.init(settings.model.profile);
  // The tour plans over the explorer's graph itself (the cache below keeps only the reachable sets).
  std::optional<Explorer> explorer;
  std::optional<AdaptiveTour> tour;
  if (settings.tour) {
    explorer.emplace(model, ExplorerInstance::contract());
    explorer->run();
    tour.emplace(model, *explorer, settings.max_steps);
    result.reachable_pairs = explorer->reachable_pairs();
    result.reachable_triples = explorer->triples();
  } else {
    Reachable reachable = reachable_transitions(model);
    result.reachable_pairs = std::move(reachable.pairs);
    result.reachable_triples = std::move(reachable.triples);
  }
  const auto start = std::chrono::steady_clock::now();
  GeneratorOptions gen;
  gen.max_steps = settings.max_steps;
  gen.jobs = settings.jobs;
  gen.network_events = caps.network_events;
  gen.refused_connections = caps.refused_connections;
  if (!caps.virtual_clock) gen.longest_advance = kLongestRealTimeAdvance;
  RealTimeOptions real_time;
  real_time.go_on_past = known_deviation_rules(settings.known_deviations);
  const Runner runner(real_time);
  auto report = [&](const CaseResult& r, std::uint64_t index) {
    const auto as_found = [&](const char* why) {
      Counterexample c = to_counterexample(r, index, r.applied().size());
      c.as_found = why;
      return c;
    };
    constexpr const char* kInterrupted = "the run was interrupted";
    if (interrupted()) return as_found(kInterrupted);
    try {
      Counterexample c = caps.deterministic ? shrink_case(target, model, r, index, tools)
                                            : confirm_case(runner, target, model, r, index, settings.reruns);
      // After Ctrl-C an isolated target answers nothing more (isolated_target.cpp): every candidate
      // looks hung, so a hang's shrinking would keep any of them. A violation's shrunk case failed
      // the same way at each step it took, and stands.
      return interrupted() && r.status == CaseStatus::Timeout ? as_found(kInterrupted) : c;
    } catch (const std::runtime_error& e) {  // the target cannot start a case any more (below)
      result.stopped_by = e.what();
      return as_found("the target could not start another case");
    }
  };
  for (int i = 0; i < settings.cases; ++i) {
    // Sharding: this run takes the cases whose index falls to its shard; a case's stimuli depend on
    // (seed, index) and on the coverage of the shard's own earlier cases.
    if (settings.shard_count > 1 && i % settings.shard_count != settings.shard_index) continue;
    if (interrupted()) break;
    const auto index = static_cast<std::uint64_t>(i);
    // Aim the next case at the reachable (state, kind) pairs the run has not covered yet.
    gen.wanted_pairs.assign(result.reachable_pairs.size(), false);
    for (std::size_t p = 0; p < result.reachable_pairs.size(); ++p)
      gen.wanted_pairs[p] = result.reachable_pairs[p] && !(p < result.coverage.pairs.size() && result.coverage.pairs[p]);
    StimulusGenerator generator(model, gen, tools.random(settings.seed, index));
    if (tour) tour->begin_case();
    // A target that cannot start a case (a plugin's create_manager fails; its host cannot be started
    // again) throws from reset: the run stops there, and the cases so far are reported as they are.
    CaseResult r;
    try {
      r = runner.run_case(target, model, [&](const Belief& b) -> std::optional<Stimulus> {
        if (interrupted()) return std::nullopt;  // the case ends here; its steps so far count
        return tour ? tour->next(b) : generator.next(b);
      });
    } catch (const std::runtime_error& e) {
      result.stopped_by = e.what();
      result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      break;
    }
    // A call still unanswered when Ctrl-C came was given up, not seen to hang.
    if (interrupted() && r.status == CaseStatus::Timeout) r.status = CaseStatus::Pass;
    if (tour) {
      tour->end_case(r);
      if (tour->over()) break;  // every pair it aims at is applied, or given up
    }
    for (int k = 0; k < kRuleCount; ++k) {
      result.tallies[k].checks += r.tallies[k].checks;
      result.tallies[k].failures += r.tallies[k].failures;
    }
    result.coverage.merge(r.coverage);
    result.steps += r.trace.size();
    ++result.cases_run;
    if (r.failed() && result.first_failure_seconds < 0)
      result.first_failure_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bool new_failure = false;
    for (const CaseResult::PassedDeviation& p : r.passed)
      if (!result.counterexample(p.rule)) {
        result.counterexamples.push_back(passed_deviation(r, p, index));
        new_failure = true;
      }
    if (r.status == CaseStatus::Violation && !result.counterexample(r.rule)) {
      result.counterexamples.push_back(report(r, index));
      new_failure = true;
    } else if ((r.status == CaseStatus::Crash || r.status == CaseStatus::Timeout) && !result.crash) {
      result.crash = report(r, index);
      new_failure = true;
      // The hang is confirmed, and each later case that meets it again would wait out the whole call
      // timeout (seconds; a run of them took minutes): from here on the target's hang probe tells it.
      if (r.status == CaseStatus::Timeout && caps.deterministic) target.probe_hangs(true);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (progress) progress(result, new_failure);
    if (!result.stopped_by.empty()) break;
  }
  target.probe_hangs(false);
  result.finished = !interrupted() && result.stopped_by.empty();
  return result;
}

}  // namespace bgc
