#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <map>
#include <sstream>

#include "bgconform/stimulus_kind.h"
#include "bgconform/reports.h"
#include "detail.h"

namespace bgc {
namespace detail {

std::string sweep_text(std::span<const Step> sweep) {
  std::string out;
  for (const Step& q : sweep) {
    if (!out.empty()) out += " ";
    out += "j" + std::to_string(q.stimulus.job) + "=";
    const Observation& o = q.observation;
    out += o.outcome == Outcome::Answered && hr::succeeded(o.hr) ? std::string(short_name(o.state))
                                                                 : to_string(o, Op::GetState);
  }
  return out;
}

std::string stimulus_text(const TracedStep& t) {
  std::string text = to_string(t.step.stimulus);
  std::string marks;
  if (t.poll) marks = "poll";
  if (t.waited.lo > 0 || t.waited.hi > 1)  // up to a second passes between any two calls: not worth a mark
    marks += (marks.empty() ? "+" : ", +") + std::to_string(t.waited.lo) + ".." + std::to_string(t.waited.hi) + "s";
  return marks.empty() ? text : text + " (" + marks + ")";
}

std::string incomplete_text(const RunResult& r) {
  std::string out;
  if (!r.finished) {
    const std::string why = !r.stopped_by.empty() ? r.stopped_by
                            : r.interrupted       ? "interrupted (Ctrl-C or a termination signal)"
                                                  : "still running when this was written";
    out = "the run stopped after " + std::to_string(r.cases_run) + " of " + std::to_string(r.settings.cases) +
          " cases: " + why;
  }
  if (!r.reports_incomplete.empty())
    out += (out.empty() ? "" : "; ") + std::string("the reports could not all be written (") + r.reports_incomplete +
           "): some hold an earlier state of the run, or are missing";
  return out;
}

std::string output_tail(const std::string& output, int lines) {
  std::string_view text(output);
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);  // the last line's own end
  std::size_t start = 0;                                            // of the last `lines` lines
  for (std::size_t at = text.size(); lines-- > 0 && at > 0;) {
    const std::size_t nl = text.rfind('\n', at - 1);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
    at = nl;
  }
  if (lines >= 0) start = 0;  // fewer lines than asked for: all of them
  std::string out = std::string("  the implementation printed") + (start > 0 ? " (its last lines)" : "") +
                    "; the whole in report.json, report.html, junit.xml:\n";
  for (std::size_t at = start; at <= text.size();) {
    const std::size_t nl = std::min(text.find('\n', at), text.size());
    out += "    | " + std::string(text.substr(at, nl - at)) + "\n";
    at = nl + 1;
  }
  return out;
}

std::string size_text(const Counterexample& c) {
  if (c.gone_past)
    return std::to_string(c.trace.size()) + " steps, as it happened (a known deviation the case went on past)";
  if (!c.as_found.empty()) return std::to_string(c.trace.size()) + " steps, as found (" + c.as_found + ")";
  if (c.reruns > 0)
    return std::to_string(c.trace.size()) +
           " steps, not shrunk (the target is not deterministic); failed the same way in " +
           std::to_string(c.reproduced) + " of " + std::to_string(c.reruns) + " re-runs";
  return "shrunk from " + std::to_string(c.original_steps) + " to " + std::to_string(c.trace.size()) + " steps";
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n':
      case '\t':
      case '\r': out += c; break;
      default: out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;  // not allowed in XML 1.0
    }
  }
  return out;
}

std::string one_decimal(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

FailureDetail failure_detail(const Counterexample& c) {
  FailureDetail d;
  if (c.failed_step >= c.trace.size()) return d;
  const TracedStep& t = c.trace[c.failed_step];
  const Step* at = &t.step;
  if (c.failed_at > 0 && static_cast<std::size_t>(c.failed_at) <= t.sweep.size())
    at = &t.sweep[static_cast<std::size_t>(c.failed_at) - 1];
  d.stimulus = to_string(at->stimulus);
  d.observed = to_string(at->observation, at->stimulus.op);
  if (!c.failure.empty()) d.observed += " (" + c.failure + ")";
  d.allowed = c.allowed;
  return d;
}

}  // namespace detail

using detail::sweep_text;
using detail::xml_escape;

namespace {

using nlohmann::json;

std::string status_name(CaseStatus s) {
  switch (s) {
    case CaseStatus::Pass: return "pass";
    case CaseStatus::Violation: return "violation";
    case CaseStatus::Crash: return "crash";
    case CaseStatus::Timeout: return "timeout";
  }
  return "?";
}

std::size_t applicable_rules(const RunResult& r) {
  std::size_t n = 0;
  for (int i = 0; i < kRuleCount; ++i) n += rule_applies(static_cast<RuleId>(i), r.settings.model.profile);
  return n;
}

std::string bits_text(const std::vector<bool>& bits) {
  std::string out(bits.size(), '0');
  for (std::size_t i = 0; i < bits.size(); ++i) out[i] = bits[i] ? '1' : '0';
  return out;
}

}  // namespace

