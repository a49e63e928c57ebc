// Reading a report.json back into a RunResult, and merging shard results (`bgconform merge`).
#include <algorithm>
#include <limits>
#include <tuple>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "bgconform/reports.h"
#include "detail.h"
#include "strict_json.h"

namespace bgc {
namespace {

using nlohmann::json;

// A whole number that fits T, or an exception naming `what`: a fraction, or a number out of T's range,
// would otherwise be converted with undefined behaviour (found by fuzz/src/report_fuzzer.cpp).
template <class T>
T whole(const json& j, const std::string& what) {
  using L = std::numeric_limits<T>;
  if (j.is_number_unsigned()) {
    const std::uint64_t v = j.get<std::uint64_t>();
    if (v <= static_cast<std::uint64_t>(L::max())) return static_cast<T>(v);
  } else if (j.is_number_integer()) {
    const std::int64_t v = j.get<std::int64_t>();
    if constexpr (std::is_signed_v<T>) {
      if (v >= static_cast<std::int64_t>(L::min()) && v <= static_cast<std::int64_t>(L::max()))
        return static_cast<T>(v);
    } else {
      if (v >= 0 && static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(L::max())) return static_cast<T>(v);
    }
  }
  throw std::runtime_error("\"" + what + "\": " + j.dump() + " is not a whole number in range");
}

// `key` of the object `j` as a whole number, or `fallback` when it is absent.
template <class T>
T whole_or(const json& j, const char* key, T fallback) {
  return j.is_object() && j.contains(key) ? whole<T>(j.at(key), key) : fallback;
}

// A whole number in [low, high].
template <class T>
T within(const json& j, const std::string& what, T low, T high) {
  const T v = whole<T>(j, what);
  if (v < low || v > high)
    throw std::runtime_error("\"" + what + "\": " + std::to_string(v) + " is outside " + std::to_string(low) + ".." +
                             std::to_string(high));
  return v;
}

std::vector<bool> bits_from(const json& j) {
  std::vector<bool> out;
  if (!j.is_string()) throw std::runtime_error("coverage bits are a string of 0 and 1");
  for (char c : j.get<std::string>()) {
    if (c != '0' && c != '1') throw std::runtime_error("coverage bits are a string of 0 and 1");
    out.push_back(c == '1');
  }
  return out;
}

Step step_from(const json& j) {
  Step s;
  auto st = parse_stimulus(j.at("stimulus").get<std::string>());
  if (!st.error.empty())
    throw std::runtime_error("stimulus '" + j.at("stimulus").get<std::string>() + "': " + st.error);
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
  c.status = status == "crash" ? CaseStatus::Crash : status == "timeout" ? CaseStatus::Timeout : CaseStatus::Violation;
  if (c.status == CaseStatus::Violation) {
    auto rule = parse_rule_id(j.at("rule").get<std::string>());
    if (!rule) throw std::runtime_error("unknown rule " + j.at("rule").get<std::string>());
    c.rule = *rule;
  }
  c.by_monitor = j.value("by_monitor", false);
  c.case_index = whole_or<std::uint64_t>(j, "case_index", 0);
  c.original_steps = whole_or<std::size_t>(j, "original_steps", 0);
  c.shrunk_steps = whole_or<std::size_t>(j, "shrunk_steps", 0);
  c.reruns = whole_or<int>(j, "reruns", 0);
  c.reproduced = whole_or<int>(j, "reproduced", 0);
  c.gone_past = j.value("gone_past", false);
  c.as_found = j.value("as_found", "");
  c.failed_step = whole_or<std::size_t>(j, "failed_step", 0);
  c.failed_at = whole_or<int>(j, "failed_at", 0);
  c.allowed = j.value("allowed", "");
  c.failure = j.value("failure", "");
  c.output = j.value("output", "");
  c.seconds = j.value("seconds", 0.0);
  // Where the violation happened, and whether the ledger covered it (absent from reports written
  // before scoped ledger entries: judge_by_ledger decides it then).
  c.known = j.value("known", false);
  if (j.contains("where") && j["where"].is_object()) {
    const json& w = j["where"];
    if (w.contains("state") && !w["state"].is_null()) {
      c.where.state = parse_job_state(w["state"].get<std::string>());
      if (!c.where.state) throw std::runtime_error("\"where\": unknown state " + w["state"].dump());
    }
    RunSettings::KnownDeviation scope;
    std::string error;
    if (w.contains("stimulus") && !detail::parse_scope(json{{"stimulus", w["stimulus"]}}, scope, error))
      throw std::runtime_error(error);
    if (scope.stimulus) c.where.op = *scope.stimulus;
    c.where.answer = w.value("answer", "");
  }
  for (const json& s : j.at("steps")) {
    TracedStep& t = c.trace.emplace_back();
    t.step = step_from(s);
    t.poll = s.value("poll", false);
    if (s.contains("waited")) {
      const json& w = s.at("waited");
      if (!w.is_array() || w.size() != 2) throw std::runtime_error("\"waited\" must be [lo, hi]");
      t.waited = {within<std::int64_t>(w[0], "waited", 0, 1'000'000'000),
                  within<std::int64_t>(w[1], "waited", 0, 1'000'000'000)};
    }
    for (const json& q : s.at("sweep")) {
      if (t.sweep.full())
        throw std::runtime_error("a \"sweep\" has more than " + std::to_string(Sweep::kCapacity) +
                                 " entries (one per job slot)");
      t.sweep.push_back(step_from(q));
    }
  }
  // A failure is found at a step: without one there is nothing to replay (a replay file needs stimuli).
  if (c.trace.empty()) throw std::runtime_error("a counterexample without steps");
  // The failing step and the sweep observation in it that failed (0: the step's own answer).
  if (!c.trace.empty() && c.failed_step >= c.trace.size())
    throw std::runtime_error("\"failed_step\" " + std::to_string(c.failed_step) + " is past the counterexample's " +
                             std::to_string(c.trace.size()) + " steps");
  if (c.failed_at < 0 ||
      (!c.trace.empty() && static_cast<std::size_t>(c.failed_at) > c.trace[c.failed_step].sweep.size()))
    throw std::runtime_error("\"failed_at\" " + std::to_string(c.failed_at) + " is not in the failing step's sweep");
  return c;
}

}  // namespace

std::optional<RunResult> parse_report(const std::string& json_text, std::string& error) {
  try {
    const std::optional<json> parsed = detail::parse_strict_json(json_text, error);
    if (!parsed) {
      error = "malformed report.json: " + error;
      return std::nullopt;
    }
    const json& doc = *parsed;
    if (!doc.is_object() || doc.value("schema", "") != "bgconform-report") {
      error = "not a bgconform report.json";
      return std::nullopt;
    }
    if (!doc.contains("schema_version") || doc["schema_version"] != kReportSchemaVersion) {
      error = "report schema version " + doc.value("schema_version", json(0)).dump() + ", this bgconform reads " +
              std::to_string(kReportSchemaVersion);
      return std::nullopt;
    }
    RunResult r;
    RunSettings& s = r.settings;
    s.tool_version = doc.value("tool_version", "");
    s.target = doc.at("target");
    s.implementation = doc.value("implementation", "");
    const auto profile = parse_profile(doc.at("profile").get<std::string>());
    if (!profile) throw std::runtime_error("unknown profile");
    s.model.profile = *profile;
    for (const auto& [id, value] : doc.at("interpretations").items())
      if (std::string e = s.model.interpretations.set(id + "=" + value.get<std::string>()); !e.empty())
        throw std::runtime_error(e);
    for (const json& id : doc.value("disabled_rules", json::array()))
      if (auto rule = parse_rule_id(id.get<std::string>())) s.model.rules = s.model.rules.without(*rule);
    s.seed = whole<std::uint64_t>(doc.at("seed"), "seed");
    s.tier = doc.value("tier", "");
    s.tour = doc.value("tour", false);
    s.allow_not_exercised = doc.value("allow_not_exercised", false);
    s.cases = within<int>(doc.at("cases").at("requested"), "cases.requested", 1, std::numeric_limits<int>::max());
    s.max_steps = within<int>(doc.at("max_steps"), "max_steps", 1, std::numeric_limits<int>::max());
    s.jobs = within<int>(doc.at("jobs"), "jobs", 1, kMaxJobs);
    if (doc.contains("budget")) {
      s.step_budget = whole<std::uint64_t>(doc["budget"].value("steps", json(0)), "budget.steps");
      const json seconds = doc["budget"].value("seconds", json(0));
      if (!seconds.is_number() || seconds.get<double>() < 0)
        throw std::runtime_error("budget.seconds must be a number >= 0");
      s.time_budget = seconds.get<double>();
    }
    if (doc.contains("shard")) {
      s.shard_count =
          within<int>(doc["shard"].is_object() && doc["shard"].contains("count") ? doc["shard"]["count"] : json(1),
                      "shard.count", 1, std::numeric_limits<int>::max());
      for (const json& k : doc["shard"].at("indices"))
        s.shards.push_back(within<int>(k, "shard.indices", 0, s.shard_count - 1));
      if (s.shards.size() == 1) s.shard_index = s.shards[0];
    }
    for (const json& k : doc.value("known_deviations", json::array())) {
      RunSettings::KnownDeviation e{k.at("rule"), k.value("why", ""), k.value("link", ""),
                                    k.value("intermittent", false)};
      std::string error;
      if (k.contains("where") && !detail::parse_scope(k["where"], e, error)) throw std::runtime_error(error);
      s.known_deviations.push_back(std::move(e));
    }
    s.ledger_file = doc.value("ledger_file", "");
    r.cases_run = whole<std::uint64_t>(doc.at("cases").at("run"), "cases.run");
    r.steps = whole<std::uint64_t>(doc.at("steps"), "steps");
    r.seconds = doc.at("seconds");
    r.finished = doc.at("finished");
    r.interrupted = doc.value("interrupted", false);
    r.reports_incomplete = doc.value("reports_incomplete", "");
    r.sought_discriminating = doc.value("sought_discriminating", false);
    if (doc.contains("directed")) {
      r.tour_cases = whole<std::uint64_t>(doc["directed"].at("tour_cases"), "directed.tour_cases");
      r.directed_cases = whole<std::uint64_t>(doc["directed"].at("cases"), "directed.cases");
    }
    r.stopped_by = doc.value("stopped_by", "");
    r.cut_short = doc.value("cut_short", "");
    for (const json& row : doc.at("rules")) {
      auto id = parse_rule_id(row.at("id").get<std::string>());
      if (!id || !row.contains("checks")) continue;
      r.tallies[static_cast<std::size_t>(*id)].checks = whole<std::uint64_t>(row.at("checks"), "checks");
      r.tallies[static_cast<std::size_t>(*id)].failures = whole<std::uint64_t>(row.at("failures"), "failures");
      if (row.contains("discriminating"))
        r.tallies[static_cast<std::size_t>(*id)].discriminating =
            whole<std::uint64_t>(row.at("discriminating"), "discriminating");
    }
    const json& cov = doc.at("coverage");
    r.coverage.init(s.model.profile);
    for (const json& st : cov.at("states"))
      for (int k = 0; k < kJobStateCount; ++k)
        if (short_name(static_cast<JobState>(k)) == st.get<std::string>())
          r.coverage.states |= static_cast<std::uint16_t>(1u << k);
    for (const json& op : cov.value("unsupported_calls", json::array()))
      for (int k = 0; k < kOpCount; ++k)
        if (op_name(static_cast<Op>(k)) == op.get<std::string>())
          r.coverage.unsupported_ops.set(static_cast<std::size_t>(k));
    if (cov.contains("bits")) {
      // One bit per (state, kind) pair and per (state, kind, next state) of the profile: the renderers
      // index the explorer's lists by them (found by fuzz/src/report_fuzzer.cpp). The explorer's lists
      // may be empty (unknown).
      const std::size_t pairs = r.coverage.pairs.size(), triples = r.coverage.triples.size();
      const auto sized = [&](const char* key, std::size_t n, bool may_be_empty) {
        std::vector<bool> b = bits_from(cov["bits"].at(key));
        if (!(b.size() == n || (may_be_empty && b.empty())))
          throw std::runtime_error(std::string("coverage.bits.") + key + " has " + std::to_string(b.size()) +
                                   " bits, the profile has " + std::to_string(n));
        return b;
      };
      r.coverage.pairs = sized("pairs", pairs, false);
      r.coverage.triples = sized("triples", triples, false);
      r.reachable_pairs = sized("reachable_pairs", pairs, true);
      r.reachable_triples = sized("reachable_triples", triples, true);
    }
    const KnownDeviations known = known_deviations_of(s.known_deviations);
    for (const json& c : doc.at("counterexamples")) {
      r.counterexamples.push_back(counterexample_from(c));
      // A report from before scoped entries: every ledgered rule's counterexample was a known one.
      if (Counterexample& read = r.counterexamples.back(); !c.contains("known") && read.status == CaseStatus::Violation)
        read.known = known.covers(read.rule, read.where);
      if (const RuleId rule = r.counterexamples.back().rule; !rule_applies(rule, s.model.profile))
        throw std::runtime_error("a counterexample of " + std::string(rule_id(rule)) + ", which profile " +
                                 std::string(name(s.model.profile)) + " does not judge");
    }
    if (doc.contains("crash") && !doc["crash"].is_null()) r.crash = counterexample_from(doc["crash"]);
    return r;
  } catch (const std::exception& e) {
    error = std::string("malformed report.json: ") + e.what();
    return std::nullopt;
  }
}

namespace {
// The ledger as it bears on the verdict: each rule, its scope and whether it is intermittent, in rule order.
std::vector<std::tuple<std::string, std::string, bool>> ledger_verdicts(const RunSettings& s) {
  std::vector<std::tuple<std::string, std::string, bool>> out;
  for (const RunSettings::KnownDeviation& k : s.known_deviations)
    out.emplace_back(k.rule, ledger_scope_text({k}, k.rule), k.intermittent);
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

void judge_by_ledger(RunResult& r, std::vector<RunSettings::KnownDeviation> ledger) {
  r.settings.known_deviations = std::move(ledger);
  const KnownDeviations known = known_deviations_of(r.settings.known_deviations);
  for (Counterexample& c : r.counterexamples)
    if (c.status == CaseStatus::Violation) c.known = known.covers(c.rule, c.where);
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
  m.cases_run = m.steps = m.tour_cases = m.directed_cases = 0;
  m.seconds = 0;
  m.finished = true;
  std::vector<const Counterexample*> firsts(kRuleCount, nullptr);
  for (const RunResult& s : shards) {
    const RunSettings& a = m.settings;
    const RunSettings& b = s.settings;
    if (a.target != b.target || a.model.profile != b.model.profile || a.seed != b.seed || a.cases != b.cases ||
        a.max_steps != b.max_steps || a.jobs != b.jobs || a.shard_count != b.shard_count ||
        a.step_budget != b.step_budget || a.time_budget != b.time_budget ||
        !(a.model.interpretations == b.model.interpretations) || !(a.model.rules == b.model.rules) ||
        a.tour != b.tour || a.tool_version != b.tool_version) {
      error =
          "the reports are not shards of one run (target, profile, seed, cases, budgets, steps, jobs, shard count, "
          "interpretations, disabled rules, --tour and the bgconform version must agree)";
      return std::nullopt;
    }
    // The verdict follows the ledger: shards judged by different ones would make it depend on their order.
    if (ledger_verdicts(a) != ledger_verdicts(b)) {
      error =
          "the shards were judged by different ledgers (their known deviations differ): merge them with "
          "--ledger FILE to judge all of them by one";
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
      m.tallies[k].discriminating += s.tallies[k].discriminating;
    }
    m.coverage.merge(s.coverage);
    m.cases_run += s.cases_run;
    m.tour_cases += s.tour_cases;
    m.directed_cases += s.directed_cases;
    m.steps += s.steps;
    m.seconds = std::max(m.seconds, s.seconds);  // shards run side by side
    m.finished = m.finished && s.finished;
    m.interrupted = m.interrupted || s.interrupted;
    if (m.reports_incomplete.empty()) m.reports_incomplete = s.reports_incomplete;
    m.sought_discriminating = m.sought_discriminating && s.sought_discriminating;
    if (m.stopped_by.empty()) m.stopped_by = s.stopped_by;
    if (m.cut_short.empty()) m.cut_short = s.cut_short;
    // A rule's counterexample outside the ledger's scopes wins over a known one (as in run_cases).
    for (const Counterexample& c : s.counterexamples) {
      const Counterexample*& f = firsts[static_cast<std::size_t>(c.rule)];
      if (!f || (f->known && !c.known) || (f->known == c.known && c.case_index < f->case_index)) f = &c;
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
