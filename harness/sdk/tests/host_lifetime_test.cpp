// The isolated host does not outlive the harness: a harness killed while a call hangs (SIGKILL, a
// second Ctrl-C) takes the fork server and its hung child with it. The harness here is a forked copy
// of the test, so that the test can kill it and look for what it left behind.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bgconform/isolated_target.h"

namespace bgc {
namespace {

// A process's state letter and parent from /proc/<pid>/stat; state '\0' when it is gone.
struct ProcessStat {
  char state = '\0';
  pid_t parent = 0;
};

ProcessStat stat_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  ProcessStat s;
  const auto name_end = text.rfind(')');  // the command name may hold spaces and parentheses
  if (name_end == std::string::npos) return s;
  std::istringstream(text.substr(name_end + 1)) >> s.state >> s.parent;
  return s;
}

// A zombie is gone too: it waits only for whoever adopted it to reap it.
bool gone(pid_t pid) {
  const char state = stat_of(pid).state;
  return state == '\0' || state == 'Z' || state == 'X';
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator e("/proc", ec), end; !ec && e != end; e.increment(ec)) {
    const std::string name = e->path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (stat_of(pid).parent == parent) out.push_back(pid);
  }
  return out;
}

// The forked harness: brings the host to the call before the hang, writes the host's pids to `report`
// and closes it, then makes the call that hangs (the test kills it there). Returns only on a failure.
void harness_until_the_hang(int report) {
  IsolatedOptions options;
  options.host_path = BGC_HOST;
  options.call_timeout = std::chrono::minutes(5);  // longer than the test: only the kill ends the call
  std::string error;
  auto t = IsolatedTarget::launch(BGC_MUTANT_DIR "/libbgc_mutant_hang-in-cancel.so", options, error);
  if (!t) return;
  t->reset(Profile::Bits);
  for (const char* line : {"CreateJob j0", "AddFile j0 src2", "Resume j0", "Advance 1s"})
    if (t->apply(parse_stimulus(line).value).outcome != Outcome::Answered) return;
  // The host is our only child; the process it forked to serve us, its only child.
  std::vector<pid_t> pids = children_of(::getpid());
  if (pids.size() == 1)
    for (pid_t served_by : children_of(pids[0])) pids.push_back(served_by);
  (void)!::write(report, pids.data(), pids.size() * sizeof(pid_t));
  ::close(report);
  t->apply(parse_stimulus("Cancel j0").value);
}

TEST(HostLifetime, AHarnessKilledWhileACallHangsTakesItsHostWithIt) {
  int report[2];  // close-on-exec: the host must not hold the write end open
  ASSERT_EQ(::pipe2(report, O_CLOEXEC), 0);
  const pid_t harness = ::fork();
  ASSERT_GE(harness, 0);
  if (harness == 0) {
    ::close(report[0]);
    try {
      harness_until_the_hang(report[1]);
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(report[1]);
  std::vector<pid_t> hosts;
  pid_t pid = 0;
  while (::read(report[0], &pid, sizeof pid) == sizeof pid) hosts.push_back(pid);  // to the harness's close
  ::close(report[0]);

  // Once it sleeps, the harness is waiting for the answer to Cancel: the request is in the host's pipe,
  // and the serving process reads it whether the harness lives or not.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (stat_of(harness).state != 'S' && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ::kill(harness, SIGKILL);
  int status = 0;
  ::waitpid(harness, &status, 0);
  ASSERT_EQ(hosts.size(), 2u) << "expected the fork server and the process serving the harness";

  // SIGKILL from the kernel as the harness ends: gone in milliseconds, unless nothing sends it.
  std::vector<pid_t> left = hosts;
  const auto killed = std::chrono::steady_clock::now();
  while (!left.empty() && std::chrono::steady_clock::now() - killed < std::chrono::seconds(3)) {
    std::erase_if(left, gone);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (pid_t p : left) {
    ADD_FAILURE() << "host process " << p << " outlived the harness";
    ::kill(p, SIGKILL);  // not to leave it behind the test either
  }
}

}  // namespace
}  // namespace bgc
