#include "case_loop.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>

#include "bgconform/explorer.h"
#include "bgconform/interrupt.h"
#include "bgconform/shortest.h"
#include "case_corpus.h"
#include "tour.h"

namespace bgc {

CaseResult run_sequence(Target& target, const JobModel& model, const std::vector<Stimulus>& stimuli,
                        const KnownDeviations& known) {
  return Runner(DeviationPolicy{.go_on = true, .known = known})
      .run_case(target, model, std::span<const Stimulus>(stimuli));
}

namespace {

// Why a counterexample is as found when it did not fail again alone in a process of its own.
constexpr const char* kDependsOnEarlierCases =
    "it depends on earlier cases: run alone, from the library as loaded, it does not fail; what the cases "
    "before it left in the library (a static, a leak, a thread) made it fail";

// Why a counterexample that failed in its reset is as found.
constexpr const char* kFailedInReset = "it failed in the reset before the case: nothing to shrink";

// The cases a serving process ran are remembered up to the last this many (a failure may depend on them).
constexpr std::size_t kEarlierCasesKept = 4096;

// The run stops when the target hangs again in this many cases after its hang was found.
constexpr int kLaterHangs = 3;
// The run stops after this many cases in a row that failed in their reset: a target that cannot start a
// case (a crash or hang in create_manager) fails every case so, each a restart or a call timeout.
constexpr int kUnstartableCases = 3;

// Seeds the coverage guidance's random stream apart from the generator's (same seed, same index).
constexpr std::uint64_t kGuideStream = 0x6775696465ull;  // "guide"

// Whether `r` fails as `wanted` (a case cut at its failure, CaseResult::up_to) does: the same crash or
// hang, or a deviation of the same rule, wherever in the case, that the ledger covers as it covered
// the wanted one (an unknown deviation stays outside the ledger's scopes while it shrinks).
bool same_failure(const CaseResult& r, const CaseResult& wanted) {
  if (wanted.status == CaseStatus::Violation) return r.deviation(wanted.rule, wanted.known) != nullptr;
  return r.status == wanted.status;
}

// `r` cut at the failure `wanted` names.
CaseResult cut_as(const CaseResult& r, const CaseResult& wanted) {
  return wanted.status == CaseStatus::Violation ? r.up_to(wanted.rule, wanted.known) : r;
}

// Within its scope the target starts each case in a process of its own or not (Target::isolate_cases),
// and after it as `after` says, also when the scope ends in a throw (the target cannot start a case).
class CaseProcesses {
 public:
  CaseProcesses(Target& target, bool own_process, bool after) : target_(target), after_(after) {
    target_.isolate_cases(own_process);
  }
  ~CaseProcesses() { target_.isolate_cases(after_); }
  CaseProcesses(const CaseProcesses&) = delete;
  CaseProcesses& operator=(const CaseProcesses&) = delete;

