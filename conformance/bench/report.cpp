#include "report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

namespace bgc::bench {
namespace {

template <class... A>
std::string fmt(const char* f, A... a) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof buf, f, a...);
  return std::string(buf, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buf) - 1)));
}

std::string rate(double per_second) {
  if (per_second >= 1e6) return fmt("%.2f M", per_second / 1e6);
  if (per_second >= 1e3) return fmt("%.1f k", per_second / 1e3);
  return fmt("%.0f", per_second);
}

std::string secs(double s) {
  if (s < 0) return "-";
  if (s < 0.001) return fmt("%.0f µs", s * 1e6);
  if (s < 1) return fmt("%.1f ms", s * 1e3);
  return fmt("%.2f s", s);
}

std::string pct(std::size_t part, std::size_t whole) {
  return whole == 0
             ? "-"
             : fmt("%zu / %zu = %.1f %%", part, whole, 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

const char* met(bool ok) { return ok ? "**met**" : "**missed**"; }

double steps_of(const PathFigures& p, const char* name) {
  const PathFigure* f = p.find(name);
  return f ? f->steps_per_second : 0;
}

}  // namespace

std::string render_markdown(const BenchRun& r) {
  std::string md;
  md += fmt(
      "# bgconform benchmarks\n\ncommit %s, %u cores (nproc), %s%s. Rates are steps per CPU second (Google Benchmark's "
      "CPU time; the machine is shared); a step is one stimulus with its GetState sweep of every live job.\n\n",
      r.commit.c_str(), r.cores, r.when.c_str(),
      r.quick ? ", **--quick: a tiny workload, the figures mean little**" : "");

  // ---- The one table -------------------------------------------------------------------------
  const double replay = steps_of(r.paths, "replay_checked"), bare = steps_of(r.paths, "replay_bare");
  const double plugin_replay = steps_of(r.paths, "plugin_replay_checked"),
               plugin_bare = steps_of(r.paths, "plugin_replay_bare");
  const double cost = replay > 0 ? bare / replay : 0;
  const double plugin_cost = plugin_replay > 0 ? plugin_bare / plugin_replay : 0;
  std::size_t killed = 0, under_second = 0, shortest = 0, with_shortest = 0, unproven = 0;
  const MutantFigure* slowest = nullptr;
  for (const MutantFigure& m : r.mutants) {
    killed += m.killed;
    under_second += m.killed && m.kill_seconds < 1.0;
    if (m.killed && (!slowest || m.kill_seconds > slowest->kill_seconds)) slowest = &m;
    if (m.killed && !m.isolated) {
      ++with_shortest;
      shortest += m.counterexample_steps <= m.shortest_steps;
      unproven += !m.shortest_complete;  // the wider search hit its bounds: nothing shorter was found, none ruled out
    }
  }
  const CoveragePoint* default_run = nullptr;
  for (const CoveragePoint& p : r.coverage.points)
    if (p.cases == r.path_options.cases) default_run = &p;
  if (!default_run && !r.coverage.points.empty()) default_run = &r.coverage.points.back();
  const double generation = steps_of(r.paths, "plugin_generation");
  const double peer_ratio = r.peer.ran && r.peer.steps_per_second > 0 ? generation / r.peer.steps_per_second : 0;

  md += "| item | figure | measured | goal | |\n|---|---|---|---|---|\n";
  md += fmt("| 1 | checked steps/s, replay (reference in-process) | %s | ≥ 1 M | %s |\n", rate(replay).c_str(),
            met(replay >= 1e6));
  md += fmt("| 1 | checked steps/s, generation (RapidCheck, `bgconform run`'s loop) | %s | | |\n",
            rate(steps_of(r.paths, "generation")).c_str());
  md += fmt("| 1 | checked steps/s, fuzzing (job_sequence_fuzzer's entry point in-process, no libFuzzer) | %s | | |\n",
            rate(steps_of(r.paths, "fuzz_entry")).c_str());
  md +=
      fmt("| 1 | cost of checking: bare replay ÷ checked replay (reference in-process; bare %s steps/s) | %.1f× | ≤ 2× "
          "| %s |\n",
          rate(bare).c_str(), cost, met(cost > 0 && cost <= 2));
  md += fmt("| 1 | the same through the plugin .so in-process (bare %s, checked %s steps/s) | %.1f× | ≤ 2× | %s |\n",
            rate(plugin_bare).c_str(), rate(plugin_replay).c_str(), plugin_cost,
            met(plugin_cost > 0 && plugin_cost <= 2));
  const double isolated = steps_of(r.paths, "plugin_isolated_generation"),
               piped = steps_of(r.paths, "plugin_isolated_pipes_generation");
  if (isolated > 0 && piped > 0)
    md +=
        fmt("| 1 | checked steps/s, generation on the plugin isolated in bgconform-host (`--target plugin:`'s default; "
            "wall-clock): shared memory %s, pipes %s (%.1f×); in process %s | | | |\n",
            rate(isolated).c_str(), rate(piped).c_str(), isolated / piped,
            rate(steps_of(r.paths, "plugin_generation")).c_str());
  if (const double fresh = steps_of(r.paths, "plugin_isolated_fresh_generation"); isolated > 0 && fresh > 0)
    md += fmt(
        "| 5 | a serving process of its own for each case (fork per case, shared memory): %s checked steps/s, "
        "%.0f%% of one process for all cases; so a run forks per case only from its first failure on | ≤ 20%% cost to "
        "do it always | %s |\n",
        rate(fresh).c_str(), 100.0 * fresh / isolated, met(fresh >= 0.8 * isolated));
  // Where a checked step's time goes: the target (the bare replay), the model (judging the recorded
  // traces alone), and what is left: the Runner's recording, coverage and the trace monitors.
  const double model_only = steps_of(r.paths, "model_only");
  if (replay > 0 && bare > 0 && model_only > 0) {
    const double target_ns = 1e9 / bare, model_ns = 1e9 / model_only, checked_ns = 1e9 / replay;
    md +=
        fmt("| 1 | a checked step (reference in-process, %.0f ns): the target %.0f ns, the model %.0f ns, the Runner "
            "and the "
            "monitors %.0f ns; the model alone costs %.1f× the bare step | | | |\n",
            checked_ns, target_ns, model_ns, std::max(0.0, checked_ns - target_ns - model_ns), model_ns / target_ns);
  }
  md += fmt("| 1 | explorer at the start of a run: first / cached in the process | %s / %s | | |\n",
            secs(r.paths.explorer_seconds).c_str(), secs(r.paths.explorer_cached_seconds).c_str());
  md += fmt("| 2 | mutants killed with their rule | %zu of %zu | all | %s |\n", killed, r.mutants.size(),
            met(killed == r.mutants.size()));
  md += fmt("| 2 | killed in under 1 s (first failure + shrinking) | %zu of %zu; slowest %s %s | all | %s |\n",
            under_second, r.mutants.size(), slowest ? slowest->name.c_str() : "-",
            slowest ? secs(slowest->kill_seconds).c_str() : "", met(under_second == r.mutants.size()));
  md += fmt(
      "| 2 | counterexample no longer than the wider search's shortest (in-process mutants) | %zu of %zu%s | all | %s "
      "|\n",
      shortest, with_shortest,
      unproven
          ? fmt("; %zu of them where the wider search hit its bounds (none shorter found, none ruled out)", unproven)
                .c_str()
          : "",
      met(shortest == with_shortest));
  if (default_run)
    md += fmt("| 3 | reachable (state, kind) pairs, state-aware generation, %d cases | %s | ≥ 95 %% | %s |\n",
              default_run->cases, pct(default_run->aware_pairs, r.coverage.reachable_pairs).c_str(),
              met(default_run->aware_pairs * 100 >= 95 * r.coverage.reachable_pairs));
  // The goal is the adaptive tour's (`bgconform run --tour`): a fixed sequence follows one outcome of
  // each stimulus where the model allows several, and the target may take another.
  md += fmt(
      "| 3 | reachable (state, kind) pairs, the explorer's tour as a fixed suite (%zu sequences, %zu steps) | %s | | "
      "|\n",
      r.coverage.tour_sequences, r.coverage.tour_steps, pct(r.coverage.tour_pairs, r.coverage.reachable_pairs).c_str());
  md +=
      fmt("| 3 | reachable (state, kind) pairs, the transition tour (`bgconform run --tour`, adaptive: %zu cases, %zu "
          "steps) | %s | 100 %% | %s |\n",
          r.coverage.adaptive_cases, r.coverage.adaptive_steps,
          pct(r.coverage.adaptive_pairs, r.coverage.reachable_pairs).c_str(),
          met(r.coverage.adaptive_pairs == r.coverage.reachable_pairs));
  if (r.peer.ran) {
    md += fmt("| 4 | steps/s: bgconform generation on the plugin %s vs Hypothesis peer %s | %.0f× | ≥ 500× | %s |\n",
              rate(generation).c_str(), rate(r.peer.steps_per_second).c_str(), peer_ratio, met(peer_ratio >= 500));
    double ours = 0, theirs = 0;
    std::size_t both = 0, peer_killed = 0;
    for (const PeerKill& k : r.peer.kills) {
      peer_killed += k.killed;
      for (const MutantFigure& m : r.mutants)
        if (m.name == k.name && m.killed && k.killed) {
          ours += m.kill_seconds;
          theirs += k.kill_seconds;
          ++both;
        }
    }
    md +=
        fmt("| 4 | the peer's mutants (E-family): killed by the peer / by bgconform; total kill time ratio peer ÷ "
            "bgconform | %zu / %zu; %.0f× | | |\n",
            peer_killed, r.peer.kills.size(), ours > 0 ? theirs / ours : 0.0);
  } else {
    md += "| 4 | Hypothesis peer | not run" + (r.peer.error.empty() ? std::string() : ": " + r.peer.error) + " | | |\n";
  }
  if (r.com.error.empty())
    md +=
        fmt("| 5 | Wine's qmgr: one GetState through the COM agent %s vs a plain COM client loop %s (%d calls) | %.1f× "
            "| | |\n",
            secs(r.com.agent_ns * 1e-9).c_str(), secs(r.com.plain_ns * 1e-9).c_str(), r.com.calls,
            r.com.plain_ns > 0 ? r.com.agent_ns / r.com.plain_ns : 0.0);
  else
    md += "| 5 | Wine COM agent overhead | not run: " + r.com.error + " | | |\n";

  // ---- Details -------------------------------------------------------------------------------
  md +=
      "\n## 1. Paths\n\n| path | what is timed | steps per iteration | CPU time per iteration | checked steps/s "
      "|\n|---|---|---|---|---|\n";
  for (const PathFigure& p : r.paths.rows)
    md += fmt("| %s | %s | %llu | %s | %s |\n", p.name.c_str(), p.what.c_str(),
              static_cast<unsigned long long>(p.steps_per_iteration), secs(p.seconds_per_iteration).c_str(),
              rate(p.steps_per_second).c_str());

  md +=
      fmt("\n## 2. Mutants\n\n`bgconform run`'s loop (seed %llu, %d cases of up to %d steps; the explorer cached) "
          "against each mutant, "
          "in-process, or in bgconform-host for the two that crash or hang (call timeout %.1f s). The wider search is "
          "a breadth-first "
          "search of the model (shortest.h) from the counterexample over every job-0 call, source and network event "
          "and four "
          "durations, bounded by %zu candidates and %.1f s.\n\n",
          static_cast<unsigned long long>(r.mutant_options.seed), r.mutant_options.cases, r.mutant_options.max_steps,
          r.mutant_options.call_timeout, r.mutant_options.search_nodes, r.mutant_options.search_seconds);
  md +=
      "| mutant | rule | killed | first failure | shrinking | kill | steps as found | counterexample | shortest (wider "
      "search) |\n"
      "|---|---|---|---|---|---|---|---|---|\n";
  for (const MutantFigure& m : r.mutants) {
    std::string shortest = m.isolated  ? "- (isolated)"
                           : !m.killed ? "-"
                                       : fmt("%zu%s", m.shortest_steps, m.shortest_complete ? "" : " (bounds hit)");
    md += fmt("| %s | %s | %s | %s | %s | %s | %zu | %zu | %s |\n", m.name.c_str(), m.expected.c_str(),
              m.killed ? "yes" : (m.error.empty() ? "**no**" : ("error: " + m.error).c_str()),
              secs(m.first_failure_seconds).c_str(), secs(m.shrink_seconds).c_str(), secs(m.kill_seconds).c_str(),
              m.original_steps, m.counterexample_steps, shortest.c_str());
  }

  md +=
      fmt("\n## 3. Transition coverage\n\nAgainst the explorer's %zu reachable (state, stimulus kind) pairs and %zu "
          "(state, kind, next "
          "state) triples (bits, the contract's instance). Uniform: each step one applicable stimulus of a fixed "
          "alphabet, equally "
          "likely; state-aware: `bgconform run`'s generator. Both seeded alike, up to %d steps per case. Plot: "
          "coverage.svg.\n\n",
          r.coverage.reachable_pairs, r.coverage.reachable_triples, r.path_options.max_steps);
  md +=
      "The tours (fixed: `Explorer::planned_tour`; adaptive: `Explorer::toward_uncovered`, planning over the outcomes "
      "the "
      "reference took) steer the reference into the outcome their path follows: before an Advance, a working source of "
      "the "
      "job's files is set to delay its headers where the job is to stay CONNECTING and to ok where it is to go on "
      "(Source "
      "steps outside the explorer's instance, counted in the steps; the model treats both alike).\n\n";
  md +=
      "| cases | uniform: pairs | state-aware: pairs | uniform: triples | state-aware: triples "
      "|\n|---|---|---|---|---|\n";
  for (const CoveragePoint& p : r.coverage.points)
    md += fmt("| %d | %s | %s | %s | %s |\n", p.cases, pct(p.uniform_pairs, r.coverage.reachable_pairs).c_str(),
              pct(p.aware_pairs, r.coverage.reachable_pairs).c_str(),
              pct(p.uniform_triples, r.coverage.reachable_triples).c_str(),
              pct(p.aware_triples, r.coverage.reachable_triples).c_str());
  md += fmt("| fixed tour | %s | | %s | |\n", pct(r.coverage.tour_pairs, r.coverage.reachable_pairs).c_str(),
            pct(r.coverage.tour_triples, r.coverage.reachable_triples).c_str());
  md += fmt("| adaptive tour | | %s | | %s |\n", pct(r.coverage.adaptive_pairs, r.coverage.reachable_pairs).c_str(),
            pct(r.coverage.adaptive_triples, r.coverage.reachable_triples).c_str());
  // The pairs each tour left out, in full (fmt's buffer would cut a long list).
  auto missed = [&md](const char* tour, const std::vector<std::string>& pairs) {
    if (pairs.empty()) return;
    md += fmt("\nThe %s misses %zu pairs: ", tour, pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i) md += (i ? ", " : "") + pairs[i];
    md += ".\n";
  };
  missed("fixed tour", r.coverage.tour_missed);
  missed("adaptive tour", r.coverage.adaptive_missed);

  md += "\n## 4. The Hypothesis peer\n\n";
  if (!r.peer.ran) {
    md += "Not run" + (r.peer.error.empty() ? std::string(".") : ": " + r.peer.error + ".") + "\n";
  } else {
    md +=
        fmt("%s (Debian's python3-hypothesis), `conformance/bench/peer/hypothesis_peer.py`: a RuleBasedStateMachine "
            "driving the same "
            ".so through ctypes, one job per example, GetState after every rule (an invariant), checking ST-1, E-1, "
            "E-2, E-3, E-5, "
            "E-6 and M-13. Speed: %d examples of up to 40 steps on the reference plugin, %zu steps in %s of CPU%s. "
            "Kills: up to %d "
            "examples per mutant, CPU time including Hypothesis's shrinking. bgconform's kill is the wall-clock time "
            "of section 2 (in-process).\n\n",
            r.peer.version.c_str(), r.peer.examples, r.peer.steps, secs(r.peer.seconds).c_str(),
            r.peer.speed_failure.empty() ? "" : (", and it failed on the reference: " + r.peer.speed_failure).c_str(),
            r.peer.kill_examples);
    md +=
        "| mutant | peer: rule | peer: first failure | peer: kill | peer: counterexample | bgconform: kill | "
        "bgconform: counterexample | peer ÷ bgconform |\n"
        "|---|---|---|---|---|---|---|---|\n";
    for (const PeerKill& k : r.peer.kills) {
      const MutantFigure* m = nullptr;
      for (const MutantFigure& x : r.mutants)
        if (x.name == k.name) m = &x;
      md +=
          fmt("| %s | %s | %s | %s | %s | %s | %s | %s |\n", k.name.c_str(), k.killed ? k.rule.c_str() : "not killed",
              secs(k.first_failure_seconds).c_str(), secs(k.kill_seconds).c_str(),
              k.killed ? std::to_string(k.counterexample_steps).c_str() : "-", m ? secs(m->kill_seconds).c_str() : "-",
              m && m->killed ? std::to_string(m->counterexample_steps).c_str() : "-",
              m && m->killed && k.killed && m->kill_seconds > 0 ? fmt("%.0f×", k.kill_seconds / m->kill_seconds).c_str()
                                                                : "-");
    }
  }
  return md;
}

std::string render_json(const BenchRun& r) {
  nlohmann::json j;
  j["commit"] = r.commit;
  j["cores"] = r.cores;
  j["when"] = r.when;
  j["quick"] = r.quick;
  j["com"] = {{"error", r.com.error},
              {"calls", r.com.calls},
              {"agent_ns_per_call", r.com.agent_ns},
              {"plain_client_ns_per_call", r.com.plain_ns}};
  for (const PathFigure& p : r.paths.rows)
    j["paths"][p.name] = {{"steps_per_second", p.steps_per_second},
                          {"steps_per_iteration", p.steps_per_iteration},
                          {"seconds_per_iteration", p.seconds_per_iteration}};
  j["explorer_seconds"] = r.paths.explorer_seconds;
  j["explorer_cached_seconds"] = r.paths.explorer_cached_seconds;
  for (const MutantFigure& m : r.mutants)
    j["mutants"].push_back({{"name", m.name},
                            {"expected", m.expected},
                            {"killed", m.killed},
                            {"isolated", m.isolated},
                            {"first_failure_seconds", m.first_failure_seconds},
                            {"shrink_seconds", m.shrink_seconds},
                            {"kill_seconds", m.kill_seconds},
                            {"original_steps", m.original_steps},
                            {"counterexample_steps", m.counterexample_steps},
                            {"shortest_steps", m.shortest_steps},
                            {"shortest_complete", m.shortest_complete}});
  j["coverage"] = {{"reachable_pairs", r.coverage.reachable_pairs},
                   {"reachable_triples", r.coverage.reachable_triples},
                   {"tour_pairs", r.coverage.tour_pairs},
                   {"tour_triples", r.coverage.tour_triples},
                   {"adaptive_tour_pairs", r.coverage.adaptive_pairs},
                   {"adaptive_tour_triples", r.coverage.adaptive_triples}};
  for (const CoveragePoint& p : r.coverage.points)
    j["coverage"]["points"].push_back({{"cases", p.cases},
                                       {"uniform_pairs", p.uniform_pairs},
                                       {"aware_pairs", p.aware_pairs},
                                       {"uniform_triples", p.uniform_triples},
                                       {"aware_triples", p.aware_triples}});
  if (r.peer.ran) {
    j["peer"] = {
        {"version", r.peer.version}, {"steps_per_second", r.peer.steps_per_second}, {"examples", r.peer.examples}};
    for (const PeerKill& k : r.peer.kills)
      j["peer"]["kills"].push_back({{"name", k.name},
                                    {"killed", k.killed},
                                    {"rule", k.rule},
                                    {"kill_seconds", k.kill_seconds},
                                    {"counterexample_steps", k.counterexample_steps}});
  }
  return j.dump(2) + "\n";
}

}  // namespace bgc::bench
