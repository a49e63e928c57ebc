#include "coverage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "bgconform/explorer.h"
#include "bgconform/reference_target.h"
#include "case_loop.h"
#include "rc_adapter.h"
#include "tour.h"

namespace bgc::bench {
namespace {

// Every stimulus the uniform generator may pick: each call on each slot with its operands from the
// contract's tables, every source event, the network, and the contract's durations.
std::vector<Stimulus> uniform_alphabet() {
  std::vector<Stimulus> a;
  for (int j = 0; j < kMaxJobs; ++j) {
    const std::vector<Stimulus> calls = every_call(j, {{0, 1, 2, 3}, {0, 1, 5, 10, 600}, {0, 2, 7, 20, 1'209'600}});
    a.insert(a.end(), calls.begin(), calls.end());
  }
  for (int src = 0; src < kLocalSource; ++src) {
    for (Behaviour b : {Behaviour::Ok, Behaviour::Slow, Behaviour::DelayedHeaders, Behaviour::Refused, Behaviour::Reset,
                        Behaviour::Stall})
      a.push_back(stim::source(src, b));
    for (std::uint16_t status : {403, 404, 500, 503}) a.push_back(stim::source(src, Behaviour::Http, status));
  }
  a.push_back(stim::source(kLocalSource, Behaviour::Present));
  a.push_back(stim::source(kLocalSource, Behaviour::Missing));
  a.push_back(stim::network(false));
  a.push_back(stim::network(true));
  for (std::uint32_t d : {1u, 4u, 5u, 6u, 599u, 600u, 601u}) a.push_back(stim::advance(d));
  return a;
}

std::size_t covered(const std::vector<bool>& reachable, const std::vector<bool>& seen) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < reachable.size() && i < seen.size(); ++i) n += reachable[i] && seen[i];
  return n;
}

// The reachable pairs not in `seen`, as "(STATE, kind)": the report names what a tour left out.
std::vector<std::string> missed(const std::vector<bool>& reachable, const std::vector<bool>& seen) {
  const std::vector<StimulusKind>& kinds = all_kinds(Profile::Bits);
  std::vector<std::string> out;
  for (std::size_t p = 0; p < reachable.size(); ++p)
    if (reachable[p] && !(p < seen.size() && seen[p]))
      out.push_back("(" + std::string(short_name(static_cast<JobState>(p / kinds.size()))) + ", " +
                    to_string(kinds[p % kinds.size()]) + ")");
  return out;
}

std::size_t count(const std::vector<bool>& v) { return static_cast<std::size_t>(std::count(v.begin(), v.end(), true)); }

}  // namespace

CoverageFigures measure_coverage(std::uint64_t seed, const std::vector<int>& checkpoints, int max_steps) {
  const JobModel model;
  ReferenceTarget target;
  const Reachable reachable = reachable_transitions(model);
  CoverageFigures f;
  f.reachable_pairs = count(reachable.pairs);
  f.reachable_triples = count(reachable.triples);
  const int most = checkpoints.empty() ? 0 : *std::max_element(checkpoints.begin(), checkpoints.end());
  const CaseTools tools = rapidcheck_case_tools();

  // State-aware: `bgconform run`'s own loop, read after every case.
  std::vector<Coverage> aware;
  RunSettings settings;
  settings.seed = seed;
  settings.cases = most;
  settings.max_steps = max_steps;
  run_cases(settings, target, tools, [&](const RunResult& r, bool) { aware.push_back(r.coverage); });

  // Uniform: the same seeds, each step one applicable stimulus of the alphabet, equally likely.
  const std::vector<Stimulus> alphabet = uniform_alphabet();
  Coverage uniform;
  uniform.init(Profile::Bits);
  std::vector<Coverage> uniform_after;
  for (int i = 0; i < most; ++i) {
    RandomBits random = tools.random(seed, static_cast<std::uint64_t>(i));
    int produced = 0;
    std::vector<const Stimulus*> applicable;
    const CaseResult r = Runner{}.run_case(target, model, [&](const Belief& b) -> std::optional<Stimulus> {
      if (produced++ >= max_steps) return std::nullopt;
      applicable.clear();
      for (const Stimulus& s : alphabet)
        if (model.applicable(b, s)) applicable.push_back(&s);
      return *applicable[random() % applicable.size()];
    });
    uniform.merge(r.coverage);
    uniform_after.push_back(uniform);
  }

  for (int n : checkpoints) {
    // A run reports fewer cases than it was given when the directed phase's last tour case is not
    // counted (case_loop.cpp): a checkpoint past what it reported has no figure.
    if (n < 1 || n > most || static_cast<std::size_t>(n) > aware.size()) continue;
    CoveragePoint p;
    p.cases = n;
    p.aware_pairs = covered(reachable.pairs, aware[static_cast<std::size_t>(n - 1)].pairs);
    p.aware_triples = covered(reachable.triples, aware[static_cast<std::size_t>(n - 1)].triples);
    p.uniform_pairs = covered(reachable.pairs, uniform_after[static_cast<std::size_t>(n - 1)].pairs);
    p.uniform_triples = covered(reachable.triples, uniform_after[static_cast<std::size_t>(n - 1)].triples);
    f.points.push_back(p);
  }

  // The transition tour, as a fixed suite: its sequences as they are, but for the steering before each
  // Advance (steer(), towards the outcome the tour follows).
  Explorer explorer(model, ExplorerInstance::contract());
  explorer.run();
  Coverage tour;
  tour.init(Profile::Bits);
  for (const Explorer::TourSequence& seq : explorer.planned_tour(max_steps)) {
    std::size_t next = 0;
    const CaseResult r = Runner{}.run_case(target, model, [&](const Belief& b) -> std::optional<Stimulus> {
      if (next >= seq.stimuli.size()) return std::nullopt;
      if (std::optional<Stimulus> s = steer(model, b, seq.stimuli[next], seq.expected[next])) return s;
      return seq.stimuli[next++];
    });
    tour.merge(r.coverage);
    ++f.tour_sequences;
    f.tour_steps += r.trace.size();
  }
  f.tour_pairs = covered(reachable.pairs, tour.pairs);
  f.tour_triples = covered(reachable.triples, tour.triples);
  f.tour_missed = missed(reachable.pairs, tour.pairs);

  // The adaptive tour (tour.h), as `bgconform run --tour` runs it.
  Coverage adaptive;
  adaptive.init(Profile::Bits);
  AdaptiveTour adaptive_tour(model, explorer, max_steps);
  for (int c = 0; c < 400; ++c) {
    adaptive_tour.begin_case();
    const CaseResult r = Runner{}.run_case(target, model, [&](const Belief& b) { return adaptive_tour.next(b); });
    adaptive_tour.end_case(r);
    if (adaptive_tour.over()) break;  // nothing uncovered is reachable any more
    adaptive.merge(r.coverage);
    ++f.adaptive_cases;
    f.adaptive_steps += r.trace.size();
  }
  f.adaptive_pairs = covered(reachable.pairs, adaptive.pairs);
  f.adaptive_triples = covered(reachable.triples, adaptive.triples);
  f.adaptive_missed = missed(reachable.pairs, adaptive.pairs);
  return f;
}

