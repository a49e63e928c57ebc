// Every mutant in mutants.def and deep_mutants.def (catalogue 2, path-dependent faults) is killed by a
// hand-written sequence with its expected rule (or crash/timeout through the isolated host), and the
// same sequence passes on the reference plugin — so the kill is the mutation's doing. The
// generated-run kill matrix is the CLI's job.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "bgconform/isolated_target.h"
#include "bgconform/plugin_target.h"
#include "bgconform/runner.h"

namespace bgc {
namespace {

struct MutantRow {
  std::string name, expected, profile, description;
};

void PrintTo(const MutantRow& row, std::ostream* os) { *os << row.name; }

const std::vector<MutantRow> kRows = {
#define MUTANT(e, name, expected, profile, description) {name, expected, profile, description},
#include "mutants.def"
#include "deep_mutants.def"
#undef MUTANT
};

// A killing sequence per mutant, in the text form.
const std::map<std::string, std::vector<std::string>> kKills = {
    {"error-without-error", {"CreateJob j0", "AddFile j0 src0", "Resume j0", "GetError j0 h0"}},
    {"error-cleared-on-resume",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 http(404)", "Resume j0", "Advance 2s", "Resume j0",
      "GetError j0 h0"}},
    {"error-kept-after-transfer",
     {"CreateJob j0", "AddFile j0 src0", "SetMinimumRetryDelay j0 5s", "Source src0 refused", "Resume j0", "Advance 2s",
      "GetError j0 h0", "Source src0 ok", "Advance 6s", "GetError j0 h1"}},
    {"failing-call-creates-error", {"CreateJob j0", "Resume j0", "GetError j0 h0"}},
    {"no-error-in-transient",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 refused", "Resume j0", "Advance 2s", "GetError j0 h0"}},
    {"held-error-follows-job",
     {"CreateJob j0", "AddFile j0 src0", "SetMinimumRetryDelay j0 5s", "Source src0 refused", "Resume j0", "Advance 2s",
      "GetError j0 h0", "Error.GetError j0 h0", "Source src0 reset", "Advance 6s", "Error.GetError j0 h0"}},
    {"file-for-transport-error",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 refused", "Resume j0", "Advance 2s", "GetError j0 h0",
      "Error.GetError j0 h0", "Error.GetFile j0 h0"}},
    {"bits-code-in-do", {"CreateJob j0", "Cancel j0", "Resume j0"}},
    {"resume-empty-succeeds", {"CreateJob j0", "Resume j0"}},
    {"complete-from-cancelled", {"CreateJob j0", "Cancel j0", "Complete j0"}},
    {"suspend-ignored-while-running", {"CreateJob j0", "AddFile j0 src0", "Resume j0", "Suspend j0"}},
    {"no-progress-never-fires",
     {"CreateJob j0", "AddFile j0 src0", "SetMinimumRetryDelay j0 5s", "SetNoProgressTimeout j0 10s",
      "Source src0 refused", "Resume j0", "Advance 2s", "Advance 20s"}},
    {"retry-delay-not-clamped", {"CreateJob j0", "SetMinimumRetryDelay j0 1s", "GetMinimumRetryDelay j0"}},
    {"reconnect-no-requeue", {"CreateJob j0", "AddFile j0 src0", "Resume j0", "Network down", "Network up"}},
    {"resume-final-succeeds", {"CreateJob j0", "Cancel j0", "Resume j0"}},
    {"suspend-final-succeeds", {"CreateJob j0", "Cancel j0", "Suspend j0"}},
    {"crash-after-release",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 refused", "Resume j0", "Advance 2s", "GetError j0 h0",
      "ReleaseJob j0", "Error.GetError j0 h0"}},
    {"hang-in-cancel", {"CreateJob j0", "AddFile j0 src2", "Resume j0", "Advance 1s", "Cancel j0"}},
    {"error-count-per-attempt",
     {"CreateJob j0", "AddFile j0 src2", "SetMinimumRetryDelay j0 5s", "Resume j0", "Advance 2s", "Source src2 reset",
      "Advance 1s", "GetErrorCount j0", "Source src2 ok", "Advance 7s", "GetErrorCount j0"}},
    {"progress-recounts-chunk",
     {"CreateJob j0", "AddFile j0 src2", "SetMinimumRetryDelay j0 5s", "Resume j0", "Advance 2s", "Source src2 reset",
      "Advance 1s", "Source src2 ok", "Advance 20s", "GetProgress j0"}},
    {"timeout-change-ignored-while-failing",
     {"CreateJob j0", "AddFile j0 src0", "SetMinimumRetryDelay j0 5s", "Source src0 refused", "Resume j0", "Advance 2s",
      "SetNoProgressTimeout j0 10s", "Advance 30s"}},
    {"partial-complete-as-ok",
     {"CreateJob j0", "AddFile j0 src0", "AddFile j0 src2", "Resume j0", "Advance 3s", "GetProgress j0",
      "Complete j0"}},
    {"addfile-final-succeeds", {"CreateJob j0", "Complete j0", "AddFile j0 src0"}},
    {"protocol-always-http",
     {"CreateJob j0", "AddFile j0 src3", "Source src3 missing", "Resume j0", "Advance 2s", "GetError j0 h0",
      "Error.GetProtocol j0 h0"}},
    {"do-shows-connecting", {"CreateJob j0", "AddFile j0 src0", "Resume j0", "Advance 1s"}},
    {"internal-state-leaks", {"CreateJob j0", "AddFile j0 src0", "Source src0 refused", "Resume j0", "Advance 2s"}},
    {"internal-context-leaks",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 refused", "Resume j0", "Advance 2s", "GetError j0 h0",
      "Error.GetError j0 h0"}},
    {"null-error-with-s-ok", {"CreateJob j0", "GetError j0 h0"}},
    // Catalogue 2: each sequence first makes the history the fault needs.
    {"error-file-first-of-two",
     {"CreateJob j0", "AddFile j0 src0", "AddFile j0 src1", "Source src1 http(404)", "Resume j0", "Advance 4s",
      "GetError j0 h0", "Error.GetFile j0 h0"}},
    {"protocol-of-first-file",
     {"CreateJob j0", "AddFile j0 src0", "AddFile j0 src3", "Source src3 missing", "Resume j0", "Advance 4s",
      "GetError j0 h0", "Error.GetProtocol j0 h0"}},
    {"bytes-total-known-only",
     {"CreateJob j0", "AddFile j0 src0", "AddFile j0 src2", "Resume j0", "Advance 2s", "GetProgress j0"}},
    {"complete-ok-after-addfile",
     {"CreateJob j0", "AddFile j0 src0", "Resume j0", "Advance 3s", "AddFile j0 src0", "Complete j0"}},
    {"resume-transferred-ignores-new-file",
     {"CreateJob j0", "AddFile j0 src0", "Resume j0", "Advance 3s", "AddFile j0 src1", "Resume j0"}},
    {"stale-error-on-refail",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 http(404)", "Resume j0", "Advance 2s", "Source src0 http(403)",
      "Resume j0", "Advance 2s", "GetError j0 h0", "Error.GetError j0 h0"}},
    {"suspend-clears-error",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 http(404)", "Resume j0", "Advance 2s", "Suspend j0",
      "GetError j0 h0"}},
    {"reconnect-clears-error",
     {"CreateJob j0", "AddFile j0 src0", "Resume j0", "Network down", "Network up", "GetError j0 h0"}},
    {"error-of-other-job",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 http(404)", "Resume j0", "Advance 2s", "CreateJob j1",
      "GetError j1 h0"}},
    {"cancel-clears-all-errors",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 http(404)", "Resume j0", "Advance 2s", "CreateJob j1",
      "Cancel j1", "GetError j0 h0"}},
    {"resume-kicks-queue",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 refused", "Resume j0", "Advance 2s", "CreateJob j1",
      "AddFile j1 src1", "Resume j1"}},
    {"retry-delay-shared", {"CreateJob j0", "CreateJob j1", "SetMinimumRetryDelay j1 60s", "GetMinimumRetryDelay j0"}},
    {"release-error-frees-shared",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 refused", "Resume j0", "Advance 2s", "GetError j0 h0",
      "GetError j0 h1", "ReleaseError j0 h0", "Error.GetError j0 h1"}},
    {"error-count-per-file",
     {"CreateJob j0", "AddFile j0 src1", "AddFile j0 src0", "SetMinimumRetryDelay j0 5s", "Source src1 refused",
      "Resume j0", "Advance 2s", "GetErrorCount j0", "Source src1 ok", "Advance 10s", "GetErrorCount j0"}},
    {"network-loss-counted", {"CreateJob j0", "AddFile j0 src0", "Resume j0", "Network down", "GetErrorCount j0"}},
    {"retry-from-first-failure",
     {"CreateJob j0", "AddFile j0 src0", "SetMinimumRetryDelay j0 5s", "Source src0 refused", "Resume j0", "Advance 2s",
      "Advance 4s", "Advance 1s", "Advance 1s"}},
    {"no-progress-restarts-on-resume",
     {"CreateJob j0", "AddFile j0 src0", "SetMinimumRetryDelay j0 6s", "SetNoProgressTimeout j0 10s",
      "Source src0 refused", "Resume j0", "Advance 2s", "Advance 5s", "Suspend j0", "Resume j0", "Advance 1s",
      "Advance 5s"}},
    {"retry-delay-change-not-replanned",
     {"CreateJob j0", "AddFile j0 src0", "SetMinimumRetryDelay j0 5s", "Source src0 refused", "Resume j0", "Advance 2s",
      "SetMinimumRetryDelay j0 60s", "Advance 4s"}},
    {"background-jobs-in-parallel",
     {"CreateJob j0", "AddFile j0 src2", "CreateJob j1", "AddFile j1 src2", "Resume j0", "Resume j1", "Advance 5s"}},
    {"release-job-empties-error",
     {"CreateJob j0", "AddFile j0 src0", "Source src0 http(404)", "Resume j0", "Advance 2s", "GetError j0 h0",
      "Error.GetError j0 h0", "ReleaseJob j0", "Error.GetError j0 h0"}},
};

