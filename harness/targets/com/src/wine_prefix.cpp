// WinePrefix (wine_prefix.h): POSIX processes, no shell.
#include "wine_prefix.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bgconform/interrupt.h"

extern char** environ;

namespace bgc::com {

namespace fs = std::filesystem;

bool in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string p = path;
  for (std::size_t start = 0; start <= p.size();) {
    const std::size_t end = std::min(p.find(':', start), p.size());
    const fs::path candidate = fs::path(p.substr(start, end - start)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

int run_program(const std::vector<std::string>& argv_in, const std::vector<std::string>& environment,
                const std::string& log, int timeout_seconds, std::string& error, OnInterrupt on_interrupt) {
  std::vector<std::string> words = argv_in, extra = environment;
  std::vector<char*> argv, envp;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  for (std::string& e : extra) envp.push_back(e.data());
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, words.front().c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    error = "cannot start '" + words.front() + "': " + std::strerror(rc);
    return -1;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0) {
      error = "lost '" + words.front() + "'";
      return -1;
    }
    const bool stop = on_interrupt == OnInterrupt::Stop && interrupted();
    if (stop || std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      error = stop ? "interrupted while '" + words.front() + "' ran"
                   : "'" + words.front() + "' did not finish within " + std::to_string(timeout_seconds) +
                         " s (log: " + log + ")";
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::vector<std::string> WinePrefix::environment() const {
  return {"WINEPREFIX=" + path_, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "DISPLAY="};
}

std::unique_ptr<WinePrefix> WinePrefix::create(const std::string& dir, std::string& error) {
  if (!in_path("wine") || !in_path("wineboot")) {
    error = "Wine is not installed (apt-get install wine wine64; ./quickstart.sh test installs it)";
    return nullptr;
  }
  std::string path = dir;
  const bool owned = dir.empty();
  if (owned) {
    std::string templ = (fs::temp_directory_path() / "bgconform-wine-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      error = "cannot create a directory for the Wine prefix: " + std::string(std::strerror(errno));
      return nullptr;
    }
    path = templ;
  }
  std::unique_ptr<WinePrefix> prefix(new WinePrefix(fs::absolute(path).string(), owned));
  if (fs::exists(fs::path(prefix->path_) / "system.reg")) {  // a prefix already
    // Its Wine starts afresh, as it is stopped at the run's end: a server an earlier program left is
    // on its way out, and the agent's BITS started against it is not found (0x80070002).
    prefix->stop_server();
    return prefix;
  }
  const std::string log = prefix->path_ + ".wineboot.log";
  // wineboot returns before the prefix is complete: the registry is written when its wineserver ends.
  // Ctrl-C during the set-up (seconds) stops it; the destructor takes the half-made prefix down.
  int status = run_program({"wineboot", "-i"}, prefix->environment(), log, 300, error, OnInterrupt::Stop);
  if (status == 0)
    status = run_program({"wineserver", "-w"}, prefix->environment(), log, 300, error, OnInterrupt::Stop);
  std::error_code ec;
  if (interrupted()) {
    fs::remove(log, ec);  // nothing to look into
    if (status != -1) error = "interrupted while the Wine prefix was made";
    return nullptr;
  }
  if (status != 0) {
    if (status > 0) error = "wineboot -i failed with status " + std::to_string(status) + " (log: " + log + ")";
    return nullptr;  // the destructor takes the half-made prefix down
  }
  fs::remove(log, ec);
  return prefix;
}

namespace {

// The live processes running one of Wine's programs (wine64, wineserver64, ...) with `prefix` as their
// WINEPREFIX. The program is checked too: a user's shell may have the same WINEPREFIX exported.
std::vector<pid_t> wine_processes_of(const std::string& prefix) {
  const std::string needle = "WINEPREFIX=" + prefix;
  std::vector<pid_t> found;
  std::error_code ec;
  // Incremented with an error code: this runs in a destructor, where an exception would end the run.
  for (fs::directory_iterator it("/proc", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    // A zombie has no program left to read: it is over, only its parent's reaping is left.
    std::error_code unreadable;
    const std::string program = fs::read_symlink(entry.path() / "exe", unreadable).filename().string();
    if (unreadable || program.rfind("wine", 0) != 0) continue;
    std::ifstream environ_file(entry.path() / "environ", std::ios::binary);
    const std::string environ_text{std::istreambuf_iterator<char>(environ_file), {}};
    for (std::size_t start = 0; start < environ_text.size();) {
      const std::size_t end = std::min(environ_text.find('\0', start), environ_text.size());
      if (environ_text.compare(start, end - start, needle) == 0) {
        found.push_back(static_cast<pid_t>(std::stol(name)));
        break;
      }
      start = end + 1;
    }
  }
  return found;
}

}  // namespace

void WinePrefix::stop_server() const {
  std::string ignored;
  (void)run_program({"wineserver", "-k"}, environment(), "/dev/null", 30, ignored);
  // `wineserver -k` misses a server still starting (as when Ctrl-C cut wineboot short a moment after
  // it began), and that server and the first processes of the prefix would outlive the run: end what is
  // left by hand, until nothing is (a few rounds: one may still be forking as the first is ended).
  for (int round = 0; round < 20; ++round) {
    const std::vector<pid_t> left = wine_processes_of(path_);
    if (left.empty()) return;
    for (const pid_t pid : left) ::kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

WinePrefix::~WinePrefix() {
  stop_server();
  if (!owned_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace bgc::com
