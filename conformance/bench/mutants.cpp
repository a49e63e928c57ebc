#include "mutants.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "bgconform/isolated_target.h"
#include "bgconform/plugin_target.h"
#include "bgconform/reports.h"
#include "bgconform/shortest.h"
#include "target_factory.h"
#include "case_loop.h"
#include "rc_adapter.h"

namespace bgc::bench {
namespace {

struct Row {
  const char *name, *expected, *profile;
};
constexpr Row kRows[] = {
#define MUTANT(e, name, expected, profile, description) {name, expected, profile},
#include "mutants.def"
#undef MUTANT
};

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The wider search's alphabet: every call on job 0 with its operands from small tables, the source
// events that fail or heal a source, the network, and a few durations; plus the counterexample's own
// stimuli (which bring the exact durations and sources it used).
std::vector<Stimulus> wide_alphabet(const std::vector<Stimulus>& counterexample, Profile profile) {
  std::vector<Stimulus> a = every_call(0, {{0, 1, 2, 3}, {1, 5}, {0, 10}});
  for (int src : {0, 2}) {
    a.push_back(stim::source(src, Behaviour::Ok));
    a.push_back(stim::source(src, Behaviour::Refused));
    a.push_back(stim::source(src, Behaviour::Reset));
    a.push_back(stim::source(src, Behaviour::Http, 404));
  }
  a.push_back(stim::source(kLocalSource, Behaviour::Missing));
  a.push_back(stim::network(false));
  a.push_back(stim::network(true));
  for (std::uint32_t d : {1u, 2u, 6u, 20u}) a.push_back(stim::advance(d));
  for (const Stimulus& s : counterexample)
    if (std::find(a.begin(), a.end(), s) == a.end()) a.push_back(s);
  (void)profile;
  return a;
}

}  // namespace

std::vector<std::string> mutant_names() {
  std::vector<std::string> names;
  for (const Row& row : kRows) names.push_back(row.name);
  return names;
}

std::vector<MutantFigure> measure_mutants(const MutantOptions& o) {
  std::vector<MutantFigure> out;
  for (const Row& row : kRows) {
    if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), row.name) == o.only.end()) continue;
    MutantFigure f;
    f.name = row.name;
    f.expected = row.expected;
    f.profile = row.profile;
    f.isolated = f.expected == "crash" || f.expected == "timeout";
    const std::string library = o.dir + "/libbgc_mutant_" + f.name + ".so";
    std::string error;
    std::unique_ptr<Target> target;
    if (f.isolated) {
      IsolatedOptions io;
      io.host_path = o.host;
      io.call_timeout = std::chrono::milliseconds(static_cast<long>(o.call_timeout * 1000));
      target = IsolatedTarget::launch(library, io, error);
    } else {
      target = PluginTarget::load(library, error);
    }
    if (!target) {
      f.error = error;
      out.push_back(f);
      continue;
    }
    RunSettings settings;
    settings.model.profile = *parse_profile(f.profile);
    settings.target = plugin_spec(library);
    settings.seed = o.seed;
    settings.cases = o.cases;
    settings.max_steps = o.max_steps;
    const JobModel model(settings.model);
    reachable_transitions(model);  // explored once per profile, before the clock starts (as cached)

    // The case loop of `bgconform run`, with two clocks: when shrinking starts (the failing case has
    // just ended) and when the run holds the shrunk counterexample of the mutant's rule.
    CaseTools tools = rapidcheck_case_tools();
    const auto shrink = tools.shrink;
    const Clock::time_point start = Clock::now();
    double shrink_started = -1;
    tools.shrink = [&](std::vector<Stimulus> seq, const CaseTools::Predicate& p) {
      shrink_started = since(start);
      return shrink(std::move(seq), p);
    };
    const Counterexample* kill = nullptr;
    RunResult result = run_cases(settings, *target, tools, [&](const RunResult& r, bool new_failure) {
      if (!new_failure || f.killed) return;
      const Counterexample* c = nullptr;
      if (f.expected == "crash" || f.expected == "timeout") {
        if (r.crash && counterexample_label(*r.crash) == f.expected) c = &*r.crash;
      } else if (!r.counterexamples.empty() && counterexample_label(r.counterexamples.back()) == f.expected) {
        c = &r.counterexamples.back();
      }
      if (!c) return;
      f.killed = true;
      f.kill_seconds = since(start);
      f.first_failure_seconds = shrink_started;
      f.shrink_seconds = f.kill_seconds - shrink_started;
    });
    for (const Counterexample& c : result.counterexamples)
      if (counterexample_label(c) == f.expected) kill = &c;
    if (result.crash && counterexample_label(*result.crash) == f.expected) kill = &*result.crash;
    if (kill) {
      f.original_steps = kill->original_steps;
      f.counterexample_steps = kill->trace.size();
      f.shortest_steps = kill->trace.size();
      // The wider search, from the counterexample (isolated targets: too slow with hangs to search).
      if (!f.isolated) {
        std::vector<Stimulus> seq;
        for (const TracedStep& t : kill->trace) seq.push_back(t.step.stimulus);
        const CaseResult again = run_sequence(*target, model, seq);
        const std::vector<Stimulus> alphabet = wide_alphabet(seq, settings.model.profile);
        f.shortest_alphabet = alphabet.size();
        ShortestOptions so;
        so.max_nodes = o.search_nodes;
        so.max_time = std::chrono::milliseconds(static_cast<long>(o.search_seconds * 1000));
        const ShortestResult s = shortest_counterexample(*target, model, again, so, alphabet);
        f.shortest_steps = s.shortest.trace.size();
        f.shortest_complete = s.complete;
      }
    }
    out.push_back(f);
  }
  return out;
}

}  // namespace bgc::bench
