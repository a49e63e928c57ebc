#include "bgconform/own_parts.h"

#include <cstdlib>
#include <filesystem>

namespace bgc {

std::string own_part_path(const char* file_name, const char* env_override) {
  if (const char* env = std::getenv(env_override); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(file_name) : (self.parent_path() / file_name).string();
}

}  // namespace bgc
