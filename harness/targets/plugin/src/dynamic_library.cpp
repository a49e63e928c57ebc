#include "dynamic_library.h"

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace bgc::vendor {

namespace {
void close_handle(void* handle) {
  if (handle == nullptr) return;
#if defined(_WIN32)
  FreeLibrary(static_cast<HMODULE>(handle));
#else
  dlclose(handle);
#endif
}
}  // namespace

DynamicLibrary::~DynamicLibrary() { close_handle(handle_); }

DynamicLibrary& DynamicLibrary::operator=(DynamicLibrary&& other) noexcept {
  if (this != &other) {
    close_handle(handle_);
    handle_ = other.handle_;
    other.handle_ = nullptr;
  }
  return *this;
}

bool DynamicLibrary::open(const std::string& path, std::string& error) {
  close_handle(handle_);
#if defined(_WIN32)
  handle_ = LoadLibraryA(path.c_str());
  if (handle_ == nullptr) error = "LoadLibrary failed with error " + std::to_string(GetLastError());
#else
  // RTLD_LOCAL: two plugins loaded side by side (tests load many) must not resolve into each other.
  // A bare file name would make dlopen search the library path instead of opening the file named.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  handle_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = dlerror();
    error = why != nullptr ? why : "dlopen failed";
  }
#endif
  return handle_ != nullptr;
}

void* DynamicLibrary::symbol(const char* name) const {
  if (handle_ == nullptr) return nullptr;
#if defined(_WIN32)
  return reinterpret_cast<void*>(GetProcAddress(static_cast<HMODULE>(handle_), name));
#else
  return dlsym(handle_, name);
#endif
}

}  // namespace bgc::vendor
