#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bgconform/explorer.h"
#include "bgconform/reports.h"

namespace bgc {
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

std::string sweep_text(const std::vector<Step>& sweep) {
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

std::size_t applicable_rules(const RunResult& r) {
  std::size_t n = 0;
  for (int i = 0; i < kRuleCount; ++i) n += rule_applies(static_cast<RuleId>(i), r.settings.model.profile);
  return n;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

json counterexample_json(const Counterexample& c) {
  json steps = json::array();
  for (std::size_t i = 0; i < c.trace.size(); ++i) {
    const TracedStep& t = c.trace[i];
    json sweep = json::array();
    for (const Step& q : t.sweep) sweep.push_back({{"stimulus", to_string(q.stimulus)},
                                                   {"observation", to_string(q.observation, q.stimulus.op)}});
    steps.push_back({{"stimulus", to_string(t.step.stimulus)},
                     {"observation", to_string(t.step.observation, t.step.stimulus.op)},
                     {"sweep", sweep}});
  }
  return {{"rule", counterexample_label(c)},
          {"status", status_name(c.status)},
          {"by_monitor", c.by_monitor},
          {"case_index", c.case_index},
          {"original_steps", c.original_steps},
          {"shrunk_steps", c.shrunk_steps},
          {"steps", steps},
          {"failed_step", c.failed_step},
          {"failed_at", c.failed_at},
          {"allowed", c.allowed},
          {"replay_file", replay_file_name(c)}};
}

}  // namespace

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

std::string render_json(const RunResult& r) {
  const RunSettings& s = r.settings;
  json interps = json::object();
  for (int i = 0; i < kInterpCount; ++i)
    interps[std::string(interp_info(static_cast<Interp>(i)).id)] = std::string(s.model.interpretations.value(static_cast<Interp>(i)));
  json rules = json::array();
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
    }
    rules.push_back(row);
  }
  json states = json::array();
  for (int st = 0; st < kJobStateCount; ++st)
    if ((r.coverage.states >> st) & 1u) states.push_back(std::string(short_name(static_cast<JobState>(st))));
  json cex = json::array();
  for (const Counterexample& c : r.counterexamples) cex.push_back(counterexample_json(c));
  json doc = {
      {"schema", "bgconform-report"},
      {"schema_version", kReportSchemaVersion},
      {"tool_version", s.tool_version},
      {"target", s.target},
      {"profile", std::string(name(s.model.profile))},
      {"interpretations", interps},
      {"seed", s.seed},
      {"cases", {{"requested", s.cases}, {"run", r.cases_run}}},
      {"max_steps", s.max_steps},
      {"jobs", s.jobs},
      {"steps", r.steps},
      {"seconds", r.seconds},
      {"finished", r.finished},
      {"rules", rules},
      {"coverage",
       {{"states", states},
        {"states_covered", r.coverage.state_count()},
        {"pairs_covered", r.coverage.pair_count()},
        {"reachable_pairs", r.reachable_pair_count()},
        {"reachable_pairs_covered", r.covered_reachable_pairs()},
        {"triples_seen", r.coverage.triple_count()},
        {"reachable_pairs_missed", missed_pairs(r)}}},
      {"counterexamples", cex},
  };
  doc["crash"] = r.crash ? counterexample_json(*r.crash) : json(nullptr);
  return doc.dump(2) + "\n";
}

