// Example tests of the reference job service. Expected HRESULTs and states are literal numbers from
// spec §1.4 and §10, not the constants the service uses, so a wrong constant cannot hide itself.
#include <gtest/gtest.h>

#include <cstdint>

#include "bgconform/reference_target.h"

namespace bgc {
namespace {

constexpr HRESULT h(std::uint32_t v) { return static_cast<HRESULT>(v); }

// Literal states (spec §1.1).
constexpr int kQueued = 0, kConnecting = 1, kTransferring = 2, kSuspended = 3, kError = 4, kTransient = 5,
              kTransferred = 6, kAcknowledged = 7, kCancelled = 8;

class Reference : public ::testing::Test {
 protected:
  explicit Reference(Profile p = Profile::Bits) : target_(p) {}

  Observation apply(const Stimulus& s) { return target_.apply(s); }
  int state(int job) {
    const Observation o = apply(stim::call(Op::GetState, job));
    EXPECT_EQ(o.hr, 0);
    return static_cast<int>(o.state);
  }
  HRESULT call(Op op, int job) { return apply(stim::call(op, job)).hr; }
  void advance(std::uint32_t s) { EXPECT_EQ(apply(stim::advance(s)).hr, 0); }
  // A job in slot `job` with one file from `source`, still SUSPENDED.
  void job_with_file(int job, int source) {
    ASSERT_EQ(apply(stim::create_job(job)).hr, 0);
    ASSERT_EQ(apply(stim::add_file(job, source)).hr, 0);
  }
  // The same, resumed.
  void start_job(int job, int source) {
    job_with_file(job, source);
    ASSERT_EQ(call(Op::Resume, job), 0);
  }
  Observation held_error(int job, int handle) { return apply(stim::with_handle(Op::ErrGetError, job, handle)); }
  Observation take_error(int job, int handle) { return apply(stim::with_handle(Op::GetError, job, handle)); }

  ReferenceTarget target_;
};

class ReferenceDo : public Reference {
 protected:
  ReferenceDo() : Reference(Profile::Do) {}
};

TEST(ReferenceTargetInfo, NameAndCapabilities) {
  ReferenceTarget t;
  EXPECT_EQ(t.name(), "reference");
  const Capabilities c = t.capabilities();
  EXPECT_TRUE(c.deterministic);
  EXPECT_TRUE(c.virtual_clock);
  EXPECT_TRUE(c.fault_injection);
  ASSERT_EQ(c.profiles.size(), 2U);
  EXPECT_EQ(c.profiles[0], Profile::Bits);
  EXPECT_EQ(c.profiles[1], Profile::Do);
}

// §10 item 1 (ST-1, E-2).
TEST_F(Reference, NewJobIsSuspendedWithoutErrorInformation) {
  const Observation created = apply(stim::create_job(0));
  EXPECT_EQ(created.hr, 0);
  EXPECT_EQ(static_cast<int>(created.state), kSuspended);
  EXPECT_EQ(state(0), kSuspended);
  const Observation e = take_error(0, 0);
  EXPECT_EQ(e.hr, h(0x8020000F));
  EXPECT_FALSE(e.handle);
}

// §10 item 2 (ST-3).
TEST_F(Reference, ResumeWithoutFilesIsEmptyAndStaysSuspended) {
  apply(stim::create_job(0));
  EXPECT_EQ(call(Op::Resume, 0), h(0x80200003));
  EXPECT_EQ(state(0), kSuspended);
}

// §10 item 3 (ST-2) and item 4 (ST-7); calls have only their immediate effect.
TEST_F(Reference, ResumeQueuesAndOnlyTimeMovesTheJob) {
  start_job(0, 0);
  EXPECT_EQ(state(0), kQueued);
  EXPECT_EQ(call(Op::GetState, 0), 0);
  EXPECT_EQ(state(0), kQueued);
  EXPECT_EQ(call(Op::Suspend, 0), 0);
  EXPECT_EQ(call(Op::Suspend, 0), 0);
  EXPECT_EQ(state(0), kSuspended);
  advance(100);
  EXPECT_EQ(state(0), kSuspended);
}

// §10 item 5 (ST-6, ST-22, M-table).
TEST_F(Reference, CancelledJobRefusesEveryStateChange) {
  job_with_file(0, 0);
  EXPECT_EQ(call(Op::Cancel, 0), 0);
  EXPECT_EQ(state(0), kCancelled);
  EXPECT_EQ(call(Op::Resume, 0), h(0x80200002));
  EXPECT_EQ(call(Op::Suspend, 0), h(0x80200002));
  EXPECT_EQ(call(Op::Cancel, 0), h(0x80200002));
  EXPECT_EQ(call(Op::Complete, 0), h(0x80200002));
  EXPECT_EQ(apply(stim::add_file(0, 1)).hr, h(0x80200002));
  EXPECT_EQ(apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 10)).hr, h(0x80200002));
  EXPECT_EQ(apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 10)).hr, h(0x80200002));
  EXPECT_EQ(take_error(0, 0).hr, h(0x8020000F));
  EXPECT_EQ(state(0), kCancelled);
}

