// The environment the harness hands a cooperating implementation (vendor_abi.h, bgc_environment):
// a virtual clock and a scripted transport that answers as the Source and Network stimuli say
// (model-contract.md, "Environment events").
//
// Each of the four sources serves one file of chunks_of(s) * kChunkBytes bytes. An `ok` source sends
// one chunk per second, a `slow` one one per 10 s; `delayed-headers` answers its request after 3 s.
// A behaviour applies from the next request or read on, also to streams already open.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "bgconform/types.h"
#include "bgconform/vendor_abi.h"

namespace bgc::vendor {

// "http://127.0.0.1/src<s>" for s = 0..2, "file:///bgc/src3" for the local source.
std::string source_url(int source);
// The source a URL names, or nullopt for any other URL.
std::optional<int> source_of(std::string_view url);

class HarnessEnvironment {
 public:
  static constexpr std::uint32_t kHeaderDelaySeconds = 3;  // `delayed-headers`
  static constexpr std::uint32_t kSlowChunkSeconds = 10;   // `slow`

  HarnessEnvironment();
  HarnessEnvironment(const HarnessEnvironment&) = delete;
  HarnessEnvironment& operator=(const HarnessEnvironment&) = delete;

  // Back to time 0, every source answering, the network up, no streams.
  void reset();
  // The C table to hand to create_manager; valid as long as this object.
  const bgc_environment* table() const { return &table_; }

  std::uint64_t now() const { return now_; }
  // Time passes to t: at once for an implementation without run_until; for one with it, the harness
  // calls run_until(t) between begin_run(t) and end_run(), and the implementation may wait_until().
  void begin_run(std::uint64_t until) { limit_ = until; }
  void wait_until(std::uint64_t t) { now_ = std::max(now_, std::min(t, limit_)); }
  void end_run() { now_ = std::max(now_, limit_); }
  void set_source(int source, Behaviour behaviour, int status);
  void set_network(bool up) { network_up_ = up; }

  // The transport, as the C table calls it.
  bgc_stream* open(const char* url, bgc_io_answer& answer);
  void read(bgc_stream* stream, std::uint32_t max_bytes, bgc_io_answer& answer);
  void close(bgc_stream* stream);

 private:
  struct SourceState {
    Behaviour behaviour = Behaviour::Ok;
    int status = 0;
  };
  struct Stream {
    int source = 0;
    std::uint64_t size = 0;
    std::uint64_t arrived = 0;    // bytes that have arrived by `accounted`
    std::uint64_t delivered = 0;  // bytes handed out by read
    std::uint64_t next_chunk_due = 0;
  };
  // The error a request to `source` runs into now, if any (fills `answer`).
  bool failing(int source, bgc_io_answer& answer) const;
  std::uint32_t chunk_seconds(int source) const;

  bgc_environment table_{};
  std::uint64_t now_ = 0;
  std::uint64_t limit_ = 0;  // the `until` of the run_until in progress
  std::array<SourceState, kSourceCount> sources_{};
  bool network_up_ = true;
  std::map<std::uintptr_t, Stream> streams_;
  std::uintptr_t next_stream_ = 1;
};

}  // namespace bgc::vendor
