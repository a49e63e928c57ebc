// Interrupt handling (interrupt.h): the handler only sets a flag (async-signal-safe); the run loops
// look at it between stimuli.
#include "bgconform/interrupt.h"

#include <atomic>
#include <csignal>

namespace bgc {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int signal) {
  if (g_interrupted.exchange(true)) {  // the second one: stop now
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

bool interrupted() { return g_interrupted.load(std::memory_order_relaxed); }
void request_interrupt() { g_interrupted = true; }

}  // namespace bgc
