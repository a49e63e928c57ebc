// IsolatedTarget: the host process, its pipes, and the per-call timeout.
#include "bgconform/isolated_target.h"
#include "bgconform/own_parts.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <spawn.h>
#include <sys/wait.h>
#include <pwd.h>
#include <unistd.h>

#include "bgconform/interrupt.h"
#include "bgconform/plugin_target.h"
#include "bgconform/abi_functions.h"
#include "host_channel.h"
#include "process_limit.h"

extern char** environ;

namespace bgc {

namespace {

Observation outcome(Outcome o) {
  Observation obs;
  obs.outcome = o;
  return obs;
}

// Whether NAME=VALUE is one of the variables the plugin host gets (HostLimits::pass_environment).
bool passed_on(const char* entry, const std::vector<std::string>& more) {
  const std::string_view e(entry);
  const std::string_view name = e.substr(0, e.find('='));
  static constexpr std::string_view kAlways[] = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "LD_LIBRARY_PATH"};
  for (std::string_view n : kAlways)
    if (name == n) return true;
  if (name.size() > 11 && name.substr(name.size() - 11) == "SAN_OPTIONS") return true;  // ASAN_, UBSAN_, LSAN_
  return std::find(more.begin(), more.end(), name) != more.end();
}

// A pipe to a dead host must be a failed write, not a SIGPIPE that ends the harness.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

constexpr int kLooksBeforeSleeping = 20;  // about 20 µs

// A crash or hang while the host set up a fresh service (vendor_abi.h: it releases what the last case
// held, destroys the old manager, then creates the new one): the next call reports it, but it was not
// that call's.
constexpr const char* kInReset = ", in the reset before the case";

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

IsolatedTarget::IsolatedTarget(std::string plugin_path, IsolatedOptions options)
    : plugin_path_(std::move(plugin_path)), options_(std::move(options)) {
  if (options_.host_path.empty()) options_.host_path = own_part_path("bgconform-host", "BGCONFORM_HOST");
}

std::unique_ptr<IsolatedTarget> IsolatedTarget::launch(const std::string& plugin_path, const IsolatedOptions& options,
                                                       std::string& error) {
  std::unique_ptr<IsolatedTarget> t(new IsolatedTarget(plugin_path, options));
  if (options.command.empty() && ::access(t->options_.host_path.c_str(), X_OK) != 0) {
    error = "the plugin host '" + t->options_.host_path +
            "' is missing or not executable: it belongs beside bgconform (cmake --install puts it there), or "
            "set BGCONFORM_HOST to another bgconform-host";
    return nullptr;
  }
  if (!t->start(error)) return nullptr;
  return t;
}

IsolatedTarget::~IsolatedTarget() {
  if (alive() && channel_) {
    channel_->shared().request = channel::Request::Quit;
    channel_->post();
  } else if (alive()) {
    std::string ignored;
    (void)request("quit", ignored);  // a polite end; reap() kills it if it does not go
  }
  if (pid_ > 0) reap(true);
  close_fd(output_fd_);
  if (!private_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(private_dir_, ignored);
  }
}

// bgconform-host's command: its limits, then the library (by its absolute path: the host works in a
// directory of its own).
std::vector<std::string> IsolatedTarget::host_command() const {
  const HostLimits& l = options_.limits;
  std::vector<std::string> c = {options_.host_path};
  if (l.memory_mib > 0) c.insert(c.end(), {"--memory", std::to_string(l.memory_mib << 20)});
  if (l.cpu_seconds_per_case > 0) c.insert(c.end(), {"--cpu-per-case", std::to_string(l.cpu_seconds_per_case)});
  if (l.file_size_mib > 0) c.insert(c.end(), {"--file-size", std::to_string(l.file_size_mib << 20)});
  if (!l.user.empty()) c.insert(c.end(), {"--user", l.user});
  if (process_limit_) c.insert(c.end(), {"--cgroup", process_limit_->dir()});
  std::error_code ec;
  const std::filesystem::path plugin = std::filesystem::absolute(plugin_path_, ec);
  c.push_back(ec ? plugin_path_ : plugin.string());
  return c;
}

// A fresh directory for bgconform-host to work in (what the library writes without a path lands
// there, not in the harness's directory); given to --host-user's user.
bool IsolatedTarget::make_private_dir(std::string& error) {
  std::error_code ec;
  std::string pattern = (std::filesystem::temp_directory_path(ec) / "bgconform-host-XXXXXX").string();
  if (ec || ::mkdtemp(pattern.data()) == nullptr) {
    error = "cannot make a working directory for the plugin host: " + std::string(std::strerror(errno));
    return false;
  }
  private_dir_ = pattern;
  // What the library prints (the host's stdout and stderr) goes to a file, kept apart from the
  // harness's output and read per case (case_output()). Appended to, so the harness may empty it at
  // each reset while the host writes.
  const std::string output = private_dir_ + "/plugin-output";
  output_fd_ = ::open(output.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (output_fd_ < 0) {
    error = "cannot make the file for the plugin's output: " + std::string(std::strerror(errno));
    return false;
  }
  if (!options_.limits.user.empty()) {
    if (const passwd* pw = ::getpwnam(options_.limits.user.c_str())) {
      if (::chown(private_dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        error = "--host-user " + options_.limits.user + ": cannot give it a working directory: " + std::strerror(errno);
        return false;
      }
    }
  }
  return true;
}

bool IsolatedTarget::start(std::string& error) {
  ignore_sigpipe();
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) {
    error = "cannot create a pipe to the host";
    return false;
  }
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    error = "cannot create a pipe to the host";
    return false;
  }
  // bgconform-host gets a channel (host_channel.h); without one (memfd refused) the pipes serve.
  std::string ignored;
  if (options_.command.empty() && options_.shared_memory) channel_ = channel::HarnessEnd::create(ignored);
  crashes_told_ = 0;
  const bool plugin_host = options_.command.empty();
  if (plugin_host && private_dir_.empty() && !make_private_dir(error)) {
    ::close(in[0]);
    ::close(in[1]);
    ::close(out[0]);
    ::close(out[1]);
    return false;
  }
  if (plugin_host && options_.limits.processes > 0 && !process_limit_tried_) {
    process_limit_tried_ = true;
    std::string why_not;
    process_limit_ = vendor::ProcessLimit::make(options_.limits.processes, why_not);
    static std::atomic<bool> told{false};  // once a run: every target of it would say the same
    if (!process_limit_ && !told.exchange(true))
      std::cerr << "bgconform: note: the plugin host runs without a process limit (--host-processes): " << why_not
                << "\n";
  }
  const std::string& working_dir = options_.working_dir.empty() ? private_dir_ : options_.working_dir;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);  // dup2 clears close-on-exec on 0 and 1
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  if (channel_) posix_spawn_file_actions_adddup2(&actions, channel_->fd(), channel::kChannelFd);
  if (output_fd_ >= 0) posix_spawn_file_actions_adddup2(&actions, output_fd_, 2);
  if (!working_dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, working_dir.c_str());
  std::vector<std::string> command = plugin_host ? host_command() : options_.command;
  std::vector<char*> argv;
  for (std::string& word : command) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::vector<std::string> extra = options_.environment;
  if (channel_) extra.push_back(std::string(channel::kChannelFdVariable) + "=" + std::to_string(channel::kChannelFd));
  std::vector<char*> envp;
  for (std::string& e : extra) envp.push_back(e.data());
  // The plugin host gets only what a library needs of the harness's environment (HostLimits); another
  // program (the COM agent under Wine) all of it. The first of a name wins.
  for (char** e = environ; *e != nullptr; ++e)
    if (!plugin_host || passed_on(*e, options_.limits.pass_environment)) envp.push_back(*e);
  envp.push_back(nullptr);
  const std::string& host = command.front();
  // Its own process group: a Ctrl-C at the terminal is the harness's to handle (interrupt.h); the
  // child must live until the harness has written its reports and says quit.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, host.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    error = "cannot start the plugin host '" + host + "': " + std::strerror(rc);
    return false;
  }
  pid_ = pid;
  serving_fresh_ = true;
  to_host_ = in[1];
  from_host_ = out[0];
  buffer_.clear();
  pending_ = Outcome::Answered;

  std::string line;
  // Starting is not a call of the library being timed: exec, loading it, and (on a busy machine) being
  // scheduled at all took more than a short --call-timeout, and a run then stopped as if the target
  // could not start. At least kStartTimeoutFloor, unless given.
  const auto start_timeout =
      options_.start_timeout.count() > 0 ? options_.start_timeout : std::max(options_.call_timeout, kStartTimeoutFloor);
  const Io io = read_line(line, start_timeout);
  if (io != Io::Ok) {
    reap(io == Io::Timeout);
    error = (options_.command.empty() ? "plugin host for '" + plugin_path_ + "'" : "'" + host + "'") +
            " did not start: " + last_failure_;
    return false;
  }
  if (line.rfind("load-error ", 0) == 0) {
    reap(false);
    error = line.substr(11);
    return false;
  }
  // "ready <profiles> <clock> <name>"
  const auto w1 = line.find(' '), w2 = line.find(' ', w1 + 1), w3 = line.find(' ', w2 + 1);
  if (line.rfind("ready ", 0) != 0 || w2 == std::string::npos || w3 == std::string::npos) {
    reap(true);
    error = "plugin host sent '" + line + "' instead of 'ready ...'";
    return false;
  }
  const std::string profiles = line.substr(w1 + 1, w2 - w1 - 1);
  const bool virtual_clock = line.substr(w2 + 1, w3 - w2 - 1) == "virtual";
  capabilities_ = Capabilities{};
  capabilities_.deterministic = virtual_clock;
  capabilities_.virtual_clock = virtual_clock;
  capabilities_.fault_injection = true;
  capabilities_.profiles.clear();
  if (profiles.find("bits") != std::string::npos) capabilities_.profiles.push_back(Profile::Bits);
  if (profiles.find("do") != std::string::npos) capabilities_.profiles.push_back(Profile::Do);
  implementation_ = line.substr(w3 + 1);
  if (channel_) {
    std::string reply;
    Io asked = send("channel\n");
    if (asked == Io::Ok) asked = read_line(reply, start_timeout);
    if (asked != Io::Ok) {
      reap(asked == Io::Timeout);
      error = "plugin host for '" + plugin_path_ + "' did not start: " + last_failure_;
      return false;
    }
    if (reply != "ok") channel_.reset();  // a host of another build: the pipes serve
  }
  return true;
}