std::vector<Stimulus> parse_all(const std::vector<std::string>& lines) {
  std::vector<Stimulus> out;
  for (const std::string& line : lines) {
    Parsed<Stimulus> p = parse_stimulus(line);
    EXPECT_TRUE(p) << line << ": " << p.error;
    out.push_back(p.value);
  }
  return out;
}

std::string library_of(const std::string& name) { return BGC_MUTANT_DIR "/libbgc_mutant_" + name + ".so"; }

JobModel model_for(const MutantRow& row) {
  ModelConfig config;
  config.profile = *parse_profile(row.profile);
  return JobModel(config);
}

std::string describe(const CaseResult& r) {
  switch (r.status) {
    case CaseStatus::Pass: {
      std::string out = "pass:";  // the trace, to see why nothing broke
      for (const TracedStep& t : r.trace) {
        out += "\n  " + to_string(t.step.stimulus) + " -> " + to_string(t.step.observation, t.step.stimulus.op);
        for (const Step& w : t.sweep) out += " | " + to_string(w.observation, w.stimulus.op);
      }
      return out;
    }
    case CaseStatus::Crash: return "crash";
    case CaseStatus::Timeout: return "timeout";
    case CaseStatus::Violation: break;
  }
  return std::string(rule_id(r.rule)) + " at step " + std::to_string(r.failed_step) + "/" +
         std::to_string(r.failed_at) + " (allowed: " + r.allowed + ")";
}

