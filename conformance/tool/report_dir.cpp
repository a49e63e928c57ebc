// The report directory: made, taken for one run, and checked before the run starts.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>

#include "commands.h"

namespace bgc::tool {

namespace fs = std::filesystem;

namespace {

// Takes DIR/.bgconform.lock with flock(2): the kernel lets it go when the process ends, however it ends,
// so a lock left by a killed run is simply taken over. The file says who holds it, for the message. The
// descriptors stay open for the life of the process (one per directory: a second flock from the same
// process would wait on itself).
void lock_report_dir(const std::string& option, const fs::path& dir) {
  static std::map<fs::path, int> held;
  std::error_code ec;
  const fs::path key = fs::weakly_canonical(dir, ec);
  if (held.count(key)) return;
  const fs::path file = dir / ".bgconform.lock";
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw CLI::ValidationError(
        option, "cannot write in '" + dir.string() + "': " + file.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char who[512] = {};
    const ssize_t n = ::pread(fd, who, sizeof who - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(who, static_cast<std::size_t>(n)) : std::string("another process");
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\r')) holder.pop_back();
    for (char& c : holder)
      if (c == '\n') c = ';';
    throw CLI::ValidationError(option, "'" + dir.string() + "' is in use by another bgconform run (" + holder +
                                           "): one run per report directory; give this one its own --report-dir");
  }
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char started[32] = {};
  std::strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  const std::string who = "pid " + std::to_string(::getpid()) + ", started " + started + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) != static_cast<ssize_t>(who.size())) {
    ::close(fd);
    throw CLI::ValidationError(option, "cannot write in '" + dir.string() + "': " + file.string());
  }
  held[key] = fd;
}

}  // namespace

void prepare_report_dir(const std::string& option, const fs::path& dir, bool clear_replays) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw CLI::ValidationError(option, "cannot use '" + dir.string() + "' for the reports: " +
                                           (ec ? ec.message() : std::string("not a directory")));
  lock_report_dir(option, dir);
  // Written into before the run starts, so an unwritable place is found now, not after the run.
  const fs::path probe = dir / ".bgconform-write-test";
  try {
    write_atomically(probe, "bgconform\n");
  } catch (const std::runtime_error& e) {
    throw CLI::ValidationError(option, "cannot write in '" + dir.string() + "': " + e.what());
  }
  fs::remove(probe, ec);
  if (!clear_replays) return;
  // Replay files of an earlier run would read as this run's failures.
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename().string().rfind("replay-", 0) == 0) fs::remove(entry.path(), ec);
}

SpaceReserve::SpaceReserve(const fs::path& dir) {
  if (dir.empty()) return;
  const fs::path file = dir / ".bgconform.reserve";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const bool kept = ::posix_fallocate(fd, 0, static_cast<off_t>(kBytes)) == 0;
  ::close(fd);
  std::error_code ignored;
  if (kept)
    file_ = file;
  else
    fs::remove(file, ignored);
}

void SpaceReserve::release() {
  if (file_.empty()) return;
  std::error_code ignored;
  fs::remove(file_, ignored);
  file_.clear();
}

}  // namespace bgc::tool
