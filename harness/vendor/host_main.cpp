// bgconform-host: loads one vendor library into PluginTarget and serves the line protocol described
// in isolated_target.h on stdin/stdout. It lives only to be crashed or hung by the library instead
// of the harness.
#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

#include "bgconform/plugin_target.h"

namespace {

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

}  // namespace

int main(int argc, char** argv) {
  FILE* out = take_protocol_stream();
  if (out == nullptr) return 2;
  if (argc != 2) {
    say(out, "load-error usage: bgconform-host <plugin.so>");
    return 2;
  }
  std::string error;
  auto target = bgc::PluginTarget::load(argv[1], error);
  if (!target) {
    say(out, "load-error " + error);
    return 2;
  }
  const bgc::Capabilities caps = target->capabilities();
  std::string profiles;
  for (bgc::Profile p : caps.profiles) profiles += (profiles.empty() ? "" : ",") + std::string(bgc::name(p));
  say(out, "ready " + profiles + (caps.virtual_clock ? " virtual " : " real ") + target->implementation_name());

  std::string line;
  while (std::getline(std::cin, line)) {
    if (line == "quit") break;
    if (line.rfind("reset ", 0) == 0) {
      const auto profile = bgc::parse_profile(line.substr(6));
      if (!profile) {
        say(out, "error unknown profile '" + line.substr(6) + "'");
        continue;
      }
      try {
        target->reset(*profile);
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
    say(out, bgc::to_string(target->apply(s.value), s.value.op));
  }
  return 0;
}
