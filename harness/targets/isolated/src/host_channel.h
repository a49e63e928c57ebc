// HostChannel: the isolated host's requests and answers through shared memory instead of its pipes.
//
// The exchanges are the line protocol's (isolated_target.h): a reset, a batch of stimuli, quit. Over
// the pipes each costs system calls on both sides and a wake-up of the sleeping side (about 10 µs a
// step on a virtual machine, a dozen times the step itself); here each side watches the other's word
// in memory for a while and only then sleeps on it (a futex: the word is shared, so the futex is).
//
// How it is set up: the harness makes the channel (an anonymous memory file) and starts bgconform-host
// with it as fd kChannelFd, naming it in $BGCONFORM_CHANNEL_FD. After "ready" it asks over the pipe
// "channel"; a host that has mapped it answers "ok" and from then on takes requests from the channel
// only. Anything else (another program speaking the protocol, a host of another build whose layout
// differs) answers otherwise, and the pipes serve as before. The pipes stay in any case: a crash is
// still told as "crashed <how>" on the host's stdout, and a host that dies closes them.
//
// One batch at a time. The harness writes the request, then publishes `posted` (a sequence number).
// The serving process answers each stimulus in turn and publishes `answered` = (batch, answers so
// far), so the answers before a crash are the harness's. When the serving process dies, the fork
// server counts it in `crashes`, says "crashed <how>" on the pipe, then marks `answered` (kCrashed) so
// that a harness asleep on it wakes; the next serving process starts after the batch that crashed
// (`served`): the requests the crashed one did not reach are never answered. The count, not the mark,
// is what the harness goes by: a library's own thread may crash the process between two calls, and
// the next request then meets a service that is not the one it was judged against.
#pragma once

#include <atomic>
#include <cstddef>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include "bgconform/types.h"

namespace bgc::channel {

inline constexpr int kChannelFd = 3;
inline constexpr const char* kChannelFdVariable = "BGCONFORM_CHANNEL_FD";
inline constexpr std::size_t kMaxBatch = 16;  // longer batches go in parts

// Fresh: the serving process ends and the fork server starts the next from the library as loaded (a
// host that does not fork answers with reset_failed set).
enum class Request : std::uint32_t { Stimuli, Reset, Quit, Fresh };

// The answer word: the batch's sequence number (low 27 bits) and how many answers are there.
inline constexpr std::uint32_t kCountBits = 5;
inline constexpr std::uint32_t kCrashed = (1u << kCountBits) - 1;  // in place of a count
inline constexpr std::uint32_t answer_word(std::uint32_t batch, std::uint32_t count) {
  return (batch << kCountBits) | count;
}
inline constexpr std::uint32_t batch_of(std::uint32_t word) { return word >> kCountBits; }
inline constexpr std::uint32_t count_of(std::uint32_t word) { return word & kCrashed; }

struct Shared {
  std::uint32_t magic;
  std::uint32_t layout;                         // kLayout: both sides must be of one build
  std::atomic<std::uint32_t> posted;            // the last batch the harness posted (wraps at 2^27)
  std::atomic<std::uint32_t> answered;          // answer_word(batch, answers so far) or (batch, kCrashed)
  std::atomic<std::uint32_t> served;            // the last batch a serving process took
  std::atomic<std::uint32_t> active;            // a host serves this channel
  std::atomic<std::uint32_t> crashes;           // serving processes the fork server has lost
  std::atomic<std::uint32_t> host_sleeping;     // the serving process sleeps on `posted`
  std::atomic<std::uint32_t> harness_sleeping;  // the harness sleeps on `answered`
  std::atomic<std::uint8_t> calling;            // the vendor function the library is in (abi_functions.h)
  Request request;
  Profile profile;      // Reset
  std::uint32_t count;  // Stimuli
  Stimulus stimuli[kMaxBatch];
  Observation answers[kMaxBatch];
  std::uint32_t reset_failed;  // Reset: the library refused; `message` says why
  char message[512];
};
inline constexpr std::uint32_t kMagic = 0x31636762;  // "bgc1"
static_assert(std::is_standard_layout_v<Shared>);
// The layout's fingerprint: the size and every member's place. A harness and a host of other builds
// (a field added or moved on one side) see different fingerprints, and the host refuses the channel:
// the pipes serve. (The size alone is not enough: a field may fit in what was padding.)
inline constexpr std::uint32_t fingerprint() {
  std::uint32_t h = 2166136261u;  // FNV-1a over the numbers
  for (std::size_t v : {sizeof(Shared),
                        offsetof(Shared, posted),
                        offsetof(Shared, answered),
                        offsetof(Shared, served),
                        offsetof(Shared, active),
                        offsetof(Shared, crashes),
                        offsetof(Shared, host_sleeping),
                        offsetof(Shared, harness_sleeping),
                        offsetof(Shared, calling),
                        offsetof(Shared, request),
                        offsetof(Shared, profile),
                        offsetof(Shared, count),
                        offsetof(Shared, stimuli),
                        offsetof(Shared, answers),
                        offsetof(Shared, reset_failed),
                        offsetof(Shared, message),
                        sizeof(Stimulus),
                        sizeof(Observation),
                        kMaxBatch,
                        std::size_t{kCountBits}})
    h = (h ^ static_cast<std::uint32_t>(v)) * 16777619u;
  return h;
}
inline constexpr std::uint32_t kLayout = fingerprint();
static_assert(std::atomic<std::uint32_t>::is_always_lock_free && std::atomic<std::uint8_t>::is_always_lock_free,
              "the words are shared between processes");
static_assert(std::is_trivially_copyable_v<Stimulus> && std::is_trivially_copyable_v<Observation>);

// The one way either side sleeps and wakes the other. The sleeper raises its `sleeping` flag, looks
// at `word` once more and sleeps (a futex shared between processes, at most `timeout`) only if it
// still holds `expected`; the other side stores the word, then wakes it only if the flag is up. Both
// in sequential consistency: either the sleeper sees the new word, or the storer sees the flag.
void sleep_on(std::atomic<std::uint32_t>& word, std::uint32_t expected, std::atomic<std::uint32_t>& sleeping,
              std::chrono::microseconds timeout);
void store_and_wake(std::atomic<std::uint32_t>& word, std::uint32_t value, const std::atomic<std::uint32_t>& sleeping);

// Looks at `word` until it no longer holds `expected`, for about `spin`; true if it changed.
bool watch(const std::atomic<std::uint32_t>& word, std::uint32_t expected, std::chrono::microseconds spin);

// The harness's side: the memory and its file, made afresh for every host process it starts.
class HarnessEnd {
 public:
  static std::unique_ptr<HarnessEnd> create(std::string& error);
  ~HarnessEnd();
  HarnessEnd(const HarnessEnd&) = delete;
  HarnessEnd& operator=(const HarnessEnd&) = delete;
  int fd() const { return fd_; }
  Shared& shared() { return *shared_; }
  // Publishes the request written into shared(); returns its batch number.
  std::uint32_t post();

 private:
  HarnessEnd(int fd, Shared* shared) : fd_(fd), shared_(shared) {}
  int fd_;
  Shared* shared_;
  std::uint32_t batch_ = 0;
};

// The host's side: the channel $BGCONFORM_CHANNEL_FD names, mapped; nullptr when there is none or it
// is not of this build's layout.
Shared* attach_from_environment();
// Waits for the next batch after `seen` (watching, then sleeping); returns it.
std::uint32_t next_batch(Shared& s, std::uint32_t seen);
// Publishes an answer word and wakes the harness if it sleeps.
void publish(Shared& s, std::uint32_t word);

}  // namespace bgc::channel
