// Reading a report.json back (`bgconform merge`, `bgconform report`): a report rendered from a real
// run reads back to the same result, and a report that would make the renderers index out of range or
// misattribute a failure is refused with a message that names what is wrong.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bgconform/reference_target.h"
#include "bgconform/reports.h"
#include "bgconform/runner.h"

namespace bgc {
namespace {

using nlohmann::json;

// A run of one case against the reference: a job that fails on a 404, with a sweep after each step,
// reported as if E-2 had failed at the GetState of the last step's sweep.
RunResult sample_run() {
  const std::vector<Stimulus> seq = {stim::create_job(0),       stim::create_job(1),
                                     stim::add_file(0, 0),      stim::source(0, Behaviour::Http, 404),
                                     stim::call(Op::Resume, 0), stim::advance(5)};
  ReferenceTarget target;
  const JobModel model;
  RuleBits sought;
  sought.set(static_cast<std::size_t>(RuleId::E_2)).set(static_cast<std::size_t>(RuleId::ST_11));
  const CaseResult run = Runner{}.seeking(sought, kProbeEveryStep).run_case(target, model, seq);

  RunResult r;
  r.settings.target = "plugin:./libmyservice.so";
  r.settings.seed = 42;
  r.settings.cases = 7;
  r.settings.max_steps = 12;
  r.settings.jobs = 2;
  r.settings.ledger_file = "ledger.json";
  r.settings.known_deviations.push_back({"E-7", "protocol names", "https://example.invalid/1", true});
  r.tallies = run.tallies;
  r.tallies[static_cast<std::size_t>(RuleId::E_2)].failures = 1;
  for (int k = 0; k < kRuleCount; ++k)
    r.tallies[static_cast<std::size_t>(k)].discriminating = run.discriminated.test(static_cast<std::size_t>(k));
  r.sought_discriminating = true;
  r.coverage = run.coverage;
  r.cases_run = 7;
  r.steps = run.trace.size();
  r.seconds = 0.25;
  r.finished = true;
  Counterexample c = counterexample_of(run);
  c.status = CaseStatus::Violation;
  c.rule = RuleId::E_2;
  c.failed_step = c.trace.size() - 1;
  c.failed_at = static_cast<int>(c.trace.back().sweep.size());
  c.allowed = "BG_E_ERROR_INFORMATION_UNAVAILABLE";
  c.case_index = 3;
  c.original_steps = 30;
  c.shrunk_steps = c.trace.size();
  r.counterexamples.push_back(c);
  return r;
}

std::string read_error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_report(text, error).has_value()) << text.substr(0, 200);
  return error;
}

// The sample's report as JSON, to be spoiled by a test.
json sample_json() { return json::parse(render_json(sample_run())); }

