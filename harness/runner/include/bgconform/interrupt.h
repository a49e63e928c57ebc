// Ctrl-C (SIGINT) and SIGTERM during a long run: the run stops at its next stimulus, writes the reports
// of what it did, and takes down what it started (a com: target's agent, origin server and Wine prefix)
// instead of dying half-way. A second signal ends the process at once, and so does the first one after
// 30 s when the stop has not come by then (a call hung inside the harness process).
#pragma once

namespace bgc {

void install_interrupt_handlers();
// Whether a stop was asked for (also settable by tests).
bool interrupted();
void request_interrupt();

}  // namespace bgc
