// Drives the reference service with many random but applicable stimulus sequences and checks
// properties that hold for any realistic job service, whatever it chooses where the spec is silent:
// determinism, one background job on the network at a time (ST-9), final states are never left
// (ST-23), DO never shows CONNECTING (D-8), error information only outside TRANSFERRING and
// TRANSFERRED (E-2), GetFile answers exactly for file contexts (E-6), held error objects never change
// (snapshots), and GetErrorCount never decreases (E-9).
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <random>
#include <vector>

#include "bgconform/reference_target.h"

namespace bgc {
namespace {

struct SlotTracker {
  bool live = false;
  int files = 0;
  std::array<std::optional<Observation>, kMaxHandlesPerJob> held{};  // Error.GetError of each handle
  std::optional<JobState> final_state;
  std::uint32_t error_count = 0;
};

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : rng_(seed) {}

  Stimulus next(const std::array<SlotTracker, kMaxJobs>& slots) {
    for (;;) {
      const int job = pick(kMaxJobs);
      const SlotTracker& slot = slots[static_cast<std::size_t>(job)];
      const int handle = pick(kMaxHandlesPerJob);
      switch (pick(12)) {
        case 0:
          if (!slot.live) return stim::create_job(job);
          break;
        case 1:
          if (slot.live && slot.files < kMaxFilesPerJob) return stim::add_file(job, pick(kSourceCount));
          break;
        case 2:
          if (slot.live) {
            static constexpr std::array<Op, 10> kCalls = {Op::Resume,
                                                          Op::Resume,
                                                          Op::Suspend,
                                                          Op::Cancel,
                                                          Op::Complete,
                                                          Op::GetProgress,
                                                          Op::GetErrorCount,
                                                          Op::GetMinimumRetryDelay,
                                                          Op::GetNoProgressTimeout,
                                                          Op::ReleaseJob};
            return stim::call(kCalls[static_cast<std::size_t>(pick(static_cast<int>(kCalls.size())))], job);
          }
          break;
        case 3:
          if (slot.live) return stim::with_handle(Op::GetError, job, handle);
          break;
        case 4:
          if (slot.held[static_cast<std::size_t>(handle)]) {
            static constexpr std::array<Op, 6> kErrorCalls = {Op::ErrGetError,
                                                              Op::ErrGetFile,
                                                              Op::ErrGetProtocol,
                                                              Op::ErrGetErrorDescription,
                                                              Op::ErrGetErrorContextDescription,
                                                              Op::ReleaseError};
            return stim::with_handle(kErrorCalls[static_cast<std::size_t>(pick(6))], job, handle);
          }
          break;
        case 5:
          if (slot.live) {
            static constexpr std::array<std::uint32_t, 6> kDelays = {0, 1, 5, 6, 30, 600};
            const Op op = pick(2) == 0 ? Op::SetMinimumRetryDelay : Op::SetNoProgressTimeout;
            return stim::set_seconds(op, job, kDelays[static_cast<std::size_t>(pick(6))]);
          }
          break;
        case 6: {
          static constexpr std::array<Behaviour, 9> kBehaviours = {
              Behaviour::Ok,    Behaviour::Slow,  Behaviour::DelayedHeaders, Behaviour::Http,   Behaviour::Refused,
              Behaviour::Reset, Behaviour::Stall, Behaviour::Present,        Behaviour::Missing};
          static constexpr std::array<int, 4> kStatuses = {404, 403, 503, 500};
          return stim::source(pick(kSourceCount), kBehaviours[static_cast<std::size_t>(pick(9))],
                              kStatuses[static_cast<std::size_t>(pick(4))]);
        }
        case 7: return stim::network(pick(3) != 0);
        default: {
          static constexpr std::array<std::uint32_t, 8> kSteps = {1, 1, 4, 5, 6, 10, 31, 601};
          return stim::advance(kSteps[static_cast<std::size_t>(pick(8))]);
        }
      }
    }
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::mt19937 rng_;
};

bool holds_slot(JobState s) { return s == JobState::Connecting || s == JobState::Transferring; }

// Runs one case; returns every observation (for the determinism check).
std::vector<Observation> run_case(Profile profile, std::uint32_t seed, int steps) {
  ReferenceTarget target(profile);
  Generator gen(seed);
  std::array<SlotTracker, kMaxJobs> slots{};
  std::vector<Observation> trace;
  const ProfileCodes codes = codes_for(profile);

  for (int step = 0; step < steps; ++step) {
    const Stimulus s = gen.next(slots);
    const Observation o = target.apply(s);
    trace.push_back(o);
    const std::string where = "seed " + std::to_string(seed) + " step " + std::to_string(step) + ": " + to_string(s);
    EXPECT_EQ(o.outcome, Outcome::Answered) << where;
    SlotTracker& slot = slots[s.job];
    switch (s.op) {
      case Op::CreateJob: {
        const auto held = slot.held;  // error objects belong to the client, not to the job
        slot = SlotTracker{};
        slot.live = true;
        slot.held = held;
        EXPECT_EQ(o.state, JobState::Suspended) << where;
        break;
      }
      case Op::ReleaseJob: slot.live = false; break;
      case Op::AddFile:
        if (o.hr == hr::kS_OK) ++slot.files;
        break;
      case Op::GetError:
        if (o.hr == hr::kS_OK) {
          EXPECT_TRUE(o.handle) << where;
          slot.held[s.index] = target.apply(stim::with_handle(Op::ErrGetError, s.job, s.index));
        } else {
          EXPECT_EQ(o.hr, codes.error_info_unavailable) << where;
          EXPECT_FALSE(o.handle) << where;
        }
        break;
      case Op::ErrGetError:
        EXPECT_TRUE(slot.held[s.index].has_value()) << where;
        if (slot.held[s.index]) {
          EXPECT_EQ(o, *slot.held[s.index]) << where << " (a held error object changed)";
        }
        break;
      case Op::ErrGetFile: {
        const ErrorContext c = slot.held[s.index]->context;
        const bool names_file = c == ErrorContext::LocalFile || c == ErrorContext::RemoteFile;
        EXPECT_EQ(o.hr, names_file ? hr::kS_OK : codes.file_not_available) << where;
        EXPECT_EQ(o.file >= 0, names_file) << where;
        break;
      }
      case Op::ReleaseError: slot.held[s.index].reset(); break;
      case Op::GetErrorCount:
        if (profile == Profile::Bits) {
          EXPECT_GE(o.value, slot.error_count) << where;
          slot.error_count = o.value;
        }
        break;
      default: break;
    }

    // The sweep: every live job's state, and what GetError would say.
    int on_network = 0;
    for (int j = 0; j < kMaxJobs; ++j) {
      SlotTracker& t = slots[static_cast<std::size_t>(j)];
      if (!t.live) continue;
      const JobState state = target.apply(stim::call(Op::GetState, j)).state;
      on_network += holds_slot(state) ? 1 : 0;
      if (t.final_state) {
        EXPECT_EQ(state, *t.final_state) << where << " (left a final state)";
      }
      if (is_final(state)) t.final_state = state;
      if (profile == Profile::Do) {
        EXPECT_NE(state, JobState::Connecting) << where;
      }
    }
    EXPECT_LE(on_network, 1) << where;
    if (::testing::Test::HasFailure()) break;
  }
  return trace;
}

TEST(ReferenceSoak, BitsPropertiesHoldOnRandomSequences) {
  for (std::uint32_t seed = 1; seed <= 300 && !::testing::Test::HasFailure(); ++seed) {
    run_case(Profile::Bits, seed, 60);
  }
}

TEST(ReferenceSoak, DoPropertiesHoldOnRandomSequences) {
  for (std::uint32_t seed = 1; seed <= 300 && !::testing::Test::HasFailure(); ++seed) {
    run_case(Profile::Do, seed, 60);
  }
}

TEST(ReferenceSoak, SameStimuliSameObservations) {
  for (std::uint32_t seed = 1; seed <= 50; ++seed) {
    EXPECT_EQ(run_case(Profile::Bits, seed, 60), run_case(Profile::Bits, seed, 60)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace bgc
