// The loopback origin server (origin_server.h), on cpp-httplib.
#include "origin_server.h"

#include <chrono>
#include <filesystem>
#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <httplib.h>

namespace bgc::com {

namespace {

using Clock = std::chrono::steady_clock;

// `reset` must end the connection before any answer: the model's reset is a transport failure, so a
// job that saw a status line could rightly count as transferring. cpp-httplib writes the status line
// after the handler returns and does not hand the handler its socket, so the handler finds it - the
// one connected socket of this process from the client's port to ours - and aborts it (linger 0:
// the client sees the connection reset). Linux only, like the rest of the com: targets.
void reset_connection(int local_port, int remote_port) {
  const std::filesystem::path fds("/proc/self/fd");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(fds, ec)) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    sockaddr_in local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 || local.sin_family != AF_INET)
      continue;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) continue;
    if (ntohs(local.sin_port) != local_port || ntohs(peer.sin_port) != remote_port) continue;
    const linger abort_on_close{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    ::shutdown(fd, SHUT_RDWR);
    return;
  }
}
constexpr double kHeaderDelaySeconds = 2;  // `delayed-headers`: within the contract's connecting time

// One response body served at a fixed pace: chunk k (counting from the first byte asked for, so a
// range request resumes at the same pace) is sent (k + 1) * seconds_per_chunk after the first ask.
struct PacedBody {
  std::string bytes;
  double seconds_per_chunk = 1;
  std::optional<std::size_t> first;
  Clock::time_point start;
};

}  // namespace

std::string source_content(int id) {
  std::string s(static_cast<std::size_t>(chunks_of(id)) * kChunkBytes, '\0');
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + (i + static_cast<std::size_t>(id)) % 26);
  return s;
}

OriginServer::OriginServer() : server_(std::make_unique<httplib::Server>()) {}

std::unique_ptr<OriginServer> OriginServer::start(std::string& error) {
  std::unique_ptr<OriginServer> o(new OriginServer());
  httplib::Server& server = *o->server_;
  OriginServer* self = o.get();
  // One request per connection: an idle keep-alive connection would hold a worker for seconds.
  server.set_keep_alive_max_count(1);
  server.new_task_queue = [] { return new httplib::ThreadPool(32); };
  server.Get(R"(/src([0-9]+))", [self](const httplib::Request& req, httplib::Response& res) {
    ++self->requests_;
    const int id = std::stoi(req.matches[1].str());
    if (id >= kSourceCount || is_local_source(id)) {
      res.status = 404;
      return;
    }
    Answer a;
    std::uint64_t generation = 0;
    {
      std::lock_guard<std::mutex> lock(self->mutex_);
      a = self->answers_[static_cast<std::size_t>(id)];
      generation = self->generation_;
    }
    auto drop = [](std::size_t, std::size_t, httplib::DataSink&) { return false; };  // ends the connection
    auto body = std::make_shared<PacedBody>();
    body->bytes = source_content(id);
    switch (a.behaviour) {
      case Behaviour::Http:
        if (a.status < 200 || a.status >= 300) {
          res.status = a.status;
          res.set_content("bgconform origin: status " + std::to_string(a.status) + "\n", "text/plain");
          return;
        }
        break;
      case Behaviour::Reset:
      case Behaviour::Refused:  // not stageable per URL on one port (ComTarget says not-supported)
        reset_connection(self->port_, req.remote_port);
        res.set_content_provider(body->bytes.size(), "application/octet-stream", drop);
        return;
      case Behaviour::Stall:
        self->wait(1e9, generation);
        res.set_content_provider(body->bytes.size(), "application/octet-stream", drop);
        return;
      case Behaviour::DelayedHeaders:
        if (!self->wait(kHeaderDelaySeconds, generation)) {
          res.set_content_provider(body->bytes.size(), "application/octet-stream", drop);
          return;
        }
        break;
      case Behaviour::Slow: body->seconds_per_chunk = 10; break;
      default: break;
    }
    res.status = 200;
    const std::size_t size = body->bytes.size();
    res.set_content_provider(
        size, "application/octet-stream",
        [self, body, generation](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          if (!body->first) {
            body->first = offset;
            body->start = Clock::now();
          }
          const std::size_t k = (offset - std::min(offset, *body->first)) / kChunkBytes;
          const double due = static_cast<double>(k + 1) * body->seconds_per_chunk;
          const double waited = std::chrono::duration<double>(Clock::now() - body->start).count();
          if (!self->wait(due - waited, generation)) return false;
          const std::size_t chunk_end = (offset / kChunkBytes + 1) * kChunkBytes;
          const std::size_t n = std::min({length, chunk_end - offset, body->bytes.size() - offset});
          return sink.write(body->bytes.data() + offset, n);
        });
  });
  o->port_ = server.bind_to_any_port("127.0.0.1");
  if (o->port_ <= 0) {
    error = "the origin server cannot listen on 127.0.0.1";
    return nullptr;
  }
  o->listener_ = std::thread([self] { self->server_->listen_after_bind(); });
  return o;
}

OriginServer::~OriginServer() {
  stopping_ = true;
  server_->stop();
  if (listener_.joinable()) listener_.join();
}

void OriginServer::set(int id, Behaviour b, std::uint16_t status) {
  if (id < 0 || id >= kSourceCount) return;
  std::lock_guard<std::mutex> lock(mutex_);
  answers_[static_cast<std::size_t>(id)] = {b, status};
}

void OriginServer::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  answers_.fill(Answer{});
  ++generation_;
}

bool OriginServer::wait(double seconds, std::uint64_t generation) const {
  const auto until =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::max(0.0, seconds)));
  while (Clock::now() < until) {
    if (!current(generation)) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return current(generation);
}

}  // namespace bgc::com
