// The reference job service behind the vendor C ABI (libbgc_reference_plugin.so), and the table the
// mutant plugins wrap.
#pragma once

#include "bgconform/vendor_abi.h"

namespace bgc::reference_plugin {

// The reference service's vendor table (ABI version 1, both profiles, with run_until).
const bgc_vendor_table* table();
// The same service whose scheduler reacts at once (libbgc_react_at_once_plugin.so): inside each
// run_until, before any time passes, it runs on what the environment just changed - a reconnection's
// re-queued job connects at that instant. A must-pass variant: vendor_abi.h invites it.
const bgc_vendor_table* table_reacting_at_once();
// The same service with a transfer slot for every job (ST-9 broken): the inner table of the mutant
// background-jobs-in-parallel, which wraps it as the other mutants wrap table().
const bgc_vendor_table* table_transferring_in_parallel();

}  // namespace bgc::reference_plugin