 private:
  Target& target_;
  bool after_;
};

// The fewest of the cases before a failure (the last k, found by halving: more earlier cases leave more
// behind) that, run before it in one fresh process, make it fail again as `f`; empty when not even all
// of them do. After it the target starts each case in a process of its own (isolate_cases).
std::vector<std::vector<Stimulus>> earlier_cases_needed(Target& target, const JobModel& model,
                                                        const std::vector<std::vector<Stimulus>>& before,
                                                        const std::vector<Stimulus>& failing, const CaseResult& f,
                                                        const KnownDeviations& known) {
  const CaseProcesses back(target, true, true);  // the caller's isolate_cases is set again after
  const auto fails_after = [&](std::size_t k) {  // the last k earlier cases, then the failing one
    target.isolate_cases(true);                  // the next reset starts a fresh process ...
    for (std::size_t i = before.size() - k; i < before.size(); ++i) {
      run_sequence(target, model, before[i], known);
      target.isolate_cases(false);  // ... that the rest share
    }
    return same_failure(run_sequence(target, model, failing, known), f);
  };
  if (before.empty() || interrupted() || !fails_after(before.size())) return {};
  std::size_t lo = 1, hi = before.size();  // fails_after(hi) holds
  while (lo < hi && !interrupted()) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (fails_after(mid))
      hi = mid;
    else
      lo = mid + 1;
  }
  return {before.end() - static_cast<std::ptrdiff_t>(hi), before.end()};
}

Counterexample to_counterexample(const CaseResult& r, std::uint64_t case_index, std::size_t original) {
  Counterexample c = counterexample_of(r);
  c.case_index = case_index;
  c.original_steps = original;
  return c;
}

// Shrinking, then the shortest sequence the model allows.
Counterexample shrink_and_search(Target& target, const JobModel& model, const CaseResult& failing,
                                 std::uint64_t case_index, const CaseTools& tools, const KnownDeviations& known) {
  std::vector<Stimulus> seq = failing.applied();
  const std::size_t original = seq.size();
  CaseResult best = failing;
  if (tools.shrink) {
    auto predicate = [&](const std::vector<Stimulus>& candidate) {
      CaseResult r = run_sequence(target, model, candidate, known);
      if (!same_failure(r, failing)) return false;
      if (CaseResult cut = cut_as(r, failing); cut.trace.size() <= best.trace.size()) best = std::move(cut);
      return true;
    };
    seq = tools.shrink(std::move(seq), predicate);
    CaseResult r = run_sequence(target, model, seq, known);
    if (same_failure(r, failing)) best = cut_as(r, failing);
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
        for (Op op : {Op::Resume, Op::Suspend, Op::Cancel, Op::Complete, Op::GetState})
          more.push_back(stim::call(op, j));
    return more;
  };
  // First the search over the model's own moves (the explorer's alphabet): it finds what needs moves
  // the case never made, and what it finds bounds the searches below.
  best = shortest_through_explorer(target, model, best, explorer_search_bounds(known)).shortest;
  // Then two searches under one budget. The first has few letters (the shrunk case's own and the cutting
  // moves on its slots), so within the bound it goes deep: with the pre-shrinking stimuli as well
  // (often thirty letters) the node bound ran out two levels short of a 6-step counterexample made of
  // the shrunk case's moves and the network. The second, with every letter, looks for shorter still.
  // Node bounds only for a violation (the same seed gives the same counterexample under any load); a
  // hang's candidates each cost the hang probe's wait, so its search also stops after 300 ms.
  ShortestOptions budget;
  budget.known = known;
  if (failing.status != CaseStatus::Violation) budget.max_time = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  ShortestResult first = shortest_counterexample(target, model, best, budget, cutting_moves(best.applied()));
  ShortestOptions rest;
  rest.known = known;
  rest.max_nodes = budget.max_nodes - std::min(first.nodes, budget.max_nodes);
  if (budget.max_time.count() > 0)
    rest.max_time =
        std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   budget.max_time - (std::chrono::steady_clock::now() - start)));
  std::vector<Stimulus> more = failing.applied();
  for (const Stimulus& s : cutting_moves(more)) more.push_back(s);
  const bool time_left = budget.max_time.count() == 0 || std::chrono::steady_clock::now() - start < budget.max_time;
  ShortestResult shortest =
      rest.max_nodes > 0 && time_left ? shortest_counterexample(target, model, first.shortest, rest, more) : first;
  Counterexample c = to_counterexample(shortest.shortest, case_index, original);
  c.shrunk_steps = shrunk;
  return c;
}

// The directed phase's next case: the shortest sequence that meets a discriminating situation of the
// first rule in `wanted` for which one is found (each rule searched is added to `tried`); empty when
// none is.
std::vector<Stimulus> directed_case(Target& target, const JobModel& model, const RuleBits& wanted, RuleBits& tried) {
  for (std::size_t k = 0; k < wanted.size(); ++k) {
    if (!wanted.test(k) || interrupted()) continue;
    tried.set(k);
    const auto seq = shortest_to_discriminate(target, model, static_cast<RuleId>(k));
    if (seq) return *seq;
  }
  return {};
}

}  // namespace