std::string detail::outside_scope_text(const RunResult& r, const Counterexample& c) {
  if (c.status != CaseStatus::Violation || c.known) return "";
  const std::string scope = ledger_scope_text(r.settings.known_deviations, rule_id(c.rule));
  if (scope.empty()) return "";  // not in the ledger (an unscoped entry would have covered it)
  return " outside the ledger's scope (" + scope + "): it broke the rule at " + site_text(c.where);
}

std::string counterexample_label(const Counterexample& c) {
  if (c.status == CaseStatus::Crash) return "crash";
  if (c.status == CaseStatus::Timeout) return "timeout";
  return std::string(rule_id(c.rule));
}

// The explorer's reachable (state, kind) pairs the run never applied, as "STATE x Kind".
json missed_pairs(const RunResult& r) {
  json out = json::array();
  const auto kinds = all_kinds(r.settings.model.profile);
  for (std::size_t p = 0; p < r.reachable_pairs.size(); ++p)
    if (r.reachable_pairs[p] && !(p < r.coverage.pairs.size() && r.coverage.pairs[p]))
      out.push_back(std::string(short_name(static_cast<JobState>(p / kinds.size()))) + " x " +
                    to_string(kinds[p % kinds.size()]));
  return out;
}

json counterexample_json(const RunResult& r, const Counterexample& c, const std::string& replay_dir) {
  json steps = json::array();
  for (std::size_t i = 0; i < c.trace.size(); ++i) {
    const TracedStep& t = c.trace[i];
    json sweep = json::array();
    for (const Step& q : t.sweep)
      sweep.push_back({{"stimulus", to_string(q.stimulus)}, {"observation", to_string(q.observation, q.stimulus.op)}});
    json step = {{"stimulus", to_string(t.step.stimulus)},
                 {"observation", to_string(t.step.observation, t.step.stimulus.op)},
                 {"sweep", sweep}};
    if (t.poll) step["poll"] = true;
    if (t.waited.hi > 0) step["waited"] = {t.waited.lo, t.waited.hi};
    steps.push_back(std::move(step));
  }
  const detail::FailureDetail d = detail::failure_detail(c);
  json out = {{"rule", counterexample_label(c)},
              {"status", status_name(c.status)},
              {"by_monitor", c.by_monitor},
              {"case_index", c.case_index},
              {"original_steps", c.original_steps},
              {"shrunk_steps", c.shrunk_steps},
              {"reruns", c.reruns},
              {"reproduced", c.reproduced},
              {"gone_past", c.gone_past},
              {"as_found", c.as_found},
              {"steps", steps},
              {"failed_step", c.failed_step},
              {"failed_at", c.failed_at},
              {"allowed", c.allowed},
              {"observed", d.observed},
              {"failure", c.failure},
              {"output", c.output},
              {"seconds", c.seconds},
              {"replay_file", replay_file_name(c)},
              {"reproduce", reproduce_command(r, c, replay_dir)}};
  // A violation says where it happened and whether the ledger covered it (a scoped entry may not).
  if (c.status == CaseStatus::Violation) {
    out["known"] = c.known;
    out["where"] = {{"state", c.where.state ? json(std::string(short_name(*c.where.state))) : json(nullptr)},
                    {"stimulus", std::string(op_name(c.where.op))},
                    {"answer", c.where.answer}};
  }
  return out;
}

std::string shell_word(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
  });
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string reproduce_command(const RunResult& r, const Counterexample& c, const std::string& replay_dir) {
  const std::string file = (replay_dir.empty() ? std::string() : replay_dir + "/") + replay_file_name(c);
  // A recorded trace's failure is in the trace: checking it again shows it (a live target may be elsewhere).
  std::string command = !r.settings.trace_file.empty()
                            ? "bgconform check " + shell_word(r.settings.trace_file)
                            : "bgconform replay " + shell_word(file) + " --target " + shell_word(r.settings.target);
  if (!r.settings.ledger_file.empty()) command += " --ledger " + shell_word(r.settings.ledger_file);
  return command;
}