TEST_F(Reference, TransfersChunkByChunkAndCompletes) {
  start_job(0, 1);  // source 1: two chunks
  Observation p = apply(stim::call(Op::GetProgress, 0));
  EXPECT_EQ(p.files_total, 1U);
  EXPECT_EQ(p.bytes_total, kSizeUnknown);  // the size is learned from the source
  advance(1);                              // connected after 1 s
  EXPECT_EQ(state(0), kTransferring);
  p = apply(stim::call(Op::GetProgress, 0));
  EXPECT_EQ(p.bytes_total, 2048U);
  EXPECT_EQ(p.bytes_transferred, 0U);
  advance(1);
  EXPECT_EQ(apply(stim::call(Op::GetProgress, 0)).bytes_transferred, 1024U);
  EXPECT_EQ(state(0), kTransferring);
  advance(1);
  EXPECT_EQ(state(0), kTransferred);
  p = apply(stim::call(Op::GetProgress, 0));
  EXPECT_EQ(p.files_transferred, 1U);
  EXPECT_EQ(p.bytes_transferred, 2048U);
  EXPECT_EQ(call(Op::Resume, 0), 0);  // nothing left to fetch (I-6)
  EXPECT_EQ(state(0), kTransferred);
  EXPECT_EQ(call(Op::Complete, 0), 0);
  EXPECT_EQ(state(0), kAcknowledged);
  EXPECT_EQ(call(Op::Complete, 0), h(0x80200002));
  EXPECT_EQ(take_error(0, 0).hr, h(0x8020000F));
}

TEST_F(Reference, DelayedHeadersShowConnecting) {
  apply(stim::source(0, Behaviour::DelayedHeaders));
  start_job(0, 0);
  advance(1);
  EXPECT_EQ(state(0), kConnecting);
  advance(2);
  EXPECT_EQ(state(0), kTransferring);
  advance(1);
  EXPECT_EQ(state(0), kTransferred);
}

TEST_F(Reference, SlowSourceTakesTenSecondsPerChunk) {
  apply(stim::source(0, Behaviour::Slow));
  start_job(0, 0);
  advance(10);
  EXPECT_EQ(state(0), kTransferring);
  advance(1);
  EXPECT_EQ(state(0), kTransferred);
}

// A chunk asked of a source that served nothing then (refused) and answered after it turned slow
// comes at the slow rate counted from the request, not at the failure's 1 s answer time (ST-10;
// found by job_sequence_fuzzer, fuzz/regressions/refused-then-slow-in-flight.replay).
TEST_F(Reference, ChunkAskedOfARefusingSourceComesAtTheRateItServesAfter) {
  apply(stim::source(0, Behaviour::Refused));
  job_with_file(0, 3);  // one chunk from the local source: connected at 1 s, done at 2 s
  ASSERT_EQ(apply(stim::add_file(0, 0)).hr, 0);
  ASSERT_EQ(call(Op::Resume, 0), 0);
  advance(2);  // the chunk of the second file is asked of src0 now, while it refuses
  ASSERT_EQ(state(0), kTransferring);
  apply(stim::source(0, Behaviour::Slow));
  advance(9);
  EXPECT_EQ(state(0), kTransferring);
  advance(1);  // 10 s after the request
  EXPECT_EQ(state(0), kTransferred);
}

