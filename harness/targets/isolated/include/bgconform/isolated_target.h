// IsolatedTarget: a vendor library run in a child process (bgconform-host), so that a crash or a
// hang in the library is an observation (Outcome::Crashed / Outcome::TimedOut), not the end of the
// harness. The default for plugins (`--isolate`).
//
// The line protocol on the host's stdin/stdout, one line each way per request:
//   host, once at start:  "ready <bits,do> <virtual|real> <implementation name>"  or  "load-error <message>"
//                         (the name's control characters sent as '?': the line stays one line)
//   harness → host:       "reset bits" | "reset do"     → "ok" | "error <message>"
//                         a stimulus in its text form   → the observation in its text form
//                         "quit"                        → (the host exits)
//   host, when the library crashed the process serving a request: "crashed <how>" in place of the
//                         answer (bgconform-host is a fork server: the next request goes to a new
//                         process with the library loaded afresh); the requests of the same batch
//                         after it are dropped unanswered
// Requests may be sent several at once (apply_all): the answers come in order. A host that simply
// dies (another program speaking the protocol) is a crash too.
//   harness → host, once after "ready", to bgconform-host only: "channel" → "ok": from then on the
//                         requests and answers go through shared memory (src/host_channel.h), not
//                         the pipes, which still carry "crashed <how>"; any other answer: pipes.
//   harness → host, after a "crashed" on the pipes: "sync <n>" → "sync <n>". The new serving process
//                         may still answer requests sent before the harness read the crash (one that
//                         came between two calls, from a thread of the library's own); the echo marks
//                         where those stale answers end. (A host that answers "error" has none.)
// The host's stdout carries the protocol only: the library's own prints go to stderr, which for
// bgconform-host is a file the harness reads per case (case_output()).
// Linux only (posix_spawn, pipes, poll; memfd and futex for the channel); on _WIN32 use PluginTarget.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <sys/types.h>
#include <vector>

#include "bgconform/target.h"

namespace bgc {
namespace vendor {
class ProcessLimit;
}

namespace channel {
class HarnessEnd;
}

// What the plugin host (bgconform-host, not another `command`) may do: the host applies these before
// it loads the library. They bound a runaway library (a leak, a spinning thread, a flood of output
// files), and keep it from the harness's secrets and files; they are no sandbox against a library
// written to attack the machine (README, "What the isolation protects against").
struct HostLimits {
  std::uint64_t memory_mib = 4096;          // address space (RLIMIT_AS); 0: none
  std::uint32_t cpu_seconds_per_case = 60;  // CPU time from one reset to the next (RLIMIT_CPU); 0: none
  std::uint64_t file_size_mib = 1024;       // the largest file it may write (RLIMIT_FSIZE); 0: none
  // Tasks (processes and threads) the host and all it starts may have at once: a pids cgroup
  // (process_limit.h) where one can be made; 0: none.
  std::uint32_t processes = 512;
  // Environment variables passed on besides PATH, HOME, LANG, LC_ALL, TZ, TMPDIR, LD_LIBRARY_PATH and the
  // sanitizers' *SAN_OPTIONS; every other one of the harness's (CI secrets) stays behind.
  std::vector<std::string> pass_environment;
  std::string user;  // run the host as this user (bgconform runs as root); empty: bgconform's own
};

// A host's start (exec, loading the library) may take this long when no start timeout is given, however
// short the call timeout: a busy machine may not schedule it sooner.
inline constexpr std::chrono::milliseconds kStartTimeoutFloor{10000};

struct IsolatedOptions {
  // The host executable. Empty: $BGCONFORM_HOST, else bgconform-host beside the running executable
  // (own_parts.h).
  std::string host_path;
  // How long one request (a reset or a stimulus) may take before the host is killed as hung.
  std::chrono::milliseconds call_timeout{5000};
  // Another program speaking the same protocol (the COM agent under Wine: {"wine", "agent.exe", ...}),
  // looked up in PATH; empty: `host_path plugin_path`.
  std::vector<std::string> command;
  // NAME=VALUE pairs added to the child's environment (e.g. the agent's WINEPREFIX).
  std::vector<std::string> environment;
  // How long the child may take to say "ready"; zero: the call timeout, and at least kStartTimeoutFloor.
  std::chrono::milliseconds start_timeout{0};
  // bgconform-host only (`command` empty): requests and answers through shared memory rather than the
  // pipes, far cheaper per step (docs/performance.md). False: the pipes, as for any other program.
  bool shared_memory = true;
  // The child's working directory; empty: the harness's own, or for bgconform-host a private one made
  // for it (and removed when it ends).
  std::string working_dir;
  HostLimits limits;  // bgconform-host only
  // Called before the child is started again after it died or was killed as hung (not before the
  // first start): what the child served through must be set right first (under Wine: the service a
  // hung call left stuck, which a new agent would wait on too).
  std::function<void()> before_restart;
};

class IsolatedTarget : public Target {
 public:
  // Starts the host with `plugin_path`; nullptr and the host's load error (or why it could not start).
  static std::unique_ptr<IsolatedTarget> launch(const std::string& plugin_path, const IsolatedOptions& options,
                                                std::string& error);
  ~IsolatedTarget() override;
  IsolatedTarget(const IsolatedTarget&) = delete;
  IsolatedTarget& operator=(const IsolatedTarget&) = delete;

