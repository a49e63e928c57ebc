// bgconform-host: loads one vendor library into PluginTarget and serves the line protocol described
// in isolated_target.h on stdin/stdout, or, once the harness asks "channel", the same requests through
// the shared memory it gave (src/host_channel.h). It lives only to be crashed or hung by the library
// instead of the harness.
//
// A fork server (as AFL's): the library is loaded once, then a child process serves the protocol.
// When the library crashes the child, the parent says so ("crashed <how>") and forks the next child
// from the loaded library, so a crash costs a fork rather than a new process that loads the library
// again (shrinking a crash restarts the service once per candidate). A library that has started
// threads of its own by the time it is loaded is served without forking (a forked child would have
// only the forking thread): a crash then ends the host, as the harness also understands.
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "bgconform/plugin_target.h"
#include "bgconform/abi_functions.h"
#include "host_channel.h"
#include "process_limit.h"

// Built with AddressSanitizer: g++ says so with __SANITIZE_ADDRESS__, clang (the fuzz build) with
// __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define BGC_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BGC_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef BGC_ADDRESS_SANITIZER
#define BGC_ADDRESS_SANITIZER 0
#endif

namespace {

// The limits the harness asks for (isolated_target.h, HostLimits), applied before the library loads.
struct Limits {
  rlim_t memory = 0;        // address space, bytes; 0: none
  rlim_t cpu_per_case = 0;  // CPU seconds from one reset to the next; 0: none
  rlim_t file_size = 0;     // bytes a file written may reach; 0: none
  std::string user;         // run as this user (the harness runs as root)
  std::string cgroup;       // the pids cgroup to join (process_limit.h), made by the harness
};
Limits g_limits;

// Sets a soft and hard limit; false with errno.
bool limit(int resource, rlim_t value) {
  const rlimit r{value, value};
  return ::setrlimit(resource, &r) == 0;
}

// Drops to `user`, limits the process, and forbids gaining privileges; an error message, or empty.
std::string confine(const Limits& l, const char* plugin) {
  // First, while the host may still write to the cgroup (as root): every process and thread it and
  // the library start counts against the limit.
  if (!l.cgroup.empty())
    if (std::string why = bgc::vendor::join_process_limit(l.cgroup); !why.empty()) return why;
  if (!l.user.empty()) {
    const passwd* pw = ::getpwnam(l.user.c_str());
    if (pw == nullptr) return "--host-user: no user '" + l.user + "'";
    if (::geteuid() != 0)
      return "--host-user " + l.user + ": bgconform must run as root to start the host as another user";
    if (::initgroups(pw->pw_name, pw->pw_gid) != 0 || ::setgid(pw->pw_gid) != 0 || ::setuid(pw->pw_uid) != 0)
      return "--host-user " + l.user + ": cannot become that user: " + std::strerror(errno);
    if (::access(plugin, R_OK) != 0)
      return "--host-user " + l.user + ": the plugin '" + std::string(plugin) + "' is not readable by that user (" +
             std::strerror(errno) + "): make it and its directories readable, or leave --host-user out";
  }
  if (!limit(RLIMIT_CORE, 0)) return std::string("cannot forbid core files: ") + std::strerror(errno);
#if !BGC_ADDRESS_SANITIZER  // ASan reserves terabytes of address space for its shadow
  if (l.memory > 0 && !limit(RLIMIT_AS, l.memory)) return std::string("cannot limit memory: ") + std::strerror(errno);
#endif
  if (l.file_size > 0 && !limit(RLIMIT_FSIZE, l.file_size))
    return std::string("cannot limit file sizes: ") + std::strerror(errno);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return std::string("cannot set no_new_privs: ") + std::strerror(errno);
  return {};
}

// A case may use `cpu_per_case` CPU seconds from now (SIGXCPU past it): armed at each reset, counting
// every thread the library started.
void arm_case_cpu() {
  if (g_limits.cpu_per_case == 0) return;
  rusage used{};
  ::getrusage(RUSAGE_SELF, &used);
  const rlim_t spent = static_cast<rlim_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec) + 1;
  const rlimit r{spent + g_limits.cpu_per_case, RLIM_INFINITY};
  ::setrlimit(RLIMIT_CPU, &r);
}

// The protocol stream is a private copy of stdout; fd 1 then points at stderr, so whatever the
// library prints cannot be mistaken for an answer.
FILE* take_protocol_stream() {
  std::fflush(stdout);
  const int fd = ::dup(1);
  ::dup2(2, 1);
  return ::fdopen(fd, "w");
}