std::string render_json(const RunResult& r, const std::string& replay_dir) {
  const RunSettings& s = r.settings;
  json interps = json::object();
  for (int i = 0; i < kInterpCount; ++i)
    interps[std::string(interp_info(static_cast<Interp>(i)).id)] =
        std::string(s.model.interpretations.value(static_cast<Interp>(i)));
  json rules = json::array();
  json counts = json::object();
  for (const RuleInfo& info : rule_catalogue()) {
    json row = {{"id", info.id}};
    if (!info.covered) {
      row["outcome"] = "not-modelled";
      row["why"] = info.why_not;
    } else {
      const RuleId id = *parse_rule_id(info.id);
      const RuleTally& t = r.tallies[static_cast<std::size_t>(id)];
      row["outcome"] = outcome_name(rule_outcome(r, id));
      row["checks"] = t.checks;
      row["failures"] = t.failures;
      if (r.sought_discriminating) row["discriminating"] = t.discriminating;
      row["statement"] = info.statement;
      if (const auto* k = s.known_deviation(info.id)) {
        row["ledger"] = {{"why", k->why}};
        if (!k->link.empty()) row["ledger"]["link"] = k->link;
        if (const std::string scope = ledger_scope_text(s.known_deviations, info.id); !scope.empty())
          row["ledger"]["scope"] = scope;
      }
    }
    const std::string o = row["outcome"];
    counts[o] = counts.value(o, 0) + 1;
    rules.push_back(row);
  }
  json states = json::array();
  for (int st = 0; st < kJobStateCount; ++st)
    if ((r.coverage.states >> st) & 1u) states.push_back(std::string(short_name(static_cast<JobState>(st))));
  json cex = json::array();
  for (const Counterexample& c : r.counterexamples) cex.push_back(counterexample_json(r, c, replay_dir));
  json ledger = json::array();
  for (const auto& k : s.known_deviations) {
    json e = {{"rule", k.rule}, {"why", k.why}};
    if (!k.link.empty()) e["link"] = k.link;
    if (k.intermittent) e["intermittent"] = true;
    if (k.scoped()) e["where"] = detail::scope_json<json>(k);
    ledger.push_back(e);
  }
  json unsupported = json::array();
  for (int op = 0; op < kOpCount; ++op)
    if (r.coverage.unsupported_ops.test(static_cast<std::size_t>(op)))
      unsupported.push_back(std::string(op_name(static_cast<Op>(op))));
  json disabled = json::array();
  for (int i = 0; i < kRuleCount; ++i)
    if (!s.model.rules.on(static_cast<RuleId>(i))) disabled.push_back(std::string(rule_id(static_cast<RuleId>(i))));
  json shards = json::array();
  if (s.shards.empty())
    shards.push_back(s.shard_index);
  else
    for (int k : s.shards) shards.push_back(k);
  json doc = {
      {"schema", "bgconform-report"},
      {"schema_version", kReportSchemaVersion},
      {"tool_version", s.tool_version},
      {"target", s.target},
      {"implementation", s.implementation},
      {"profile", std::string(name(s.model.profile))},
      {"outcome", outcome_name(run_outcome(r))},
      {"interpretations", interps},
      {"disabled_rules", disabled},
      {"seed", s.seed},
      {"tier", s.tier},
      {"tour", s.tour},
      {"allow_not_exercised", s.allow_not_exercised},
      {"sought_discriminating", r.sought_discriminating},
      {"shard", {{"count", s.shard_count}, {"indices", shards}}},
      {"cases", {{"requested", s.cases}, {"run", r.cases_run}}},
      {"max_steps", s.max_steps},
      {"budget", {{"steps", s.step_budget}, {"seconds", s.time_budget}}},
      {"jobs", s.jobs},
      {"steps", r.steps},
      {"directed", {{"tour_cases", r.tour_cases}, {"cases", r.directed_cases}}},
      {"seconds", r.seconds},
      {"finished", r.finished},
      {"interrupted", r.interrupted},
      {"reports_incomplete", r.reports_incomplete},
      {"stopped_by", r.stopped_by},
      {"cut_short", r.cut_short},
      {"outcome_counts", counts},
      {"rules", rules},
      {"known_deviations", ledger},
      {"ledger_file", s.ledger_file},
      {"coverage",
       {{"states", states},
        {"states_covered", r.coverage.state_count()},
        {"pairs_covered", r.coverage.pair_count()},
        {"reachable_pairs", r.reachable_pair_count()},
        {"reachable_pairs_covered", r.covered_reachable_pairs()},
        {"triples_seen", r.coverage.triple_count()},
        {"reachable_pairs_missed", missed_pairs(r)},
        {"unsupported_calls", unsupported},
        {"bits",
         {{"pairs", bits_text(r.coverage.pairs)},
          {"triples", bits_text(r.coverage.triples)},
          {"reachable_pairs", bits_text(r.reachable_pairs)},
          {"reachable_triples", bits_text(r.reachable_triples)}}}}},
      {"counterexamples", cex},
  };
  doc["crash"] = r.crash ? counterexample_json(r, *r.crash, replay_dir) : json(nullptr);
  return doc.dump(2) + "\n";
}

