// Interrupt handling (interrupt.h): the handler only sets a flag (async-signal-safe); the run loops
// look at it between stimuli.
#include "bgconform/interrupt.h"

#include <atomic>
#include <csignal>

#include <unistd.h>

namespace bgc {

namespace {

std::atomic<bool> g_interrupted{false};

// How long an orderly stop may take (the next stimulus, the reports, a com: target's Wine prefix: a few
// seconds) before the process ends anyway: a call that never returns inside the harness process (a
// library loaded with --no-isolate) would otherwise outlast a CI runner's single SIGTERM.
constexpr unsigned kStopSeconds = 30;

extern "C" void on_signal(int signal) {
  if (g_interrupted.exchange(true)) {  // the second one: stop now
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  ::alarm(kStopSeconds);
}

extern "C" void on_stop_overdue(int) {
  static const char message[] =
      "bgconform: still not stopped 30 s after the signal (a call that does not return?): ending now\n";
  [[maybe_unused]] const ssize_t ignored = ::write(2, message, sizeof message - 1);
  ::_exit(2);  // interrupted, as an orderly stop exits
}

}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGALRM, on_stop_overdue);
}

bool interrupted() { return g_interrupted.load(std::memory_order_relaxed); }
void request_interrupt() { g_interrupted = true; }

}  // namespace bgc
