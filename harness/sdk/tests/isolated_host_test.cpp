// The isolated host as the harness sees it: a crash ends the serving process only (the fork server
// keeps the library loaded and says "crashed"), a batch cut short by a crash leaves nothing behind for
// the next case (nor does a host that dies inside one), and the hang probe tells a hang long before the
// call timeout. Each over both transports: the shared-memory channel (bgconform-host's default) and the
// pipes (another program speaking the protocol, or IsolatedOptions::shared_memory off).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include <unistd.h>
#include <vector>

#include "bgconform/isolated_target.h"
#include "host_channel.h"

namespace bgc {
namespace {

Stimulus parse(const std::string& line) {
  Parsed<Stimulus> p = parse_stimulus(line);
  EXPECT_TRUE(p) << line << ": " << p.error;
  return p.value;
}

// The parameter: whether the harness offers bgconform-host the shared-memory channel.
class IsolatedHost : public ::testing::TestWithParam<bool> {
 protected:
  IsolatedOptions host_options() const {
    IsolatedOptions options;
    options.host_path = BGC_HOST;
    options.shared_memory = GetParam();
    return options;
  }
  std::unique_ptr<IsolatedTarget> launch_library(const std::string& path, IsolatedOptions options) const {
    std::string error;
    auto t = IsolatedTarget::launch(path, options, error);
    EXPECT_TRUE(t) << error;
    if (t) {
      EXPECT_EQ(t->on_shared_memory(), GetParam());
    }
    return t;
  }
  std::unique_ptr<IsolatedTarget> launch(const std::string& mutant, std::chrono::milliseconds call_timeout) const {
    IsolatedOptions options = host_options();
    options.call_timeout = call_timeout;
    return launch_library(BGC_MUTANT_DIR "/libbgc_mutant_" + mutant + ".so", options);
  }
};

// The mutant crashes on Error.GetError once the job of the held object was released.
const char* const kToTheCrash[] = {"CreateJob j0", "AddFile j0 src0", "Source src0 refused", "Resume j0",
                                   "Advance 2s",   "GetError j0 h0",  "ReleaseJob j0"};

// Where it was (the vendor function, "in resume: "), then a signal or (under a sanitizer, which reports
// the signal itself and exits) an exit status.
bool says_how_it_ended(const std::string& failure, const std::string& where) {
  return failure.rfind(where + "killed by signal ", 0) == 0 || failure.rfind(where + "exited with status ", 0) == 0;
}

void apply_each(Target& t, const std::vector<std::string>& lines) {
  for (const std::string& line : lines) ASSERT_EQ(t.apply(parse(line)).outcome, Outcome::Answered) << line;
}

TEST_P(IsolatedHost, ACrashEndsTheServingProcessNotTheHost) {
  auto t = launch("crash-after-release", std::chrono::milliseconds(5000));
  ASSERT_TRUE(t);
  t->reset(Profile::Bits);
  apply_each(*t, {std::begin(kToTheCrash), std::end(kToTheCrash)});
  EXPECT_EQ(t->apply(parse("Error.GetError j0 h0")).outcome, Outcome::Crashed);
  EXPECT_TRUE(says_how_it_ended(t->last_failure(), "in error_get_error: ")) << t->last_failure();
  EXPECT_TRUE(t->alive()) << "the fork server should have the next process ready";
  t->reset(Profile::Bits);
  EXPECT_EQ(to_string(t->apply(stim::create_job(1)), Op::CreateJob), "S_OK state=SUSPENDED");
}

TEST_P(IsolatedHost, ACrashInsideABatchLeavesNothingForTheNextCase) {
  auto t = launch("crash-after-release", std::chrono::milliseconds(5000));
  ASSERT_TRUE(t);
  t->reset(Profile::Bits);
  apply_each(*t, {std::begin(kToTheCrash), std::end(kToTheCrash)});
  // The crash first, then requests the dead process never read: they must not be answered later.
  const std::vector<Stimulus> batch = {parse("Error.GetError j0 h0"), parse("CreateJob j1"), parse("GetState j1"),
                                       parse("GetState j1")};
  std::vector<Observation> answers(batch.size());
  t->apply_all(batch, answers);
  for (const Observation& o : answers) EXPECT_EQ(o.outcome, Outcome::Crashed);
  t->reset(Profile::Bits);
  // No job in slot 2: a leftover answer to "GetState j1" would say S_OK.
  EXPECT_EQ(to_string(t->apply(stim::call(Op::GetState, 2)), Op::GetState), "E_INVALIDARG");
  // A batch that does not crash is answered in order.
  const std::vector<Stimulus> fine = {parse("CreateJob j0"), parse("GetState j0"), parse("AddFile j0 src0"),
                                      parse("GetState j2")};
  std::vector<Observation> got(fine.size());
  t->apply_all(fine, got);
  EXPECT_EQ(to_string(got[0], Op::CreateJob), "S_OK state=SUSPENDED");
  EXPECT_EQ(to_string(got[1], Op::GetState), "S_OK state=SUSPENDED");
  EXPECT_EQ(got[2].outcome, Outcome::Answered);
  EXPECT_EQ(to_string(got[3], Op::GetState), "E_INVALIDARG");
}

TEST_P(IsolatedHost, TheHangProbeTellsAHangBeforeTheCallTimeout) {
  // A call timeout a test could not wait for: the probe must answer first. Its own bound is milliseconds.
  auto t = launch("hang-in-cancel", std::chrono::minutes(5));
  ASSERT_TRUE(t);
  t->reset(Profile::Bits);
  apply_each(*t, {"CreateJob j0", "AddFile j0 src2", "Resume j0", "Advance 1s"});
  t->probe_hangs(true);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(t->apply(parse("Cancel j0")).outcome, Outcome::TimedOut);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::minutes(1));
  EXPECT_FALSE(t->alive()) << "a hung host is killed";
  if (GetParam()) {
    EXPECT_EQ(t->last_failure().rfind("in cancel: no answer within ", 0), 0u) << t->last_failure();
  }
  t->probe_hangs(false);
  t->reset(Profile::Bits);
  EXPECT_EQ(to_string(t->apply(stim::create_job(0)), Op::CreateJob), "S_OK state=SUSPENDED");
}

TEST_P(IsolatedHost, ALibraryThatExitsInACallHasCrashed) {
  // Its exit status is 0, as at the end of a session: the host must tell the two apart.
  auto t = launch_library(BGC_EXIT_IN_RESUME, host_options());
  ASSERT_TRUE(t);
  t->reset(Profile::Bits);
  apply_each(*t, {"CreateJob j0", "AddFile j0 src0"});
  EXPECT_EQ(t->apply(parse("Resume j0")).outcome, Outcome::Crashed);
  EXPECT_EQ(t->last_failure().rfind("in resume: exited with status ", 0), 0u)
      << t->last_failure();  // 0 (a leak checker may say 23)
  EXPECT_TRUE(t->alive());
  t->reset(Profile::Bits);
  EXPECT_EQ(to_string(t->apply(stim::create_job(0)), Op::CreateJob), "S_OK state=SUSPENDED");
}

TEST_P(IsolatedHost, ALibraryWithThreadsOfItsOwnIsServedWithoutForking) {
  // A forked child would have only the forking thread: such a library's crash ends the host itself,
  // and the next case starts a new one.
  auto t = launch_library(BGC_THREAD_AT_LOAD, host_options());
  ASSERT_TRUE(t);
  t->reset(Profile::Bits);
  apply_each(*t, {"CreateJob j0", "AddFile j0 src0"});
  EXPECT_EQ(t->apply(parse("Resume j0")).outcome, Outcome::Crashed);
  EXPECT_FALSE(t->alive());
  // The host itself died: the harness reads the function from the channel (the pipes cannot tell it).
  EXPECT_TRUE(says_how_it_ended(t->last_failure(), GetParam() ? "in resume: " : "")) << t->last_failure();
  t->reset(Profile::Bits);
  EXPECT_EQ(to_string(t->apply(stim::create_job(0)), Op::CreateJob), "S_OK state=SUSPENDED");
}

TEST_P(IsolatedHost, AHostThatDiesInsideABatchLeavesNothingForTheNextCase) {
  // Without a fork server the crash ends the host itself: the requests after it in the batch were sent
  // to a process that is gone, and the next case's host must not answer any of them.
  auto t = launch_library(BGC_THREAD_AT_LOAD, host_options());
  ASSERT_TRUE(t);
  t->reset(Profile::Bits);
  const std::vector<Stimulus> batch = {parse("CreateJob j0"), parse("AddFile j0 src0"), parse("Resume j0"),
                                       parse("CreateJob j1"), parse("GetState j1")};
  std::vector<Observation> answers(batch.size());
  t->apply_all(batch, answers);
  EXPECT_EQ(to_string(answers[0], Op::CreateJob), "S_OK state=SUSPENDED");
  EXPECT_EQ(answers[1].outcome, Outcome::Answered);
  for (std::size_t k = 2; k < answers.size(); ++k) EXPECT_EQ(answers[k].outcome, Outcome::Crashed) << k;
  EXPECT_FALSE(t->alive());
  t->reset(Profile::Bits);
  // No job in slot 1 of the new host: a leftover answer to "GetState j1" would say S_OK.
  EXPECT_EQ(to_string(t->apply(stim::call(Op::GetState, 1)), Op::GetState), "E_INVALIDARG");
  EXPECT_EQ(to_string(t->apply(stim::create_job(1)), Op::CreateJob), "S_OK state=SUSPENDED");
}

TEST_P(IsolatedHost, ANameWithANewlineStaysOnTheReadyLine) {
  // Split, the second half of the "ready" line would be taken for the answer to the first reset.
  auto t = launch_library(BGC_NEWLINE_IN_NAME, host_options());
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name(), "isolated:bad?plugin");
  t->reset(Profile::Bits);
  EXPECT_EQ(to_string(t->apply(stim::create_job(0)), Op::CreateJob), "S_OK state=SUSPENDED");
}

