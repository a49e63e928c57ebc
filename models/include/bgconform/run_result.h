// The result of a conformance run: what reports render (reports/ never runs anything).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bgconform/case_result.h"

namespace bgc {

// A run's cases are dealt to this many lanes (case i to lane i mod kLanes). The cases of a lane are
// guided by that lane's earlier cases only, and each lane has its share of the step budget, so a lane
// runs the same cases whichever other lanes run beside it: shards take whole lanes, and the shards of a
// run together run exactly the cases the unsharded run does.
inline constexpr int kLanes = 16;

// What the run was asked to do.
struct RunSettings {
  std::string tool_version;
  std::string target = "reference";
  // The implementation's own name and version (a plugin's table name; Target::implementation): what
  // reports call it, and junit.xml's classnames (the same on every machine, unlike a plugin's path).
  std::string implementation;
  ModelConfig model;
  std::uint64_t seed = 1;
  int cases = 200;  // the most cases the run takes (kNoCaseBound: as many as its budgets allow)
  int max_steps = 40;
  // Budgets: the run stops at its case bound, after this many checked steps (the cases' steps, polls
  // included, shrinking not), or after this many seconds, whichever comes first; 0: no such budget. A
  // case under way when a budget runs out is finished. The tiers are step budgets (bgconform run --tier).
  std::uint64_t step_budget = 0;
  double time_budget = 0;
  int jobs = 3;
  // The cases come from the adaptive transition tour (`--tour`: every reachable (state, kind) pair of
  // the explorer's instance, aimed at in turn) instead of the generator; `cases` bounds them.
  bool tour = false;
  // Generated cases are guided (conformance/src/case_corpus.h): swarm testing, and cases derived from
  // the ones that reached situations of the model no earlier case reached. Off: the generator alone.
  bool guided = true;
  std::string tier;         // "quick", "full", or empty (cases and steps given by hand)
  int shard_index = 0;      // this run's share of the cases: those with index % shard_count == shard_index
  int shard_count = 1;      // (GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX); merged reports list every shard
  std::vector<int> shards;  // the shards a (merged) result holds; empty: all of them
  // A target that is not deterministic (a real service): each failing case is run again this many
  // times before it is reported, instead of being shrunk, to tell a deviation from timing noise.
  int reruns = 2;
  // An applicable rule the run never checked is not a pass: the gate fails on it (exit 1) unless this
  // is set (--allow-not-exercised) or the ledger lists the rule.
  bool allow_not_exercised = false;
  // The known-deviation ledger (--ledger): rules whose failure is expected of this target.
  struct KnownDeviation {
    std::string rule;  // a rule ID the model checks, e.g. "E-2"
    std::string why;
    std::string link;  // optional
    // A real service's deviation that a run may not reach (its timing decides): not seeing it is not an
    // unexpected pass. Prove it another way (a replay of it in the test suite).
    bool intermittent = false;
    // "where": the deviations of the rule this entry covers (runner.h, DeviationSite); each part
    // optional, none at all: the rule anywhere. A deviation of the rule elsewhere is a new failure.
    std::optional<JobState> state = std::nullopt;
    std::optional<Op> stimulus = std::nullopt;
    std::optional<std::string> answer = std::nullopt;
    bool scoped() const { return state || stimulus || answer; }
  };
  std::vector<KnownDeviation> known_deviations;
  std::string trace_file;   // bgconform check: the trace judged (its failures are reproduced by checking it)
  std::string ledger_file;  // the --ledger as given: the reproduce commands pass it on (a real service's
                            // replay must go on past the other known deviations, as the run did)
  // Whether this run takes the cases of a lane (kLanes): all of them, or its shard's.
  bool runs_lane(int lane) const { return shard_count <= 1 || lane % shard_count == shard_index; }
  // The cases this run takes: all of `cases`, or its shard's share of them.
  int cases_in_shard() const {
    if (shard_count <= 1) return cases;
    int n = 0;
    for (int lane = 0; lane < kLanes; ++lane)
      if (runs_lane(lane) && cases > lane) n += (cases - lane + kLanes - 1) / kLanes;
    return n;
  }
  // This run's share of the step budget (0: none): each lane's share, for each lane it takes.
  std::uint64_t step_budget_in_shard() const {
    if (step_budget == 0) return 0;
    std::uint64_t lanes = 0;
    for (int lane = 0; lane < kLanes; ++lane) lanes += runs_lane(lane);
    return lanes * ((step_budget + kLanes - 1) / kLanes);
  }
  // The first ledger entry of a rule (a rule may have several, each with its own scope).
  const KnownDeviation* known_deviation(std::string_view rule) const {
    for (const KnownDeviation& k : known_deviations)
      if (k.rule == rule) return &k;
    return nullptr;
  }
  // Whether every entry of the rule says its deviation may not be reached (not seeing it is no
  // unexpected pass); false when the ledger does not list the rule.
  bool intermittent(std::string_view rule) const {
    bool any = false;
    for (const KnownDeviation& k : known_deviations)
      if (k.rule == rule) {
        if (!k.intermittent) return false;
        any = true;
      }
    return any;
  }
};

inline constexpr int kNoCaseBound = 2147483647;  // RunSettings::cases when only the budgets bound a run

// The deviations a ledger expects, as the Runner matches them (DeviationPolicy::known).
inline KnownDeviations known_deviations_of(const std::vector<RunSettings::KnownDeviation>& ledger) {
  KnownDeviations known;
  for (const RunSettings::KnownDeviation& k : ledger)
    if (auto id = parse_rule_id(k.rule)) known.add({*id, k.state, k.stimulus, k.answer});
  return known;
}

// The first failing case of one rule (or the crash), shrunk.
struct Counterexample {
  CaseStatus status = CaseStatus::Violation;
  RuleId rule = RuleId::ST_9;
  bool by_monitor = false;
  std::uint64_t case_index = 0;
  std::size_t original_steps = 0;  // applied steps before shrinking
  std::size_t shrunk_steps = 0;    // after shrinking, before the model's shortest-sequence search (shortest.h)
  int reruns = 0;                  // not deterministic: the case was run again this many times (not shrunk) ...
  int reproduced = 0;              // ... and failed the same way this many times
  bool gone_past = false;          // a known deviation the case went on past (runner.h): as it happened
  // A violation: whether the ledger covers it (a rule whose deviations were all known), and where it
  // happened (the ledger's "where": a scoped entry that does not cover it is named in the reports).
  bool known = false;
  DeviationSite where;
  std::string as_found;           // why it is as found, neither shrunk nor run again (the run was
                                  // interrupted, the target could not start a case); empty otherwise
  std::vector<TracedStep> trace;  // the shrunk case, up to and including the failing step
  std::size_t failed_step = 0;
  int failed_at = 0;
  std::string allowed;
  std::string failure;  // a crash or hang: how the target failed (Target::failure_detail)
  std::string output;   // what the implementation printed in the case (Target::case_output)
  double seconds = 0;   // spent on it after the case: shrinking it, or running it again
  // A failure that depends on earlier cases (it does not fail alone): the cases that, run before it
  // in the same process, make it fail again - the shortest such run of the cases before it. The
  // replay file runs them first.
  std::vector<std::vector<Stimulus>> earlier_cases;
};

// A failed case as a counterexample, as it ran; callers add what they know of its shrinking.
inline Counterexample counterexample_of(const CaseResult& r) {
  Counterexample c;
  c.status = r.status;
  c.rule = r.rule;
  c.by_monitor = r.by_monitor;
  c.trace = r.trace;
  c.failed_step = r.failed_step;
  c.failed_at = r.failed_at;
  c.allowed = r.allowed;
  c.failure = r.failure;
  c.output = r.output;
  c.known = r.known;
  c.where = r.where;
  return c;
}

struct RunResult {
  RunSettings settings;
  std::array<RuleTally, kRuleCount> tallies{};
  Coverage coverage;
  std::vector<bool> reachable_pairs;    // the explorer's, for the coverage ratio (empty: unknown)
  std::vector<bool> reachable_triples;  // the explorer's (state, kind, next state), for the diagram
  std::uint64_t cases_run = 0;
  std::uint64_t steps = 0;
  std::uint64_t situations = 0;  // distinct situations of the model the run's cases reached (case_corpus.h)
  // The directed phase (lane 0's first cases): the adaptive tour's cases, and the cases aimed at a
  // discriminating situation of a rule the cases before had not met.
  std::uint64_t tour_cases = 0;
  std::uint64_t directed_cases = 0;
  double seconds = 0;
  double first_failure_seconds =
      -1;  // from the first case's start to the end of the first failing case, before shrinking; -1: none
  bool finished = false;     // every requested case ran: not interrupted, not stopped by an error
  bool interrupted = false;  // Ctrl-C (SIGINT, SIGTERM) ended the run
  // A report file could not be written (a full disk): why. The reports that could be written then say
  // they are incomplete; the run's exit says so too.
  std::string reports_incomplete;
  // The run sought a discriminating situation for every rule (Runner::seeking): a rule passes only when
  // it met one (RuleTally::discriminating); merely consulted, it was not exercised. False for results
  // that never sought them (a report written before they were): there, consulted once is exercised.
  bool sought_discriminating = false;
  // Why the run stopped before its last case when the target failed outside any call: a plugin whose
  // create_manager fails, or whose host cannot be started again. Empty otherwise.
  std::string stopped_by;
  // Why a run that finished ended before its budgets: the target hung again in a few cases after its
  // hang was found (case_loop.cpp). Empty otherwise.
  std::string cut_short;
  std::vector<Counterexample> counterexamples;  // the first of each failing rule, in the order found
  std::optional<Counterexample> crash;          // the first crash or hang

