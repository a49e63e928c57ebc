// replay_file_fuzzer: the replay-file reader (reports/src/replay_file.cpp). A file that parses renders
// to a file that parses to the same case; a file that does not parse is refused with "line N: ...".
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bgconform/reports.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<bgc::ReplayFile> f = bgc::parse_replay(text, error);
  if (!f) {
    if (error.rfind("line ", 0) != 0) {
      std::fprintf(stderr, "replay_file_fuzzer: error without a line number: %s\n", error.c_str());
      std::abort();
    }
    return 0;
  }
  const std::string rendered = bgc::render_replay(*f);
  const std::optional<bgc::ReplayFile> again = bgc::parse_replay(rendered, error);
  if (!again || again->stimuli != f->stimuli || again->rule != f->rule || again->profile != f->profile ||
      again->seed != f->seed || render_replay(*again) != rendered) {
    std::fprintf(stderr, "replay_file_fuzzer: a parsed file does not survive render and parse (%s):\n%s\n",
                 error.c_str(), rendered.c_str());
    std::abort();
  }
  return 0;
}
