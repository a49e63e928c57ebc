// The sequence fuzzer's support code: the byte form of a stimulus sequence (sequence_input.h) and the
// model-coverage counters (model_coverage.h), run against the reference service as the fuzzer runs it.
#include <gtest/gtest.h>

#include <set>

#include "bgconform/explorer.h"
#include "bgconform/reference_target.h"
#include "model_coverage.h"
#include "sequence_input.h"

namespace bgc::fuzz {
namespace {

std::vector<Stimulus> parse_lines(std::initializer_list<const char*> lines) {
  std::vector<Stimulus> out;
  for (const char* line : lines) {
    const Parsed<Stimulus> s = parse_stimulus(line);
    EXPECT_TRUE(s) << line << ": " << s.error;
    out.push_back(s.value);
  }
  return out;
}

TEST(SequenceInput, EveryStimulusOfTheToursSurvivesEncodeAndDecode) {
  for (Profile profile : {Profile::Bits, Profile::Do}) {
    ModelConfig config;
    config.profile = profile;
    const JobModel model(config);
    Explorer explorer(model, ExplorerInstance::contract());
    explorer.run();
    std::size_t n = 0;
    for (const std::vector<Stimulus>& seq : explorer.tour(40)) {
      const std::vector<std::uint8_t> bytes = encode_sequence(seq);
      const std::vector<Stimulus> back = decode_sequence(bytes.data(), bytes.size(), seq.size());
      ASSERT_EQ(back.size(), seq.size());
      for (std::size_t i = 0; i < seq.size(); ++i)
        EXPECT_EQ(to_string(back[i]), to_string(seq[i])) << "stimulus " << i << " of a " << name(profile) << " tour";
      n += seq.size();
    }
    EXPECT_GT(n, 100u);
  }
}

TEST(SequenceInput, StatusesTheContractDoesNotNameAreInTheAlphabet) {
  // 1xx/3xx (which the model lets work or fail), 408, 416, 429: in the byte form as they are.
  const auto seq = parse_lines({"Source src0 http(301)", "Source src1 http(100)", "Source src2 http(304)",
                                "Source src0 http(416)", "Source src1 http(429)", "Source src3 missing"});
  const std::vector<std::uint8_t> bytes = encode_sequence(seq);
  EXPECT_EQ(decode_sequence(bytes.data(), bytes.size()), seq);
}

TEST(SequenceInput, AMutationChangesTheOpOfACallOnAHeldObjectAndKeepsItsOperands) {
  // Error.GetFile j1 h1 → another call on the same object (protocol-always-http needs GetProtocol on
  // the object an input holds). A random replacement hits the same job and handle one time in ~40.
  const std::vector<std::uint8_t> start = encode_sequence(parse_lines({"Error.GetFile j1 h1"}));
  std::size_t same_object = 0;
  for (unsigned i = 0; i < 900; ++i) {
    const unsigned seed = i * 2654435761u;  // spread, as libFuzzer's are (close seeds draw alike at first)
    std::vector<std::uint8_t> bytes = start;
    bytes.resize(64);
    bytes.resize(mutate_sequence(bytes.data(), start.size(), bytes.size(), seed, nullptr));
    const std::vector<Stimulus> seq = decode_sequence(bytes.data(), bytes.size());
    same_object += seq.size() == 1 && seq[0].op != Op::ErrGetFile && takes_handle(seq[0].op) && seq[0].job == 1 &&
                   seq[0].index == 1;
  }
  EXPECT_GT(same_object, 50u);
}

TEST(SequenceInput, DecodingStopsAtTheEndAndAtTheLimit) {
  EXPECT_TRUE(decode_sequence(nullptr, 0).empty());
  const std::vector<std::uint8_t> noise(4096, 0x5a);
  EXPECT_EQ(decode_sequence(noise.data(), noise.size()).size(), kMaxSequence);
  EXPECT_EQ(decode_sequence(noise.data(), noise.size(), 3).size(), 3u);
}

std::set<std::size_t> counted(const std::vector<Stimulus>& seq, bool enabled = true) {
  ReferenceTarget target;
  const JobModel model;
  ModelCoverage coverage(Profile::Bits, enabled);
  ModelCoverage::clear();
  const CaseResult r = run_counted(target, model, coverage, seq);
  EXPECT_FALSE(r.failed());
  std::set<std::size_t> set;
  const auto c = ModelCoverage::counters();
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i] != 0) set.insert(i);
  return set;
}

