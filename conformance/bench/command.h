// Running a shell command from the benchmarks (git for the commit, Wine for the plain COM client,
// Python for the Hypothesis peer) and reading what it printed.
#pragma once

#include <string>

namespace bgc::bench {

// Runs `command` with /bin/sh and appends what it printed on stdout to `out` (stderr passes through).
// False when it could not be started or did not exit with status 0.
bool capture(const std::string& command, std::string& out);

// What `command` printed on stdout, without trailing line ends; empty when it failed.
std::string output_of(const std::string& command);

// `s` as one single-quoted shell word.
std::string quoted(const std::string& s);

}  // namespace bgc::bench