Counterexample shrink_case(Target& target, const JobModel& model, const CaseResult& failing, std::uint64_t case_index,
                           const CaseTools& tools, const KnownDeviations& known) {
  if (failing.status != CaseStatus::Timeout) return shrink_and_search(target, model, failing, case_index, tools, known);
  // Every candidate that still hangs costs the whole call timeout (seconds by default), and most
  // candidates do: the shrinking runs with the target's hang probe (a call far slower than any answer
  // so far is taken for the hang), and its result is confirmed under the full timeout. A slow answer
  // the probe mistook for the hang makes the confirmation fail: then again at full patience.
  target.probe_hangs(true);
  Counterexample probed = shrink_and_search(target, model, failing, case_index, tools, known);
  target.probe_hangs(false);
  std::vector<Stimulus> stimuli;
  for (const TracedStep& t : probed.trace) stimuli.push_back(t.step.stimulus);
  const CaseResult confirmed = run_sequence(target, model, stimuli, known);
  if (!same_failure(confirmed, failing)) return shrink_and_search(target, model, failing, case_index, tools, known);
  Counterexample c = to_counterexample(confirmed, case_index, probed.original_steps);
  c.shrunk_steps = probed.shrunk_steps;
  return c;
}

// A target that is not deterministic: the failing case is not shrunk (each run of it takes real time
// and may go another way) but run again, and the report says, for each of its new failures (each cut
// at its failure), how often it failed the same way.
std::vector<Counterexample> confirm_case(const Runner& runner, Target& target, const JobModel& model,
                                         const CaseResult& r, const std::vector<CaseResult>& failures,
                                         std::uint64_t case_index, int reruns) {
  const std::vector<Stimulus> stimuli = r.applied();
  std::vector<Counterexample> out;
  for (const CaseResult& f : failures) out.push_back(to_counterexample(f, case_index, stimuli.size()));
  for (int i = 0; i < reruns && !interrupted(); ++i) {
    const CaseResult again = runner.run_case(target, model, std::span<const Stimulus>(stimuli));
    if (interrupted()) break;  // the re-run was cut short: it says nothing
    for (std::size_t k = 0; k < failures.size(); ++k) {
      ++out[k].reruns;
      out[k].reproduced += same_failure(again, failures[k]) ? 1 : 0;
    }
  }
  return out;
}

// A known deviation a real-time case went on past: the trace up to it, as it happened.
Counterexample passed_deviation(const CaseResult& r, const Deviation& d, std::uint64_t case_index) {
  Counterexample c = to_counterexample(r.up_to(d.rule, d.known), case_index, d.step + 1);
  c.gone_past = true;
  return c;
}

RuleBits rules_in_force(const ModelConfig& config) {
  RuleBits in_force;
  for (int k = 0; k < kRuleCount; ++k)
    if (config.rules.on(static_cast<RuleId>(k)) && rule_applies(static_cast<RuleId>(k), config.profile))
      in_force.set(static_cast<std::size_t>(k));
  return in_force;
}

Runner LaneSeeking::next_case(const Runner& runner, const RuleBits& in_force, bool virtual_clock) {
  // Against a real-time target the judging costs nothing beside the waits: every step of every case.
  RuleBits sought = in_force & ~discriminated;
  for (int k = 0; k < kRuleCount && virtual_clock; ++k)
    if (sought.test(static_cast<std::size_t>(k)) && ++sought_in[static_cast<std::size_t>(k)] > kSeekCases)
      sought.reset(static_cast<std::size_t>(k));
  return runner.seeking(sought, virtual_clock ? kProbesPerCase : kProbeEveryStep);
}

CaseFindings add_case(RunResult& result, LaneSeeking& lane, const CaseResult& r, std::uint64_t index,
                      bool deterministic) {
  for (int k = 0; k < kRuleCount; ++k) {
    result.tallies[k].checks += r.tallies[k].checks;
    result.tallies[k].failures += r.tallies[k].failures;
    result.tallies[k].discriminating += r.discriminated.test(static_cast<std::size_t>(k)) ? 1 : 0;
  }
  lane.discriminated |= r.discriminated;
  result.coverage.merge(r.coverage);
  result.steps += r.trace.size();
  ++result.cases_run;
  CaseFindings found;
  for (const Deviation& d : r.deviations) {
    // One counterexample per rule: the first deviation the ledger does not cover, else the first
    // known one. An unknown deviation replaces the rule's known counterexample (a scoped entry that
    // did not cover it: add_counterexamples); a known one of a rule this case also broke outside the
    // ledger waits.
    const Counterexample* have = result.counterexample(d.rule);
    if (have && (!have->known || d.known)) continue;
    if (d.known && r.deviation(d.rule, false)) continue;
    found.new_failure = true;
    // A known deviation of a real service: as it happened (its re-runs would say nothing new).
    if (d.known && !deterministic)
      result.counterexamples.push_back(passed_deviation(r, d, index));
    else
      found.failures.push_back(r.up_to(d.rule, d.known));
  }
  found.crashed = (r.status == CaseStatus::Crash || r.status == CaseStatus::Timeout) && !result.crash;
  if (found.crashed) {
    found.failures.push_back(r);
    found.new_failure = true;
  }
  return found;
}