void say(FILE* out, const std::string& line) {
  std::fputs(line.c_str(), out);
  std::fputc('\n', out);
  std::fflush(out);
}

// Looks at stdin this many times before sleeping in read(): the harness sends its next request within
// microseconds of reading an answer, and waking a process asleep in read() costs more than the
// answer on a virtual machine (isolated steps/s: x1.8). About 100 us, then the host sleeps.
constexpr int kLooksBeforeSleeping = 200;

// The next request line from stdin; false at the end of input. `pending` keeps what was read past it
// (the rest of a batch the harness sent at once).
bool next_request(std::string& pending, std::string& line) {
  for (;;) {
    if (const auto nl = pending.find('\n'); nl != std::string::npos) {
      line.assign(pending, 0, nl);
      pending.erase(0, nl + 1);
      return true;
    }
    pollfd p{0, POLLIN, 0};
    for (int look = 0; look < kLooksBeforeSleeping && ::poll(&p, 1, 0) == 0; ++look) {
    }
    char chunk[4096];
    const ssize_t n = ::read(0, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    pending.append(chunk, static_cast<std::size_t>(n));
  }
}

// Whether this host is a fork server (main): only then can it give a case a fresh serving process.
bool g_forking = false;
// What a serving process returns when asked for a fresh one ("fresh"): it ends, and the fork server
// starts the next.
constexpr int kFresh = -1;
constexpr const char* kNoForkServer = "no fork server (the library starts threads of its own when loaded)";

// Serves the requests of the shared-memory channel (host_channel.h) until quit (0) or fresh (kFresh).
int serve_channel(bgc::PluginTarget& target, bgc::channel::Shared& s) {
  namespace ch = bgc::channel;
  std::uint32_t seen = s.served.load(std::memory_order_acquire);
  for (;;) {
    const std::uint32_t batch = ch::next_batch(s, seen);
    seen = batch;
    s.served.store(batch, std::memory_order_relaxed);
    switch (s.request) {
      case ch::Request::Quit: return 0;
      case ch::Request::Fresh:
        if (g_forking) return kFresh;  // the fork server answers once the next process is there
        s.reset_failed = 1;
        std::snprintf(s.message, sizeof s.message, "%s", kNoForkServer);
        ch::publish(s, ch::answer_word(batch, 1));
        break;
      case ch::Request::Reset:
        arm_case_cpu();
        s.reset_failed = 0;
        try {
          target.reset(s.profile);
        } catch (const bgc::PluginError& e) {
          s.reset_failed = 1;
          std::snprintf(s.message, sizeof s.message, "%s", e.what());
        }
        ch::publish(s, ch::answer_word(batch, 1));
        break;
      case ch::Request::Stimuli: {
        // Read once: after the last answer the harness may already be writing the next batch.
        const std::uint32_t count = std::min<std::uint32_t>(s.count, ch::kMaxBatch);
        for (std::uint32_t i = 0; i < count; ++i) {
          s.answers[i] = target.apply(s.stimuli[i]);
          ch::publish(s, ch::answer_word(batch, i + 1));
        }
        break;
      }
    }
  }
}

// Serves requests until "quit" or the end of input (0), or "fresh" (kFresh); "channel" moves the
// serving to the shared-memory channel, if the harness gave one.
int serve(bgc::PluginTarget& target, FILE* out, bgc::channel::Shared* channel) {
  std::string line, pending;
  while (next_request(pending, line)) {
    if (line == "quit") break;
    if (line == "fresh") {
      if (g_forking) return kFresh;
      say(out, std::string("error ") + kNoForkServer);
      continue;
    }
    if (line.rfind("sync ", 0) == 0) {  // after a crash: marks where stale answers end
      say(out, line);
      continue;
    }
    if (line == "channel") {
      if (channel == nullptr) {
        say(out, "error no channel");
        continue;
      }
      channel->served.store(channel->posted.load());
      channel->active.store(1);
      say(out, "ok");
      return serve_channel(target, *channel);
    }
    if (line.rfind("reset ", 0) == 0) {
      arm_case_cpu();
      const auto profile = bgc::parse_profile(line.substr(6));
      if (!profile) {
        say(out, "error unknown profile '" + line.substr(6) + "'");
        continue;
      }
      try {
        target.reset(*profile);
        say(out, "ok");
      } catch (const bgc::PluginError& e) {
        say(out, std::string("error ") + e.what());
      }
      continue;
    }
    const bgc::Parsed<bgc::Stimulus> s = bgc::parse_stimulus(line);
    if (!s) {
      say(out, "error " + s.error);
      continue;
    }
    say(out, bgc::to_string(target.apply(s.value), s.value.op));
  }
  return 0;
}

bool single_threaded() {
  DIR* tasks = ::opendir("/proc/self/task");
  if (tasks == nullptr) return false;  // cannot tell: do not fork
  int count = 0;
  while (const dirent* e = ::readdir(tasks))
    if (e->d_name[0] != '.') ++count;
  ::closedir(tasks);
  return count == 1;
}

// The requests the dead child had not read yet (the rest of a batch the harness sent at once) must
// not reach the next child. Nothing else can be waiting: the harness sends no more until it has read
// the crash.
void discard_pending_input() {
  const int flags = ::fcntl(0, F_GETFL);
  ::fcntl(0, F_SETFL, flags | O_NONBLOCK);
  char buf[4096];
  while (::read(0, buf, sizeof buf) > 0) {
  }
  ::fcntl(0, F_SETFL, flags);
}

// The byte where PluginTarget notes the vendor function it calls (abi_functions.h), shared with the
// serving processes so that the fork server can read it after one died: the channel's, where the
// harness reads it too, else a page of its own.
std::atomic<std::uint8_t>* shared_call_note(bgc::channel::Shared* channel) {
  if (channel != nullptr) return &channel->calling;
  void* page =
      ::mmap(nullptr, sizeof(std::atomic<std::uint8_t>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return page == MAP_FAILED ? nullptr : new (page) std::atomic<std::uint8_t>(0);
}

// "in resume: " or "between calls (in a thread of the library's own): ".
std::string where_it_was(std::uint8_t calling) {
  const std::string_view in = bgc::vendor::abi_function_name(calling);
  return in.empty() ? "between calls (in a thread of the library's own): " : "in " + std::string(in) + ": ";
}

// How the serving process ended, with the limit that ended it when one did. `peak`: the most memory it
// held (resident, bytes); `calling`: the function it was in.
std::string how_it_ended(int status, std::uint64_t peak, std::uint8_t calling) {
  if (!WIFSIGNALED(status))
    return where_it_was(calling) + "exited with status " + std::to_string(WEXITSTATUS(status)) +
           " (the library ended the process)";
  const int sig = WTERMSIG(status);
  const char* abbrev = ::sigabbrev_np(sig);
  std::string out = where_it_was(calling) + "killed by signal " + std::to_string(sig) +
                    (abbrev ? " (SIG" + std::string(abbrev) + ")" : "");
  if (sig == SIGXCPU)
    out += ": CPU time limit, more than " + std::to_string(g_limits.cpu_per_case) + " s in one case (--host-cpu)";
  if (sig == SIGXFSZ)
    out += ": file size limit, " + std::to_string(g_limits.file_size >> 20) + " MiB (--host-file-size)";
  // Out of address space, an allocation fails and the library usually crashes on it: near the limit, say so.
  const std::uint64_t slack = std::max<std::uint64_t>(g_limits.memory / 8, std::uint64_t{64} << 20);
  if (g_limits.memory > 0 && peak + slack >= g_limits.memory)
    out += ": memory limit, " + std::to_string(peak >> 20) + " MiB in use at the end, of the " +
           std::to_string(g_limits.memory >> 20) + " MiB of address space allowed (--host-memory)";
  return out;
}

// Reads the options before the plugin's path; false on a malformed one.
bool parse_options(int argc, char** argv, int& plugin_arg) {
  int i = 1;
  for (; i + 1 < argc && std::strncmp(argv[i], "--", 2) == 0; i += 2) {
    const std::string name = argv[i], value = argv[i + 1];
    char* end = nullptr;
    const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    const bool number = !value.empty() && end != nullptr && *end == '\0';
    if (name == "--memory" && number)
      g_limits.memory = n;
    else if (name == "--cpu-per-case" && number)
      g_limits.cpu_per_case = n;
    else if (name == "--file-size" && number)
      g_limits.file_size = n;
    else if (name == "--user")
      g_limits.user = value;
    else if (name == "--cgroup")
      g_limits.cgroup = value;
    else
      return false;
  }
  plugin_arg = i;
  return i == argc - 1;
}

}  // namespace

int main(int argc, char** argv) {
  // The host must not outlive the harness: a harness killed (SIGKILL, a second Ctrl-C) while a call
  // hangs would leave the host waiting for its hung child forever. The harness starts hosts from its
  // main thread, whose end is the process's (the signal comes when the thread that started us ends).
  // A harness that dies between the two getppid() calls is seen as a changed parent; one gone before
  // the first has closed our stdin, and serving ends at its first read.
  const pid_t harness = ::getppid();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != harness) return 2;
  FILE* out = take_protocol_stream();
  if (out == nullptr) return 2;
  // Mapped before the library is loaded: its descriptor is closed, and the library never sees it.
  bgc::channel::Shared* const channel = bgc::channel::attach_from_environment();
  ::unsetenv(bgc::channel::kChannelFdVariable);
  std::atomic<std::uint8_t>* const call_note = shared_call_note(channel);
  bgc::vendor::note_calls_in(call_note);
  int plugin_arg = 1;
  if (!parse_options(argc, argv, plugin_arg)) {
    say(out,
        "load-error usage: bgconform-host [--memory BYTES] [--cpu-per-case SECONDS] [--file-size BYTES] "
        "[--user NAME] [--cgroup DIR] <plugin.so>");
    return 2;
  }
  if (const std::string why = confine(g_limits, argv[plugin_arg]); !why.empty()) {
    say(out, "load-error " + why);
    return 2;
  }
  std::string error;
  auto target = bgc::PluginTarget::load(argv[plugin_arg], error);
  if (!target) {
    say(out, "load-error " + error);
    return 2;
  }
  const bgc::Capabilities caps = target->capabilities();
  std::string profiles;
  for (bgc::Profile p : caps.profiles) profiles += (profiles.empty() ? "" : ",") + std::string(bgc::name(p));
  // The name ends the "ready" line: a newline in it would split the line, and the harness would take
  // the rest for the answer to its first request.
  say(out, "ready " + profiles + (caps.virtual_clock ? " virtual " : " real ") +
               bgc::one_line(target->implementation_name()));

  if (!single_threaded()) return serve(*target, out, channel);
  g_forking = true;
  const pid_t parent = ::getpid();
  bool fresh_asked = false;  // the last process ended for a fresh one: answer once the next is there
  for (;;) {
    // The child says through `done` that it has served to the end ("quit", or the harness went away)
    // before it exits: its exit status alone cannot tell (a leak checker changes it, a library may
    // call exit itself in the middle of a call).
    int done[2];  // non-blocking: a process the library started may hold the write end too
    if (::pipe2(done, O_CLOEXEC) != 0 || ::fcntl(done[0], F_SETFL, O_NONBLOCK) != 0)
      return serve(*target, out, channel);
    const pid_t child = ::fork();
    if (child < 0) return serve(*target, out, channel);
    if (child == 0) {
      // The harness sees only the parent: a child must not outlive it (the harness kills the parent
      // when a call hangs).
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::close(done[0]);
      if (::getppid() != parent) return 0;  // the parent is gone already
      const bool on_channel = channel != nullptr && channel->active.load() != 0;
      const int status = on_channel ? serve_channel(*target, *channel) : serve(*target, out, channel);
      (void)!::write(done[1], status == kFresh ? "f" : "q", 1);
      // A process given up for a fresh one ends at once: its service and the library's state go with
      // it, untouched (the next starts from the library as loaded).
      if (status == kFresh) ::_exit(0);
      return status;
    }
    ::close(done[1]);
    if (fresh_asked) {
      fresh_asked = false;
      if (channel != nullptr && channel->active.load() != 0)
        bgc::channel::publish(*channel, bgc::channel::answer_word(channel->served.load(), 1));
      else
        say(out, "ok");
    }
    int status = 0;
    rusage usage{};
    while (::wait4(child, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    const std::uint64_t peak = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
    const std::uint8_t calling = call_note != nullptr ? call_note->exchange(0) : 0;
    char said = 0;
    const bool finished = ::read(done[0], &said, 1) == 1;
    ::close(done[0]);
    if (finished && said == 'f') {
      // A fresh process asked for: the next one is forked below, then the request is answered.
      fresh_asked = true;
      continue;
    }
    if (finished) return 0;
    if (channel != nullptr && channel->active.load() != 0) {
      // The next process starts after the batch that crashed; the harness reads how once it sees the
      // crash counted (and wakes at the mark).
      const std::uint32_t batch = channel->posted.load();
      channel->served.store(batch);
      say(out, "crashed " + how_it_ended(status, peak, calling));
      channel->crashes.fetch_add(1);
      bgc::channel::publish(*channel, bgc::channel::answer_word(batch, bgc::channel::kCrashed));
      continue;
    }
    discard_pending_input();
    say(out, "crashed " + how_it_ended(status, peak, calling));
  }
}