TEST_F(Reference, AddFileToTransferredJobThenResume) {
  start_job(0, 0);
  advance(2);
  ASSERT_EQ(state(0), kTransferred);
  EXPECT_EQ(apply(stim::add_file(0, 0)).hr, 0);
  EXPECT_EQ(state(0), kTransferred);
  EXPECT_EQ(call(Op::Resume, 0), 0);
  EXPECT_EQ(state(0), kQueued);
  advance(2);
  EXPECT_EQ(state(0), kTransferred);
  EXPECT_EQ(apply(stim::call(Op::GetProgress, 0)).files_transferred, 2U);
}

// I-3, E-5, E-6, E-7, E-9.
TEST_F(Reference, Http404IsFatalWithRemoteFileContext) {
  apply(stim::source(0, Behaviour::Http, 404));
  start_job(0, 0);
  advance(1);
  EXPECT_EQ(state(0), kError);
  const Observation got = take_error(0, 0);
  EXPECT_EQ(got.hr, 0);
  EXPECT_TRUE(got.handle);
  const Observation e = held_error(0, 0);
  EXPECT_EQ(e.hr, 0);
  EXPECT_EQ(static_cast<int>(e.context), 5);
  EXPECT_EQ(e.code, h(0x80190194));
  const Observation f = apply(stim::with_handle(Op::ErrGetFile, 0, 0));
  EXPECT_EQ(f.hr, 0);
  EXPECT_EQ(f.file, 0);
  const Observation p = apply(stim::with_handle(Op::ErrGetProtocol, 0, 0));
  EXPECT_EQ(p.hr, 0);
  EXPECT_EQ(p.protocol, Protocol::Http);
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetErrorDescription, 0, 0)).hr, 0);
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetErrorContextDescription, 0, 0)).hr, 0);
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 1U);
  advance(10000);  // fatal: no retry
  EXPECT_EQ(state(0), kError);
}

TEST_F(Reference, HttpErrorOnTheSecondFileNamesThatFile) {
  job_with_file(0, 0);
  apply(stim::add_file(0, 2));
  apply(stim::source(2, Behaviour::Http, 403));
  call(Op::Resume, 0);
  advance(3);  // connect 1 s, file 0 at 2 s, the first chunk of file 1 fails at 3 s
  EXPECT_EQ(state(0), kError);
  take_error(0, 1);
  EXPECT_EQ(held_error(0, 1).code, h(0x80190193));
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetFile, 0, 1)).file, 1);
  // One file of two kept: partial completion (M-7).
  EXPECT_EQ(call(Op::Complete, 0), h(0x00200017));
  EXPECT_EQ(state(0), kAcknowledged);
}

TEST_F(Reference, MissingLocalFileIsFatalWithLocalFileContext) {
  apply(stim::source(kLocalSource, Behaviour::Missing));
  start_job(0, kLocalSource);
  advance(1);
  EXPECT_EQ(state(0), kError);
  take_error(0, 0);
  const Observation e = held_error(0, 0);
  EXPECT_EQ(static_cast<int>(e.context), 4);
  EXPECT_EQ(e.code, h(0x80070002));
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetFile, 0, 0)).file, 0);
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetProtocol, 0, 0)).protocol, Protocol::File);
  // Fixed and resumed: the error stays available until the job transfers again (I-1).
  apply(stim::source(kLocalSource, Behaviour::Present));
  EXPECT_EQ(call(Op::Resume, 0), 0);
  EXPECT_EQ(state(0), kQueued);
  EXPECT_EQ(take_error(0, 1).hr, 0);
  advance(1);
  EXPECT_EQ(state(0), kTransferring);
  EXPECT_EQ(take_error(0, 1).hr, h(0x8020000F));
}