// printf into a string: the chart is a few dozen formatted elements.
template <class... A>
std::string format(const char* f, A... a) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof buf, f, a...);
  return std::string(buf, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buf) - 1)));
}

std::string coverage_svg(const CoverageFigures& f) {
  // Plot area: x = log10(cases), y = 0..100 % of the reachable pairs.
  const double left = 60, right = 600, top = 30, bottom = 330;
  const double max_cases = f.points.empty() ? 10.0 : std::max(10.0, static_cast<double>(f.points.back().cases));
  auto x = [&](double cases) { return left + (right - left) * std::log10(cases) / std::log10(max_cases); };
  auto y = [&](double percent) { return bottom - (bottom - top) * percent / 100.0; };
  auto pct = [](std::size_t part, std::size_t whole) {
    return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  };
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"400\" font-family=\"sans-serif\" "
      "font-size=\"12\">\n"
      "<rect width=\"760\" height=\"400\" fill=\"white\"/>\n"
      "<text x=\"330\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">Reachable (state, stimulus kind) pairs "
      "covered, bits</text>\n";
  for (int p = 0; p <= 100; p += 20) {
    svg += format("<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y(p), right, y(p));
    svg += format("<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%d %%</text>\n", left - 6, y(p) + 4, p);
  }
  for (double c = 1; c <= max_cases; c *= 10) {
    svg += format("<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>\n", x(c), top, x(c), bottom);
    svg += format("<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.0f</text>\n", x(c), bottom + 16, c);
  }
  svg += format("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">generated cases (log scale)</text>\n",
                (left + right) / 2, bottom + 36);
  svg += format("<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n",
                left, y(95), right, y(95));
  svg += format("<text x=\"%.0f\" y=\"%.1f\" fill=\"#888\">goal 95 %%</text>\n", right + 6, y(95) + 4);
  auto line = [&](bool aware, const char* colour, const char* label, double label_y) {
    std::string points;
    for (const CoveragePoint& p : f.points)
      points += format("%.1f,%.1f ", x(p.cases), y(pct(aware ? p.aware_pairs : p.uniform_pairs, f.reachable_pairs)));
    svg += format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colour) + points + "\"/>\n";
    svg += format("<text x=\"%.0f\" y=\"%.0f\" fill=\"%s\">%s</text>\n", right + 6, label_y, colour, label);
  };
  line(true, "#1f6fb4", "state-aware", 130);
  line(false, "#d2691e", "uniform", 148);
  if (f.tour_sequences > 0) {
    const double cx = x(std::clamp(static_cast<double>(f.tour_sequences), 1.0, max_cases));
    svg += format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#2a9d3a\"/>\n", cx,
                  y(pct(f.tour_pairs, f.reachable_pairs)));
    svg += format("<text x=\"%.0f\" y=\"166\" fill=\"#2a9d3a\">fixed tour (%zu sequences)</text>\n", right + 6,
                  f.tour_sequences);
  }
  return svg + "</svg>\n";
}

}  // namespace bgc::bench
