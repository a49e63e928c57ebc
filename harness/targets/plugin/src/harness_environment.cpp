#include "harness_environment.h"

#include <algorithm>
#include <cstring>

namespace bgc::vendor {

namespace {
constexpr std::string_view kHttpPrefix = "http://127.0.0.1/src";
constexpr std::string_view kLocalUrl = "file:///bgc/src3";

HarnessEnvironment& self(void* context) { return *static_cast<HarnessEnvironment*>(context); }
}  // namespace

std::string source_url(int source) {
  if (is_local_source(source)) return std::string(kLocalUrl);
  return std::string(kHttpPrefix) + std::to_string(source);
}

std::optional<int> source_of(std::string_view url) {
  if (url == kLocalUrl) return kLocalSource;
  if (url.size() == kHttpPrefix.size() + 1 && url.substr(0, kHttpPrefix.size()) == kHttpPrefix) {
    const char c = url.back();
    if (c >= '0' && c < '0' + kLocalSource) return c - '0';
  }
  return std::nullopt;
}

HarnessEnvironment::HarnessEnvironment() {
  table_.struct_size = sizeof(bgc_environment);
  table_.context = this;
  table_.now = [](void* c) -> std::uint64_t { return self(c).now(); };
  table_.open = [](void* c, const char* url, bgc_stream** stream, bgc_io_answer* answer) {
    bgc_io_answer a{};
    bgc_stream* s = self(c).open(url, a);
    if (stream != nullptr) *stream = s;
    if (answer != nullptr) *answer = a;
    if (stream == nullptr) self(c).close(s);  // nobody can close it later
  };
  table_.read = [](void* c, bgc_stream* stream, void* buffer, std::uint32_t max_bytes, bgc_io_answer* answer) {
    bgc_io_answer a{};
    self(c).read(stream, max_bytes, a);
    if (buffer != nullptr && a.bytes > 0) std::memset(buffer, 'b', a.bytes);
    if (answer != nullptr) *answer = a;
  };
  table_.close = [](void* c, bgc_stream* stream) { self(c).close(stream); };
  table_.wait_until = [](void* c, std::uint64_t t) { self(c).wait_until(t); };
  reset();
}

void HarnessEnvironment::reset() {
  now_ = 0;
  limit_ = 0;
  sources_ = {};
  sources_[kLocalSource].behaviour = Behaviour::Present;
  network_up_ = true;
  streams_.clear();
  next_stream_ = 1;
}

void HarnessEnvironment::set_source(int source, Behaviour behaviour, int status) {
  if (source < 0 || source >= kSourceCount) return;
  sources_[static_cast<std::size_t>(source)] = SourceState{behaviour, status};
}

std::uint32_t HarnessEnvironment::chunk_seconds(int source) const {
  return sources_[static_cast<std::size_t>(source)].behaviour == Behaviour::Slow ? kSlowChunkSeconds : 1;
}

bool HarnessEnvironment::failing(int source, bgc_io_answer& answer) const {
  if (!network_up_) {
    answer.result = BGC_IO_NETWORK_DOWN;
    return true;
  }
  const SourceState& s = sources_[static_cast<std::size_t>(source)];
  switch (s.behaviour) {
    case Behaviour::Ok:
    case Behaviour::Slow:
    case Behaviour::DelayedHeaders:
    case Behaviour::Present: return false;
    case Behaviour::Http:
      if (s.status < 400) return false;  // success and redirects end in data
      answer.result = BGC_IO_HTTP_STATUS;
      answer.http_status = static_cast<std::uint32_t>(s.status);
      return true;
    case Behaviour::Refused: answer.result = BGC_IO_REFUSED; return true;
    case Behaviour::Reset: answer.result = BGC_IO_RESET; return true;
    case Behaviour::Stall: answer.result = BGC_IO_STALL; return true;
    case Behaviour::Missing:
      // A web server says so with a 404; a missing local file is "not found".
      if (is_local_source(source)) {
        answer.result = BGC_IO_NOT_FOUND;
      } else {
        answer.result = BGC_IO_HTTP_STATUS;
        answer.http_status = 404;
      }
      return true;
  }
  answer.result = BGC_IO_REFUSED;
  return true;
}

bgc_stream* HarnessEnvironment::open(const char* url, bgc_io_answer& answer) {
  answer = {};
  const std::optional<int> source = url != nullptr ? source_of(url) : std::nullopt;
  if (!source) {
    answer.result = network_up_ ? BGC_IO_REFUSED : BGC_IO_NETWORK_DOWN;  // nobody listens there
    return nullptr;
  }
  if (failing(*source, answer)) return nullptr;
  Stream s;
  s.source = *source;
  s.size = std::uint64_t{kChunkBytes} * static_cast<std::uint64_t>(chunks_of(*source));
  const bool delayed = sources_[static_cast<std::size_t>(*source)].behaviour == Behaviour::DelayedHeaders;
  answer.result = BGC_IO_DATA;
  answer.size = s.size;
  answer.header_seconds = delayed ? kHeaderDelaySeconds : 0;
  answer.chunk_bytes = kChunkBytes;
  answer.chunk_seconds = chunk_seconds(*source);
  s.next_chunk_due = now_ + answer.header_seconds + answer.chunk_seconds;
  const std::uintptr_t id = next_stream_++;
  streams_[id] = s;
  return reinterpret_cast<bgc_stream*>(id);
}

void HarnessEnvironment::read(bgc_stream* stream, std::uint32_t max_bytes, bgc_io_answer& answer) {
  answer = {};
  auto it = streams_.find(reinterpret_cast<std::uintptr_t>(stream));
  if (it == streams_.end()) {
    answer.result = BGC_IO_RESET;  // not a stream of ours (closed already, or garbage)
    return;
  }
  Stream& s = it->second;
  if (failing(s.source, answer)) {
    if (answer.result == BGC_IO_REFUSED) answer.result = BGC_IO_RESET;  // an open connection cannot be refused
    return;
  }
  // Chunks arrive at the pace of the behaviour in force; the clock decides how many are here.
  while (s.arrived < s.size && s.next_chunk_due <= now_) {
    s.arrived = std::min<std::uint64_t>(s.size, s.arrived + kChunkBytes);
    s.next_chunk_due += chunk_seconds(s.source);
  }
  answer.result = BGC_IO_DATA;
  answer.size = s.size;
  answer.chunk_bytes = kChunkBytes;
  answer.chunk_seconds = chunk_seconds(s.source);
  answer.bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(max_bytes, s.arrived - s.delivered));
  s.delivered += answer.bytes;
}

void HarnessEnvironment::close(bgc_stream* stream) { streams_.erase(reinterpret_cast<std::uintptr_t>(stream)); }

}  // namespace bgc::vendor
