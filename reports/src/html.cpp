// report.html: one self-contained page (inline CSS and SVG, one small inline script, no resource from
// the network), for the person who opens it first: what is new at the top, each finding linked to its
// counterexample, known deviations in their own colour everywhere, the diagram (html_diagram.cpp),
// the rules with their statements and sources, filterable by outcome.
#include <map>
#include <sstream>

#include "bgconform/stimulus_kind.h"
#include "bgconform/reports.h"
#include "detail.h"

namespace bgc {
namespace {

using detail::one_decimal;
using detail::xml_escape;

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:1.5em;color:#1f2328;max-width:1280px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}code,.mono{font-family:"DejaVu Sans Mono",monospace;font-size:.92em}
a{color:#0969da}
.verdict{display:inline-block;padding:4px 12px;border-radius:6px;font-weight:bold;color:#fff}
.v-pass{background:#1a7f37}.v-known-deviation{background:#9a6700}
.v-fail,.v-unexpected-pass,.v-crash,.v-timeout,.v-not-exercised{background:#d1242f}
td.o-pass{color:#1a7f37}td.o-fail,td.o-unexpected-pass,td.o-crash,td.o-timeout{color:#d1242f;font-weight:bold}
td.o-known-deviation{color:#9a6700;font-weight:bold}td.o-not-exercised.gate{color:#d1242f;font-weight:bold}
td.o-not-exercised,td.o-not-supported,td.o-disabled,td.o-not-modelled{color:#656d76}
.findings li{margin:.3em 0}.findings .new{border-left:4px solid #d1242f;padding-left:.5em;list-style:none}
.findings .known{border-left:4px solid #bf8700;padding-left:.5em;list-style:none}
h3.new{border-left:6px solid #d1242f;padding-left:.4em}h3.known{border-left:6px solid #bf8700;padding-left:.4em}
tr.failing-step td{background:#ffebe9}
#rule-filter label{margin-right:1.2em;white-space:nowrap}
#transitions tr.t-failing td{color:#d1242f}#transitions tr.t-known td{color:#9a6700}#transitions tr.t-model td{color:#656d76}
#state-diagram{border:1px solid #d0d7de;background:#fff;max-width:100%;height:auto}
#state-diagram .edge{fill:none;stroke-width:1.6}
#state-diagram .edge.model{stroke:#9aa3ad;stroke-dasharray:5 4}
#state-diagram .edge.visited{stroke:#1f6feb}
#state-diagram .edge.failing{stroke:#d1242f;stroke-width:3.5}
#state-diagram .edge.known{stroke:#bf8700;stroke-width:3.5}
#state-diagram marker.model path{fill:#9aa3ad}#state-diagram marker.visited path{fill:#1f6feb}
#state-diagram marker.failing path{fill:#d1242f}#state-diagram marker.known path{fill:#bf8700}
#state-diagram .node ellipse{fill:#fff;stroke:#656d76;stroke-dasharray:5 4;stroke-width:1.5}
#state-diagram .node.visited ellipse{fill:#ddf4ff;stroke:#1f6feb;stroke-dasharray:none}
#state-diagram .node.failing ellipse{stroke:#d1242f;stroke-width:4}
#state-diagram .node.known ellipse{stroke:#bf8700;stroke-width:4}
#state-diagram text{font:11px "DejaVu Sans",sans-serif;text-anchor:middle;fill:#1f2328}
#state-diagram .node text{font-size:12px;font-weight:bold}
#state-diagram text.legend-text{text-anchor:start}
#state-diagram .label rect{fill:#fff;stroke:#d0d7de}
#state-diagram .label.visited text{fill:#0a3069}#state-diagram .label.model text{fill:#57606a}
#state-diagram .label.failing rect{stroke:#d1242f}#state-diagram .label.failing text{fill:#a40e26;font-weight:bold}
#state-diagram .label.known rect{stroke:#bf8700}#state-diagram .label.known text{fill:#7d4e00;font-weight:bold}
)";

// The documentation a rule comes from, each page a link to its address.
std::string sources_html(RuleId id) {
  std::string out;
  for (const DocPage& p : rule_sources(rule_info(id))) {
    // The same interface has a BITS page and a Delivery Optimization page, titled alike.
    const std::string_view from = p.key.starts_with("DO") ? "DO: " : p.key.starts_with("X-") ? "other: " : "BITS: ";
    out += (out.empty() ? "" : "<br>") + std::string(from) + "<a href=\"" + xml_escape(p.url) + "\">" +
           xml_escape(p.title) + "</a>";
  }
  return out;
}

const Counterexample* counterexample_of_rule(const RunResult& r, RuleId id) {
  for (const Counterexample& c : r.counterexamples)
    if (c.status == CaseStatus::Violation && c.rule == id) return &c;
  return nullptr;
}

// The rule a finding links to: its counterexample when there is one, else its row in the rule table.
std::string finding_link(const RunResult& r, RuleId id) {
  const Counterexample* c = counterexample_of_rule(r, id);
  return c ? "#cex-" + counterexample_label(*c) : "#rule-" + std::string(rule_id(id));
}

// What a counterexample's failing step was, in a line: "GetError j0 answered ...; the model allowed ...".
std::string what_happened(const Counterexample* c) {
  if (!c) return "";
  const detail::FailureDetail d = detail::failure_detail(*c);
  if (d.stimulus.empty()) return "";
  std::string out = "<br><span class=\"what\"><code>" + xml_escape(d.stimulus) + "</code> answered <code>" +
                    xml_escape(d.observed) + "</code>";
  if (!d.allowed.empty()) out += "; the model allowed " + xml_escape(d.allowed);
  return out + " (" + xml_escape(detail::size_text(*c)) + ")</span>";
}

// At the top: what is new (to fix, or to put in the ledger), then what the ledger already knows.
void findings(std::ostringstream& o, const RunResult& r) {
  std::ostringstream fresh, known;
  int n_new = 0, n_known = 0;
  if (r.crash) {
    const std::string label = counterexample_label(*r.crash);
    fresh << "<li class=\"new\"><a href=\"#cex-" << label << "\">the target "
          << (r.crash->status == CaseStatus::Crash ? "crashed" : "hung") << "</a>: " << xml_escape(r.crash->failure)
          << what_happened(&*r.crash) << "</li>\n";
    ++n_new;
  }
  for (const RuleId id : detail::rules_in_report_order(r)) {
    const RuleOutcome oc = rule_outcome(r, id);
    const std::string rid(rule_id(id));
    const std::string head = "<a href=\"" + finding_link(r, id) + "\">" + rid + "</a>";
    switch (oc) {
      case RuleOutcome::Fail:
        fresh << "<li class=\"new\">" << head << " failed: " << xml_escape(rule_info(id).statement)
              << what_happened(counterexample_of_rule(r, id)) << "</li>\n";
        ++n_new;
        break;
      case RuleOutcome::UnexpectedPass:
        fresh << "<li class=\"new\">" << head
              << " passed though the ledger lists it: a fixed deviation leaves the ledger</li>\n";
        ++n_new;
        break;
      case RuleOutcome::NotExercised:
        if (not_exercised_fails(r, id)) {
          fresh << "<li class=\"new\"><a href=\"#rule-" << rid << "\">" << rid
                << "</a> was not exercised: " << xml_escape(detail::unexercised_text(r, id)) << "</li>\n";
          ++n_new;
        }
        break;
      case RuleOutcome::KnownDeviation: {
        known << "<li class=\"known\">" << head << ": " << xml_escape(rule_info(id).statement);
        if (const auto* k = r.settings.known_deviation(rid)) known << " <em>ledger: " << xml_escape(k->why) << "</em>";
        known << "</li>\n";
        ++n_known;
        break;
      }
      default: break;
    }
  }
  o << "<h2 id=\"findings\">Findings</h2>\n<div class=\"findings\">\n";
  if (n_new > 0)
    o << "<h3 id=\"new-failures\">New failures (" << n_new << ")</h3>\n<ul>\n" << fresh.str() << "</ul>\n";
  else
    o << "<p id=\"new-failures\">No new failures" << (n_known > 0 ? " (only the ledger's known deviations)." : ".")
      << "</p>\n";
  if (n_known > 0)
    o << "<h3 id=\"known-deviations\">Known deviations (" << n_known << ", in the ledger)</h3>\n<ul>\n"
      << known.str() << "</ul>\n";
  o << "</div>\n";
}

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
  findings(o, r);

  std::string transitions;
  o << "<h2>BG_JOB_STATE diagram</h2>\n"
    << detail::state_diagram(r, transitions)
    << "<details><summary>Every transition in the diagram, with its stimulus kinds</summary>\n"
    << transitions << "</details>\n";

  const std::size_t profile_states = s.model.profile == Profile::Do ? 8 : 9;
  o << "<h2>Coverage</h2>\n<table id=\"coverage\">\n"
    << "<tr><th>job states observed</th><td>" << r.coverage.state_count() << " of " << profile_states << "</td></tr>\n"
    << "<tr><th>(state, stimulus kind) pairs</th><td>" << r.covered_reachable_pairs() << " of "
    << r.reachable_pair_count() << " the explorer reaches (" << r.coverage.pair_count() << " seen in all)</td></tr>\n"
    << "<tr><th>(state, kind, next state) triples</th><td>" << r.coverage.triple_count() << "</td></tr>\n</table>\n";

  // Failures first, then the rules never checked that fail the gate, then known deviations, then passes.
  const std::vector<RuleId> rules = detail::rules_in_report_order(r);
  std::map<std::string, int> per_outcome;
  for (const RuleId id : rules) ++per_outcome[std::string(outcome_name(rule_outcome(r, id)))];
  o << "<h2>Rules</h2>\n<p id=\"rule-filter\">Show: ";
  for (const auto& [oc, n] : per_outcome)
    o << "<label><input type=\"checkbox\" value=\"" << oc << "\" checked> " << oc << " (" << n << ")</label>";
  o << "</p>\n<table id=\"rules\">\n<tr><th>rule</th><th>outcome</th><th>checks</th><th>failures</th>"
       "<th>statement</th><th>documentation</th></tr>\n";
  for (const RuleId id : rules) {
    const std::string oc(outcome_name(rule_outcome(r, id)));
    const RuleTally& t = r.tallies[static_cast<std::size_t>(id)];
    o << "<tr id=\"rule-" << rule_id(id) << "\" data-outcome=\"" << oc << "\"><td>" << rule_id(id)
      << "</td><td class=\"o-" << oc << (not_exercised_fails(r, id) ? " gate" : "") << "\">" << oc << "</td><td>"
      << t.checks << "</td><td>";
    if (const std::string link = finding_link(r, id); t.failures > 0 && link.starts_with("#cex-"))
      o << "<a href=\"" << link << "\">" << t.failures << "</a>";
    else
      o << t.failures;
    o << "</td><td>" << xml_escape(rule_info(id).statement);
    if (const auto* k = s.known_deviation(rule_id(id))) {
      o << "<br><em>ledger: " << xml_escape(k->why) << "</em>";
      if (!k->link.empty()) o << " (" << xml_escape(k->link) << ")";
      if (const std::string scope = ledger_scope_text(s.known_deviations, rule_id(id)); !scope.empty())
        o << " <em>where: " << xml_escape(scope) << "</em>";
    }
    o << "</td><td>" << sources_html(id) << "</td></tr>\n";
  }
  o << "</table>\n";

  std::vector<const Counterexample*> all;
  for (const Counterexample& c : r.counterexamples) all.push_back(&c);
  if (r.crash) all.push_back(&*r.crash);
  o << "<h2>Counterexamples</h2>\n";
  if (all.empty()) o << "<p>None: no rule failed.</p>\n";
  for (const Counterexample* c : all) {
    const std::string label = counterexample_label(*c);
    const bool known = c->status == CaseStatus::Violation && c->known;
    o << "<h3 id=\"cex-" << label << "\" class=\"" << (known ? "known" : "new") << "\">" << label;
    if (c->status == CaseStatus::Violation) o << ": " << xml_escape(rule_info(c->rule).statement);
    if (known) o << " <em>(known deviation)</em>";
    if (const std::string outside = detail::outside_scope_text(r, *c); !outside.empty())
      o << " <em>(" << xml_escape(outside.substr(1)) << ")</em>";
    o << "</h3>\n<p>case " << c->case_index << ", " << xml_escape(detail::size_text(*c))
      << (c->by_monitor ? "; found by a trace monitor" : "") << ". Reproduce: <code>"
      << xml_escape(reproduce_command(r, *c, replay_dir)) << "</code></p>\n"
      << "<table class=\"counterexample\" data-rule=\"" << label
      << "\">\n<tr><th>#</th><th>stimulus</th>"
         "<th>model expectation</th><th>observation</th><th>job states after (GetState sweep)</th></tr>\n";
    for (std::size_t i = 0; i < c->trace.size(); ++i) {
      const TracedStep& t = c->trace[i];
      const bool failing = i == c->failed_step;
      std::string expectation = "allowed";
      if (failing) {
        if (c->status == CaseStatus::Crash)
          expectation = "an answer (the target crashed)";
        else if (c->status == CaseStatus::Timeout)
          expectation = "an answer in time (the target hung)";
        else
          expectation = (c->failed_at > 0 ? "in the sweep: " : "") + c->allowed;
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
  o << "<h2>Run parameters</h2>\n<table id=\"parameters\">\n"
    << "<tr><th>tool</th><td>bgconform " << xml_escape(s.tool_version) << "</td></tr>\n"
    << "<tr><th>target</th><td><code>" << xml_escape(s.target) << "</code></td></tr>\n"
    << "<tr><th>implementation</th><td>" << xml_escape(s.implementation.empty() ? s.target : s.implementation)
    << "</td></tr>\n"
    << "<tr><th>profile</th><td>" << name(s.model.profile) << "</td></tr>\n"
    << "<tr><th>seed</th><td>" << s.seed << "</td></tr>\n"
    << "<tr><th>tier</th><td>" << (s.tier.empty() ? "(custom)" : xml_escape(s.tier)) << "</td></tr>\n"
    << "<tr><th>cases from</th><td>" << (s.tour ? "the adaptive transition tour" : "the generator") << "</td></tr>\n"
    << "<tr><th>cases</th><td>" << r.cases_run << " run (" << xml_escape(budget_text(s)) << "), " << s.jobs
    << " job slots</td></tr>\n"
    << "<tr><th>steps</th><td>" << r.steps << " in " << one_decimal(r.seconds) << " s</td></tr>\n"
    << "<tr><th>shards</th><td>"
    << (s.shard_count > 1 ? std::to_string(s.shard_count) + " (this report: " + std::to_string(s.shard_index) + ")"
                          : std::string("1 (the whole run)"))
    << "</td></tr>\n<tr><th>interpretations</th><td class=\"mono\">";
  for (int i = 0; i < kInterpCount; ++i)
    o << (i ? ", " : "") << interp_info(static_cast<Interp>(i)).id << "="
      << xml_escape(s.model.interpretations.value(static_cast<Interp>(i)));
  o << "</td></tr>\n<tr><th>command</th><td><code>bgconform run --target " << xml_escape(s.target) << " --profile "
    << name(s.model.profile) << " --seed " << s.seed;
  if (s.cases != kNoCaseBound) o << " --cases " << s.cases;
  if (s.step_budget > 0) o << " --steps " << s.step_budget;
  if (s.time_budget > 0) o << " --time " << one_decimal(s.time_budget);
  o << " --max-steps " << s.max_steps << " --jobs " << s.jobs << "</code></td></tr>\n</table>\n";

  // The one script: the rule filter, and a mark that the page rendered (the headless-browser test
  // reads it from the DOM).
  o << "<script>\n"
       "const boxes = document.querySelectorAll('#rule-filter input');\n"
       "for (const box of boxes) box.addEventListener('change', () => {\n"
       "  const shown = new Set([...boxes].filter(b => b.checked).map(b => b.value));\n"
       "  for (const row of document.querySelectorAll('#rules tr[data-outcome]'))\n"
       "    row.hidden = !shown.has(row.dataset.outcome);\n"
       "});\n"
       "document.documentElement.setAttribute('data-rendered', "
       "String(document.querySelectorAll('#state-diagram g.node[data-state]').length));\n"
       "</script>\n"
    << "</body>\n</html>\n";
  return o.str();
}

}  // namespace bgc
