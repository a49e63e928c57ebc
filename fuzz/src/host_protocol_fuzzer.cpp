// host_protocol_fuzzer: the plugin host's line protocol (isolated_target.h), both ends. The input is a
// session of request lines as bgconform-host reads them ("reset bits", stimulus lines, "quit"); each is
// served as the host serves it, by a target behind the same calls (the in-process reference service),
// and every answer the host would write must be a line the harness side reads back
// (parse_observation), whatever the requests were within the alphabet's limits. The "ready" line's fields
// are checked the same way. One limit is not a matter of syntax: a case adds at most kMaxFilesPerJob files
// to a job (the Runner does not send a third AddFile), and the text form has no file index beyond them, so
// the session skips such a request as the Runner would.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bgconform/reference_target.h"

namespace {
[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "host_protocol_fuzzer: %s\n", what.c_str());
  std::abort();
}
bgc::ReferenceTarget* g_target = nullptr;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!g_target) g_target = new bgc::ReferenceTarget();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  bool reset = false;
  std::array<int, bgc::kMaxJobs> files{};  // files added to each slot's job, as the model counts them
  int requests = 0;
  while (!input.empty() && ++requests <= 200) {
    const std::size_t nl = input.find('\n');
    std::string line(input.substr(0, nl));
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
    if (line == "quit") break;
    if (line.rfind("reset ", 0) == 0) {
      const auto profile = bgc::parse_profile(line.substr(6));
      if (!profile) continue;  // the host answers "error unknown profile"
      g_target->reset(*profile);
      reset = true;
      files.fill(0);
      continue;
    }
    const bgc::Parsed<bgc::Stimulus> s = bgc::parse_stimulus(line);
    if (!s) continue;  // the host answers "error <message>"
    if (s.value.op == bgc::Op::AddFile && files[s.value.job] >= bgc::kMaxFilesPerJob) continue;
    if (!reset) {  // the harness always resets first; the host serves a fresh service anyway
      g_target->reset(bgc::Profile::Bits);
      reset = true;
    }
    const bgc::Observation o = g_target->apply(s.value);
    if (bgc::hr::succeeded(o.hr) && s.value.op == bgc::Op::CreateJob) files[s.value.job] = 0;
    if (bgc::hr::succeeded(o.hr) && s.value.op == bgc::Op::AddFile) ++files[s.value.job];
    const std::string reply = bgc::to_string(o, s.value.op);
    if (reply.find('\n') != std::string::npos) fail("a reply spans lines: '" + reply + "'");
    const bgc::Parsed<bgc::Observation> back = bgc::parse_observation(reply);
    if (!back) fail("the harness cannot read the reply '" + reply + "' to '" + line + "': " + back.error);
  }
  return 0;
}