namespace {

// Whether the implementation's name says more than the target's (a plugin's name beside its path).
bool implementation_differs(const RunSettings& s) { return !s.implementation.empty() && s.implementation != s.target; }

// The last part of junit.xml's classnames: the implementation's name (else the target), in letters,
// digits, '-' and '_' (a '.' would make a viewer's package, a path's '/' differ between machines).
std::string junit_class(const RunSettings& s) {
  std::string out = s.implementation.empty() ? s.target : s.implementation;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return out;
}

}  // namespace

std::string render_junit(const RunResult& r, const std::string& replay_dir) {
  std::ostringstream out;
  std::size_t failures = 0, errors = 0, skipped = 0, tests = 0;
  for (int i = 0; i < kRuleCount; ++i) {
    const RuleOutcome o = rule_outcome(r, static_cast<RuleId>(i));
    ++tests;
    const bool unchecked = not_exercised_fails(r, static_cast<RuleId>(i));
    failures += o == RuleOutcome::Fail || o == RuleOutcome::UnexpectedPass || unchecked;
    errors += o == RuleOutcome::Crash || o == RuleOutcome::Timeout;
    skipped += o != RuleOutcome::Fail && o != RuleOutcome::Pass && o != RuleOutcome::UnexpectedPass &&
               o != RuleOutcome::Crash && o != RuleOutcome::Timeout && !unchecked;
  }
  if (r.crash) ++tests, ++errors;
  if (!r.stopped_by.empty()) ++tests, ++errors;  // a testcase of its own, so CI does not read the run as green
  const bool incomplete = !r.finished && r.stopped_by.empty();  // interrupted, or still running
  if (incomplete || !r.reports_incomplete.empty()) ++tests, ++errors;
  const std::string suite = "bgconform " + r.settings.target + " " + std::string(name(r.settings.model.profile));
  const std::string classname =
      "bgconform." + std::string(name(r.settings.model.profile)) + "." + junit_class(r.settings);
  const auto seconds_text = [](double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", std::max(0.0, s));
    return std::string(text);
  };
  const std::string time = seconds_text(r.seconds);
  // A rule's time: its share of the run's cases by the checks it made, and the time spent on its
  // counterexample after the case (shrinking, re-runs).
  double spent_on_counterexamples = 0, checks = 0;
  for (const Counterexample& c : r.counterexamples) spent_on_counterexamples += c.seconds;
  if (r.crash) spent_on_counterexamples += r.crash->seconds;
  for (const RuleTally& t : r.tallies) checks += static_cast<double>(t.checks);
  const double casework = std::max(0.0, r.seconds - spent_on_counterexamples);
  const auto rule_time = [&](RuleId id, const Counterexample* c) {
    const double share =
        checks > 0 ? casework * static_cast<double>(r.tallies[static_cast<std::size_t>(id)].checks) / checks : 0;
    return seconds_text(share + (c ? c->seconds : 0));
  };
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"bgconform\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
      << "\" skipped=\"" << skipped << "\" time=\"" << time << "\">\n"
      << "<testsuite name=\"" << xml_escape(suite) << "\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\"" << time << "\">\n"
      << "  <properties>\n"
      << "    <property name=\"target\" value=\"" << xml_escape(r.settings.target) << "\"/>\n"
      << "    <property name=\"implementation\" value=\"" << xml_escape(r.settings.implementation) << "\"/>\n"
      << "    <property name=\"profile\" value=\"" << name(r.settings.model.profile) << "\"/>\n"
      << "    <property name=\"seed\" value=\"" << r.settings.seed << "\"/>\n"
      << "    <property name=\"outcome\" value=\"" << outcome_name(run_outcome(r)) << "\"/>\n"
      << "  </properties>\n";
  auto details = [&](const Counterexample& c, std::string_view what) {
    const detail::FailureDetail d = detail::failure_detail(c);
    std::string text = std::string(what) + "\nat step " + std::to_string(c.failed_step + 1) + ": " + d.stimulus +
                       "\n  the model allowed: " + (d.allowed.empty() ? "an answer" : d.allowed) +
                       "\n  the target did:    " + d.observed + "\nreproduce: " + reproduce_command(r, c, replay_dir) +
                       "\n\n" + render_step_table(c);
    return xml_escape(text);
  };
  for (const RuleId id : detail::rules_in_report_order(r)) {
    const RuleOutcome o = rule_outcome(r, id);
    const std::string statement(rule_info(id).statement);
    const Counterexample* c = r.counterexample(id);
    out << "  <testcase classname=\"" << xml_escape(classname) << "\" name=\"" << rule_id(id) << "\" time=\""
        << rule_time(id, c) << "\">";
    // What the implementation printed in the failing case, after the failure (the schema's order).
    const auto system_out = [&](const Counterexample* x) {
      if (x != nullptr && !x->output.empty()) out << "  <system-out>" << xml_escape(x->output) << "</system-out>\n  ";
    };
    const auto* k = r.settings.known_deviation(rule_id(id));
    if (o == RuleOutcome::Fail) {
      out << "\n    <failure type=\"" << rule_id(id) << "\" message=\""
          << xml_escape(std::string(rule_id(id)) + ": " + statement + (c ? detail::outside_scope_text(r, *c) : ""))
          << "\">"
          << (c ? details(*c, std::string(rule_id(id)) + ": " + statement + detail::outside_scope_text(r, *c))
                : std::string("failed"))
          << "</failure>\n  ";
      system_out(c);
    } else if (o == RuleOutcome::UnexpectedPass) {
      out << "\n    <failure type=\"unexpected-pass\" message=\""
          << xml_escape(std::string(rule_id(id)) +
                        " is in the ledger as a known deviation but passed; remove it from "
                        "the ledger")
          << "\">" << xml_escape(k ? "ledger: " + k->why : std::string()) << "</failure>\n  ";
    } else if ((o == RuleOutcome::Crash || o == RuleOutcome::Timeout) && r.crash) {
      out << "\n    <error type=\"" << outcome_name(o) << "\" message=\"the target "
          << (o == RuleOutcome::Crash ? "crashed" : "hung") << " answering a call " << rule_id(id) << " judges\">"
          << details(*r.crash, "the target " + std::string(o == RuleOutcome::Crash ? "crashed" : "hung"))
          << "</error>\n  ";
      system_out(&*r.crash);
    } else if (not_exercised_fails(r, id)) {
      out << "\n    <failure type=\"not-exercised\" message=\""
          << xml_escape(std::string(rule_id(id)) + " was " + detail::unexercised_text(r, id) +
                        ": a rule never exercised is not a pass (--allow-not-exercised accepts it)")
          << "\">" << xml_escape(statement) << "</failure>\n  ";
    } else if (o == RuleOutcome::KnownDeviation) {
      out << "<skipped message=\""
          << xml_escape("known deviation: " + (k ? k->why : std::string()) +
                        (k && !k->link.empty() ? " (" + k->link + ")" : ""))
          << "\"/>";
    } else if (o != RuleOutcome::Pass) {
      out << "<skipped message=\"" << outcome_name(o) << "\"/>";
    }
    out << "</testcase>\n";
  }
  if (r.crash)
    out << "  <testcase classname=\"" << xml_escape(classname) << "\" name=\"target-" << counterexample_label(*r.crash)
        << "\" time=\"" << seconds_text(r.crash->seconds) << "\">\n    <error type=\"" << counterexample_label(*r.crash)
        << "\" message=\"the target " << (r.crash->status == CaseStatus::Crash ? "crashed" : "hung") << "\">"
        << details(*r.crash, r.crash->status == CaseStatus::Crash ? "the target crashed" : "the target hung")
        << "</error>\n  "
        << (r.crash->output.empty() ? "" : "<system-out>" + xml_escape(r.crash->output) + "</system-out>\n  ")
        << "</testcase>\n";
  if (!r.stopped_by.empty())
    out << "  <testcase classname=\"" << xml_escape(classname) << "\" name=\"run-stopped\" time=\"0\">\n    <error "
        << "type=\"stopped\" message=\""
        << xml_escape("the run stopped after " + std::to_string(r.cases_run) + " of " +
                      std::to_string(r.settings.cases) + " cases: " + r.stopped_by)
        << "\"/>\n  </testcase>\n";
  if (incomplete || !r.reports_incomplete.empty())
    out << "  <testcase classname=\"" << xml_escape(classname) << "\" name=\"run-incomplete\" time=\"0\">\n    <error "
        << "type=\"incomplete\" message=\"" << xml_escape(detail::incomplete_text(r)) << "\"/>\n  </testcase>\n";
  out << "</testsuite>\n</testsuites>\n";
  return out.str();
}

