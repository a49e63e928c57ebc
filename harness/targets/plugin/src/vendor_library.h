// Loading and validating a vendor library (vendor_abi.h): every way a library can be unusable ends
// in one message that names the problem, which the command line turns into exit code 2.
#pragma once

#include <memory>
#include <string>

#include "bgconform/vendor_abi.h"
#include "dynamic_library.h"

namespace bgc::vendor {

// The size of an ABI-version-1 table: a library's table must be at least this long.
inline constexpr std::size_t kMinTableSize = sizeof(bgc_vendor_table);

struct VendorLibrary {
  DynamicLibrary library;  // kept open for as long as the table is used
  // The harness's own copy of the table: members past the library's struct_size read as NULL, so
  // a library built against an older, shorter table never has its tail read.
  bgc_vendor_table table{};
  std::string path;
};

// Loads `path` and checks it: the file exists, is a shared library, exports bgc_vendor_entry,
// serves ABI version 1 with a table of at least kMinTableSize bytes, and provides every required
// function. nullptr and `error` otherwise.
std::unique_ptr<VendorLibrary> load_vendor_library(const std::string& path, std::string& error);

}  // namespace bgc::vendor