void IsolatedTarget::reap(bool kill_first) {
  channel_.reset();  // the next host gets a fresh one
  close_fd(to_host_);
  close_fd(from_host_);
  if (pid_ <= 0) return;
  if (kill_first) ::kill(pid_, SIGKILL);
  int status = 0;
  // A host whose pipe closed is on its way out; give it a moment (about a second) before insisting.
  // It is usually gone within a fraction of a millisecond, so the first waits are short: a crash
  // found while shrinking costs a restart per candidate, and a fixed 10 ms each made that the cost.
  auto pause = std::chrono::microseconds(50);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (;;) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || r < 0) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
  if (last_failure_.empty() || !kill_first) {
    if (WIFSIGNALED(status)) {
      const char* abbrev = ::sigabbrev_np(WTERMSIG(status));
      last_failure_ = "killed by signal " + std::to_string(WTERMSIG(status)) +
                      (abbrev != nullptr ? " (SIG" + std::string(abbrev) + ")" : std::string());
    } else if (WIFEXITED(status)) {
      last_failure_ = "exited with status " + std::to_string(WEXITSTATUS(status));
    }
  }
  pid_ = -1;
  note_the_process_limit();
  if (process_limit_) process_limit_->end_all();  // what the library started and left behind
}

void IsolatedTarget::note_the_process_limit() {
  if (process_limit_ && process_limit_->reached_since_last())
    last_failure_ += "; the process limit was reached (" + std::to_string(process_limit_->tasks()) +
                     " processes and threads at once, --host-processes)";
}

