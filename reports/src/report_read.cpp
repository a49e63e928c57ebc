// Reading a report.json back into a RunResult, and merging shard results (`bgconform merge`).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "bgconform/reports.h"

namespace bgc {
namespace {

using nlohmann::json;

std::vector<bool> bits_from(const json& j) {
  std::vector<bool> out;
  if (!j.is_string()) return out;
  for (char c : j.get<std::string>()) out.push_back(c == '1');
  return out;
}

Step step_from(const json& j) {
  Step s;
  auto st = parse_stimulus(j.at("stimulus").get<std::string>());
  if (!st.error.empty()) throw std::runtime_error("stimulus '" + j.at("stimulus").get<std::string>() + "': " + st.error);
  s.stimulus = st.value;
  auto ob = parse_observation(j.at("observation").get<std::string>());
  if (!ob.error.empty())
    throw std::runtime_error("observation '" + j.at("observation").get<std::string>() + "': " + ob.error);
  s.observation = ob.value;
  return s;
}

Counterexample counterexample_from(const json& j) {
  Counterexample c;
  const std::string status = j.at("status");
  c.status = status == "crash"     ? CaseStatus::Crash
             : status == "timeout" ? CaseStatus::Timeout
                                   : CaseStatus::Violation;
  if (c.status == CaseStatus::Violation) {
    auto rule = parse_rule_id(j.at("rule").get<std::string>());
    if (!rule) throw std::runtime_error("unknown rule " + j.at("rule").get<std::string>());
    c.rule = *rule;
  }
  c.by_monitor = j.value("by_monitor", false);
  c.case_index = j.value("case_index", 0ull);
  c.original_steps = j.value("original_steps", 0ull);
  c.shrunk_steps = j.value("shrunk_steps", 0ull);
  c.reruns = j.value("reruns", 0);
  c.reproduced = j.value("reproduced", 0);
  c.gone_past = j.value("gone_past", false);
  c.failed_step = j.value("failed_step", 0ull);
  c.failed_at = j.value("failed_at", 0);
  c.allowed = j.value("allowed", "");
  for (const json& s : j.at("steps")) {
    TracedStep& t = c.trace.emplace_back();
    t.step = step_from(s);
    t.poll = s.value("poll", false);
    if (s.contains("waited")) t.waited = {s.at("waited").at(0).get<std::int64_t>(), s.at("waited").at(1).get<std::int64_t>()};
    for (const json& q : s.at("sweep")) t.sweep.push_back(step_from(q));
  }
  return c;
}

}  // namespace

std::optional<RunResult> parse_report(const std::string& json_text, std::string& error) {
  try {
    const json doc = json::parse(json_text);
    if (!doc.is_object() || doc.value("schema", "") != "bgconform-report") {
      error = "not a bgconform report.json";
      return std::nullopt;
    }
    if (doc.value("schema_version", 0) != kReportSchemaVersion) {
      error = "report schema version " + doc.value("schema_version", json(0)).dump() + ", this bgconform reads " +
              std::to_string(kReportSchemaVersion);
      return std::nullopt;
    }
    RunResult r;
    RunSettings& s = r.settings;
    s.tool_version = doc.value("tool_version", "");
    s.target = doc.at("target");
    const auto profile = parse_profile(doc.at("profile").get<std::string>());
    if (!profile) throw std::runtime_error("unknown profile");
    s.model.profile = *profile;
    for (const auto& [id, value] : doc.at("interpretations").items())
      if (std::string e = s.model.interpretations.set(id + "=" + value.get<std::string>()); !e.empty())
        throw std::runtime_error(e);
    for (const json& id : doc.value("disabled_rules", json::array()))
      if (auto rule = parse_rule_id(id.get<std::string>())) s.model.rules = s.model.rules.without(*rule);
    s.seed = doc.at("seed");
    s.tier = doc.value("tier", "");
    s.cases = doc.at("cases").at("requested");
    s.max_steps = doc.at("max_steps");
    s.jobs = doc.at("jobs");
    if (doc.contains("shard")) {
      s.shard_count = doc["shard"].value("count", 1);
      for (const json& k : doc["shard"].at("indices")) s.shards.push_back(k.get<int>());
      if (s.shards.size() == 1) s.shard_index = s.shards[0];
    }
    for (const json& k : doc.value("known_deviations", json::array()))
      s.known_deviations.push_back({k.at("rule"), k.value("why", ""), k.value("link", ""), k.value("intermittent", false)});
    r.cases_run = doc.at("cases").at("run");
    r.steps = doc.at("steps");
    r.seconds = doc.at("seconds");
    r.finished = doc.at("finished");
    for (const json& row : doc.at("rules")) {
      auto id = parse_rule_id(row.at("id").get<std::string>());
      if (!id || !row.contains("checks")) continue;
      r.tallies[static_cast<std::size_t>(*id)].checks = row.at("checks");
      r.tallies[static_cast<std::size_t>(*id)].failures = row.at("failures");
    }
    const json& cov = doc.at("coverage");
    for (const json& st : cov.at("states"))
      for (int k = 0; k < kJobStateCount; ++k)
        if (short_name(static_cast<JobState>(k)) == st.get<std::string>())
          r.coverage.states |= static_cast<std::uint16_t>(1u << k);
    for (const json& op : cov.value("unsupported_calls", json::array()))
      for (int k = 0; k < kOpCount; ++k)
        if (op_name(static_cast<Op>(k)) == op.get<std::string>()) r.coverage.unsupported_ops.set(static_cast<std::size_t>(k));
    if (cov.contains("bits")) {
      r.coverage.pairs = bits_from(cov["bits"].at("pairs"));
      r.coverage.triples = bits_from(cov["bits"].at("triples"));
      r.reachable_pairs = bits_from(cov["bits"].at("reachable_pairs"));
      r.reachable_triples = bits_from(cov["bits"].at("reachable_triples"));
    }
    for (const json& c : doc.at("counterexamples")) r.counterexamples.push_back(counterexample_from(c));
    if (doc.contains("crash") && !doc["crash"].is_null()) r.crash = counterexample_from(doc["crash"]);
    return r;
  } catch (const std::exception& e) {
    error = std::string("malformed report.json: ") + e.what();
    return std::nullopt;
  }
}

std::optional<RunResult> merge_results(const std::vector<RunResult>& shards, std::string& error) {
  if (shards.empty()) {
    error = "no reports to merge";
    return std::nullopt;
  }
  RunResult m = shards.front();
  m.settings.shards.clear();
  m.counterexamples.clear();
  m.crash.reset();
  m.tallies = {};
  m.cases_run = m.steps = 0;
  m.seconds = 0;
  m.finished = true;
  std::vector<const Counterexample*> firsts(kRuleCount, nullptr);
  for (const RunResult& s : shards) {
    const RunSettings& a = m.settings;
    const RunSettings& b = s.settings;
    if (a.target != b.target || a.model.profile != b.model.profile || a.seed != b.seed || a.cases != b.cases ||
        a.max_steps != b.max_steps || a.jobs != b.jobs || a.shard_count != b.shard_count) {
      error = "the reports are not shards of one run (target, profile, seed, cases, steps, jobs and shard count "
              "must agree)";
      return std::nullopt;
    }
    const std::vector<int> idx = b.shards.empty() ? std::vector<int>{b.shard_index} : b.shards;
    for (int k : idx) {
      if (std::find(m.settings.shards.begin(), m.settings.shards.end(), k) != m.settings.shards.end()) {
        error = "shard " + std::to_string(k) + " appears twice";
        return std::nullopt;
      }
      m.settings.shards.push_back(k);
    }
    for (int k = 0; k < kRuleCount; ++k) {
      m.tallies[k].checks += s.tallies[k].checks;
      m.tallies[k].failures += s.tallies[k].failures;
    }
    m.coverage.merge(s.coverage);
    m.cases_run += s.cases_run;
    m.steps += s.steps;
    m.seconds = std::max(m.seconds, s.seconds);  // shards run side by side
    m.finished = m.finished && s.finished;
    for (const Counterexample& c : s.counterexamples) {
      const Counterexample*& f = firsts[static_cast<std::size_t>(c.rule)];
      if (!f || c.case_index < f->case_index) f = &c;
    }
    if (s.crash && (!m.crash || s.crash->case_index < m.crash->case_index)) m.crash = s.crash;
  }
  std::sort(m.settings.shards.begin(), m.settings.shards.end());
  for (const Counterexample* c : firsts)
    if (c) m.counterexamples.push_back(*c);
  std::sort(m.counterexamples.begin(), m.counterexamples.end(),
            [](const Counterexample& x, const Counterexample& y) { return x.case_index < y.case_index; });
  if (static_cast<int>(m.settings.shards.size()) == m.settings.shard_count) {
    m.settings.shards.clear();  // all of them: the whole run
    m.settings.shard_count = 1;
    m.settings.shard_index = 0;
  }
  return m;
}

}  // namespace bgc