TEST_P(IsolatedHost, AFastBatchIsAnsweredInOrderAcrossManyCases) {
  // Many short exchanges back to back: no answer may be taken for another's, on either transport.
  auto t = launch("error-without-error", std::chrono::milliseconds(5000));
  ASSERT_TRUE(t);
  for (int round = 0; round < 300; ++round) {
    t->reset(Profile::Bits);
    const int slot = round % kMaxJobs;
    const std::vector<Stimulus> batch = {stim::create_job(slot), stim::call(Op::GetState, slot),
                                         stim::add_file(slot, 0), stim::call(Op::GetState, (slot + 1) % kMaxJobs)};
    std::vector<Observation> got(batch.size());
    t->apply_all(batch, got);
    ASSERT_EQ(to_string(got[0], Op::CreateJob), "S_OK state=SUSPENDED") << round;
    ASSERT_EQ(to_string(got[1], Op::GetState), "S_OK state=SUSPENDED") << round;
    ASSERT_EQ(to_string(got[2], Op::AddFile), "S_OK") << round;
    ASSERT_EQ(to_string(got[3], Op::GetState), "E_INVALIDARG") << round;
  }
}

TEST_P(IsolatedHost, ABatchLongerThanTheChannelIsAnsweredWhole) {
  auto t = launch("error-without-error", std::chrono::milliseconds(5000));
  ASSERT_TRUE(t);
  t->reset(Profile::Bits);
  std::vector<Stimulus> batch = {stim::create_job(0)};
  for (int k = 0; k < 40; ++k) batch.push_back(stim::call(Op::GetState, k % 2));
  std::vector<Observation> got(batch.size());
  t->apply_all(batch, got);
  for (std::size_t k = 1; k < batch.size(); ++k)
    EXPECT_EQ(to_string(got[k], Op::GetState), k % 2 == 1 ? "S_OK state=SUSPENDED" : "E_INVALIDARG") << k;
}