std::optional<std::chrono::steady_clock::duration> IsolatedTarget::time_left(
    std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds timeout) {
  // Ctrl-C cuts the wait short (the signal ends poll or a futex wait with EINTR): a call hung under a
  // long --call-timeout must not hold the run that long. Every answer not yet here is given up from
  // then on; the case loop takes none of it for a finding (case_loop.cpp).
  if (interrupted()) {
    last_failure_ = "interrupted while waiting for an answer";
    return std::nullopt;
  }
  const auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) {
    last_failure_ = "no answer within " + std::to_string(timeout.count()) + " ms";
    return std::nullopt;
  }
  return left;
}

IsolatedTarget::Io IsolatedTarget::read_line(std::string& line, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return Io::Ok;
    }
    const auto time = time_left(deadline, timeout);
    if (!time) return Io::Timeout;
    // Rounded up: poll's milliseconds must not make a wait with time left a busy one.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*time);
    pollfd p{from_host_, POLLIN, 0};
    // A few looks before sleeping: a host answers in microseconds, and waking a process that sleeps
    // in poll costs about as much again on a virtual machine (docs/performance.md).
    int ready = 0;
    for (int look = 0; look < kLooksBeforeSleeping && ready == 0; ++look) ready = ::poll(&p, 1, 0);
    if (ready == 0) ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above decides
    char chunk[4096];
    const ssize_t n = ::read(from_host_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      last_failure_.clear();  // reap() says how it ended
      return Io::Dead;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

IsolatedTarget::Io IsolatedTarget::send(const std::string& lines) {
  std::size_t sent = 0;
  while (sent < lines.size()) {
    const ssize_t n = ::write(to_host_, lines.data() + sent, lines.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      last_failure_.clear();
      return Io::Dead;
    }
    sent += static_cast<std::size_t>(n);
  }
  return Io::Ok;
}

std::chrono::milliseconds IsolatedTarget::patience() const {
  if (!probing_) return options_.call_timeout;
  const auto probe = std::chrono::duration_cast<std::chrono::milliseconds>(slowest_ * 50);
  return std::clamp(probe, std::chrono::milliseconds(5), std::max(options_.call_timeout, std::chrono::milliseconds(5)));
}

IsolatedTarget::Io IsolatedTarget::request(const std::string& line, std::string& reply) {
  if (const Io io = send(line + "\n"); io != Io::Ok) return io;
  if (line == "quit") return Io::Ok;
  return read_line(reply, options_.call_timeout);
}

// "crashed <how>": the fork server lost the process serving the request and has the next one ready.
bool IsolatedTarget::crash_reported(const std::string& reply) {
  if (reply.rfind("crashed ", 0) != 0) return false;
  last_failure_ = reply.substr(8);
  note_the_process_limit();
  serving_fresh_ = true;  // the fork server has the next process ready
  return true;
}

void IsolatedTarget::resync() {
  for (;;) {
    const std::string mark = "sync " + std::to_string(++syncs_);
    if (send(mark + "\n") != Io::Ok) return;  // a host that is gone: the next request finds out
    std::string line;
    Io io = Io::Ok;
    while ((io = read_line(line, options_.call_timeout)) == Io::Ok && line != mark && line.rfind("error ", 0) != 0 &&
           line.rfind("crashed ", 0) != 0) {
      // an answer to a request sent before the crash was read: nobody's
    }
    if (io != Io::Ok) return reap(io == Io::Timeout);
    if (line.rfind("crashed ", 0) != 0) return;
    // A stale request crashed the next process too (its input, this mark with it, may be dropped).
  }
}

void IsolatedTarget::reset(Profile profile) {
  if (!alive()) restart();
  if (fresh_per_case_ && !serving_fresh_) ask_for_fresh_process();
  serving_fresh_ = false;
  if (output_fd_ >= 0 && ::ftruncate(output_fd_, 0) != 0) {
    // Not emptied (the file system refused): the case's output then starts with the last one's.
  }
  if (channel_) return reset_through_channel(profile);
  failed_in_reset_ = false;
  std::string reply;
  const Io io = request("reset " + std::string(bgc::name(profile)), reply);
  if (io != Io::Ok) {
    reap(io == Io::Timeout);
    return fail_reset(io == Io::Timeout ? Outcome::TimedOut : Outcome::Crashed);
  }
  if (crash_reported(reply)) {
    resync();
    return fail_reset(Outcome::Crashed);
  }
  if (reply != "ok") throw PluginError(reply.rfind("error ", 0) == 0 ? reply.substr(6) : reply);
}

void IsolatedTarget::ask_for_fresh_process() {
  bool given = false;
  if (channel_) {
    channel::Shared& s = channel_->shared();
    s.request = channel::Request::Fresh;
    s.reset_failed = 0;
    const std::uint32_t batch = channel_->post();
    bool crashed = false;
    // A fork, not a call of the library: as long as a start may take.
    const auto patience = std::max(options_.call_timeout, kStartTimeoutFloor);
    given = await_channel(batch, 1, patience, crashed) == Io::Ok && !crashed && s.reset_failed == 0;
  } else {
    std::string reply;
    given = send("fresh\n") == Io::Ok &&
            read_line(reply, std::max(options_.call_timeout, kStartTimeoutFloor)) == Io::Ok && reply == "ok";
  }
  if (given) return;
  // A host that does not fork (or did not answer): a new one is as fresh.
  reap(true);
  restart();
}

void IsolatedTarget::restart() {
  std::string error;
  // A program with something to clear away first (a Wine prefix's services) gets a second start after
  // clearing again: under Wine on a busy machine one new agent in a few exited at once (status 53).
  const int attempts = options_.before_restart ? 2 : 1;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (options_.before_restart) options_.before_restart();
    if (start(error)) return;
  }
  throw PluginError(error);
}