// §10 items 9 and 10 (ST-12, E-2, E-9).
TEST_F(Reference, RefusedIsTransientAndRetriedAfterTheRetryDelay) {
  apply(stim::source(0, Behaviour::Refused));
  start_job(0, 0);
  advance(1);
  EXPECT_EQ(state(0), kTransient);
  ASSERT_EQ(take_error(0, 0).hr, 0);
  const Observation e = held_error(0, 0);
  EXPECT_EQ(static_cast<int>(e.context), 6);
  EXPECT_TRUE(hr::failed(e.code));
  const Observation f = apply(stim::with_handle(Op::ErrGetFile, 0, 0));
  EXPECT_EQ(f.hr, h(0x80200004));
  EXPECT_EQ(f.file, -1);
  const Observation p = apply(stim::with_handle(Op::ErrGetProtocol, 0, 0));
  EXPECT_EQ(p.hr, h(0x80200005));
  EXPECT_EQ(p.protocol, Protocol::None);
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 1U);

  apply(stim::source(0, Behaviour::Ok));
  advance(599);  // the default retry delay is 600 s; never earlier
  EXPECT_EQ(state(0), kTransient);
  advance(1);
  EXPECT_EQ(state(0), kConnecting);
  EXPECT_EQ(take_error(0, 1).hr, 0);  // still there until data moves (I-1)
  advance(1);
  EXPECT_EQ(state(0), kTransferring);
  EXPECT_EQ(take_error(0, 1).hr, h(0x8020000F));
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 1U);
}

TEST_F(Reference, EveryFailedRetryCounts) {
  apply(stim::source(0, Behaviour::Reset));
  start_job(0, 0);
  apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 5));
  advance(1);
  EXPECT_EQ(state(0), kTransient);
  advance(6);  // retried after 5 s, failed again 1 s later
  EXPECT_EQ(state(0), kTransient);
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 2U);
}

// §10 item 8 (ST-13).
TEST_F(Reference, NoProgressTimeoutZeroSendsEveryErrorToError) {
  apply(stim::source(0, Behaviour::Refused));
  start_job(0, 0);
  EXPECT_EQ(apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 0)).hr, 0);
  EXPECT_EQ(apply(stim::call(Op::GetNoProgressTimeout, 0)).value, 0U);
  advance(1);
  EXPECT_EQ(state(0), kError);
  ASSERT_EQ(take_error(0, 0).hr, 0);
  EXPECT_EQ(static_cast<int>(held_error(0, 0).context), 6);
}

TEST_F(Reference, NoProgressTimeoutZeroAlsoForNetworkLoss) {
  start_job(0, 0);
  apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 0));
  apply(stim::network(false));
  EXPECT_EQ(state(0), kError);
  take_error(0, 0);
  EXPECT_EQ(held_error(0, 0).code, h(0x80200010));
}

// ST-14.
TEST_F(Reference, RetryDelayLongerThanTimeoutGivesUpAtOnce) {
  apply(stim::source(0, Behaviour::Http, 503));
  start_job(0, 0);
  apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 100));
  apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 101));
  advance(1);
  EXPECT_EQ(state(0), kError);
  take_error(0, 0);
  const Observation e = held_error(0, 0);
  EXPECT_EQ(static_cast<int>(e.context), 5);
  EXPECT_EQ(e.code, h(0x801901F7));
}

// ST-12: no progress within the timeout ends in ERROR; the last transient error is the reason.
TEST_F(Reference, NoProgressTimeoutEndsRetrying) {
  apply(stim::source(0, Behaviour::Http, 503));
  start_job(0, 0);
  apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 30));
  apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 100));
  advance(1);  // first failure at t=1: the period ends at t=101
  EXPECT_EQ(state(0), kTransient);
  advance(99);
  EXPECT_EQ(state(0), kTransient);
  advance(1);
  EXPECT_EQ(state(0), kError);
  take_error(0, 0);
  EXPECT_EQ(held_error(0, 0).code, h(0x801901F7));
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 4U);  // t=1, 32, 63, 94
}

TEST_F(Reference, ProgressResetsTheNoProgressTimer) {
  job_with_file(0, 2);  // three chunks
  apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 20));
  apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 5));
  call(Op::Resume, 0);
  advance(2);  // connected at 1, one chunk at 2
  apply(stim::source(2, Behaviour::Http, 500));
  advance(1);  // chunk 2 fails at 3: the period starts, ends at 23
  EXPECT_EQ(state(0), kTransient);
  apply(stim::source(2, Behaviour::Ok));
  advance(7);  // retry at 8, connected at 9, chunk at 10: progress
  EXPECT_EQ(state(0), kTransferring);
  apply(stim::source(2, Behaviour::Http, 500));
  advance(1);  // fails at 11: a new period, ends at 31
  EXPECT_EQ(state(0), kTransient);
  advance(15);  // t=26: past the first period's end, inside the second
  EXPECT_NE(state(0), kError);
}

