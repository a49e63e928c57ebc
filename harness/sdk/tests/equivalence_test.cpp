// The reference service through the C ABI answers exactly as ReferenceTarget does, in process and
// isolated, on every sequence of the explorer's transition tour; and the Runner passes it.
#include <gtest/gtest.h>

#include "bgconform/explorer.h"
#include "bgconform/isolated_target.h"
#include "bgconform/plugin_target.h"
#include "bgconform/reference_target.h"
#include "bgconform/runner.h"

namespace bgc {
namespace {

// Computed once: the exploration is the slow part. (tour() needs run() first.)
const std::vector<std::vector<Stimulus>>& tour() {
  static const std::vector<std::vector<Stimulus>> sequences = [] {
    JobModel model;
    Explorer explorer(model, ExplorerInstance::contract());
    explorer.run();
    return explorer.tour();
  }();
  return sequences;
}

// Applies every sequence to both targets and compares the text forms, stimulus by stimulus.
void expect_same_as_reference(Target& target, Profile profile) {
  ReferenceTarget reference(profile);
  std::size_t steps = 0;
  for (const auto& seq : tour()) {
    reference.reset(profile);
    target.reset(profile);
    for (std::size_t i = 0; i < seq.size(); ++i) {
      const Stimulus& s = seq[i];
      const std::string want = to_string(reference.apply(s), s.op);
      const std::string got = to_string(target.apply(s), s.op);
      ASSERT_EQ(want, got) << "step " << i << ": " << to_string(s);
      ++steps;
    }
  }
  EXPECT_GT(steps, 100u);
}

std::unique_ptr<PluginTarget> load_reference_plugin() {
  std::string error;
  auto t = PluginTarget::load(BGC_REFERENCE_PLUGIN, error);
  EXPECT_TRUE(t) << error;
  return t;
}

std::unique_ptr<IsolatedTarget> launch_reference_plugin() {
  std::string error;
  IsolatedOptions options;
  options.host_path = BGC_HOST;
  auto t = IsolatedTarget::launch(BGC_REFERENCE_PLUGIN, options, error);
  EXPECT_TRUE(t) << error;
  return t;
}

TEST(ReferencePlugin, InProcessAnswersAsTheReferenceOnTheTour) {
  auto t = load_reference_plugin();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name(), "plugin:bgconform reference service");
  expect_same_as_reference(*t, Profile::Bits);
}

TEST(ReferencePlugin, InProcessAnswersAsTheReferenceOnTheTourInDo) {
  auto t = load_reference_plugin();
  ASSERT_TRUE(t);
  expect_same_as_reference(*t, Profile::Do);
}

TEST(ReferencePlugin, IsolatedAnswersAsTheReferenceOnTheTour) {
  auto t = launch_reference_plugin();
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->capabilities().virtual_clock);
  expect_same_as_reference(*t, Profile::Bits);
}

void expect_runner_passes(Target& target) {
  JobModel model;
  for (const auto& seq : tour()) {
    CaseResult r = Runner{}.run_case(target, model, seq);
    ASSERT_FALSE(r.failed()) << "rule " << rule_id(r.rule) << " at step " << r.failed_step << ": " << r.allowed;
  }
}

TEST(ReferencePlugin, InProcessPassesTheRunnerOnTheTour) {
  auto t = load_reference_plugin();
  ASSERT_TRUE(t);
  expect_runner_passes(*t);
}

TEST(ReferencePlugin, IsolatedPassesTheRunnerOnTheTour) {
  auto t = launch_reference_plugin();
  ASSERT_TRUE(t);
  expect_runner_passes(*t);
}

}  // namespace
}  // namespace bgc