TEST(ReportRead, AReportReadsBackToTheRunItCameFrom) {
  const RunResult original = sample_run();
  ASSERT_EQ(original.counterexamples.front().trace.back().sweep.size(), 2u);  // two live jobs
  std::string error;
  const auto back = parse_report(render_json(original), error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->settings.target, original.settings.target);
  EXPECT_EQ(back->settings.model.profile, Profile::Bits);
  EXPECT_EQ(back->settings.seed, 42u);
  EXPECT_EQ(back->settings.cases, 7);
  EXPECT_EQ(back->settings.max_steps, 12);
  EXPECT_EQ(back->settings.jobs, 2);
  EXPECT_EQ(back->settings.ledger_file, "ledger.json");
  ASSERT_EQ(back->settings.known_deviations.size(), 1u);
  EXPECT_EQ(back->settings.known_deviations[0].rule, "E-7");
  EXPECT_TRUE(back->settings.known_deviations[0].intermittent);
  EXPECT_EQ(back->cases_run, 7u);
  EXPECT_EQ(back->steps, original.steps);
  EXPECT_TRUE(back->finished);
  for (int i = 0; i < kRuleCount; ++i) {
    EXPECT_EQ(back->tallies[i].checks, original.tallies[i].checks) << rule_id(static_cast<RuleId>(i));
    EXPECT_EQ(back->tallies[i].failures, original.tallies[i].failures) << rule_id(static_cast<RuleId>(i));
    EXPECT_EQ(back->tallies[i].discriminating, original.tallies[i].discriminating) << rule_id(static_cast<RuleId>(i));
  }
  EXPECT_TRUE(back->sought_discriminating);
  EXPECT_EQ(back->tallies[static_cast<std::size_t>(RuleId::ST_11)].discriminating, 1u);  // the 404 put the job in ERROR
  EXPECT_EQ(back->coverage.states, original.coverage.states);
  EXPECT_EQ(back->coverage.pairs, original.coverage.pairs);
  EXPECT_EQ(back->coverage.triples, original.coverage.triples);

  ASSERT_EQ(back->counterexamples.size(), 1u);
  const Counterexample& want = original.counterexamples[0];
  const Counterexample& got = back->counterexamples[0];
  EXPECT_EQ(got.rule, RuleId::E_2);
  EXPECT_EQ(got.case_index, 3u);
  EXPECT_EQ(got.original_steps, 30u);
  EXPECT_EQ(got.failed_step, want.failed_step);
  EXPECT_EQ(got.failed_at, want.failed_at);
  EXPECT_EQ(got.allowed, want.allowed);
  ASSERT_EQ(got.trace.size(), want.trace.size());
  for (std::size_t i = 0; i < want.trace.size(); ++i) {
    EXPECT_EQ(got.trace[i].step.stimulus, want.trace[i].step.stimulus) << "step " << i;
    EXPECT_EQ(got.trace[i].step.observation, want.trace[i].step.observation) << "step " << i;
    ASSERT_EQ(got.trace[i].sweep.size(), want.trace[i].sweep.size()) << "step " << i;
    for (std::size_t k = 0; k < want.trace[i].sweep.size(); ++k) {
      EXPECT_EQ(got.trace[i].sweep[k].stimulus, want.trace[i].sweep[k].stimulus) << "step " << i << " sweep " << k;
      EXPECT_EQ(got.trace[i].sweep[k].observation, want.trace[i].sweep[k].observation)
          << "step " << i << " sweep " << k;
    }
  }
  EXPECT_FALSE(back->crash.has_value());
}

TEST(ReportRead, RefusesWhatIsNotAReport) {
  EXPECT_EQ(read_error("{}"), "not a bgconform report.json");
  EXPECT_EQ(read_error(R"({"format": "bgconform-ledger"})"), "not a bgconform report.json");
  EXPECT_NE(read_error("{\"schema\": ").find("malformed report.json: "), std::string::npos);
}

// nlohmann keeps the last of two equal keys; a shard edited by hand must not lose the first unsaid.
TEST(ReportRead, RefusesAKeyGivenTwice) {
  const std::string text = render_json(sample_run());
  ASSERT_EQ(text.front(), '{');
  EXPECT_EQ(read_error("{\"target\": \"another\", " + text.substr(1)),
            "malformed report.json: the key \"target\" is given twice in one object");
}

