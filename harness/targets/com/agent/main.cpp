// bgconform-com-agent: drives the system's BITS (or Delivery Optimization) COM service and serves the
// line protocol of harness/targets/isolated/include/bgconform/isolated_target.h on stdin/stdout:
//   agent, once at start:  "ready bits real com:bits" | "ready do real com:do" | "load-error <message>" (exit 2)
//   harness → agent:       "reset bits" | "reset do"     → "ok" | "error <message>"
//                          a stimulus in its text form   → the observation in its text form
//                          an unparsable line            → "error <parse error>"
//                          "quit" or end of input        → (the agent cancels its jobs and exits 0)
// Built with MinGW (harness/targets/com/agent/CMakeLists.txt); runs on Windows or under Wine.
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <objbase.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "agent_options.h"
#include "bgconform/types.h"
#include "com_session.h"
#include "trace_recorder.h"

namespace {

// The protocol stream is a private copy of stdout; the C runtime's and Win32's stdout then point at
// stderr, so nothing else the process prints can be taken for an answer. Binary mode: the harness
// reads "\n", not "\r\n".
FILE* take_protocol_stream() {
  std::fflush(stdout);
  const int fd = _dup(_fileno(stdout));
  if (fd < 0) return nullptr;
  _dup2(_fileno(stderr), _fileno(stdout));
  SetStdHandle(STD_OUTPUT_HANDLE, GetStdHandle(STD_ERROR_HANDLE));
  _setmode(fd, _O_BINARY);
  return _fdopen(fd, "wb");
}

void say(FILE* out, const std::string& line) {
  std::fputs(line.c_str(), out);
  std::fputc('\n', out);
  std::fflush(out);
}

}  // namespace

int main() {
  FILE* out = take_protocol_stream();
  if (out == nullptr) return 2;
  _setmode(_fileno(stdin), _O_BINARY);  // "\r" is stripped by hand below

  bgc::agent::AgentOptions options;
  std::string error;
  switch (bgc::agent::parse_arguments(bgc::agent::command_line_arguments(), options, error)) {
    case bgc::agent::ParseResult::Help:
      std::fputs(bgc::agent::kUsage, out);
      std::fflush(out);
      return 0;
    case bgc::agent::ParseResult::Error:
      say(out, "load-error " + error);
      std::fputs(bgc::agent::kUsage, stderr);
      return 2;
    case bgc::agent::ParseResult::Ok: break;
  }

  // The multithreaded apartment: the agent pumps no messages, and the service's calls into it
  // (none yet; callbacks are a later issue) need no message loop there.
  const HRESULT init = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
  if (FAILED(init)) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08lX", static_cast<unsigned long>(init));
    say(out, std::string("load-error CoInitializeEx(COINIT_MULTITHREADED) failed: ") + hex);
    return 2;
  }

  int status = 0;
  {
    bgc::agent::ComSession session(options);
    if (!session.start(error)) {
      say(out, "load-error " + error);
      status = 2;
    } else {
      const std::string profile(bgc::name(options.profile));
      bgc::agent::TraceRecorder recorder;
      if (!options.record.empty() &&
          !recorder.open(options.record, options.profile, session.implementation_name(), error)) {
        say(out, "load-error " + error);
        session.shutdown();
        CoUninitialize();
        std::fclose(out);
        return 2;
      }
      say(out, "ready " + profile + " real " + session.implementation_name());

      std::string line;
      while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line == "quit") break;
        if (line.rfind("reset ", 0) == 0) {
          const auto asked = bgc::parse_profile(line.substr(6));
          if (!asked) {
            say(out, "error unknown profile '" + line.substr(6) + "'");
          } else if (*asked != options.profile) {
            say(out, "error this agent was started for '" + profile + "'");
          } else {
            const bool reset = session.reset(error);
            if (reset) recorder.new_case();
            say(out, reset ? std::string("ok") : "error " + error);
          }
          continue;
        }
        const bgc::Parsed<bgc::Stimulus> s = bgc::parse_stimulus(line);
        if (!s) {
          say(out, "error " + s.error);
          continue;
        }
        const auto called = std::chrono::steady_clock::now();
        const bgc::Observation answer = session.apply(s.value);
        recorder.call(s.value, answer, called, std::chrono::steady_clock::now());
        say(out, bgc::to_string(answer, s.value.op));
      }
    }
    session.shutdown();  // cancels the agent's jobs: nothing is left in the service
  }
  CoUninitialize();
  std::fclose(out);
  return status;
}