class MutantKill : public ::testing::TestWithParam<MutantRow> {};

TEST_P(MutantKill, KilledWithItsRuleAndTheReferencePasses) {
  const MutantRow& row = GetParam();
  ASSERT_TRUE(kKills.count(row.name)) << "no killing sequence for " << row.name;
  const std::vector<Stimulus> seq = parse_all(kKills.at(row.name));
  const JobModel model = model_for(row);
  const bool isolated = row.expected == "crash" || row.expected == "timeout";

  std::string error;
  CaseResult r;
  if (isolated) {
    IsolatedOptions options;
    options.host_path = BGC_HOST;
    options.call_timeout = std::chrono::milliseconds(1000);
    auto target = IsolatedTarget::launch(library_of(row.name), options, error);
    ASSERT_TRUE(target) << error;
    const auto start = std::chrono::steady_clock::now();
    r = Runner{}.run_case(*target, model, seq);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
    EXPECT_EQ(describe(r), row.expected) << target->last_failure();
    // The harness survives, and the target comes back for the next case.
    target->reset(model.config().profile);
    EXPECT_EQ(to_string(target->apply(stim::create_job(0)), Op::CreateJob), "S_OK state=SUSPENDED");
  } else {
    auto target = PluginTarget::load(library_of(row.name), error);
    ASSERT_TRUE(target) << error;
    r = Runner{}.run_case(*target, model, seq);
    ASSERT_EQ(r.status, CaseStatus::Violation) << describe(r);
    EXPECT_EQ(rule_id(r.rule), row.expected) << describe(r);
    const std::size_t steps = seq.size();
    if (row.description.rfind("late.", 0) == 0) {
      EXPECT_GE(steps, 6u) << "a late fault shows only after 6+ steps";
    }
  }

  auto reference = PluginTarget::load(BGC_REFERENCE_PLUGIN, error);
  ASSERT_TRUE(reference) << error;
  const CaseResult control = Runner{}.run_case(*reference, model, seq);
  EXPECT_EQ(control.status, CaseStatus::Pass) << "the sequence alone fails: " << describe(control);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, MutantKill, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<MutantRow>& info) {
                           std::string n;
                           for (char c : info.param.name) n += c == '-' ? '_' : c;
                           return n;
                         });

// Catalogue 2 is a measurement of the generator: at least 15 faults, all judged by the model (no
// crash or timeout rows), none a copy of a catalogue 1 row.
TEST(MutantCatalogue, DeepCatalogueHasFifteenPathDependentRows) {
  const std::vector<MutantRow> deep = {
#define MUTANT(e, name, expected, profile, description) {name, expected, profile, description},
#include "deep_mutants.def"
#undef MUTANT
  };
  EXPECT_GE(deep.size(), 15u);
  for (const MutantRow& row : deep) {
    EXPECT_NE(row.expected, "crash") << row.name;
    EXPECT_NE(row.expected, "timeout") << row.name;
    EXPECT_EQ(std::count_if(kRows.begin(), kRows.end(), [&](const MutantRow& r) { return r.name == row.name; }), 1)
        << row.name << " is in both catalogues";
  }
}

TEST(MutantCatalogue, HasTwentyAndCoversTheRequiredKinds) {
  EXPECT_GE(kRows.size(), 20u);
  int late = 0, crash = 0, timeout = 0;
  for (const MutantRow& row : kRows) {
    late += row.description.rfind("late.", 0) == 0;
    crash += row.expected == "crash";
    timeout += row.expected == "timeout";
  }
  EXPECT_GE(late, 3);
  EXPECT_EQ(crash, 1);
  EXPECT_EQ(timeout, 1);
}

}  // namespace
}  // namespace bgc