// A long run's progress line counts the cases of its own shard and says how long the rest will take
// at the pace so far; the tour (its case count is a bound) and a finished run say nothing of time.
TEST(Reports, TheProgressLineCountsTheShardsCasesAndTheTimeLeft) {
  RunResult r = sample_run();
  r.settings.known_deviations.clear();  // no ledger, until the end
  r.settings.cases = 300;
  r.cases_run = 23;
  r.steps = 2159;
  r.seconds = 333;
  EXPECT_EQ(render_progress(r, true), "  case 23/300  steps 2159  failing rules 1  333 s, about 1 h 7 min left");
  r.settings.shard_count = 7;
  r.settings.shard_index = 6;  // lanes 6 and 13 (of 16): cases 6, 22, ..., 294 and 13, 29, ..., 285: 37
  r.seconds = 30;
  EXPECT_EQ(render_progress(r, true), "  case 23/37  steps 2159  failing rules 1  30 s, about 18 s left");
  r.seconds = 80;
  EXPECT_EQ(render_progress(r, true), "  case 23/37  steps 2159  failing rules 1  80 s, about 49 s left");
  r.cases_run = 37;
  EXPECT_EQ(render_progress(r, true), "  case 37/37  steps 2159  failing rules 1  80 s");
  r.cases_run = 20;
  r.settings.tour = true;
  r.settings.shard_count = 1;
  EXPECT_EQ(render_progress(r, true), "  case 20/300  steps 2159  failing rules 1  80 s");
  r.settings.tour = false;
  EXPECT_NE(render_progress(r, false).find("pairs 0/0  27 steps/s  about 19 min left"), std::string::npos)
      << render_progress(r, false);
  r.cases_run = 290;  // under a second left: a fast run's line has no figure of time
  r.seconds = 2;
  EXPECT_EQ(render_progress(r, true), "  case 290/300  steps 2159  failing rules 1  2 s");
  // With a ledger, the failing rules it lists are counted apart (sample_run's one fails E-2).
  r.settings.known_deviations = {{"E-7", "", "", true}};
  EXPECT_EQ(render_progress(r, true), "  case 290/300  steps 2159  failing rules 1 (0 known)  2 s");
  r.settings.known_deviations.push_back({"E-2", "", "", true});
  r.counterexamples.front().known = true;  // as the Runner marks a deviation the ledger covers
  EXPECT_EQ(render_progress(r, true), "  case 290/300  steps 2159  failing rules 1 (1 known)  2 s");
}

// The reproduce command is pasted into a shell: a path with spaces, $(...) or quotes stays one word.
TEST(Reports, TheReproduceCommandQuotesWhatAShellWouldSplit) {
  RunResult r = sample_run();
  r.settings.target = "plugin:./lib $(x) 'q'.so";
  r.settings.ledger_file = "known.json";
  EXPECT_EQ(
      reproduce_command(r, r.counterexamples.front(), "out dir"),
      "bgconform replay 'out dir/replay-E-2.txt' --target 'plugin:./lib $(x) '\\''q'\\''.so' --ledger known.json");
  r.settings.target = "plugin:./libplain-1.so";
  EXPECT_EQ(reproduce_command(r, r.counterexamples.front(), "out"),
            "bgconform replay out/replay-E-2.txt --target plugin:./libplain-1.so --ledger known.json");
}

TEST(ReportRead, RefusesAnotherSchemaVersion) {
  json j = sample_json();
  j["schema_version"] = kReportSchemaVersion + 1;
  EXPECT_EQ(read_error(j.dump()), "report schema version " + std::to_string(kReportSchemaVersion + 1) +
                                      ", this bgconform reads " + std::to_string(kReportSchemaVersion));
}

// A sweep holds one GetState per job slot: a longer one would overrun the step's inline sweep.
TEST(ReportRead, RefusesASweepLongerThanTheJobSlots) {
  json j = sample_json();
  json& sweep = j["counterexamples"][0]["steps"][0]["sweep"];
  ASSERT_FALSE(sweep.empty());
  while (sweep.size() <= Sweep::kCapacity) sweep.push_back(sweep[0]);
  EXPECT_NE(read_error(j.dump()).find("a \"sweep\" has more than 3 entries"), std::string::npos);
}

// The failure's place must be in the counterexample: the step tables and the diagram mark it.
TEST(ReportRead, RefusesAFailurePlacedOutsideItsCounterexample) {
  json past = sample_json();
  const std::size_t steps = past["counterexamples"][0]["steps"].size();
  past["counterexamples"][0]["failed_step"] = steps;
  EXPECT_NE(read_error(past.dump()).find("\"failed_step\" " + std::to_string(steps) + " is past"), std::string::npos);

  json outside = sample_json();
  outside["counterexamples"][0]["failed_at"] = 3;  // the failing step's sweep has 2 entries
  EXPECT_NE(read_error(outside.dump()).find("\"failed_at\" 3 is not in the failing step's sweep"), std::string::npos);

  // Its replay file would be refused: no stimuli, or a rule the profile does not judge.
  json empty = sample_json();
  empty["counterexamples"][0]["steps"] = json::array();
  EXPECT_NE(read_error(empty.dump()).find("a counterexample without steps"), std::string::npos);
  json other = sample_json();
  other["counterexamples"][0]["rule"] = "D-8";  // do only; the sample is bits
  EXPECT_NE(read_error(other.dump()).find("D-8, which profile bits does not judge"), std::string::npos);
}

