#include "vendor_library.h"

#include <cstring>
#include <filesystem>

namespace bgc::vendor {

std::unique_ptr<VendorLibrary> load_vendor_library(const std::string& path, std::string& error) {
  const std::string where = "plugin '" + path + "': ";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    error = where + "no such file";
    return nullptr;
  }
  auto lib = std::make_unique<VendorLibrary>();
  lib->path = path;
  std::string why;
  if (!lib->library.open(path, why)) {
    error = where + "not a loadable shared library (" + why + ")";
    return nullptr;
  }
  auto entry = reinterpret_cast<bgc_vendor_entry_fn>(lib->library.symbol(BGC_VENDOR_ENTRY_NAME));
  if (entry == nullptr) {
    error = where + "does not export the entry point " BGC_VENDOR_ENTRY_NAME;
    return nullptr;
  }
  const bgc_vendor_table* table = entry(BGC_VENDOR_ABI_VERSION);
  if (table == nullptr) {
    error = where + "does not support ABI version " + std::to_string(BGC_VENDOR_ABI_VERSION) +
            " (" BGC_VENDOR_ENTRY_NAME " returned NULL)";
    return nullptr;
  }
  if (table->abi_version != BGC_VENDOR_ABI_VERSION) {
    error = where + "unsupported ABI version " + std::to_string(table->abi_version) + " (the harness speaks version " +
            std::to_string(BGC_VENDOR_ABI_VERSION) + ")";
    return nullptr;
  }
  if (table->struct_size < kMinTableSize) {
    error = where + "function table too short: struct_size " + std::to_string(table->struct_size) +
            " bytes, ABI version 1 needs at least " + std::to_string(kMinTableSize);
    return nullptr;
  }
  std::memcpy(&lib->table, table, std::min<std::size_t>(table->struct_size, sizeof(bgc_vendor_table)));

  const bgc_vendor_table& t = lib->table;
  const struct {
    bool present;
    const char* name;
  } required[] = {
      {t.create_manager != nullptr, "create_manager"},
      {t.destroy_manager != nullptr, "destroy_manager"},
      {t.create_job != nullptr, "create_job"},
      {t.release_job != nullptr, "release_job"},
      {t.add_file != nullptr, "add_file"},
      {t.resume != nullptr, "resume"},
      {t.get_state != nullptr, "get_state"},
  };
  for (const auto& r : required) {
    if (!r.present) {
      error = where + "required function '" + r.name + "' is NULL in the function table";
      return nullptr;
    }
  }
  if (t.profiles == 0) {
    error = where + "the function table names no profile it can run (profiles == 0)";
    return nullptr;
  }
  return lib;
}

}  // namespace bgc::vendor
