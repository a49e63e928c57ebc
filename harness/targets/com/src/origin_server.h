// The origin server for black-box targets: HTTP on 127.0.0.1, one URL per HTTP source (/src0../src2),
// each answering as the environment stimuli say (model-contract.md, "The alphabet"): `ok` serves the
// file one 1,024-byte chunk per second, `slow` one per 10 s, `delayed-headers` waits before the
// headers, `http(status)` answers that status, `reset` drops the connection after the headers, `stall`
// accepts and sends nothing. A request answers as its source was when the request arrived ("from the
// next request on"); the model allows a request in flight the old behaviour.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "bgconform/types.h"

namespace httplib {
class Server;
}

namespace bgc::com {

class OriginServer {
 public:
  // Listens on a free port of 127.0.0.1; nullptr and the reason when it cannot.
  static std::unique_ptr<OriginServer> start(std::string& error);
  ~OriginServer();
  OriginServer(const OriginServer&) = delete;
  OriginServer& operator=(const OriginServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // From the next request on, HTTP source `id` answers `b` (`status` for Behaviour::Http).
  void set(int id, Behaviour b, std::uint16_t status);
  // A new case: every source ok, and requests still waiting from the last case give up.
  void reset();
  // How many requests the sources have had (for diagnostics and tests).
  int requests() const { return requests_.load(); }

 private:
  struct Answer {
    Behaviour behaviour = Behaviour::Ok;
    std::uint16_t status = 0;
  };
  OriginServer();
  // Waits `seconds` in short slices; false when the case or the server ended meanwhile.
  bool wait(double seconds, std::uint64_t generation) const;
  bool current(std::uint64_t generation) const { return !stopping_ && generation_ == generation; }

  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::array<Answer, kSourceCount> answers_{};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
};

// The bytes source `id` serves: chunks_of(id) chunks of kChunkBytes.
std::string source_content(int id);

}  // namespace bgc::com