TEST(ReportRead, RefusesCoverageBitsOfAnotherProfile) {
  json j = sample_json();
  std::string pairs = j["coverage"]["bits"]["pairs"];
  j["coverage"]["bits"]["pairs"] = pairs + "0";
  EXPECT_NE(read_error(j.dump()).find("coverage.bits.pairs has " + std::to_string(pairs.size() + 1) + " bits"),
            std::string::npos);

  json letters = sample_json();
  letters["coverage"]["bits"]["triples"] = "01x";
  EXPECT_NE(read_error(letters.dump()).find("coverage bits are a string of 0 and 1"), std::string::npos);
}

TEST(ReportRead, RefusesNumbersThatAreNotWholeOrOutOfRange) {
  json fraction = sample_json();
  fraction["seed"] = 1.5;
  EXPECT_NE(read_error(fraction.dump()).find("\"seed\": 1.5 is not a whole number in range"), std::string::npos);

  json jobs = sample_json();
  jobs["jobs"] = kMaxJobs + 1;
  EXPECT_NE(read_error(jobs.dump()).find("\"jobs\": 4 is outside 1..3"), std::string::npos);
}

TEST(ReportRead, RefusesAStepThatDoesNotParse) {
  json j = sample_json();
  j["counterexamples"][0]["steps"][0]["stimulus"] = "Resume(job 9";
  EXPECT_NE(read_error(j.dump()).find("stimulus 'Resume(job 9'"), std::string::npos);
}

// A run the target stopped (create_manager failed on the fourth case) says so in every report, reads
// back with its reason, and gives the merged run its reason too; an interrupted run is incomplete too.
TEST(ReportRead, ARunStoppedByItsTargetSaysSoAndReadsBack) {
  RunResult r = sample_run();
  r.counterexamples.clear();
  r.tallies[static_cast<std::size_t>(RuleId::E_2)].failures = 0;
  r.settings.known_deviations.clear();
  r.cases_run = 3;
  r.finished = false;
  r.stopped_by = "plugin './libmyservice.so': create_manager failed with 0x80004005";
  EXPECT_NE(render_markdown(r).find("stopped early by an error (so far: conformant)"), std::string::npos);
  const std::string summary = render_summary(r, "out");
  EXPECT_NE(summary.find("INCOMPLETE (so far: conformant): the run stopped after 3 of 7 cases: plugin"),
            std::string::npos)
      << summary;
  EXPECT_EQ(summary.find("\nconformant\n"), std::string::npos) << "a stopped run has no verdict of its own";
  EXPECT_NE(render_junit(r).find("name=\"run-stopped\""), std::string::npos);
  EXPECT_NE(render_html(r, "out").find("create_manager failed with 0x80004005"), std::string::npos);
  RunResult interrupted = r;
  interrupted.stopped_by.clear();
  interrupted.interrupted = true;
  EXPECT_NE(render_summary(interrupted, "out")
                .find("INCOMPLETE (so far: conformant): the run stopped after 3 of 7 cases: interrupted"),
            std::string::npos);
  EXPECT_NE(render_markdown(interrupted).find("## bgconform: incomplete (so far: conformant)"), std::string::npos);
  std::string error_of_read_back;
  EXPECT_EQ(render_junit(interrupted).find("run-stopped"), std::string::npos)
      << "an interruption is not the target's error";
  EXPECT_NE(render_junit(interrupted).find("name=\"run-incomplete\""), std::string::npos)
      << "CI must not read it as green";
  // A report written while the run goes on says so, not "interrupted".
  RunResult running = interrupted;
  running.interrupted = false;
  EXPECT_NE(render_summary(running, "out").find("cases: still running when this was written"), std::string::npos);
  // Reports that could not all be written say so, though the run finished.
  RunResult full_disk = r;
  full_disk.stopped_by.clear();
  full_disk.finished = true;
  full_disk.reports_incomplete = "cannot write out/report.html.tmp: No space left on device";
  EXPECT_NE(render_markdown(full_disk).find("**Incomplete:** the reports could not all be written (cannot write"),
            std::string::npos);
  EXPECT_NE(render_junit(full_disk).find("name=\"run-incomplete\""), std::string::npos);
  const auto read_back = parse_report(render_json(full_disk), error_of_read_back);
  ASSERT_TRUE(read_back) << error_of_read_back;
  EXPECT_EQ(read_back->reports_incomplete, full_disk.reports_incomplete);
  std::string error;
  const auto back = parse_report(render_json(r), error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->stopped_by, r.stopped_by);
  EXPECT_FALSE(back->finished);
  RunResult whole = r;
  whole.stopped_by.clear();
  whole.finished = true;
  r.settings.shard_count = whole.settings.shard_count = 2;
  r.settings.shard_index = 0;
  whole.settings.shard_index = 1;
  const auto merged = merge_results({whole, r}, error);
  ASSERT_TRUE(merged.has_value()) << error;
  EXPECT_EQ(merged->stopped_by, r.stopped_by);
  EXPECT_FALSE(merged->finished);
}