  Capabilities capabilities() const override { return capabilities_; }
  // Restarts the host if it died, then asks it for a fresh service. Throws PluginError
  // (plugin_target.h) if the host cannot be started again or refuses the profile; a crash or hang
  // during the reset is reported by the next apply().
  void reset(Profile profile) override;
  // Crashed when the host died during the call (or was already dead), TimedOut when it did not answer
  // within the call timeout (the host is then killed).
  Observation apply(const Stimulus& s) override;
  // The stimuli as one write, then their answers in order, each within the call timeout.
  void apply_all(std::span<const Stimulus> stimuli, std::span<Observation> answers) override;
  // The probe: a call is taken for hung after 50 times the slowest answer so far, at least 5 ms (at
  // most the call timeout); a restart costs milliseconds, a hang the whole timeout.
  void probe_hangs(bool on) override { probing_ = on; }
  // Each case from a serving process of its own: the fork server forks one for it (bgconform-host's
  // "fresh"), or, for a library served without forking, the host is started again. Another program
  // (the COM agent) is left as it is: it serves a real service, which outlives any process of ours.
  void isolate_cases(bool on) override { fresh_per_case_ = on && options_.command.empty(); }
  std::string name() const override { return "isolated:" + implementation_; }
  std::string implementation() const override { return implementation_; }

  bool alive() const { return pid_ > 0; }
  // Whether requests go through shared memory (IsolatedOptions::shared_memory, and the host took it).
  bool on_shared_memory() const { return channel_ != nullptr; }
  // How the last host ended: "killed by signal 11", "exited with status 3", "no answer within 5000 ms".
  const std::string& last_failure() const { return last_failure_; }
  std::string failure_detail() const override { return last_failure_; }
  bool failed_in_reset() const override { return failed_in_reset_; }
  // bgconform-host only: what the library printed since the last reset (its stdout and stderr go to a
  // file in the host's private directory, never to the harness's own output).
  std::string case_output() const override;

 private:
  enum class Io { Ok, Dead, Timeout };
  IsolatedTarget(std::string plugin_path, IsolatedOptions options);
  bool start(std::string& error);
  std::vector<std::string> host_command() const;
  bool make_private_dir(std::string& error);
  Io send(const std::string& lines);
  Io request(const std::string& line, std::string& reply);
  bool crash_reported(const std::string& reply);
  void resync();  // after "crashed" on the pipes: drops the answers a new serving process owes no one
  Io read_line(std::string& line, std::chrono::milliseconds timeout);
  // How long a wait for an answer may go on; nothing once Ctrl-C came or the deadline of `timeout`
  // passed (last_failure_ then says which).
  std::optional<std::chrono::steady_clock::duration> time_left(std::chrono::steady_clock::time_point deadline,
                                                               std::chrono::milliseconds timeout);
  // Reads the answer to one request: an observation, or the outcome that ended it.
  Observation answer();
  // The same through the channel: waits until the serving process has given `count` answers to
  // `batch`, or crashed on it (`crashed`, with last_failure_ saying how).
  Io await_channel(std::uint32_t batch, std::uint32_t count, std::chrono::milliseconds timeout, bool& crashed);
  bool host_gone();  // the host's pipe closed (what it had written is kept in buffer_)
  void reset_through_channel(Profile profile);
  void apply_through_channel(std::span<const Stimulus> stimuli, std::span<Observation> answers);
  std::chrono::milliseconds patience() const;
  // A reset that crashed or hung: the next apply() answers `how`, and the failure says it was the reset's.
  void fail_reset(Outcome how);
  // isolate_cases: a serving process that has served no case yet, before the next reset.
  void ask_for_fresh_process();
  // A new process after the last one ended (before_restart first; see restart in the .cpp for a second try).
  void restart();
  // reap(), the failure prefixed with the vendor function the library was in ("in resume: ...") when
  // the channel tells it (a host killed as hung, or one that died without its fork server).
  void reap_noting_the_call(bool kill_first);
  void reap(bool kill_first);

  std::string plugin_path_;
  std::string private_dir_;  // bgconform-host's own working directory, removed with the target
  std::unique_ptr<vendor::ProcessLimit> process_limit_;  // the host's pids cgroup, when one could be made
  bool process_limit_tried_ = false;
  void note_the_process_limit();  // after the host or its serving process ended: the limit's part in it
  IsolatedOptions options_;
  Capabilities capabilities_;
  std::string implementation_;
  pid_t pid_ = -1;
  int to_host_ = -1;
  int from_host_ = -1;
  std::unique_ptr<channel::HarnessEnd> channel_;  // the running host's, when it took one
  std::uint32_t crashes_told_ = 0;                // its serving processes' crashes already reported
  std::uint64_t syncs_ = 0;                       // "sync <n>" marks sent
  std::string buffer_;                            // bytes read from the host past the last full line
  std::string last_failure_;
  Outcome pending_ = Outcome::Answered;  // a crash or hang during reset, reported by the next apply
  bool failed_in_reset_ = false;         // the last reset crashed or hung (failed_in_reset())
  int output_fd_ = -1;                   // the plugin's output, emptied at each reset (case_output())
  bool fresh_per_case_ = false;          // isolate_cases()
  bool serving_fresh_ = true;            // the serving process has served no case yet
  bool probing_ = false;
  std::chrono::steady_clock::duration slowest_{};  // the longest a request took to be answered
};

}  // namespace bgc
