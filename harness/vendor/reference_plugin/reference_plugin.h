// The reference job service behind the vendor C ABI (libbgc_reference_plugin.so), and the table the
// mutant plugins wrap.
#pragma once

#include "bgconform/vendor_abi.h"

namespace bgc::reference_plugin {

// The reference service's vendor table (ABI version 1, both profiles, with run_until).
const bgc_vendor_table* table();

}  // namespace bgc::reference_plugin