// A failure the run could not shrink (the target could not start another case, or Ctrl-C) says it is
// as found, not "shrunk from" a count of stimuli to a count of traced steps (a real-time target's
// trace has its polls in it: it read "shrunk from 5 to 21 steps"), and says so again when read back.
TEST(ReportRead, AFailureReportedAsFoundSaysWhy) {
  RunResult r = sample_run();
  r.finished = false;
  r.stopped_by = "'wine' did not start: no answer within 120000 ms";
  Counterexample& c = r.counterexamples.front();
  c.original_steps = 5;
  c.shrunk_steps = 0;
  c.as_found = "the target could not start another case";
  const std::string said =
      std::to_string(c.trace.size()) + " steps, as found (the target could not start another case)";
  EXPECT_NE(render_summary(r, "out").find("case 3, " + said), std::string::npos) << render_summary(r, "out");
  EXPECT_NE(render_html(r, "out").find(said), std::string::npos);
  EXPECT_EQ(render_summary(r, "out").find("shrunk from"), std::string::npos);
  std::string error;
  const auto back = parse_report(render_json(r), error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->counterexamples.front().as_found, c.as_found);
  // Read from a report.json written by hand, it is text in the HTML, not markup.
  c.as_found = "<b>why</b>";
  EXPECT_NE(render_html(r, "out").find("as found (&lt;b&gt;why&lt;/b&gt;)"), std::string::npos);
}

// Shards judged under other interpretations or other rules are not one run: their verdicts differ.
TEST(ReportRead, MergeRefusesShardsUnderOtherInterpretationsOrRules) {
  RunResult a = sample_run(), b = sample_run();
  a.settings.shard_count = b.settings.shard_count = 2;
  a.settings.shard_index = 0;
  b.settings.shard_index = 1;
  std::string error;
  ASSERT_TRUE(merge_results({a, b}, error).has_value()) << error;
  RunResult other = b;
  ASSERT_EQ(other.settings.model.interpretations.set("I-1=either"), "");
  EXPECT_FALSE(merge_results({a, other}, error).has_value());
  EXPECT_NE(error.find("interpretations, disabled rules"), std::string::npos) << error;
  other = b;
  other.settings.model.rules = other.settings.model.rules.without(RuleId::E_2);
  EXPECT_FALSE(merge_results({a, other}, error).has_value());
  other = b;
  other.settings.tour = true;
  EXPECT_FALSE(merge_results({a, other}, error).has_value());
  other = b;
  other.settings.tool_version = "0.0.1";
  EXPECT_FALSE(merge_results({a, other}, error).has_value());
}