TEST_F(Reference, StallEndsInTransientErrorAfterThirtySeconds) {
  apply(stim::source(0, Behaviour::Stall));
  start_job(0, 0);
  advance(29);
  EXPECT_EQ(state(0), kConnecting);
  advance(1);
  EXPECT_EQ(state(0), kTransient);
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 1U);
}

// §10 item 13 (M-25, M-27).
TEST_F(Reference, RetryDelayIsClampedAndDefaultsAreDocumented) {
  apply(stim::create_job(0));
  EXPECT_EQ(apply(stim::call(Op::GetMinimumRetryDelay, 0)).value, 600U);
  EXPECT_EQ(apply(stim::call(Op::GetNoProgressTimeout, 0)).value, 1209600U);
  EXPECT_EQ(apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 1)).hr, 0);
  EXPECT_EQ(apply(stim::call(Op::GetMinimumRetryDelay, 0)).value, 5U);
  apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 42));
  EXPECT_EQ(apply(stim::call(Op::GetMinimumRetryDelay, 0)).value, 42U);
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 0U);
}

// ST-15, I-10, E-9.
TEST_F(Reference, NetworkLossDuringTransferAndReconnection) {
  start_job(0, 2);
  advance(2);
  ASSERT_EQ(state(0), kTransferring);
  EXPECT_EQ(apply(stim::network(false)).hr, 0);
  EXPECT_EQ(state(0), kTransient);
  ASSERT_EQ(take_error(0, 0).hr, 0);
  const Observation e = held_error(0, 0);
  EXPECT_EQ(e.code, h(0x80200010));
  EXPECT_EQ(static_cast<int>(e.context), 6);
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 0U);
  advance(5000);  // no retries while the network is down
  EXPECT_EQ(state(0), kTransient);
  EXPECT_EQ(apply(stim::network(true)).hr, 0);
  EXPECT_EQ(state(0), kQueued);
  advance(1);
  EXPECT_EQ(state(0), kTransferring);
  advance(2);  // the chunk received before the loss was kept
  EXPECT_EQ(state(0), kTransferred);
}

TEST_F(Reference, JobQueuedWhileOfflineIsParkedAtTheNextAdvance) {
  apply(stim::network(false));
  start_job(0, 0);
  EXPECT_EQ(state(0), kQueued);
  advance(1);
  EXPECT_EQ(state(0), kTransient);
  take_error(0, 0);
  EXPECT_EQ(held_error(0, 0).code, h(0x80200010));
  apply(stim::network(true));
  EXPECT_EQ(state(0), kQueued);
}

TEST_F(Reference, NetworkLossKeepsRunningTheNoProgressTimer) {
  start_job(0, 0);
  apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 60));
  apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 5));  // below the timeout, or ST-14 gives up at once
  apply(stim::network(false));
  advance(59);
  EXPECT_EQ(state(0), kTransient);
  advance(1);
  EXPECT_EQ(state(0), kError);
  apply(stim::network(true));
  EXPECT_EQ(state(0), kError);
}

// ST-14 applies to a network loss as well.
TEST_F(Reference, NetworkLossWithRetryDelayAboveTimeoutIsError) {
  start_job(0, 0);
  apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 60));  // the retry delay is still 600
  apply(stim::network(false));
  EXPECT_EQ(state(0), kError);
  EXPECT_EQ(apply(stim::call(Op::GetErrorCount, 0)).value, 0U);
}

// I-2 (snapshot), E-3.
TEST_F(Reference, HeldErrorObjectKeepsItsValues) {
  apply(stim::source(0, Behaviour::Http, 404));
  start_job(0, 0);
  advance(1);
  ASSERT_EQ(state(0), kError);
  ASSERT_TRUE(take_error(0, 0).handle);
  apply(stim::source(0, Behaviour::Ok));
  call(Op::Resume, 0);
  advance(1);
  ASSERT_EQ(state(0), kTransferring);
  EXPECT_EQ(take_error(0, 1).hr, h(0x8020000F));
  Observation e = held_error(0, 0);
  EXPECT_EQ(e.hr, 0);
  EXPECT_EQ(static_cast<int>(e.context), 5);
  EXPECT_EQ(e.code, h(0x80190194));
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetFile, 0, 0)).file, 0);
  // The client lets go of the job: its error object is still its own.
  EXPECT_EQ(apply(stim::release_job(0)).hr, 0);
  e = held_error(0, 0);
  EXPECT_EQ(e.code, h(0x80190194));
  EXPECT_EQ(apply(stim::with_handle(Op::ReleaseError, 0, 0)).hr, 0);
}

