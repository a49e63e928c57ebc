// Where bgconform finds the programs that come with it: the plugin host (bgconform-host) and the COM
// agent (bgconform-com-agent.exe).
#pragma once

#include <string>

namespace bgc {

// `$env_override` when it is set and not empty; otherwise `file_name` beside the running executable
// (/proc/self/exe). The build puts the parts beside bgconform as `cmake --install` does, so the build
// tree and an install look alike, and no path is compiled in: an installed bgconform never runs a
// build tree's host, and nobody who can write to an old build path gets code run through it.
std::string own_part_path(const char* file_name, const char* env_override);

}  // namespace bgc