// The verdict follows the ledger: shards judged by different ones gave a verdict that depended on which
// came first. The same entries in another order, or with other words, are the same ledger.
TEST(ReportRead, MergeRefusesShardsJudgedByDifferentLedgers) {
  RunResult a = sample_run(), b = sample_run();
  a.settings.shard_count = b.settings.shard_count = 2;
  a.settings.shard_index = 0;
  b.settings.shard_index = 1;
  a.settings.known_deviations = {{"E-2", "why", "", false}, {"ST-7", "why", "", true}};
  b.settings.known_deviations = {{"ST-7", "other words", "", true}, {"E-2", "why", "link", false}};
  std::string error;
  ASSERT_TRUE(merge_results({a, b}, error).has_value()) << error;
  b.settings.known_deviations.pop_back();
  EXPECT_FALSE(merge_results({a, b}, error).has_value());
  EXPECT_NE(error.find("different ledgers"), std::string::npos) << error;
  b.settings.known_deviations = {{"ST-7", "why", "", false}, {"E-2", "why", "", false}};  // ST-7 not intermittent
  EXPECT_FALSE(merge_results({a, b}, error).has_value());
}

// ---- Scoped ledger entries ---------------------------------------------------------------------

std::vector<RunSettings::KnownDeviation> ledger_of(const std::string& entries, std::string& error) {
  const auto parsed =
      parse_ledger(R"({"format": "bgconform-ledger", "version": 1, "known_deviations": [)" + entries + "]}", error);
  return parsed ? *parsed : std::vector<RunSettings::KnownDeviation>{};
}

std::string ledger_error(const std::string& entries) {
  std::string error;
  EXPECT_TRUE(ledger_of(entries, error).empty()) << entries;
  return error;
}

TEST(Ledger, AnEntryMayScopeItsRuleToAStateAStimulusAndAnAnswer) {
  std::string error;
  const auto ledger = ledger_of(R"({"rule": "E-2", "why": "w", "where": {"state": "ERROR", "stimulus": "GetError"}},
      {"rule": "E-2", "why": "w", "where": {"stimulus": "Error.GetError", "answer": "0x80200010"}},
      {"rule": "ST-7", "why": "anywhere"})",
                                error);
  ASSERT_EQ(ledger.size(), 3u) << error;
  EXPECT_EQ(ledger[0].state, JobState::Error);
  EXPECT_EQ(ledger[0].stimulus, Op::GetError);
  EXPECT_FALSE(ledger[0].answer.has_value());
  EXPECT_FALSE(ledger[1].state.has_value());
  EXPECT_EQ(ledger[1].stimulus, Op::ErrGetError);
  EXPECT_EQ(ledger[1].answer, "BG_E_NETWORK_DISCONNECTED");  // the code as the step tables print it
  EXPECT_FALSE(ledger[2].scoped());
  // Written back, the scopes stay.
  const auto again = parse_ledger(render_ledger("t", Profile::Bits, ledger), error);
  ASSERT_TRUE(again.has_value()) << error;
  ASSERT_EQ(again->size(), 3u);
  EXPECT_EQ((*again)[0].state, JobState::Error);
  EXPECT_EQ((*again)[1].answer, "BG_E_NETWORK_DISCONNECTED");
  EXPECT_FALSE((*again)[2].scoped());

  // A deviation is known when an entry of its rule covers where it happened.
  const KnownDeviations known = known_deviations_of(ledger);
  DeviationSite in_error{JobState::Error, Op::GetError, "S_OK null"};
  EXPECT_TRUE(known.covers(RuleId::E_2, in_error));
  EXPECT_FALSE(known.covers(RuleId::E_2, {JobState::Suspended, Op::GetError, "S_OK null"}));
  EXPECT_FALSE(known.covers(RuleId::E_2, {std::nullopt, Op::GetError, "S_OK null"}));
  EXPECT_TRUE(known.covers(RuleId::E_2, {JobState::Queued, Op::ErrGetError, "BG_E_NETWORK_DISCONNECTED"}));
  EXPECT_FALSE(known.covers(RuleId::E_2, {JobState::Queued, Op::ErrGetError, "S_OK context=NONE code=S_OK"}));
  EXPECT_TRUE(known.covers(RuleId::ST_7, {JobState::Queued, Op::Suspend, "S_OK"}));
  EXPECT_FALSE(known.covers(RuleId::E_5, in_error));
}