TEST_F(Reference, GetErrorReplacesTheHeldObject) {
  apply(stim::source(0, Behaviour::Refused));
  start_job(0, 0);
  apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 5));
  advance(1);
  take_error(0, 0);
  const HRESULT refused = held_error(0, 0).code;
  apply(stim::source(0, Behaviour::Http, 404));
  advance(6);
  ASSERT_EQ(state(0), kError);
  EXPECT_EQ(held_error(0, 0).code, refused);  // the old snapshot
  take_error(0, 0);
  EXPECT_EQ(held_error(0, 0).code, h(0x80190194));
}

TEST_F(Reference, ReleasedJobKeepsRunningAndHoldsTheSlot) {
  apply(stim::source(1, Behaviour::Slow));
  start_job(0, 1);
  advance(1);
  EXPECT_EQ(apply(stim::release_job(0)).hr, 0);
  start_job(0, 0);  // a new job in the same slot waits for the released one
  advance(5);
  EXPECT_EQ(state(0), kQueued);
  advance(60);
  EXPECT_EQ(state(0), kTransferred);
}

TEST_F(Reference, CompleteWithNoFileTransferredIsOk) {
  job_with_file(0, 0);
  EXPECT_EQ(call(Op::Complete, 0), 0);
  EXPECT_EQ(state(0), kAcknowledged);
}

TEST_F(Reference, TwoJobsNeverTransferAtTheSameTime) {
  apply(stim::source(1, Behaviour::Slow));
  apply(stim::source(2, Behaviour::Slow));
  start_job(0, 1);
  start_job(1, 2);
  bool second_ran_while_first_unfinished = false;
  for (int t = 0; t < 200; ++t) {
    advance(1);
    const int a = state(0), b = state(1);
    const int running = (a == kConnecting || a == kTransferring) + (b == kConnecting || b == kTransferring);
    ASSERT_LE(running, 1) << "at t=" << t + 1;
    if (t == 0) {
      EXPECT_EQ(a, kTransferring);  // first in line, first served
      EXPECT_EQ(b, kQueued);
    }
    if ((b == kConnecting || b == kTransferring) && a != kTransferred) second_ran_while_first_unfinished = true;
  }
  EXPECT_TRUE(second_ran_while_first_unfinished);  // time slices share the slot
  EXPECT_EQ(state(0), kTransferred);
  EXPECT_EQ(state(1), kTransferred);
}

TEST_F(Reference, ThreeJobsWithFaultsKeepOneRunner) {
  apply(stim::source(0, Behaviour::Refused));
  apply(stim::source(1, Behaviour::Slow));
  start_job(0, 0);
  start_job(1, 1);
  start_job(2, 2);
  apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 5));
  for (int t = 0; t < 120; ++t) {
    if (t == 7) apply(stim::source(0, Behaviour::Ok));
    if (t == 40) apply(stim::network(false));
    if (t == 45) apply(stim::network(true));
    advance(1);
    int running = 0;
    for (int j = 0; j < 3; ++j) {
      const int s = state(j);
      running += (s == kConnecting || s == kTransferring);
    }
    ASSERT_LE(running, 1) << "at t=" << t + 1;
  }
  for (int j = 0; j < 3; ++j) EXPECT_EQ(state(j), kTransferred) << "job " << j;
}

TEST_F(Reference, ResetStartsAFreshService) {
  start_job(0, 0);
  advance(2);
  target_.reset(Profile::Bits);
  EXPECT_EQ(apply(stim::create_job(0)).hr, 0);
  EXPECT_EQ(state(0), kSuspended);
  EXPECT_EQ(apply(stim::call(Op::GetProgress, 0)).files_total, 0U);
}

// ---- Delivery Optimization profile (spec §7, D-7, D-8) -----------------------------------------

