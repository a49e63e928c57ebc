// libbgc_reference_plugin.so: the one exported symbol.
#include "reference_plugin.h"

extern "C" BGC_VENDOR_EXPORT const bgc_vendor_table* bgc_vendor_entry(uint32_t requested_abi_version) {
  if (requested_abi_version != BGC_VENDOR_ABI_VERSION) return nullptr;
  return bgc::reference_plugin::table();
}
