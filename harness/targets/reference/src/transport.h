// The simulated network: the sources files come from, and whether the machine is online.
//
// The transport knows nothing about jobs or error states. It answers two questions: how long an
// exchange with a source takes, and what the source says when the answer is due. Interpreting the
// answer (fatal, transient, which code) is the service's business (failure.h).
#pragma once

#include <array>
#include <cstdint>

#include "bgconform/types.h"
#include "virtual_clock.h"

namespace bgc::reference {

// What came back from a source.
enum class ReplyKind : std::uint8_t {
  Data,        // the requested headers or bytes
  HttpStatus,  // an HTTP error status instead of data (Reply::status)
  Refused,     // the connection was refused
  Reset,       // the connection was reset
  Silence,     // nothing at all: the peer accepted and then stalled
  NoSuchFile,  // the local (SMB-style) file does not exist
};

struct Reply {
  ReplyKind kind = ReplyKind::Data;
  int status = 0;  // HttpStatus only
};

class Transport {
 public:
  // Connection request: 1 s; a source that delays its headers answers after 3 s.
  static constexpr Seconds kConnectSeconds = 1;
  static constexpr Seconds kDelayedHeadersSeconds = 3;
  // One chunk: 1 s from a normal source or a local file, 10 s from a slow one (model contract).
  static constexpr Seconds kChunkSeconds = 1;
  static constexpr Seconds kSlowChunkSeconds = 10;

  Transport();

  // From the next answer on, `source` behaves as told.
  void set_source(int source, Behaviour behaviour, int status);
  void set_network(bool up) { network_up_ = up; }
  bool network_up() const { return network_up_; }

  // Duration of an exchange that starts now. Delayed headers slow down only the connection request;
  // chunks travel over the connection once it is open. A chunk asked while the source serves no data
  // and answered with data takes the rate in force at the answer (Service::on_chunk_answer).
  Seconds connect_seconds(int source) const;
  Seconds chunk_seconds(int source) const;
  // What the source answers at the moment the answer is due. The behaviour in force *then* decides,
  // so a fault set while a request is in flight hits that request ("from the next chunk on").
  Reply answer(int source) const;
  // The source answers a request with data now (it may stop or start doing so before the answer).
  bool serves_data(int source) const { return answer(source).kind == ReplyKind::Data; }

 private:
  struct SourceState {
    Behaviour behaviour = Behaviour::Ok;
    int status = 0;
  };
  std::array<SourceState, kSourceCount> sources_{};
  bool network_up_ = true;
};

}  // namespace bgc::reference