  const Counterexample* counterexample(RuleId r) const {
    for (const Counterexample& c : counterexamples)
      if (c.rule == r) return &c;
    return nullptr;
  }
  std::size_t reachable_pair_count() const {
    std::size_t n = 0;
    for (bool b : reachable_pairs) n += b;
    return n;
  }
  std::size_t covered_reachable_pairs() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < reachable_pairs.size() && i < coverage.pairs.size(); ++i)
      n += reachable_pairs[i] && coverage.pairs[i];
    return n;
  }
};

// One outcome per rule. Crash/Timeout: the target crashed or hung while answering a call the rule
// judges (rule_calls), and the rule had not failed before; a crash during an environment event (or a
// call no rule names) is the run's outcome only (run_outcome). KnownDeviation: failed, and listed in
// the ledger; UnexpectedPass: listed in the ledger but passed (a fixed bug must leave the ledger).
enum class RuleOutcome : std::uint8_t {
  Pass,
  Fail,
  NotExercised,
  NotModelled,
  NotSupported,
  Disabled,
  Crash,
  Timeout,
  KnownDeviation,
  UnexpectedPass
};
std::string_view outcome_name(RuleOutcome o);
RuleOutcome rule_outcome(const RunResult& r, RuleId id);
// The run as a whole: Crash or Timeout if the target crashed or hung; else Fail if any rule failed or
// passed unexpectedly; else NotExercised if the run finished and an applicable rule was never checked
// (not_exercised_fails);
// else KnownDeviation if only ledgered rules failed; else Pass.
RuleOutcome run_outcome(const RunResult& r);
// Whether a rule never checked counts against the run: the run finished (one that stopped early says
// what ran so far), --allow-not-exercised is not given, and the rule is not in the ledger (a real
// service's intermittent deviation may leave its rule unchecked on a run).
bool not_exercised_fails(const RunResult& r, RuleId id);

}  // namespace bgc