// The job fails for good (a 404), the client holds its error object, releases the job.
const std::initializer_list<const char*> kHeldAfterRelease = {
    "Source src0 http(404)", "CreateJob j0", "AddFile j0 src0", "Resume j0",
    "Advance 10s",           "GetState j0",  "GetError j0 h0",  "ReleaseJob j0"};

TEST(ModelCoverage, ACallOnTheHeldObjectOfAReleasedJobIsNew) {
  // What crash-after-release needs: without a counter for it, libFuzzer keeps no input that gets there.
  const auto released = counted(parse_lines(kHeldAfterRelease));
  auto longer = parse_lines(kHeldAfterRelease);
  longer.push_back(parse_lines({"Error.GetError j0 h0"})[0]);
  const auto called = counted(longer);
  EXPECT_GT(called.size(), released.size());
  for (std::size_t i : released) EXPECT_TRUE(called.count(i)) << i;
}

TEST(ModelCoverage, ReleasingAJobWhoseObjectIsHeldIsNew) {
  auto without_object = parse_lines(kHeldAfterRelease);
  without_object.erase(without_object.begin() + 6);  // no GetError: nothing held at ReleaseJob
  const auto held = counted(parse_lines(kHeldAfterRelease));
  const auto not_held = counted(without_object);
  std::size_t only_when_held = 0;
  for (std::size_t i : held) only_when_held += not_held.count(i) == 0;
  EXPECT_GT(only_when_held, 0u);
}

// What `a` marks that neither `b` nor `c` does.
std::size_t only_in(const std::set<std::size_t>& a, const std::set<std::size_t>& b, const std::set<std::size_t>& c) {
  std::size_t n = 0;
  for (std::size_t i : a) n += b.count(i) == 0 && c.count(i) == 0;
  return n;
}

TEST(ModelCoverage, TransferringAgainAfterTheErrorCountWasSeenIsNew) {
  // What error-count-per-attempt needs (E-9): the count seen after a failure, then the job transfers
  // again. Each half alone reaches the same pairs, transitions and error-record situations.
  const auto fail = parse_lines({"Source src1 reset", "CreateJob j0", "AddFile j0 src0", "AddFile j0 src1", "Resume j0",
                                 "Advance 5s", "GetState j0"});
  const auto seen = parse_lines({"GetErrorCount j0"});
  const auto again = parse_lines({"Source src1 slow", "Advance 601s", "GetState j0"});
  auto both = fail;
  both.insert(both.end(), seen.begin(), seen.end());
  auto only_seen = both;
  both.insert(both.end(), again.begin(), again.end());
  auto only_again = fail;
  only_again.insert(only_again.end(), again.begin(), again.end());
  EXPECT_GT(only_in(counted(both), counted(only_seen), counted(only_again)), 0u);
}

TEST(ModelCoverage, ACallOnTheObjectOfALocalFilesFailureIsNew) {
  // What protocol-always-http needs (E-7): Error.GetProtocol on the object of a local file's failure is
  // new after the same call on an HTTP failure's object and another call on the local one's.
  const auto with = [](const char* source, const char* call) {
    return counted(parse_lines({"Source src0 http(404)", "Source src3 missing", "CreateJob j0", source, "Resume j0",
                                "Advance 10s", "GetState j0", "GetError j0 h0", call}));
  };
  EXPECT_GT(only_in(with("AddFile j0 src3", "Error.GetProtocol j0 h0"),
                    with("AddFile j0 src0", "Error.GetProtocol j0 h0"), with("AddFile j0 src3", "Error.GetFile j0 h0")),
            0u);
}

// Two jobs at once are a situation of their own (the scheduling rule judges them together): a case
// with both marks what neither job alone does.
TEST(ModelCoverage, TwoJobsAtOnceAreNew) {
  EXPECT_GT(only_in(counted(parse_lines({"CreateJob j0", "CreateJob j1"})), counted(parse_lines({"CreateJob j0"})),
                    counted(parse_lines({"CreateJob j1"}))),
            0u);
}

TEST(ModelCoverage, SwitchedOffItCountsNothing) {
  EXPECT_TRUE(counted(parse_lines(kHeldAfterRelease), false).empty());
  EXPECT_FALSE(counted(parse_lines(kHeldAfterRelease), true).empty());
}

}  // namespace
}  // namespace bgc::fuzz