std::string render_markdown(const RunResult& r, const std::string& replay_dir) {
  const RunSettings& s = r.settings;
  std::ostringstream out;
  std::map<std::string, int> counts;
  for (int i = 0; i < kRuleCount; ++i) ++counts[std::string(outcome_name(rule_outcome(r, static_cast<RuleId>(i))))];
  const std::string verdict_words = detail::verdict_words(r);
  // A run that did not finish says so first: its verdict covers only the cases that ran.
  const std::string headline =
      !r.finished                    ? (r.stopped_by.empty() ? "incomplete (so far: " + verdict_words + ")"
                                                             : "stopped early by an error (so far: " + verdict_words + ")")
      : r.reports_incomplete.empty() ? verdict_words
                                     : "incomplete reports (" + verdict_words + ")";
  out << "## bgconform: " << headline << "\n\n"
      << "Target `" << s.target << "`"
      << (implementation_differs(s) ? " (implementation `" + s.implementation + "`)" : "") << ", profile `"
      << name(s.model.profile) << "`, seed " << s.seed;
  if (!s.tier.empty()) out << ", tier " << s.tier;
  if (s.tour) out << ", the adaptive transition tour";
  out << ": " << r.cases_run << " cases, " << r.steps << " steps";
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", r.seconds);
  out << " in " << secs << " s.\n\n";
  if (const std::string why = detail::incomplete_text(r); !why.empty()) out << "**Incomplete:** " << why << "\n\n";
  out << "| outcome | rules |\n|---|---|\n";
  for (const auto& [o, n] : counts) out << "| " << o << " | " << n << " |\n";
  out << "\nCoverage: states " << r.coverage.state_count() << ", (state, kind) pairs " << r.covered_reachable_pairs()
      << "/" << r.reachable_pair_count() << " of the explorer's reachable.\n";
  bool header = false;
  auto row = [&](std::string_view rule, std::string_view outcome, const std::string& what) {
    if (!header) out << "\n| rule | outcome | detail |\n|---|---|---|\n";
    header = true;
    // A cell is one line; a '|' in it (a path in a command) is escaped, which GitHub keeps in code spans.
    std::string w;
    for (char ch : what) w += ch == '|' ? std::string("\\|") : std::string(1, ch == '\n' ? ' ' : ch);
    out << "| " << rule << " | " << outcome << " | " << w << " |\n";
  };
  for (const RuleId id : detail::rules_in_report_order(r)) {
    const RuleOutcome o = rule_outcome(r, id);
    if (o == RuleOutcome::NotExercised && not_exercised_fails(r, id)) {
      row(rule_id(id), "**not-exercised**",
          detail::unexercised_text(r, id) + ": the gate fails on it (--allow-not-exercised accepts it)");
    } else if (o == RuleOutcome::Fail) {
      const Counterexample* c = r.counterexample(id);
      std::string what(rule_info(id).statement);
      if (c) {
        const auto d = detail::failure_detail(*c);
        what = "`" + d.stimulus + "` answered `" + d.observed + "`; allowed " + d.allowed + "." +
               detail::outside_scope_text(r, *c) + " `" + reproduce_command(r, *c, replay_dir) + "`";
      }
      row(rule_id(id), "**fail**", what);
    } else if (o == RuleOutcome::UnexpectedPass) {
      row(rule_id(id), "**unexpected-pass**", "in the ledger but passed: remove it from the ledger");
    } else if (o == RuleOutcome::Crash || o == RuleOutcome::Timeout) {
      row(rule_id(id), "**" + std::string(outcome_name(o)) + "**",
          "the target stopped answering a call this rule judges");
    } else if (o == RuleOutcome::KnownDeviation) {
      const auto* k = s.known_deviation(rule_id(id));
      row(rule_id(id), "known-deviation", k ? k->why + (k->link.empty() ? "" : " (" + k->link + ")") : "");
    }
  }
  if (r.crash)
    out << "\nThe target " << (r.crash->status == CaseStatus::Crash ? "crashed" : "hung")
        << (r.crash->failure.empty() ? std::string() : " (" + r.crash->failure + ")") << ": `"
        << reproduce_command(r, *r.crash, replay_dir) << "`\n";
  return out.str();
}

