// The one-line text form of stimuli and observations.
#include <gtest/gtest.h>

#include "bgconform/types.h"

namespace bgc {

TEST(StimulusText, PrintsAndParsesEveryShape) {
  const Stimulus samples[] = {
      stim::create_job(0),
      stim::release_job(2),
      stim::add_file(1, 3),
      stim::call(Op::Resume, 0),
      stim::with_handle(Op::GetError, 0, 1),
      stim::with_handle(Op::ErrGetErrorContextDescription, 2, 0),
      stim::set_seconds(Op::SetNoProgressTimeout, 0, 0),
      stim::set_seconds(Op::SetMinimumRetryDelay, 1, 1209601),
      stim::source(2, Behaviour::Http, 404),
      stim::source(3, Behaviour::Missing),
      stim::source(0, Behaviour::DelayedHeaders),
      stim::network(false),
      stim::network(true),
      stim::advance(6),
      stim::advance_between(1, 3),
  };
  for (const Stimulus& s : samples) {
    auto parsed = parse_stimulus(to_string(s));
    ASSERT_TRUE(parsed) << to_string(s) << ": " << parsed.error;
    EXPECT_EQ(s, parsed.value) << to_string(s);
  }
  EXPECT_EQ("AddFile j1 src3", to_string(stim::add_file(1, 3)));
  EXPECT_EQ("Source src2 http(404)", to_string(stim::source(2, Behaviour::Http, 404)));
  EXPECT_EQ("Advance 1s..3s", to_string(stim::advance_between(1, 3)));
  EXPECT_EQ("Error.GetFile j0 h1", to_string(stim::with_handle(Op::ErrGetFile, 0, 1)));
}

TEST(StimulusText, ErrorsSayWhatAndWhere) {
  auto p = parse_stimulus("Resume j7");
  EXPECT_FALSE(p);
  EXPECT_EQ(8, p.column);
  EXPECT_NE(std::string::npos, p.error.find("j0..j2"));

  p = parse_stimulus("Frobnicate j0");
  EXPECT_FALSE(p);
  EXPECT_EQ(1, p.column);

  p = parse_stimulus("Source src1 http(99)");
  EXPECT_FALSE(p);
  p = parse_stimulus("Advance 3s..1s");
  EXPECT_FALSE(p);
  p = parse_stimulus("Resume j0 extra");
  EXPECT_FALSE(p);
  EXPECT_EQ(11, p.column);
  p = parse_stimulus("AddFile j0");
  EXPECT_FALSE(p);
  EXPECT_FALSE(parse_stimulus(""));
}

TEST(ObservationText, PrintsOnlyWhatTheOpReturns) {
  Observation o;
  o.hr = hr::kS_OK;
  o.state = JobState::Queued;
  EXPECT_EQ("S_OK state=QUEUED", to_string(o, Op::GetState));
  EXPECT_EQ("S_OK", to_string(o, Op::Resume));
  o.hr = hr::kBG_E_ERROR_INFORMATION_UNAVAILABLE;
  EXPECT_EQ("BG_E_ERROR_INFORMATION_UNAVAILABLE null", to_string(o, Op::GetError));
  Observation e;
  e.context = ErrorContext::RemoteFile;
  e.code = hr::http_error(404);
  EXPECT_EQ("S_OK context=REMOTE_FILE code=BG_E_HTTP_ERROR_404", to_string(e, Op::ErrGetError));
}

TEST(ObservationText, RoundTrips) {
  Observation o;
  o.hr = hr::kS_OK;
  o.files_total = 2;
  o.files_transferred = 1;
  o.bytes_total = kSizeUnknown;
  o.bytes_transferred = 1024;
  auto p = parse_observation(to_string(o, Op::GetProgress));
  ASSERT_TRUE(p) << p.error;
  EXPECT_EQ(o, p.value);

  auto q = parse_observation("0x80190194");
  ASSERT_TRUE(q);
  EXPECT_EQ(static_cast<HRESULT>(0x80190194), q.value.hr);
  EXPECT_EQ(Outcome::Crashed, parse_observation("crash").value.outcome);

  auto bad = parse_observation("S_OK state=RUNNING");
  EXPECT_FALSE(bad);
  EXPECT_EQ(12, bad.column);
}

TEST(ObservationText, AnOutOfRangeAnswerIsKeptAsItCame) {
  // What the implementation said, not the harness's code in its place (which the model rejects).
  const Observation state = out_of_range(OddAnswer::State, hr::kS_FALSE, 42);
  EXPECT_EQ(hr::kOutOfRange, state.hr);
  EXPECT_EQ("S_FALSE state=42 (out of range)", to_string(state, Op::GetState));
  Observation context = out_of_range(OddAnswer::Context, hr::kS_OK, 9);
  context.code = hr::http_error(404);
  EXPECT_EQ("S_OK context=9 code=BG_E_HTTP_ERROR_404 (out of range)", to_string(context, Op::ErrGetError));
  const Observation no_job = out_of_range(OddAnswer::NoObject, hr::kS_OK);
  EXPECT_EQ("S_OK job=NULL (out of range)", to_string(no_job, Op::CreateJob));
  EXPECT_EQ("S_OK object=NULL (out of range)", to_string(no_job, Op::AddFile));
  const Observation file = out_of_range(OddAnswer::ForeignFile, hr::kS_OK);
  EXPECT_EQ("S_OK file=foreign (out of range)", to_string(file, Op::ErrGetFile));
  for (const auto& [o, op] : {std::pair{state, Op::GetState},
                              {context, Op::ErrGetError},
                              {no_job, Op::CreateJob},
                              {no_job, Op::AddFile},
                              {file, Op::ErrGetFile}}) {
    auto p = parse_observation(to_string(o, op));
    ASSERT_TRUE(p) << to_string(o, op) << ": " << p.error;
    EXPECT_EQ(o, p.value) << to_string(o, op);
  }
  EXPECT_FALSE(parse_observation("S_OK state=QUEUED extra=1 (out of range)"));
  EXPECT_FALSE(parse_observation("S_OK (out of range)"));
  // The code alone (an older agent's answer) is read as the code it is.
  EXPECT_EQ("0x8004BC01", to_string(parse_observation("0x8004BC01").value, Op::GetState));
}

}  // namespace bgc