TEST(Ledger, RefusesAScopeItCannotMatch) {
  EXPECT_EQ(ledger_error(R"({"rule": "E-2", "why": "w", "where": "ERROR"})"),
            R"(known_deviations[0]: "where" is an object {"state": ..., "stimulus": ..., "answer": ...})");
  EXPECT_EQ(ledger_error(R"({"rule": "E-2", "why": "w", "where": {"job": "j0"}})"),
            R"(known_deviations[0]: unknown key "job" in "where" (expected state, stimulus, answer))");
  EXPECT_NE(ledger_error(R"({"rule": "E-2", "why": "w", "where": {"state": "BROKEN"}})")
                .find(R"(known_deviations[0]: "where": 'BROKEN' is not a job state (QUEUED, CONNECTING)"),
            std::string::npos);
  EXPECT_NE(ledger_error(R"({"rule": "E-2", "why": "w", "where": {"stimulus": "GetErr"}})")
                .find(R"(known_deviations[0]: "where": 'GetErr' is not a stimulus ()"),
            std::string::npos);
  EXPECT_EQ(ledger_error(R"({"rule": "E-2", "why": "w", "where": {"state": 4}})"),
            R"(known_deviations[0]: "where"."state" must be a string)");
  EXPECT_NE(ledger_error(R"({"rule": "E-2", "why": "w", "where": {"answer": "fine"}})")
                .find(R"(known_deviations[0]: "where": 'fine' is not an answer)"),
            std::string::npos);
  // The same rule twice with one scope (or none) is a mistake; with two scopes it is two entries.
  EXPECT_EQ(ledger_error(R"({"rule": "E-2", "why": "w", "where": {"state": "ERROR"}},
                            {"rule": "E-2", "why": "v", "where": {"state": "ERROR"}})"),
            "known_deviations[1]: E-2 is listed twice with the scope state ERROR");
  EXPECT_EQ(ledger_error(R"({"rule": "E-2", "why": "w"}, {"rule": "E-2", "why": "v"})"),
            "known_deviations[1]: E-2 is listed twice");
}

// A run whose ledger scopes E-2 to the ERROR state, and whose E-2 counterexample happened elsewhere.
RunResult failed_outside_the_scope() {
  RunResult r = sample_run();
  r.settings.known_deviations = {{"E-2", "GetError in ERROR", "", false, JobState::Error, Op::GetError}};
  Counterexample& c = r.counterexamples.front();
  c.known = false;
  c.where = {JobState::TransientError, Op::Advance, "S_OK state=ERROR"};
  return r;
}

TEST(Ledger, ARuleThatFailedOutsideItsScopeFailsAndTheReportsSaySo) {
  RunResult r = failed_outside_the_scope();
  EXPECT_EQ(rule_outcome(r, RuleId::E_2), RuleOutcome::Fail);
  EXPECT_EQ(run_outcome(r), RuleOutcome::Fail);
  const std::string outside =
      "outside the ledger's scope (state ERROR, stimulus GetError): it broke the rule at state TRANSIENT_ERROR, "
      "stimulus Advance, answer S_OK state=ERROR";
  const std::string summary = render_summary(r, "out");
  EXPECT_NE(summary.find("\nFAIL E-2  " + std::string(rule_info(RuleId::E_2).statement) + " " + outside),
            std::string::npos)
      << summary;
  const std::string escaped = "outside the ledger&apos;s scope (state ERROR, stimulus GetError)";
  EXPECT_NE(render_junit(r).find(escaped), std::string::npos);
  EXPECT_NE(render_markdown(r).find(outside), std::string::npos);
  EXPECT_NE(render_html(r, "out").find(escaped), std::string::npos);
  // Within the scope, the same counterexample is a known deviation.
  r.counterexamples.front().known = true;
  EXPECT_EQ(rule_outcome(r, RuleId::E_2), RuleOutcome::KnownDeviation);
  EXPECT_EQ(render_summary(r, "out").find("outside the ledger's scope"), std::string::npos);
}

