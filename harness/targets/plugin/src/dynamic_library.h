// The one place that knows how a platform loads a shared library (dlopen, or LoadLibrary on _WIN32).
#pragma once

#include <string>

namespace bgc::vendor {

class DynamicLibrary {
 public:
  DynamicLibrary() = default;
  ~DynamicLibrary();
  DynamicLibrary(DynamicLibrary&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  DynamicLibrary& operator=(DynamicLibrary&& other) noexcept;
  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;

  // Loads `path`; on failure returns false and says why in `error` (the loader's own words).
  bool open(const std::string& path, std::string& error);
  // The address of an exported symbol, or nullptr.
  void* symbol(const char* name) const;
  bool loaded() const { return handle_ != nullptr; }

 private:
  void* handle_ = nullptr;
};

}  // namespace bgc::vendor
