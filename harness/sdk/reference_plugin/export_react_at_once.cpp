// libbgc_react_at_once_plugin.so: the reference service with a scheduler that reacts at once to an
// environment change (reference_plugin.h), which a conformant service may do and the model must accept.
#include "reference_plugin.h"

extern "C" BGC_VENDOR_EXPORT const bgc_vendor_table* bgc_vendor_entry(uint32_t requested_abi_version) {
  if (requested_abi_version != BGC_VENDOR_ABI_VERSION) return nullptr;
  return bgc::reference_plugin::table_reacting_at_once();
}
