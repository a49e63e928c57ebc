#include "job.h"

namespace bgc::reference {

int Job::next_file_index() const {
  for (std::size_t i = 0; i < files_.size(); ++i) {
    if (!files_[i].done()) return static_cast<int>(i);
  }
  return -1;
}

std::uint32_t Job::files_transferred() const {
  std::uint32_t n = 0;
  for (const TransferFile& f : files_) n += f.done() ? 1U : 0U;
  return n;
}

JobProgress Job::progress() const {
  JobProgress p;
  p.files_total = static_cast<std::uint32_t>(files_.size());
  p.files_transferred = files_transferred();
  bool all_sizes_known = true;
  for (const TransferFile& f : files_) {
    p.bytes_transferred += f.bytes_received();
    p.bytes_total += f.bytes_total();
    all_sizes_known = all_sizes_known && f.size_known();
  }
  // P-1: the total is unknown as long as the size of one of the files is.
  if (!all_sizes_known) p.bytes_total = kSizeUnknown;
  return p;
}

}  // namespace bgc::reference