TEST_F(ReferenceDo, CodesAreDeliveryOptimizationCodes) {
  apply(stim::create_job(0));
  EXPECT_EQ(state(0), kSuspended);
  EXPECT_EQ(take_error(0, 0).hr, h(0x80D02014));
  EXPECT_EQ(call(Op::Resume, 0), h(0x80D02004));
  EXPECT_EQ(state(0), kSuspended);
  EXPECT_EQ(apply(stim::call(Op::GetNoProgressTimeout, 0)).value, 86400U);
  EXPECT_EQ(call(Op::Cancel, 0), 0);
  EXPECT_EQ(call(Op::Resume, 0), h(0x80D02013));
  EXPECT_EQ(apply(stim::add_file(0, 0)).hr, h(0x80D02013));
  EXPECT_EQ(apply(stim::set_seconds(Op::SetNoProgressTimeout, 0, 5)).hr, h(0x80D02013));
}

TEST_F(ReferenceDo, UndocumentedMethodsAreNotImplemented) {
  apply(stim::create_job(0));
  EXPECT_EQ(apply(stim::set_seconds(Op::SetMinimumRetryDelay, 0, 5)).hr, h(0x80004001));
  EXPECT_EQ(call(Op::GetMinimumRetryDelay, 0), h(0x80004001));
  EXPECT_EQ(call(Op::GetErrorCount, 0), h(0x80004001));
  apply(stim::source(0, Behaviour::Http, 404));
  apply(stim::add_file(0, 0));
  call(Op::Resume, 0);
  advance(1);
  ASSERT_EQ(state(0), kError);
  ASSERT_EQ(take_error(0, 0).hr, 0);
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetProtocol, 0, 0)).hr, h(0x80004001));
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetErrorDescription, 0, 0)).hr, h(0x80004001));
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetErrorContextDescription, 0, 0)).hr, h(0x80004001));
}

TEST_F(ReferenceDo, NeverShowsConnecting) {
  apply(stim::source(0, Behaviour::DelayedHeaders));
  start_job(0, 0);
  EXPECT_EQ(state(0), kQueued);
  advance(1);
  EXPECT_EQ(state(0), kTransferring);
  advance(3);
  EXPECT_EQ(state(0), kTransferred);
}

TEST_F(ReferenceDo, OnlyHttp403NamesTheRemoteFile) {
  apply(stim::source(0, Behaviour::Http, 404));
  apply(stim::source(1, Behaviour::Http, 403));
  start_job(0, 0);
  advance(1);
  ASSERT_EQ(state(0), kError);
  take_error(0, 0);
  Observation e = held_error(0, 0);
  EXPECT_EQ(static_cast<int>(e.context), 0);
  EXPECT_EQ(e.code, h(0x80190194));
  const Observation f = apply(stim::with_handle(Op::ErrGetFile, 0, 0));
  EXPECT_EQ(f.hr, h(0x80D02010));
  EXPECT_EQ(f.file, -1);

  call(Op::Cancel, 0);
  start_job(1, 1);
  advance(1);
  ASSERT_EQ(state(1), kError);
  take_error(1, 0);
  e = held_error(1, 0);
  EXPECT_EQ(static_cast<int>(e.context), 5);
  EXPECT_EQ(e.code, h(0x80190193));
  EXPECT_EQ(apply(stim::with_handle(Op::ErrGetFile, 1, 0)).file, 0);
}

TEST_F(ReferenceDo, CompleteIsAlwaysOk) {
  job_with_file(0, 0);
  apply(stim::add_file(0, 1));
  apply(stim::source(1, Behaviour::Http, 404));
  call(Op::Resume, 0);
  advance(3);
  ASSERT_EQ(state(0), kError);
  EXPECT_EQ(apply(stim::call(Op::GetProgress, 0)).files_transferred, 1U);
  EXPECT_EQ(call(Op::Complete, 0), 0);
  EXPECT_EQ(state(0), kAcknowledged);
}

TEST_F(ReferenceDo, NetworkLossIsBlockedByNoNetwork) {
  start_job(0, 2);
  advance(1);
  apply(stim::network(false));
  EXPECT_EQ(state(0), kTransient);
  take_error(0, 0);
  const Observation e = held_error(0, 0);
  EXPECT_EQ(e.code, h(0x80D03805));
  EXPECT_EQ(static_cast<int>(e.context), 0);
  apply(stim::network(true));
  EXPECT_EQ(state(0), kQueued);
}

}  // namespace
}  // namespace bgc