std::string render_step_table(const Counterexample& c) {
  std::ostringstream out;
  out << "  #   stimulus                          target answered                    sweep / model allowed\n";
  // A real-time target is polled until it settles: a run of polls that saw nothing new is one line.
  auto same_poll = [&](std::size_t a, std::size_t b) {
    const TracedStep &x = c.trace[a], &y = c.trace[b];
    return x.poll && y.poll && b != c.failed_step && x.step.stimulus == y.step.stimulus &&
           x.step.observation == y.step.observation && detail::stimulus_text(x) == detail::stimulus_text(y);
  };
  for (std::size_t i = 0; i < c.trace.size(); ++i) {
    const TracedStep& t = c.trace[i];
    const bool failing = i == c.failed_step;
    std::size_t repeats = 0;
    while (!failing && i + repeats + 1 < c.trace.size() && same_poll(i, i + repeats + 1)) ++repeats;
    if (repeats > 0) {
      out << "  " << std::left << std::setw(3) << std::to_string(i + 1) + "-" + std::to_string(i + repeats + 1) << " "
          << std::setw(33) << detail::stimulus_text(t) + " x" + std::to_string(repeats + 1) << " "
          << to_string(t.step.observation, t.step.stimulus.op) << "\n";
      i += repeats;
      continue;
    }
    out << (failing ? "> " : "  ") << std::left << std::setw(3) << i + 1 << " " << std::setw(33)
        << detail::stimulus_text(t) << " " << std::setw(34) << to_string(t.step.observation, t.step.stimulus.op) << " "
        << sweep_text(t.sweep) << "\n";
    if (failing && c.status == CaseStatus::Violation) {
      if (c.failed_at > 0 && static_cast<std::size_t>(c.failed_at) <= t.sweep.size()) {
        const Step& q = t.sweep[static_cast<std::size_t>(c.failed_at) - 1];
        out << "      sweep " << to_string(q.stimulus) << " answered " << to_string(q.observation, q.stimulus.op)
            << "\n";
      }
      out << "      " << counterexample_label(c) << (c.by_monitor ? " (trace monitor)" : "") << ": the model allowed "
          << c.allowed << "\n";
    }
    if (failing && c.status != CaseStatus::Violation && !c.failure.empty())
      out << "      the target " << (c.status == CaseStatus::Crash ? "crashed" : "hung") << ": " << c.failure << "\n";
  }
  if (!c.output.empty()) out << detail::output_tail(c.output, 5);
  return out.str();
}

