#include "command.h"

#include <cstdio>

namespace bgc::bench {

bool capture(const std::string& command, std::string& out) {
  FILE* p = popen(command.c_str(), "r");
  if (!p) return false;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return pclose(p) == 0;
}

std::string output_of(const std::string& command) {
  std::string out;
  if (!capture(command, out)) return {};
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace bgc::bench
