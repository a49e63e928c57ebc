// The numbers of spec §1, restated as literals.
#include <gtest/gtest.h>

#include "bgconform/constants.h"

namespace bgc {

TEST(Constants, JobStatesHaveTheirSdkValues) {
  EXPECT_EQ(0, static_cast<int>(JobState::Queued));
  EXPECT_EQ(1, static_cast<int>(JobState::Connecting));
  EXPECT_EQ(2, static_cast<int>(JobState::Transferring));
  EXPECT_EQ(3, static_cast<int>(JobState::Suspended));
  EXPECT_EQ(4, static_cast<int>(JobState::Error));
  EXPECT_EQ(5, static_cast<int>(JobState::TransientError));
  EXPECT_EQ(6, static_cast<int>(JobState::Transferred));
  EXPECT_EQ(7, static_cast<int>(JobState::Acknowledged));
  EXPECT_EQ(8, static_cast<int>(JobState::Cancelled));
}

TEST(Constants, ErrorContextsHaveTheirSdkValues) {
  EXPECT_EQ(0, static_cast<int>(ErrorContext::None));
  EXPECT_EQ(1, static_cast<int>(ErrorContext::Unknown));
  EXPECT_EQ(2, static_cast<int>(ErrorContext::GeneralQueueManager));
  EXPECT_EQ(3, static_cast<int>(ErrorContext::QueueManagerNotification));
  EXPECT_EQ(4, static_cast<int>(ErrorContext::LocalFile));
  EXPECT_EQ(5, static_cast<int>(ErrorContext::RemoteFile));
  EXPECT_EQ(6, static_cast<int>(ErrorContext::GeneralTransport));
  EXPECT_EQ(7, static_cast<int>(ErrorContext::RemoteApplication));
}

TEST(Constants, HresultsHaveTheirDocumentedValues) {
  EXPECT_EQ(0x00200017, hr::kBG_S_PARTIAL_COMPLETE);
  EXPECT_EQ(0x0020001A, hr::kBG_S_UNABLE_TO_DELETE_FILES);
  EXPECT_EQ(static_cast<HRESULT>(0x80200001), hr::kBG_E_NOT_FOUND);
  EXPECT_EQ(static_cast<HRESULT>(0x80200002), hr::kBG_E_INVALID_STATE);
  EXPECT_EQ(static_cast<HRESULT>(0x80200003), hr::kBG_E_EMPTY);
  EXPECT_EQ(static_cast<HRESULT>(0x80200004), hr::kBG_E_FILE_NOT_AVAILABLE);
  EXPECT_EQ(static_cast<HRESULT>(0x80200005), hr::kBG_E_PROTOCOL_NOT_AVAILABLE);
  EXPECT_EQ(static_cast<HRESULT>(0x8020000F), hr::kBG_E_ERROR_INFORMATION_UNAVAILABLE);
  EXPECT_EQ(static_cast<HRESULT>(0x80200010), hr::kBG_E_NETWORK_DISCONNECTED);
  EXPECT_EQ(static_cast<HRESULT>(0x80200024), hr::kBG_E_NO_PROGRESS);
  EXPECT_EQ(static_cast<HRESULT>(0x80190194), hr::http_error(404));
  EXPECT_EQ(static_cast<HRESULT>(0x80190193), hr::http_error(403));
  EXPECT_EQ(static_cast<HRESULT>(0x80D02003), hr::kDO_E_JOB_NOT_FOUND);
  EXPECT_EQ(static_cast<HRESULT>(0x80D02004), hr::kDO_E_JOB_EMPTY);
  EXPECT_EQ(static_cast<HRESULT>(0x80D02010), hr::kDO_E_FILE_NOT_AVAILABLE);
  EXPECT_EQ(static_cast<HRESULT>(0x80D02013), hr::kDO_E_INVALID_STATE);
  EXPECT_EQ(static_cast<HRESULT>(0x80D02014), hr::kDO_E_ERROR_INFORMATION_UNAVAILABLE);
  EXPECT_EQ(static_cast<HRESULT>(0x80D03805), hr::kDO_E_BLOCKED_BY_NO_NETWORK);
}

TEST(Constants, ProfilesSubstituteDoCodes) {
  EXPECT_EQ(static_cast<HRESULT>(0x80200002), codes_for(Profile::Bits).invalid_state);
  EXPECT_EQ(static_cast<HRESULT>(0x80D02013), codes_for(Profile::Do).invalid_state);
  EXPECT_EQ(static_cast<HRESULT>(0x80D02014), codes_for(Profile::Do).error_info_unavailable);
  EXPECT_EQ(static_cast<HRESULT>(0x80D02010), codes_for(Profile::Do).file_not_available);
}

TEST(Constants, TimerDefaults) {
  EXPECT_EQ(600u, kDefaultRetryDelay);
  EXPECT_EQ(5u, kMinRetryDelay);
  EXPECT_EQ(1209600u, kDefaultNoProgressTimeoutBits);
}

TEST(Constants, NamesRoundTrip) {
  for (int i = 0; i < kJobStateCount; ++i) {
    auto s = static_cast<JobState>(i);
    EXPECT_EQ(s, parse_job_state(name(s)));
    EXPECT_EQ(s, parse_job_state(short_name(s)));
  }
  EXPECT_EQ("BG_JOB_STATE_TRANSIENT_ERROR", name(JobState::TransientError));
  EXPECT_EQ(static_cast<HRESULT>(0x8020000F), hresult_from_name("BG_E_ERROR_INFORMATION_UNAVAILABLE"));
  EXPECT_FALSE(parse_job_state("RUNNING").has_value());
}

}  // namespace bgc