std::string budget_text(const RunSettings& s) {
  std::string out;
  const auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (s.cases != kNoCaseBound) add(std::to_string(s.cases) + " cases");
  if (s.step_budget > 0) add("a budget of " + std::to_string(s.step_budget) + " checked steps");
  if (s.time_budget > 0) {
    char t[48];
    std::snprintf(t, sizeof t, "%g s", s.time_budget);
    add(std::string("a budget of ") + t);
  }
  return out + " of up to " + std::to_string(s.max_steps) + " steps each";
}

namespace detail {

std::vector<RuleId> rules_in_report_order(const RunResult& r) {
  const auto group = [&](RuleId id) {
    switch (rule_outcome(r, id)) {
      case RuleOutcome::Fail:
      case RuleOutcome::UnexpectedPass:
      case RuleOutcome::Crash:
      case RuleOutcome::Timeout: return 0;
      case RuleOutcome::NotExercised: return not_exercised_fails(r, id) ? 1 : 4;
      case RuleOutcome::KnownDeviation: return 2;
      case RuleOutcome::Pass: return 3;
      default: return 4;
    }
  };
  std::vector<RuleId> out;
  for (int g = 0; g <= 4; ++g)
    for (int i = 0; i < kRuleCount; ++i)
      if (group(static_cast<RuleId>(i)) == g) out.push_back(static_cast<RuleId>(i));
  return out;
}

std::string unexercised_text(const RunResult& r, RuleId id) {
  const std::uint64_t checks = r.tallies[static_cast<std::size_t>(id)].checks;
  if (checks == 0) return "never checked in this run";
  return "checked " + std::to_string(checks) +
         " times, never in a discriminating situation (a step where its "
         "check excluded an answer the target could have given)";
}

std::string verdict_words(const RunResult& r) {
  switch (run_outcome(r)) {
    case RuleOutcome::Pass: return "conformant";
    case RuleOutcome::KnownDeviation: return "conformant except the known deviations in the ledger";
    case RuleOutcome::NotExercised: return "not shown conformant: applicable rules were never put to the test";
    case RuleOutcome::Crash: return "the target crashed";
    case RuleOutcome::Timeout: return "the target hung";
    default: return "deviations found";
  }
}

}  // namespace detail

