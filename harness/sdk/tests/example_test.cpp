// The minimal example plugin loads, downloads on the harness's clock, passes the Runner on a simple
// case, and is reported where it says it falls short.
#include <gtest/gtest.h>

#include "bgconform/plugin_target.h"
#include "bgconform/runner.h"

namespace bgc {
namespace {

std::vector<Stimulus> parse_all(const std::vector<std::string>& lines) {
  std::vector<Stimulus> out;
  for (const std::string& line : lines) out.push_back(parse_stimulus(line).value);
  return out;
}

TEST(MinimalExample, DownloadsAndPassesASimpleCase) {
  std::string error;
  auto t = PluginTarget::load(BGC_MINIMAL_PLUGIN, error);
  ASSERT_TRUE(t) << error;
  const auto seq = parse_all(
      {"CreateJob j0", "AddFile j0 src1", "Resume j0", "Advance 1s", "Advance 4s", "GetProgress j0", "Complete j0"});
  JobModel model;
  const CaseResult r = Runner{}.run_case(*t, model, seq);
  EXPECT_EQ(r.status, CaseStatus::Pass) << rule_id(r.rule) << ": " << r.allowed;
  t->reset(Profile::Bits);
  for (const Stimulus& s : parse_all({"CreateJob j0", "AddFile j0 src1", "Resume j0", "Advance 4s"})) t->apply(s);
  EXPECT_EQ(to_string(t->apply(stim::call(Op::GetState, 0)), Op::GetState), "S_OK state=TRANSFERRED");
}

TEST(MinimalExample, LeftOutCallsAreNotSupported) {
  std::string error;
  auto t = PluginTarget::load(BGC_MINIMAL_PLUGIN, error);
  ASSERT_TRUE(t) << error;
  t->reset(Profile::Bits);
  t->apply(stim::create_job(0));
  EXPECT_EQ(t->apply(stim::call(Op::GetErrorCount, 0)).outcome, Outcome::NotSupported);
  EXPECT_EQ(t->apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 0)).outcome, Outcome::NotSupported);
  EXPECT_THROW(t->reset(Profile::Do), PluginError);
}

}  // namespace
}  // namespace bgc
