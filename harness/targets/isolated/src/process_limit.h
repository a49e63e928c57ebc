// How many tasks (processes and threads) the plugin host and everything it starts may have at once: a
// pids cgroup the harness makes for it and the host joins before it loads the library. A fork bomb in
// the library then ends at the limit, not at the machine's; what is left when the host ends (a
// process the library started and left behind) is killed with the cgroup.
//
// A pids cgroup needs root (or a delegated cgroup): cgroup v2 where the pids controller is on for the
// children of bgconform's own cgroup or of the root, else v1's pids hierarchy. Where neither can be
// made, there is no limit, and why_not() says why (bgconform says so once). Linux only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace bgc::vendor {

class ProcessLimit {
 public:
  // A cgroup allowing `tasks` at once; nullptr with `why_not` when none can be made here.
  static std::unique_ptr<ProcessLimit> make(std::uint32_t tasks, std::string& why_not);
  ~ProcessLimit();  // what is left in it is killed, and the cgroup removed
  ProcessLimit(const ProcessLimit&) = delete;
  ProcessLimit& operator=(const ProcessLimit&) = delete;

  // The cgroup's directory: the host writes its pid to cgroup.procs there.
  const std::string& dir() const { return dir_; }
  std::uint32_t tasks() const { return tasks_; }
  // Whether a fork or thread was refused at the limit since the last call.
  bool reached_since_last();
  // Kills every process left in the cgroup (after the host ended) and waits until it is empty.
  void end_all();

 private:
  ProcessLimit(std::string dir, std::uint32_t tasks) : dir_(std::move(dir)), tasks_(tasks) {}
  std::string dir_;
  std::uint32_t tasks_;
  std::uint64_t refusals_seen_ = 0;
};

// For bgconform-host: moves the calling process into the cgroup at `dir`; an error message, or empty.
std::string join_process_limit(const std::string& dir);

}  // namespace bgc::vendor