std::string render_summary(const RunResult& r, const std::string& replay_dir) {
  const RunSettings& s = r.settings;
  std::ostringstream out;
  std::size_t pass = 0, fail = 0, not_exercised = 0, unsupported = 0, disabled = 0, known = 0, unexpected = 0,
              stopped = 0;
  std::string not_exercised_ids;
  for (int i = 0; i < kRuleCount; ++i) {
    switch (rule_outcome(r, static_cast<RuleId>(i))) {
      case RuleOutcome::Pass: ++pass; break;
      case RuleOutcome::Fail: ++fail; break;
      case RuleOutcome::NotExercised:
        ++not_exercised;
        not_exercised_ids += " " + std::string(rule_id(static_cast<RuleId>(i)));
        break;
      case RuleOutcome::Disabled: ++disabled; break;
      case RuleOutcome::KnownDeviation: ++known; break;
      case RuleOutcome::UnexpectedPass: ++pass, ++unexpected; break;
      case RuleOutcome::Crash:
      case RuleOutcome::Timeout: ++stopped; break;
      default: ++unsupported;
    }
  }
  std::size_t not_modelled = 0;
  for (const RuleInfo& info : rule_catalogue()) not_modelled += !info.covered;
  const std::size_t profile_states = s.model.profile == Profile::Do ? 8 : 9;
  out << "bgconform " << s.tool_version << "  target " << s.target
      << (implementation_differs(s) ? "  implementation " + s.implementation : "") << "  profile "
      << name(s.model.profile) << "  seed " << s.seed << "\n"
      << "cases " << r.cases_run << ", steps " << r.steps << " (" << budget_text(s) << "), " << std::fixed
      << std::setprecision(2) << r.seconds << " s";
  if (r.seconds > 0) out << ", " << std::setprecision(0) << static_cast<double>(r.steps) / r.seconds << " steps/s";
  out << "\n"
      << "rules: " << pass + fail + not_exercised + known + stopped << " checked in " << name(s.model.profile) << " of "
      << applicable_rules(r) << " applicable - " << pass << " pass, " << fail << " fail, " << not_exercised
      << " not exercised" << (not_exercised ? " (" + not_exercised_ids.substr(1) + ")" : std::string()) << ", "
      << (known ? std::to_string(known) + " known deviations, " : std::string())
      << (unexpected ? std::to_string(unexpected) + " unexpected passes, " : std::string())
      << (stopped ? std::to_string(stopped) + " stopped by a crash or hang, " : std::string()) << disabled
      << " disabled; " << unsupported << " not supported (by the profile or the target), " << not_modelled
      << " spec IDs not modelled\n"
      << "coverage: states " << r.coverage.state_count() << "/" << profile_states << ", (state, kind) pairs "
      << r.covered_reachable_pairs() << "/" << r.reachable_pair_count() << " of the explorer's reachable ("
      << r.coverage.pair_count() << " seen in all), triples " << r.coverage.triple_count() << "\n";
  if (!r.cut_short.empty()) out << "the run ended before its budget: " << r.cut_short << "\n";
  if (r.tour_cases + r.directed_cases > 0)
    out << "directed: the tour's " << r.tour_cases << " cases, then " << r.directed_cases
        << " cases aimed at rules they had not put to the test\n";
  std::vector<const Counterexample*> all;
  for (const Counterexample& c : r.counterexamples) all.push_back(&c);
  if (r.crash) all.push_back(&*r.crash);
  for (const Counterexample* c : all) {
    const bool known = c->status == CaseStatus::Violation && c->known;
    out << (known ? "\nKNOWN DEVIATION " : "\nFAIL ") << counterexample_label(*c);
    if (c->status == CaseStatus::Violation) out << "  " << rule_info(c->rule).statement;
    out << detail::outside_scope_text(r, *c);
    out << "\n  case " << c->case_index << ", " << detail::size_text(*c);
    if (c->shrunk_steps > 0)  // the model's shortest-sequence search ran after shrinking (shortest.h)
      out << " (" << c->shrunk_steps << " after shrinking, " << c->trace.size() << " shortest by the model)";
    out << "\n" << render_step_table(*c);
    out << "  reproduce: " << reproduce_command(r, *c, replay_dir) << "\n";
    if (known) out << "  ledger: " << s.known_deviation(rule_id(c->rule))->why << "\n";
  }
  for (int i = 0; i < kRuleCount; ++i)
    if (rule_outcome(r, static_cast<RuleId>(i)) == RuleOutcome::UnexpectedPass)
      out << "\nUNEXPECTED PASS " << rule_id(static_cast<RuleId>(i))
          << ": listed in the ledger as a known deviation, but it passed; remove it from the ledger\n";
  std::string unchecked;
  for (int i = 0; i < kRuleCount; ++i)
    if (not_exercised_fails(r, static_cast<RuleId>(i))) unchecked += " " + std::string(rule_id(static_cast<RuleId>(i)));
  if (!unchecked.empty())
    out << "\nNOT EXERCISED" << unchecked
        << ": never checked in a discriminating situation in this run (a step where the rule's check excluded an "
           "answer the target could have given), so not shown to pass; the gate fails on them (a longer run, --tier "
           "full, reaches more; --allow-not-exercised accepts them)\n";
  const std::string verdict = detail::verdict_words(r);
  // A run that did not finish has no verdict of its own: only what the cases that ran showed.
  if (const std::string why = detail::incomplete_text(r); why.empty())
    out << "\n" << verdict << "\n";
  else
    out << "\nINCOMPLETE (" << (r.finished ? "" : "so far: ") << verdict << "): " << why << "\n";
  return out.str();
}

}  // namespace bgc
