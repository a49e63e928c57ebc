#include "process_limit.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

namespace bgc::vendor {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// This process's cgroup path in the v2 hierarchy ("0::/a/b") or in v1's pids one ("N:pids:/a/b").
std::string own_cgroup(bool v2) {
  std::istringstream lines(read_file("/proc/self/cgroup"));
  for (std::string line; std::getline(lines, line);) {
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    if (v2 ? line.compare(0, a, "0") == 0 && controllers.empty() : controllers == "pids") return line.substr(b + 1);
  }
  return {};
}

// Where cgroups with a pids limit may be made: v2 parents whose children get the pids controller,
// then v1's pids hierarchy.
std::vector<std::string> candidate_parents() {
  std::vector<std::string> out;
  for (const char* mount : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    if (!is_dir(std::string(mount)) || read_file(std::string(mount) + "/cgroup.controllers").empty()) continue;
    const std::string own = own_cgroup(true);
    for (const std::string& parent : {std::string(mount) + (own == "/" ? "" : own), std::string(mount)})
      if (read_file(parent + "/cgroup.subtree_control").find("pids") != std::string::npos) out.push_back(parent);
    break;
  }
  if (const std::string own = own_cgroup(false); !own.empty() && is_dir("/sys/fs/cgroup/pids"))
    out.push_back("/sys/fs/cgroup/pids" + (own == "/" ? "" : own));
  return out;
}

// The "max" count of pids.events: forks and threads refused at the limit so far.
std::uint64_t refusals(const std::string& dir) {
  std::istringstream lines(read_file(dir + "/pids.events"));
  for (std::string key; lines >> key;) {
    std::uint64_t n = 0;
    lines >> n;
    if (key == "max") return n;
  }
  return 0;
}

std::vector<pid_t> members(const std::string& dir) {
  std::vector<pid_t> out;
  std::istringstream in(read_file(dir + "/cgroup.procs"));
  for (pid_t p; in >> p;) out.push_back(p);
  return out;
}

// Removes the empty cgroups of bgconform runs that are gone (a harness killed outright cannot remove
// its own): "bgconform-host-<harness pid>-<n>" with no such process any more.
void remove_abandoned(const std::string& parent) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    constexpr std::string_view kPrefix = "bgconform-host-";
    if (name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
    const pid_t owner = static_cast<pid_t>(std::strtol(name.c_str() + kPrefix.size(), nullptr, 10));
    if (owner <= 0 || owner == ::getpid() || ::kill(owner, 0) == 0 || errno != ESRCH) continue;
    if (members(entry.path().string()).empty()) ::rmdir(entry.path().c_str());
  }
}

}  // namespace

std::unique_ptr<ProcessLimit> ProcessLimit::make(std::uint32_t tasks, std::string& why_not) {
  static std::atomic<unsigned> made{0};
  const std::vector<std::string> parents = candidate_parents();
  if (parents.empty()) {
    why_not =
        "no pids cgroup controller this process may use (cgroup v2 with pids for the children of its own "
        "cgroup or of the root, or v1's pids hierarchy)";
    return nullptr;
  }
  std::string last_error;
  for (const std::string& parent : parents) {
    remove_abandoned(parent);
    const std::string dir = parent + "/bgconform-host-" + std::to_string(::getpid()) + "-" + std::to_string(made++);
    if (::mkdir(dir.c_str(), 0755) != 0) {
      last_error = "cannot make " + dir + ": " + std::strerror(errno);
      continue;
    }
    if (!write_file(dir + "/pids.max", std::to_string(tasks))) {
      last_error = "cannot set " + dir + "/pids.max";
      ::rmdir(dir.c_str());
      continue;
    }
    return std::unique_ptr<ProcessLimit>(new ProcessLimit(dir, tasks));
  }
  why_not = last_error;
  return nullptr;
}

ProcessLimit::~ProcessLimit() {
  end_all();
  ::rmdir(dir_.c_str());
}

bool ProcessLimit::reached_since_last() {
  const std::uint64_t now = refusals(dir_);
  const bool more = now > refusals_seen_;
  refusals_seen_ = now;
  return more;
}

void ProcessLimit::end_all() {
  // v2 kills the whole cgroup at once; v1 (and v2 before Linux 5.14) one process at a time, until no
  // new one appears. The processes go within milliseconds: waited for, up to two seconds.
  const bool kill_file = write_file(dir_ + "/cgroup.kill", "1");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (auto pause = std::chrono::microseconds(100); std::chrono::steady_clock::now() < deadline;
       pause = std::min(pause * 2, std::chrono::microseconds(20000))) {
    const std::vector<pid_t> left = members(dir_);
    if (left.empty()) return;
    if (!kill_file)
      for (const pid_t p : left) ::kill(p, SIGKILL);
    std::this_thread::sleep_for(pause);
  }
}

std::string join_process_limit(const std::string& dir) {
  if (write_file(dir + "/cgroup.procs", "0")) return {};
  return "cannot join the process limit's cgroup " + dir + ": " + std::strerror(errno);
}

}  // namespace bgc::vendor