TEST_P(IsolatedHost, ACrashBetweenTwoCallsIsTheNextCallsCrash) {
  // A thread of the library's own ends the serving process while no call is in flight: the fork
  // server has the next process ready, but it serves a new service, not the one the case was judged
  // against. The next call must say Crashed, and the case after the reset must find a clean service
  // (through the pipes the new process also answers that call: an answer nobody may take).
  auto t = launch_library(BGC_CRASH_AFTER_RESUME, host_options());
  ASSERT_TRUE(t);
  t->reset(Profile::Bits);
  apply_each(*t, {"CreateJob j0", "AddFile j0 src0", "Resume j0"});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(t->apply(parse("GetState j0")).outcome, Outcome::Crashed);
  EXPECT_TRUE(says_how_it_ended(t->last_failure(), "between calls (in a thread of the library's own): "))
      << t->last_failure();
  EXPECT_TRUE(t->alive());
  t->reset(Profile::Bits);
  EXPECT_EQ(to_string(t->apply(stim::call(Op::GetState, 0)), Op::GetState), "E_INVALIDARG");
  EXPECT_EQ(to_string(t->apply(stim::create_job(0)), Op::CreateJob), "S_OK state=SUSPENDED");
  EXPECT_EQ(to_string(t->apply(stim::call(Op::GetState, 0)), Op::GetState), "S_OK state=SUSPENDED");
}

