// Helpers the renderers share (reports/src only).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bgconform/run_result.h"

namespace bgc::detail {

std::string xml_escape(std::string_view s);
// A number with one decimal, as report.html writes coordinates and seconds: "3.5".
std::string one_decimal(double v);
// What went wrong at a counterexample's failing step.
struct FailureDetail {
  std::string stimulus;  // the stimulus (or sweep call) whose answer broke the rule
  std::string observed;  // what the target answered
  std::string allowed;   // what the model allowed ("" for a crash or hang)
};
FailureDetail failure_detail(const Counterexample& c);
std::string sweep_text(std::span<const Step> sweep);
// A traced step's stimulus, marked when the Runner polled a real-time target or let time pass first:
// "GetState j0 (poll, +0..1s)".
std::string stimulus_text(const TracedStep& t);
// "shrunk from 12 to 4 steps", or for a target that is not deterministic "12 steps, not shrunk; failed
// the same way in 2 of 2 re-runs".
std::string size_text(const Counterexample& c);
// The last `lines` lines of what the implementation printed, indented under a heading, for the step
// table (the whole of it is in report.json, report.html and junit.xml's system-out).
std::string output_tail(const std::string& output, int lines);
// For a run that did not finish: "the run stopped after 3 of 200 cases: <why>" (why: what stopped it, or
// an interruption - a report rewritten while the run goes on reads the same). Empty for a finished run.
std::string incomplete_text(const RunResult& r);
// The catalogue's checked rules in the order a reader needs them: failures (and unexpected passes,
// crashes, hangs), then the rules never checked that fail the gate, then known deviations, then
// passes, then the rest; catalogue order within each group.
std::vector<RuleId> rules_in_report_order(const RunResult& r);
// Why a rule is not exercised: "never checked in this run", or, when the model consulted it but never
// where its check excluded an answer, "checked 12 times, never in a discriminating situation (...)".
std::string unexercised_text(const RunResult& r, RuleId id);
// The run's verdict in words ("conformant", "deviations found", ...).
std::string verdict_words(const RunResult& r);

// report.html's state diagram (inline SVG, html_diagram.cpp); `transitions_table` receives the table of
// every transition it draws, numbered as the diagram's labels name them.
std::string state_diagram(const RunResult& r, std::string& transitions_table);

// A ledger entry's "where" as JSON (nlohmann::json or ordered_json), for the ledger and report.json's
// echo of it: only the parts the entry gives.
template <class Json>
Json scope_json(const RunSettings::KnownDeviation& k) {
  Json w = Json::object();
  if (k.state) w["state"] = std::string(short_name(*k.state));
  if (k.stimulus) w["stimulus"] = std::string(op_name(*k.stimulus));
  if (k.answer) w["answer"] = *k.answer;
  return w;
}

// A ledger entry's "where" (in a ledger, or report.json's echo of one) into `k`; false with `error`
// saying what is wrong (ledger.cpp).
bool parse_scope(const nlohmann::json& where, RunSettings::KnownDeviation& k, std::string& error);

// For a failing rule the ledger lists with scopes none of which covered the deviation: " outside the
// ledger's scope (state ERROR, stimulus GetError)"; "" otherwise.
std::string outside_scope_text(const RunResult& r, const Counterexample& c);

}  // namespace bgc::detail