void add_counterexamples(RunResult& result, std::vector<Counterexample> found, bool crashed) {
  if (crashed) {
    result.crash = std::move(found.back());
    found.pop_back();
  }
  for (Counterexample& c : found) {
    std::erase_if(result.counterexamples, [&](const Counterexample& k) { return k.rule == c.rule && k.known; });
    result.counterexamples.push_back(std::move(c));
  }
}

Counterexample as_found(const CaseResult& failure, std::uint64_t case_index, std::size_t original_steps,
                        std::string why) {
  Counterexample c = to_counterexample(failure, case_index, original_steps);
  c.as_found = std::move(why);
  return c;
}

Explored::Explored(const ModelConfig& config) : model(config), explorer(model, ExplorerInstance::contract()) {
  explorer.run();
}

const Explored& explored(const JobModel& model) {
  static std::mutex mutex;
  static std::deque<std::unique_ptr<Explored>> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  for (const auto& e : cache)
    if (e->model.config() == model.config()) return *e;
  cache.push_back(std::make_unique<Explored>(model.config()));
  return *cache.back();
}

Reachable reachable_transitions(const JobModel& model) {
  const Explorer& e = explored(model).explorer;
  return {e.reachable_pairs(), e.triples()};
}

RunResult run_cases(const RunSettings& settings, Target& target, const CaseTools& tools, const Progress& progress,
                    const CaseRecorder& record) {
  RunResult result;
  result.settings = settings;
  const Capabilities caps = target.capabilities();
  const JobModel model(model_config_for(settings.model, caps));
  result.coverage.init(settings.model.profile);
  const Explorer& explorer = explored(model).explorer;
  result.reachable_pairs = explorer.reachable_pairs();
  result.reachable_triples = explorer.triples();
  const auto start = std::chrono::steady_clock::now();
  GeneratorOptions gen;
  gen.max_steps = settings.max_steps;
  gen.jobs = settings.jobs;
  gen.network_events = caps.network_events;
  gen.refused_connections = caps.refused_connections;
  if (!caps.virtual_clock) gen.longest_advance = kLongestRealTimeAdvance;
  gen.swarm = settings.guided;
  // The run's lanes (run_result.h, kLanes): each with what guides its cases - the (state, kind) pairs its
  // cases covered, the situations they reached and the cases kept for reaching new ones
  // (case_corpus.h) - and its share of the step budget.
  struct Lane {
    Coverage coverage;
    LaneSeeking seeking;
    Situations situations;
    CaseCorpus corpus;
    std::uint64_t steps = 0;
    bool done = false;
  };
  std::array<Lane, kLanes> lanes;
  for (Lane& l : lanes) l.situations = Situations(settings.model.profile);
  const std::uint64_t lane_budget = settings.step_budget == 0 ? 0 : (settings.step_budget + kLanes - 1) / kLanes;
  // Cases go on past every deviation, so one run reports every rule it reaches (runner.h).
  const KnownDeviations known = known_deviations_of(settings.known_deviations);
  const Runner runner(DeviationPolicy{.go_on = true, .known = known});
  const RuleBits in_force = rules_in_force(settings.model);
  result.sought_discriminating = true;
  // The directed phase, lane 0's first cases (a target that runs on the virtual clock, deterministically;
  // --tour: every case is the tour's): the adaptive tour, every reachable (state, kind) pair of the
  // explorer; then, for each rule in force that none of lane 0's cases met in a discriminating situation,
  // the shortest case that does (shortest_to_discriminate), followed by generated steps. Then lane 0 goes
  // on as every other lane does. In lane 0 alone, so a shard finds what the whole run does.
  const bool directed_phase = !settings.tour && caps.deterministic && caps.virtual_clock;
  std::optional<AdaptiveTour> tour;
  if (settings.tour || directed_phase) tour.emplace(model, explorer, settings.max_steps);
  bool touring = tour.has_value();
  RuleBits directed_tried;  // the rules the directed phase has searched a case for
  int later_hangs = 0;      // cases that hung after the run's hang was found
  int unstartable = 0;      // cases in a row that failed in their reset
  bool isolating = false;   // each case in a process of its own (from the first failure on)
  // Until then, the cases the serving process ran since it started: what a failure may depend on.
  std::vector<std::vector<Stimulus>> since_start;
  // The new failures of a case (each rule's first deviation cut there, then a crash or hang), as
  // counterexamples: shrunk one by one (deterministic targets), or the case run again (real time).
  auto report = [&](const CaseResult& r, const std::vector<CaseResult>& failures, std::uint64_t index) {
    const auto all_as_found = [&](const char* why) {
      std::vector<Counterexample> out;
      for (const CaseResult& f : failures) out.push_back(as_found(f, index, r.applied().size(), why));
      return out;
    };
    constexpr const char* kInterrupted = "the run was interrupted";
    if (interrupted()) return all_as_found(kInterrupted);
    const auto since = [](std::chrono::steady_clock::time_point t) {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    };
    // A case that failed in its reset never started: nothing to shrink, and running it again (a
    // target on the real clock would be run twice more to confirm) costs a restart or a call timeout.
    if (std::all_of(failures.begin(), failures.end(), [](const CaseResult& f) { return f.failed_in_reset; }))
      return all_as_found(kFailedInReset);
    try {
      if (!caps.deterministic) {
        const auto began = std::chrono::steady_clock::now();
        std::vector<Counterexample> out = confirm_case(runner, target, model, r, failures, index, settings.reruns);
        for (Counterexample& c : out) c.seconds = since(began) / static_cast<double>(out.size());  // one set of re-runs
        return out;
      }
      std::vector<Counterexample> out;
      for (const CaseResult& f : failures) {
        const auto began = std::chrono::steady_clock::now();
        // The shrinking's candidates (thousands, for some counterexamples) share one serving process,
        // a reset between them: a fork each cost a minute for one failing plugin. The counterexample's
        // check runs it alone, in a fresh process. One that does not fail so was shrunk on what
        // candidates before it left in the library: it is shrunk again, a process per candidate. One
        // that still does not fail alone depended on what earlier cases left.
        const auto shrunk = [&](bool own_process_each) {
          const CaseProcesses candidates(target, own_process_each, isolating);
          return shrink_case(target, model, f, index, tools, known);
        };
        Counterexample c = shrunk(false);
        const auto stimuli_of = [](const Counterexample& x) {
          std::vector<Stimulus> out;
          for (const TracedStep& t : x.trace) out.push_back(t.step.stimulus);
          return out;
        };
        const auto fails_alone = [&](const Counterexample& x) {
          if (interrupted()) return true;
          const CaseProcesses own(target, true, isolating);
          return same_failure(run_sequence(target, model, stimuli_of(x), known), f);
        };
        bool alone = fails_alone(c);
        if (!alone) {
          c = shrunk(true);
          alone = fails_alone(c);
        }
        if (!alone) {
          c = to_counterexample(f, index, r.applied().size());
          c.earlier_cases = earlier_cases_needed(target, model, since_start, stimuli_of(c), f, known);
          c.as_found =
              std::string(kDependsOnEarlierCases) +
              (c.earlier_cases.empty() ? "; not made to fail again by the cases before it either"
                                       : "; its replay file runs the " + std::to_string(c.earlier_cases.size()) +
                                             " earlier cases it needs first, in the same process");
        }
        // After Ctrl-C an isolated target answers nothing more (isolated_target.cpp): every candidate
        // looks hung, so a hang's shrinking would keep any of them. A violation's shrunk case failed
        // the same way at each step it took, and stands.
        if (interrupted() && f.status == CaseStatus::Timeout) {
          c = to_counterexample(f, index, r.applied().size());
          c.as_found = kInterrupted;
        }
        c.seconds = since(began);
        out.push_back(std::move(c));
      }
      return out;
    } catch (const std::runtime_error& e) {  // the target cannot start a case any more (below)
      if (interrupted()) return all_as_found(kInterrupted);
      result.stopped_by = e.what();
      return all_as_found("the target could not start another case");
    }
  };
  for (int i = 0; i < settings.cases; ++i) {
    // Sharding: this run takes the lanes that fall to its shard, and a lane's cases depend only on the
    // seed, their index and the lane's earlier cases: the shards' cases together are the whole run's.
    const int lane_index = i % kLanes;
    Lane& lane = lanes[static_cast<std::size_t>(lane_index)];
    if (!settings.runs_lane(lane_index)) continue;
    if (interrupted()) break;
    if (settings.time_budget > 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= settings.time_budget)
      break;
    if (lane_budget > 0 && lane.steps >= lane_budget) lane.done = true;
    if (lane.done) {
      bool any_left = false;
      for (int l = 0; l < kLanes; ++l) any_left |= settings.runs_lane(l) && !lanes[static_cast<std::size_t>(l)].done;
      if (!any_left) break;
      continue;
    }
    const auto index = static_cast<std::uint64_t>(i);
    // Aim the next case at the reachable (state, kind) pairs the lane has not covered yet.
    gen.wanted_pairs.assign(result.reachable_pairs.size(), false);
    for (std::size_t p = 0; p < result.reachable_pairs.size(); ++p)
      gen.wanted_pairs[p] = result.reachable_pairs[p] && !(p < lane.coverage.pairs.size() && lane.coverage.pairs[p]);
    // The case's phase: the tour's, a directed case (its head), or generated; half the generated ones
    // (once some are kept) start from a kept case, changed. The generator goes on after a head.
    RandomBits guide = tools.random(settings.seed ^ kGuideStream, index);
    const bool tour_case = touring && (settings.tour || lane_index == 0);
    std::vector<Stimulus> head;
    if (!tour_case && directed_phase && lane_index == 0)
      head = [&] {
        const CaseProcesses shared(target, false, isolating);  // its candidates; the case runs as any
        return directed_case(target, model, in_force & ~lane.seeking.discriminated & ~directed_tried, directed_tried);
      }();
    if (!head.empty())
      ++result.directed_cases;
    else if (!tour_case && settings.guided && !lane.corpus.empty() && guide() % 2 == 0)
      head = lane.corpus.derive(guide, static_cast<std::size_t>(settings.max_steps));
    GeneratorOptions this_case = gen;
    this_case.max_steps = settings.max_steps - static_cast<int>(head.size());
    StimulusGenerator generator(model, this_case, tools.random(settings.seed, index));
    if (tour_case) tour->begin_case();
    // A target that cannot start a case (a plugin's create_manager fails; its host cannot be started
    // again) throws from reset: the run stops there, and the cases so far are reported as they are.
    CaseResult r;
    const LaneSeeking seeking_before = lane.seeking;
    int new_situations = 0;
    std::size_t returned = 0, frontier = 0;  // stimuli given to the Runner; how many led to the last new situation
    try {
      std::size_t at = 0;
      r = lane.seeking.next_case(runner, in_force, caps.virtual_clock)
              .run_case(target, model, [&](const Belief& b) -> std::optional<Stimulus> {
                // The situations the last stimulus led to, then the ones the next one is applied in.
                const auto reached = [&](int fresh) {
                  if (fresh <= 0) return;
                  new_situations += fresh;
                  frontier = returned;
                };
                reached(lane.situations.after(b));
                if (interrupted()) return std::nullopt;  // the case ends here; its steps so far count
                std::optional<Stimulus> s;
                if (tour_case) s = tour->next(b);
                while (!tour_case && at < head.size() && !s)
                  if (model.applicable(b, head[at++])) s = head[at - 1];
                if (!tour_case && !s) s = generator.next(b);
                if (s && model.applicable(b, *s)) {
                  ++returned;
                  reached(lane.situations.before(b, *s));
                }
                return s;
              });
    } catch (const std::runtime_error& e) {
      // Ctrl-C while the target was starting the case is the run's interruption, not a start that failed.
      if (!interrupted()) result.stopped_by = e.what();
      result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      break;
    }
    // A call still unanswered when Ctrl-C came was given up, not seen to hang.
    if (interrupted() && r.status == CaseStatus::Timeout) r.status = CaseStatus::Pass;
    if (tour_case) {
      tour->end_case(r);
      if (tour->over()) {  // every pair it aims at is applied, or given up
        if (settings.tour) break;
        touring = false;
        lane.seeking = seeking_before;  // a case the run does not count (nor record) seeks nothing
        continue;
      }
      ++result.tour_cases;
    }
    CaseFindings found = add_case(result, lane.seeking, r, index, caps.deterministic);
    if (record) record(index, r);
    lane.coverage.merge(r.coverage);
    lane.steps += r.trace.size();
    // A case that reached new situations is kept up to the last of them: derived cases go on from there.
    if (settings.guided && new_situations > 0 && frontier > 0) {
      std::vector<Stimulus> kept = r.applied();
      if (kept.size() > frontier) kept.resize(frontier);
      lane.corpus.keep(std::move(kept), guide);
    }
    if (r.failed() && result.first_failure_seconds < 0)
      result.first_failure_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The hang is found; a target that keeps hanging would have every later case that meets it wait out
    // the hang probe and start the target again (a quick tier took over ten minutes so): the run stops
    // after a few such cases, its verdict being the hang already.
    if (!found.crashed && r.status == CaseStatus::Timeout && result.crash &&
        result.crash->status == CaseStatus::Timeout && ++later_hangs >= kLaterHangs)
      result.cut_short = "the target hung again in " + std::to_string(kLaterHangs) +
                         " later cases (the hang is reported; the rest of the run would mostly wait on it)";
    unstartable = r.failed() && r.status != CaseStatus::Violation && r.failed_in_reset ? unstartable + 1 : 0;
    if (unstartable >= kUnstartableCases)
      result.cut_short = "the target could not start " + std::to_string(kUnstartableCases) + " cases in a row (" +
                         r.failure + "); the rest of the run would fail the same way";
    if (!found.failures.empty()) {
      add_counterexamples(result, report(r, found.failures, index), found.crashed);
      // From the first failure the ledger does not list on, every case starts from the library as
      // loaded. Not before: a fork a case costs more than the case itself, and a gate whose ledger
      // lists a deviation found at once forked for every case (minutes where it took seconds; README).
      isolating = isolating || std::any_of(found.failures.begin(), found.failures.end(), [](const CaseResult& f) {
                    return f.status != CaseStatus::Violation || !f.known;
                  });
      target.isolate_cases(isolating);
      // The hang is confirmed, and each later case that meets it again would wait out the whole call
      // timeout (seconds; a run of them took minutes): from here on the target's hang probe tells it.
      if (found.crashed && r.status == CaseStatus::Timeout && caps.deterministic) target.probe_hangs(true);
    }
    // What the serving process has run: a crash or hang replaced it; a report's checks left a fresh one
    // (what they ran there is not counted); from the first new failure on each case has one of its own.
    if (r.status == CaseStatus::Crash || r.status == CaseStatus::Timeout || r.failed_in_reset ||
        !found.failures.empty())
      since_start.clear();
    else if (!isolating) {
      if (since_start.size() == kEarlierCasesKept) since_start.erase(since_start.begin());
      since_start.push_back(r.applied());
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (progress) progress(result, found.new_failure);
    if (!result.stopped_by.empty() || !result.cut_short.empty()) break;
  }
  target.probe_hangs(false);
  Situations reached(settings.model.profile);  // the run's figure: what its lanes reached together
  for (const Lane& l : lanes) reached.merge(l.situations);
  result.situations = reached.size();
  result.interrupted = interrupted();
  result.finished = !result.interrupted && result.stopped_by.empty();
  return result;
}

}  // namespace bgc
