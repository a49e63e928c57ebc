// The COM agent's command line, and the strings it hands to COM (UTF-16, Windows paths).
#pragma once

#include <windows.h>

#include <optional>
#include <string>
#include <vector>

#include "bgconform/constants.h"

namespace bgc::agent {

struct AgentOptions {
  Profile profile = Profile::Bits;
  std::wstring origin;     // "http://127.0.0.1:PORT", no trailing slash; AddFile srcS → origin + "/srcS"
  std::wstring local_dir;  // Windows path of the folder holding src3.bin (the local-file source)
  std::wstring dest_dir;   // Windows path of the folder the jobs download into
  // --clsid: another coclass for the profile's manager. For testing the agent itself, e.g. the do
  // profile's calls (AddFileWithRanges, the I-14 list) against a BITS that is not DO.
  std::optional<GUID> clsid;
  // --record FILE: a trace of every call the agent answers (`bgconform check FILE`), as it answers it.
  std::string record;
};

// "bgconform-com-agent.exe <bits|do> --origin URL --local-dir DIR --dest-dir DIR [--record FILE]"
inline constexpr const char* kUsage =
    "usage: bgconform-com-agent.exe <bits|do> --origin http://127.0.0.1:PORT --local-dir DIR --dest-dir DIR\n"
    "       [--record FILE]\n"
    "  Drives the system's BITS (bits) or Delivery Optimization (do) COM service and speaks bgconform's\n"
    "  line protocol on stdin/stdout (harness/targets/isolated/include/bgconform/isolated_target.h).\n"
    "  --origin     the loopback HTTP origin; AddFile jN srcS downloads <origin>/srcS (S = 0, 1, 2)\n"
    "  --local-dir  folder holding src3.bin, the local-file source (S = 3)\n"
    "  --dest-dir   folder the jobs download into (one new file per case, job and file)\n"
    "  --clsid {GUID}  use this coclass for the manager instead of the profile's (testing the agent)\n"
    "  --record FILE   write a trace of every call answered, with its times ('bgconform check FILE'); each\n"
    "               reset starts a case. Events the harness stages itself (sources, network, waits) are not in it\n"
    "  DIR may be a Windows path or, under Wine, a Unix path.\n";

enum class ParseResult { Ok, Help, Error };

// Fills `options` from the arguments (UTF-8, without the program name); on Error, `error` says what
// is wrong (without the usage text).
ParseResult parse_arguments(const std::vector<std::string>& args, AgentOptions& options, std::string& error);

// The process's arguments in UTF-8, from the UTF-16 command line (argv is in the ANSI code page).
std::vector<std::string> command_line_arguments();

// UTF-8 to UTF-16.
std::wstring widen(const std::string& text);
// UTF-16 to UTF-8.
std::string narrow(const std::wstring& text);

// A folder as Windows sees it: a Windows path stays as it is; a Unix path (under Wine) becomes the
// DOS path Wine maps it to; a trailing separator is dropped.
std::wstring windows_path(const std::string& path);

}  // namespace bgc::agent
