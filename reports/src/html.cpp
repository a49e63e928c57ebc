// report.html: one self-contained page (inline CSS and SVG, one small inline script, no network).
// The state diagram is laid out by hand: BG_JOB_STATE has nine states with a fixed, readable
// arrangement (the life cycle left to right, errors below, SUSPENDED and CANCELLED above), which keeps
// the renderer pure and the output identical on every machine (no Graphviz at run time).
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <span>
#include <sstream>

#include "bgconform/explorer.h"
#include "bgconform/reports.h"
#include "detail.h"

namespace bgc {
namespace {

using detail::xml_escape;

struct Pos {
  double x, y;
};
// Indexed by JobState.
constexpr Pos kPos[kJobStateCount] = {
    {90, 200},   // QUEUED
    {290, 200},  // CONNECTING
    {500, 200},  // TRANSFERRING
    {290, 60},   // SUSPENDED
    {500, 350},  // ERROR
    {290, 350},  // TRANSIENT_ERROR
    {710, 200},  // TRANSFERRED
    {890, 200},  // ACKNOWLEDGED
    {710, 60},   // CANCELLED
};
constexpr double kRx = 78, kRy = 22;

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

// The point where the ray from the centre of an ellipse towards (dx, dy) leaves it.
Pos on_ellipse(Pos c, double dx, double dy) {
  const double t = 1.0 / std::sqrt((dx * dx) / (kRx * kRx) + (dy * dy) / (kRy * kRy));
  return {c.x + dx * t, c.y + dy * t};
}

struct EdgeInfo {
  bool model = false, visited = false, failing = false;
  std::set<std::string> kinds;  // stimulus kinds seen on it (run) or allowed (model)
};

// The job's state before and after a counterexample's failing step (when the trace shows them).
void failing_transition(const Counterexample& c, std::map<std::pair<int, int>, EdgeInfo>& edges,
                        std::set<int>& failing_states) {
  if (c.failed_step >= c.trace.size()) return;
  const TracedStep& t = c.trace[c.failed_step];
  int job = t.step.stimulus.job;
  if (c.failed_at > 0 && static_cast<std::size_t>(c.failed_at) <= t.sweep.size())
    job = t.sweep[static_cast<std::size_t>(c.failed_at) - 1].stimulus.job;
  auto state_in = [&](std::span<const Step> sweep) -> int {
    for (const Step& q : sweep)
      if (q.stimulus.job == job && q.observation.outcome == Outcome::Answered && hr::succeeded(q.observation.hr))
        return static_cast<int>(q.observation.state);
    return -1;
  };
  const int before = c.failed_step > 0 ? state_in(c.trace[c.failed_step - 1].sweep) : -1;
  const int after = state_in(t.sweep);
  if (before >= 0 && after >= 0 && before != after) {
    EdgeInfo& e = edges[{before, after}];
    e.failing = true;
    e.kinds.insert(to_string(kind_of(t.step.stimulus)) + " (" + counterexample_label(c) + ")");
  } else if (before >= 0) {
    failing_states.insert(before);
  } else if (after >= 0) {
    failing_states.insert(after);
  }
}

std::string diagram(const RunResult& r) {
  const auto kinds = all_kinds(r.settings.model.profile);
  const std::size_t K = kinds.size();
  std::map<std::pair<int, int>, EdgeInfo> edges;
  auto scan = [&](const std::vector<bool>& bits, bool model) {
    for (std::size_t i = 0; i < bits.size(); ++i) {
      if (!bits[i]) continue;
      const int to = static_cast<int>(i % kJobStateCount);
      const std::size_t pair = i / kJobStateCount;
      const int from = static_cast<int>(pair / K);
      if (from == to || from >= kJobStateCount) continue;
      EdgeInfo& e = edges[{from, to}];
      (model ? e.model : e.visited) = true;
      e.kinds.insert(to_string(kinds[pair % K]));
    }
  };
  scan(r.reachable_triples, true);
  scan(r.coverage.triples, false);
  std::set<int> failing_states;
  for (const Counterexample& c : r.counterexamples) failing_transition(c, edges, failing_states);
  if (r.crash) failing_transition(*r.crash, edges, failing_states);

  std::ostringstream o;
  o << "<svg id=\"state-diagram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 990 400\" width=\"990\" "
       "height=\"400\" role=\"img\" aria-label=\"BG_JOB_STATE diagram\">\n"
    << "<defs>"
    << "<marker id=\"arrow-model\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
       "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#9aa3ad\"/></marker>"
    << "<marker id=\"arrow-visited\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
       "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1f6feb\"/></marker>"
    << "<marker id=\"arrow-failing\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
       "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#d1242f\"/></marker>"
    << "</defs>\n";
  for (const auto& [ft, e] : edges) {
    const Pos a = kPos[ft.first], b = kPos[ft.second];
    const double dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    // Bend every edge to its left, more for long ones, so A->B and B->A never overlap.
    const double bend = 18 + 0.12 * len;
    const Pos ctl{(a.x + b.x) / 2 - dy / len * bend, (a.y + b.y) / 2 + dx / len * bend};
    const Pos p = on_ellipse(a, ctl.x - a.x, ctl.y - a.y), q = on_ellipse(b, ctl.x - b.x, ctl.y - b.y);
    const char* cls = e.failing ? "failing" : e.visited ? "visited" : "model";
    std::string title = std::string(short_name(static_cast<JobState>(ft.first))) + " -> " +
                        std::string(short_name(static_cast<JobState>(ft.second))) + " (" +
                        (e.failing ? "failing" : e.visited ? "visited" : e.model ? "allowed, not visited" : "?") + "): ";
    bool first = true;
    for (const std::string& k : e.kinds) title += (first ? "" : ", ") + k, first = false;
    o << "<path class=\"edge " << cls << "\" d=\"M" << num(p.x) << "," << num(p.y) << " Q" << num(ctl.x) << ","
      << num(ctl.y) << " " << num(q.x) << "," << num(q.y) << "\" marker-end=\"url(#arrow-" << cls
      << ")\"><title>" << xml_escape(title) << "</title></path>\n";
  }
  for (int s = 0; s < kJobStateCount; ++s) {
    if (r.settings.model.profile == Profile::Do && static_cast<JobState>(s) == JobState::Connecting) continue;
    const bool visited = (r.coverage.states >> s) & 1u;
    const bool failing = failing_states.count(s) > 0;
    const std::string nm(short_name(static_cast<JobState>(s)));
    o << "<g class=\"node" << (visited ? " visited" : "") << (failing ? " failing" : "") << "\" data-state=\"" << nm
      << "\"><title>" << nm << (visited ? " (visited)" : " (not visited)") << "</title><ellipse cx=\"" << num(kPos[s].x)
      << "\" cy=\"" << num(kPos[s].y) << "\" rx=\"" << kRx << "\" ry=\"" << kRy << "\"/><text x=\"" << num(kPos[s].x)
      << "\" y=\"" << num(kPos[s].y + 4) << "\">" << nm << "</text></g>\n";
  }
  o << "</svg>\n";
  return o.str();
}

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:1.5em;color:#1f2328;max-width:1200px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}code,.mono{font-family:"DejaVu Sans Mono",monospace;font-size:.92em}
.verdict{display:inline-block;padding:4px 12px;border-radius:6px;font-weight:bold;color:#fff}
.v-pass,.v-known-deviation{background:#1a7f37}.v-fail,.v-unexpected-pass,.v-crash,.v-timeout,.v-not-exercised{background:#d1242f}
td.o-pass{color:#1a7f37}td.o-fail,td.o-unexpected-pass,td.o-crash,td.o-timeout{color:#d1242f;font-weight:bold}
td.o-known-deviation{color:#9a6700}td.o-not-exercised.gate{color:#d1242f;font-weight:bold}td.o-not-exercised,td.o-not-supported,td.o-disabled,td.o-not-modelled{color:#656d76}
tr.failing-step td{background:#ffebe9}
#state-diagram{border:1px solid #d0d7de;background:#fff;max-width:100%;height:auto}
#state-diagram .edge{fill:none;stroke-width:1.6}
#state-diagram .edge.model{stroke:#9aa3ad;stroke-dasharray:4 3}
#state-diagram .edge.visited{stroke:#1f6feb}
#state-diagram .edge.failing{stroke:#d1242f;stroke-width:3.5}
#state-diagram .node ellipse{fill:#fff;stroke:#656d76;stroke-dasharray:4 3;stroke-width:1.5}
#state-diagram .node.visited ellipse{fill:#ddf4ff;stroke:#1f6feb;stroke-dasharray:none}
#state-diagram .node.failing ellipse{stroke:#d1242f;stroke-width:3.5}
#state-diagram text{font:12px "DejaVu Sans",sans-serif;text-anchor:middle;fill:#1f2328}
.legend span{margin-right:1.5em}
)";

}  // namespace

std::string render_html(const RunResult& r, const std::string& replay_dir) {
  const RunSettings& s = r.settings;
  const std::string verdict(outcome_name(run_outcome(r)));
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'; img-src data:\">\n"
    << "<title>bgconform: " << xml_escape(s.target) << " (" << name(s.model.profile) << ") " << verdict << "</title>\n"
    << "<style>" << kStyle << "</style>\n</head>\n<body>\n"
    << "<h1>bgconform report: <code>" << xml_escape(s.target) << "</code> <span id=\"verdict\" class=\"verdict v-"
    << verdict << "\">" << verdict << "</span></h1>\n";
  if (const std::string why = detail::incomplete_text(r); !why.empty())
    o << "<p id=\"incomplete\"><strong>Incomplete:</strong> " << xml_escape(why) << "</p>\n";

  o << "<h2>Run parameters</h2>\n<table id=\"parameters\">\n"
    << "<tr><th>tool</th><td>bgconform " << xml_escape(s.tool_version) << "</td></tr>\n"
    << "<tr><th>target</th><td><code>" << xml_escape(s.target) << "</code></td></tr>\n"
    << "<tr><th>implementation</th><td>" << xml_escape(s.implementation.empty() ? s.target : s.implementation) << "</td></tr>\n"
    << "<tr><th>profile</th><td>" << name(s.model.profile) << "</td></tr>\n"
    << "<tr><th>seed</th><td>" << s.seed << "</td></tr>\n"
    << "<tr><th>tier</th><td>" << (s.tier.empty() ? "(custom)" : xml_escape(s.tier)) << "</td></tr>\n"
    << "<tr><th>cases from</th><td>" << (s.tour ? "the adaptive transition tour" : "the generator") << "</td></tr>\n"
    << "<tr><th>cases</th><td>" << r.cases_run << " run (" << xml_escape(budget_text(s)) << "), " << s.jobs
    << " job slots</td></tr>\n"
    << "<tr><th>steps</th><td>" << r.steps << " in " << num(r.seconds) << " s</td></tr>\n"
    << "<tr><th>shards</th><td>" << (s.shard_count > 1 ? std::to_string(s.shard_count) + " (this report: " +
                                                              std::to_string(s.shard_index) + ")"
                                                        : std::string("1 (the whole run)"))
    << "</td></tr>\n<tr><th>interpretations</th><td class=\"mono\">";
  for (int i = 0; i < kInterpCount; ++i)
    o << (i ? ", " : "") << interp_info(static_cast<Interp>(i)).id << "="
      << xml_escape(s.model.interpretations.value(static_cast<Interp>(i)));
  o << "</td></tr>\n<tr><th>command</th><td><code>bgconform run --target " << xml_escape(s.target) << " --profile "
    << name(s.model.profile) << " --seed " << s.seed;
  if (s.cases != kNoCaseBound) o << " --cases " << s.cases;
  if (s.step_budget > 0) o << " --steps " << s.step_budget;
  if (s.time_budget > 0) o << " --time " << num(s.time_budget);
  o << " --max-steps " << s.max_steps << " --jobs " << s.jobs << "</code></td></tr>\n</table>\n";

  o << "<h2>BG_JOB_STATE diagram</h2>\n"
    << "<p class=\"legend\"><span style=\"color:#1f6feb\">&#9473; transition the run visited</span>"
    << "<span style=\"color:#9aa3ad\">&#9476; allowed by the model, not visited</span>"
    << "<span style=\"color:#d1242f\">&#9473; failing transition / state</span>"
    << "<span>filled state: observed in the run</span></p>\n"
    << diagram(r);

  const std::size_t profile_states = s.model.profile == Profile::Do ? 8 : 9;
  o << "<h2>Coverage</h2>\n<table id=\"coverage\">\n"
    << "<tr><th>job states observed</th><td>" << r.coverage.state_count() << " of " << profile_states << "</td></tr>\n"
    << "<tr><th>(state, stimulus kind) pairs</th><td>" << r.covered_reachable_pairs() << " of "
    << r.reachable_pair_count() << " the explorer reaches (" << r.coverage.pair_count() << " seen in all)</td></tr>\n"
    << "<tr><th>(state, kind, next state) triples</th><td>" << r.coverage.triple_count() << "</td></tr>\n</table>\n";

  o << "<h2>Rules</h2>\n<table id=\"rules\">\n<tr><th>rule</th><th>outcome</th><th>checks</th><th>failures</th>"
       "<th>statement</th></tr>\n";
  // Failures first, then the rules never checked that fail the gate, then known deviations, then passes.
  for (const RuleId id : detail::rules_in_report_order(r)) {
    const std::string oc(outcome_name(rule_outcome(r, id)));
    const RuleTally& t = r.tallies[static_cast<std::size_t>(id)];
    o << "<tr id=\"rule-" << rule_id(id) << "\"><td>" << rule_id(id) << "</td><td class=\"o-" << oc
      << (not_exercised_fails(r, id) ? " gate" : "") << "\">" << oc
      << "</td><td>" << t.checks << "</td><td>" << t.failures << "</td><td>" << xml_escape(rule_info(id).statement);
    if (const auto* k = s.known_deviation(rule_id(id))) {
      o << "<br><em>ledger: " << xml_escape(k->why) << "</em>";
      if (!k->link.empty()) o << " (" << xml_escape(k->link) << ")";
      if (const std::string scope = ledger_scope_text(s.known_deviations, rule_id(id)); !scope.empty())
        o << " <em>where: " << xml_escape(scope) << "</em>";
    }
    o << "</td></tr>\n";
  }
  o << "</table>\n";

  std::vector<const Counterexample*> all;
  for (const Counterexample& c : r.counterexamples) all.push_back(&c);
  if (r.crash) all.push_back(&*r.crash);
  o << "<h2>Counterexamples</h2>\n";
  if (all.empty()) o << "<p>None: no rule failed.</p>\n";
  for (const Counterexample* c : all) {
    const std::string label = counterexample_label(*c);
    o << "<h3 id=\"cex-" << label << "\">" << label;
    if (c->status == CaseStatus::Violation) o << ": " << xml_escape(rule_info(c->rule).statement);
    if (c->status == CaseStatus::Violation && c->known) o << " <em>(known deviation)</em>";
    if (const std::string outside = detail::outside_scope_text(r, *c); !outside.empty())
      o << " <em>(" << xml_escape(outside.substr(1)) << ")</em>";
    o << "</h3>\n<p>case " << c->case_index << ", " << xml_escape(detail::size_text(*c)) << (c->by_monitor ? "; found by a trace monitor" : "") << ". Reproduce: <code>"
      << xml_escape(reproduce_command(r, *c, replay_dir)) << "</code></p>\n"
      << "<table class=\"counterexample\" data-rule=\"" << label << "\">\n<tr><th>#</th><th>stimulus</th>"
         "<th>model expectation</th><th>observation</th><th>job states after (GetState sweep)</th></tr>\n";
    for (std::size_t i = 0; i < c->trace.size(); ++i) {
      const TracedStep& t = c->trace[i];
      const bool failing = i == c->failed_step;
      std::string expectation = "allowed";
      if (failing) {
        if (c->status == CaseStatus::Crash) expectation = "an answer (the target crashed)";
        else if (c->status == CaseStatus::Timeout) expectation = "an answer in time (the target hung)";
        else expectation = (c->failed_at > 0 ? "in the sweep: " : "") + c->allowed;
      }
      o << "<tr" << (failing ? " class=\"failing-step\"" : "") << "><td>" << i + 1 << "</td><td class=\"mono\">"
        << xml_escape(detail::stimulus_text(t)) << "</td><td>" << xml_escape(expectation) << "</td><td class=\"mono\">"
        << xml_escape(to_string(t.step.observation, t.step.stimulus.op)) << "</td><td class=\"mono\">"
        << xml_escape(detail::sweep_text(t.sweep)) << "</td></tr>\n";
    }
    o << "</table>\n";
    if (c->status != CaseStatus::Violation && !c->failure.empty())
      o << "<p class=\"failure\">the target " << (c->status == CaseStatus::Crash ? "crashed" : "hung") << ": "
        << xml_escape(c->failure) << "</p>\n";
    if (!c->output.empty())
      o << "<details class=\"output\"><summary>what the implementation printed in this case</summary><pre>"
        << xml_escape(c->output) << "</pre></details>\n";
  }
  // The one script: marks the page as rendered (the headless-browser test reads it from the DOM).
  o << "<script>document.documentElement.setAttribute('data-rendered', "
       "String(document.querySelectorAll('#state-diagram .node').length));</script>\n"
    << "</body>\n</html>\n";
  return o.str();
}

}  // namespace bgc