TEST_P(IsolatedHost, EachCaseInAProcessOfItsOwnForgetsWhatEarlierCasesLeft) {
  // The fault crashes create_job once its process has made 100 jobs, over all its cases.
  const auto cases = [](IsolatedTarget& t, int n) {
    for (int k = 0; k < n; ++k) {
      t.reset(Profile::Bits);
      const Observation o = t.apply(stim::create_job(0));
      if (o.outcome != Outcome::Answered) return k;
    }
    return n;
  };
  auto shared = launch_library(BGC_CRASH_ACROSS_CASES, host_options());
  ASSERT_TRUE(shared);
  EXPECT_EQ(cases(*shared, 150), 100) << "one process for all cases: the 101st job crashes";
  auto fresh = launch_library(BGC_CRASH_ACROSS_CASES, host_options());
  ASSERT_TRUE(fresh);
  fresh->isolate_cases(true);
  EXPECT_EQ(cases(*fresh, 150), 150) << "a process of its own for each case: no case reaches the 101st job";
  EXPECT_TRUE(fresh->alive());
}

INSTANTIATE_TEST_SUITE_P(Transports, IsolatedHost, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "SharedMemory" : "Pipes"; });

TEST(IsolatedHostChannel, AHostTakesOnlyAChannelOfItsOwnLayout) {
  // What bgconform-host does with $BGCONFORM_CHANNEL_FD: a channel of another build (its fingerprint
  // differs) is refused, and the harness's "channel" request gets an error: the pipes serve.
  std::string error;
  auto end = channel::HarnessEnd::create(error);
  ASSERT_TRUE(end) << error;
  auto attach = [&] {
    const std::string fd = std::to_string(::dup(end->fd()));  // attach closes what it maps
    ::setenv(channel::kChannelFdVariable, fd.c_str(), 1);
    channel::Shared* s = channel::attach_from_environment();
    ::unsetenv(channel::kChannelFdVariable);
    return s;
  };
  channel::Shared* same = attach();
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(same->layout, channel::kLayout);
  end->shared().layout = channel::kLayout ^ 1u;
  EXPECT_EQ(attach(), nullptr);
  end->shared().layout = channel::kLayout;
  end->shared().magic = 0;
  EXPECT_EQ(attach(), nullptr);
}

TEST(IsolatedHostChannel, AnotherProgramSpeakingTheProtocolIsServedByPipes) {
  // A command of its own (as the COM agent under Wine): the channel is bgconform-host's only.
  IsolatedOptions options;
  options.command = {BGC_HOST, BGC_MUTANT_DIR "/libbgc_mutant_error-without-error.so"};
  std::string error;
  auto t = IsolatedTarget::launch("", options, error);
  ASSERT_TRUE(t) << error;
  EXPECT_FALSE(t->on_shared_memory());
  t->reset(Profile::Bits);
  EXPECT_EQ(to_string(t->apply(stim::create_job(0)), Op::CreateJob), "S_OK state=SUSPENDED");
}

}  // namespace
}  // namespace bgc