TEST(Ledger, AScopedRunReadsBackAndMergesByItsScopes) {
  const RunResult r = failed_outside_the_scope();
  std::string error;
  const auto back = parse_report(render_json(r), error);
  ASSERT_TRUE(back.has_value()) << error;
  ASSERT_EQ(back->settings.known_deviations.size(), 1u);
  EXPECT_EQ(back->settings.known_deviations[0].state, JobState::Error);
  EXPECT_EQ(back->settings.known_deviations[0].stimulus, Op::GetError);
  ASSERT_EQ(back->counterexamples.size(), 1u);
  EXPECT_FALSE(back->counterexamples[0].known);
  EXPECT_EQ(back->counterexamples[0].where, r.counterexamples[0].where);
  EXPECT_EQ(rule_outcome(*back, RuleId::E_2), RuleOutcome::Fail);
  // Judged again by a ledger whose scope covers it (merge --ledger), it is known.
  RunResult again = *back;
  judge_by_ledger(again, {{"E-2", "in TRANSIENT_ERROR too", "", false, JobState::TransientError}});
  EXPECT_TRUE(again.counterexamples[0].known);
  EXPECT_EQ(rule_outcome(again, RuleId::E_2), RuleOutcome::KnownDeviation);
  // Shards judged by one rule's entries under other scopes are refused, as other ledgers are.
  RunResult a = r, b = r;
  a.settings.shard_count = b.settings.shard_count = 2;
  b.settings.shard_index = 1;
  b.settings.known_deviations[0].state = JobState::Suspended;
  EXPECT_FALSE(merge_results({a, b}, error).has_value());
  // A report from before scopes (no "known", no "where"): its ledgered rules' counterexamples are known.
  json old = json::parse(render_json(r));
  old["known_deviations"][0].erase("where");
  old["counterexamples"][0].erase("known");
  old["counterexamples"][0].erase("where");
  const auto before = parse_report(old.dump(), error);
  ASSERT_TRUE(before.has_value()) << error;
  EXPECT_TRUE(before->counterexamples[0].known);
}

// Scoped to the stimulus only: the state a deviation is found in varies from case to case.
TEST(Ledger, AStartingLedgerIsScopedToEachCounterexamplesStimulus) {
  RunResult r = sample_run();
  r.settings.known_deviations.clear();
  r.counterexamples.front().where = {JobState::TransientError, Op::Advance, "S_OK state=ERROR"};
  std::string error;
  const auto text = ledger_from_report(render_json(r), error);
  ASSERT_TRUE(text.has_value()) << error;
  const auto ledger = parse_ledger(*text, error);
  ASSERT_TRUE(ledger.has_value()) << error << *text;
  ASSERT_EQ(ledger->size(), 1u) << *text;
  EXPECT_EQ((*ledger)[0].rule, "E-2");
  EXPECT_FALSE((*ledger)[0].state.has_value()) << "a state is too narrow a scope to start from";
  EXPECT_EQ((*ledger)[0].stimulus, Op::Advance);
  EXPECT_FALSE((*ledger)[0].answer.has_value()) << "an answer is too narrow a scope to start from";
  // A rule that failed outside its entries' scopes keeps them and gains one where it failed.
  const auto wider = parse_ledger(*ledger_from_report(render_json(failed_outside_the_scope()), error), error);
  ASSERT_TRUE(wider.has_value()) << error;
  ASSERT_EQ(wider->size(), 2u);
  EXPECT_EQ((*wider)[0].state, JobState::Error);
  EXPECT_EQ((*wider)[1].stimulus, Op::Advance);
  EXPECT_FALSE((*wider)[1].state.has_value());
  EXPECT_EQ((*wider)[1].why, "GetError in ERROR");
}

}  // namespace
}  // namespace bgc
