// One file of a job: where it comes from and how much of it has arrived.
//
// The service downloads a file in fixed-size chunks (one ranged request each), so progress is a
// count of whole chunks: a chunk that was in flight when a transfer stopped is simply asked for
// again, and the chunks already received are kept across suspends, errors and time slices.
#pragma once

#include <cstdint>

#include "bgconform/types.h"

namespace bgc::reference {

class TransferFile {
 public:
  explicit TransferFile(int source) : source_(source), chunks_(chunks_of(source)) {}

  int source() const { return source_; }
  Protocol protocol() const { return is_local_source(source_) ? Protocol::File : Protocol::Http; }

  bool done() const { return received_ == chunks_; }
  void receive_chunk() {
    size_known_ = true;  // every answer that carries data also carries the size
    if (received_ < chunks_) ++received_;
  }
  // The service learns the size from the first answer its source gives for this file (the headers
  // of the connection request, or the first chunk); until then GetProgress says BG_SIZE_UNKNOWN.
  void learn_size() { size_known_ = true; }
  bool size_known() const { return size_known_; }

  std::uint64_t bytes_total() const { return std::uint64_t{kChunkBytes} * static_cast<std::uint64_t>(chunks_); }
  std::uint64_t bytes_received() const { return std::uint64_t{kChunkBytes} * static_cast<std::uint64_t>(received_); }

 private:
  int source_;
  int chunks_;
  int received_ = 0;
  bool size_known_ = false;
};

}  // namespace bgc::reference