std::string render_junit(const RunResult& r) {
  std::ostringstream out;
  std::size_t failures = 0, skipped = 0, tests = 0;
  for (int i = 0; i < kRuleCount; ++i) {
    const RuleOutcome o = rule_outcome(r, static_cast<RuleId>(i));
    ++tests;
    failures += o == RuleOutcome::Fail;
    skipped += o != RuleOutcome::Fail && o != RuleOutcome::Pass;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites>\n<testsuite name=\"bgconform " << xml_escape(r.settings.target) << " "
      << name(r.settings.model.profile) << "\" tests=\"" << tests + (r.crash ? 1 : 0) << "\" failures=\""
      << failures << "\" errors=\"" << (r.crash ? 1 : 0) << "\" skipped=\"" << skipped << "\" time=\"" << r.seconds
      << "\">\n";
  for (int i = 0; i < kRuleCount; ++i) {
    const RuleId id = static_cast<RuleId>(i);
    const RuleOutcome o = rule_outcome(r, id);
    out << "  <testcase classname=\"bgconform.rules\" name=\"" << rule_id(id) << "\">";
    if (o == RuleOutcome::Fail) {
      const Counterexample* c = r.counterexample(id);
      out << "\n    <failure message=\"" << xml_escape(rule_info(id).statement) << "\">"
          << xml_escape(c ? render_step_table(*c) : std::string("failed")) << "</failure>\n  ";
    } else if (o != RuleOutcome::Pass) {
      out << "<skipped message=\"" << outcome_name(o) << "\"/>";
    }
    out << "</testcase>\n";
  }
  if (r.crash)
    out << "  <testcase classname=\"bgconform.target\" name=\"" << counterexample_label(*r.crash)
        << "\">\n    <error message=\"the target " << (r.crash->status == CaseStatus::Crash ? "crashed" : "hung")
        << "\">" << xml_escape(render_step_table(*r.crash)) << "</error>\n  </testcase>\n";
  out << "</testsuite>\n</testsuites>\n";
  return out.str();
}

std::string render_step_table(const Counterexample& c) {
  std::ostringstream out;
  out << "  #   stimulus                          target answered                    sweep / model allowed\n";
  for (std::size_t i = 0; i < c.trace.size(); ++i) {
    const TracedStep& t = c.trace[i];
    const bool failing = i == c.failed_step;
    out << (failing ? "> " : "  ") << std::left << std::setw(3) << i + 1 << " " << std::setw(33)
        << to_string(t.step.stimulus) << " " << std::setw(34)
        << to_string(t.step.observation, t.step.stimulus.op) << " " << sweep_text(t.sweep) << "\n";
    if (failing && c.status == CaseStatus::Violation) {
      if (c.failed_at > 0 && static_cast<std::size_t>(c.failed_at) <= t.sweep.size()) {
        const Step& q = t.sweep[static_cast<std::size_t>(c.failed_at) - 1];
        out << "      sweep " << to_string(q.stimulus) << " answered " << to_string(q.observation, q.stimulus.op)
            << "\n";
      }
      out << "      " << counterexample_label(c) << (c.by_monitor ? " (trace monitor)" : "")
          << ": the model allowed " << c.allowed << "\n";
    }
  }
  return out.str();
}

std::string render_summary(const RunResult& r, const std::string& replay_dir) {
  const RunSettings& s = r.settings;
  std::ostringstream out;
  std::size_t pass = 0, fail = 0, not_exercised = 0, unsupported = 0, disabled = 0;
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
      default: ++unsupported;
    }
  }
  std::size_t not_modelled = 0;
  for (const RuleInfo& info : rule_catalogue()) not_modelled += !info.covered;
  const std::size_t profile_states = s.model.profile == Profile::Do ? 8 : 9;
  out << "bgconform " << s.tool_version << "  target " << s.target << "  profile " << name(s.model.profile)
      << "  seed " << s.seed << "\n"
      << "cases " << r.cases_run << " of " << s.cases << ", steps " << r.steps << ", " << std::fixed
      << std::setprecision(2) << r.seconds << " s";
  if (r.seconds > 0) out << ", " << std::setprecision(0) << static_cast<double>(r.steps) / r.seconds << " steps/s";
  out << "\n"
      << "rules: " << pass + fail + not_exercised << " checked in " << name(s.model.profile) << " of "
      << applicable_rules(r) << " applicable - " << pass << " pass, " << fail << " fail, " << not_exercised
      << " not exercised" << (not_exercised ? " (" + not_exercised_ids.substr(1) + ")" : std::string()) << ", "
      << disabled << " disabled; " << unsupported << " not supported (by the profile or the target), " << not_modelled
      << " spec IDs not modelled\n"
      << "coverage: states " << r.coverage.state_count() << "/" << profile_states << ", (state, kind) pairs "
      << r.covered_reachable_pairs() << "/" << r.reachable_pair_count() << " of the explorer's reachable ("
      << r.coverage.pair_count() << " seen in all), triples " << r.coverage.triple_count() << "\n";
  std::vector<const Counterexample*> all;
  for (const Counterexample& c : r.counterexamples) all.push_back(&c);
  if (r.crash) all.push_back(&*r.crash);
  for (const Counterexample* c : all) {
    out << "\nFAIL " << counterexample_label(*c);
    if (c->status == CaseStatus::Violation) out << "  " << rule_info(c->rule).statement;
    out << "\n  case " << c->case_index << ", shrunk from " << c->original_steps << " to " << c->trace.size()
        << " steps";
    if (c->shrunk_steps > 0)  // the model's shortest-sequence search ran after shrinking (shortest.h)
      out << " (" << c->shrunk_steps << " after shrinking, " << c->trace.size() << " shortest by the model)";
    out << "\n" << render_step_table(*c);
    const std::string file = (replay_dir.empty() ? std::string() : replay_dir + "/") + replay_file_name(*c);
    out << "  reproduce: bgconform replay " << file << " --target " << s.target << "\n";
  }
  out << "\n" << (all.empty() ? "conformant" : "deviations found") << "\n";
  return out.str();
}

}  // namespace bgc