std::string IsolatedTarget::case_output() const {
  struct stat st {};
  if (output_fd_ < 0 || ::fstat(output_fd_, &st) != 0 || st.st_size <= 0) return {};
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::uint64_t from = size > kCaseOutputBytes ? size - kCaseOutputBytes : 0;
  std::string out(size - from, '\0');
  const ssize_t n = ::pread(output_fd_, out.data(), out.size(), static_cast<off_t>(from));
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  // Text any report can hold (JSON, XML, HTML): lines and tabs kept, other control characters and
  // bytes outside ASCII shown as '?'.
  for (char& c : out)
    if ((c < ' ' && c != '\n' && c != '\t') || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  if (from > 0) out = "[the first " + std::to_string(from) + " bytes are left out]\n" + out;
  return out;
}

void IsolatedTarget::fail_reset(Outcome how) {
  pending_ = how;
  failed_in_reset_ = true;
  last_failure_ += kInReset;
}

void IsolatedTarget::reap_noting_the_call(bool kill_first) {
  std::string_view in;
  if (channel_) in = vendor::abi_function_name(channel_->shared().calling.load());
  reap(kill_first);
  if (!in.empty()) last_failure_ = "in " + std::string(in) + ": " + last_failure_;
}

Observation IsolatedTarget::answer() {
  // The probe learns from answers to stimuli only: a reset (a new manager, and after a restart the
  // library's first call) and a crash reported by the fork server are slower by far than the calls
  // whose hang it is to tell.
  std::string reply;
  const auto start = std::chrono::steady_clock::now();
  const Io io = read_line(reply, patience());
  if (io != Io::Ok) {
    reap(io == Io::Timeout);
    return outcome(io == Io::Timeout ? Outcome::TimedOut : Outcome::Crashed);
  }
  if (crash_reported(reply)) {
    resync();
    return outcome(Outcome::Crashed);
  }
  slowest_ = std::max(slowest_, std::chrono::steady_clock::now() - start);
  Parsed<Observation> parsed = parse_observation(reply);
  if (!parsed) {
    // The host said something that is not an observation: it can no longer be trusted.
    reap(true);
    last_failure_ = "protocol error: '" + reply + "'";
    return outcome(Outcome::Crashed);
  }
  return parsed.value;
}

Observation IsolatedTarget::apply(const Stimulus& s) {
  Observation o;
  apply_all({&s, 1}, {&o, 1});
  return o;
}

void IsolatedTarget::apply_all(std::span<const Stimulus> stimuli, std::span<Observation> answers) {
  const auto end_with = [&](std::size_t from, Outcome o) {
    for (std::size_t k = from; k < stimuli.size(); ++k) answers[k] = outcome(o);
  };
  if (pending_ != Outcome::Answered) {
    end_with(0, pending_);
    pending_ = Outcome::Answered;
    return;
  }
  if (!alive()) return end_with(0, Outcome::Crashed);
  if (channel_) return apply_through_channel(stimuli, answers);
  std::string lines;
  for (const Stimulus& s : stimuli) {
    lines += to_string(s);
    lines += '\n';
  }
  if (send(lines) != Io::Ok) {
    reap(false);
    return end_with(0, Outcome::Crashed);
  }
  for (std::size_t i = 0; i < stimuli.size(); ++i) {
    answers[i] = answer();
    if (ends_the_case(answers[i].outcome)) return end_with(i + 1, answers[i].outcome);
  }
}

// ---- Through the channel (host_channel.h) -------------------------------------------------------

bool IsolatedTarget::host_gone() {
  pollfd p{from_host_, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  char chunk[4096];
  const ssize_t n = ::read(from_host_, chunk, sizeof chunk);
  if (n > 0) buffer_.append(chunk, static_cast<std::size_t>(n));  // "crashed <how>", its mark follows
  return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
}

IsolatedTarget::Io IsolatedTarget::await_channel(std::uint32_t batch, std::uint32_t count,
                                                 std::chrono::milliseconds timeout, bool& crashed) {
  // Watched for a while (the answer usually comes within microseconds), then slept on in short
  // slices: between them the pipe tells of a host that died, and Ctrl-C of an interrupted run.
  constexpr std::chrono::microseconds kWatch{50};
  constexpr std::chrono::milliseconds kSlice{2};
  channel::Shared& s = channel_->shared();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  crashed = false;
  for (;;) {
    // The word first: answers a new serving process gave come after the count of the one lost.
    const std::uint32_t word = s.answered.load(std::memory_order_acquire);
    if (const std::uint32_t crashes = s.crashes.load(std::memory_order_acquire); crashes != crashes_told_) {
      // During this batch, or since the last (a thread of the library's own): this request met a
      // service that is gone. The fork server wrote how before it counted; the last one says it.
      for (std::string reply; crashes_told_ != crashes; ++crashes_told_) {
        do {
          if (const Io io = read_line(reply, options_.call_timeout); io != Io::Ok) return io;
        } while (!crash_reported(reply));
      }
      crashed = true;
      return Io::Ok;
    }
    if (channel::batch_of(word) == batch && channel::count_of(word) >= count &&
        channel::count_of(word) != channel::kCrashed)
      return Io::Ok;
    if (channel::watch(s.answered, word, kWatch)) continue;
    const auto left = time_left(deadline, timeout);
    if (!left) return Io::Timeout;
    if (host_gone()) {
      last_failure_.clear();  // reap() says how it ended
      return Io::Dead;
    }
    channel::sleep_on(
        s.answered, word, s.harness_sleeping,
        std::min(std::chrono::duration_cast<std::chrono::microseconds>(*left), std::chrono::microseconds(kSlice)));
  }
}

void IsolatedTarget::reset_through_channel(Profile profile) {
  failed_in_reset_ = false;
  channel::Shared& s = channel_->shared();
  s.request = channel::Request::Reset;
  s.profile = profile;
  const std::uint32_t batch = channel_->post();
  bool crashed = false;
  const Io io = await_channel(batch, 1, options_.call_timeout, crashed);
  if (io != Io::Ok) {
    reap_noting_the_call(io == Io::Timeout);
    return fail_reset(io == Io::Timeout ? Outcome::TimedOut : Outcome::Crashed);
  }
  if (crashed) return fail_reset(Outcome::Crashed);
  if (s.reset_failed != 0) throw PluginError(std::string(s.message, ::strnlen(s.message, sizeof s.message)));
}

void IsolatedTarget::apply_through_channel(std::span<const Stimulus> stimuli, std::span<Observation> answers) {
  channel::Shared& s = channel_->shared();
  for (std::size_t from = 0; from < stimuli.size(); from += channel::kMaxBatch) {
    const std::size_t n = std::min(stimuli.size() - from, channel::kMaxBatch);
    s.request = channel::Request::Stimuli;
    s.count = static_cast<std::uint32_t>(n);
    std::copy_n(stimuli.begin() + static_cast<std::ptrdiff_t>(from), n, s.stimuli);
    const std::uint32_t batch = channel_->post();
    for (std::size_t i = 0; i < n; ++i) {
      // As answer(): the probe learns from answers to stimuli only.
      const auto start = std::chrono::steady_clock::now();
      bool crashed = false;
      const Io io = await_channel(batch, static_cast<std::uint32_t>(i + 1), patience(), crashed);
      Outcome ended = Outcome::Answered;
      if (io != Io::Ok) {
        reap_noting_the_call(io == Io::Timeout);
        ended = io == Io::Timeout ? Outcome::TimedOut : Outcome::Crashed;
      } else if (crashed) {
        ended = Outcome::Crashed;
      }
      if (ended != Outcome::Answered) {
        for (std::size_t k = from + i; k < stimuli.size(); ++k) answers[k] = outcome(ended);
        return;
      }
      slowest_ = std::max(slowest_, std::chrono::steady_clock::now() - start);
      answers[from + i] = s.answers[i];
    }
  }
}

}  // namespace bgc
