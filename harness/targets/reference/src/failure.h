// How the service judges what went wrong with a transfer: fatal or worth a retry, which HRESULT,
// which error context. The transport reports raw answers; this is the service's reading of them.
#pragma once

#include "bgconform/constants.h"
#include "profile_policy.h"
#include "transport.h"

namespace bgc::reference {

// The service's own failure codes for transport problems (WinHTTP errors as HRESULTs; the spec
// leaves the code to the implementation, contract I-3).
inline constexpr HRESULT kCannotConnect = static_cast<HRESULT>(0x80072EFD);    // connection refused
inline constexpr HRESULT kConnectionReset = static_cast<HRESULT>(0x80072EFF);  // connection reset
inline constexpr HRESULT kTimedOut = static_cast<HRESULT>(0x80072EE2);         // no answer (stall)
inline constexpr HRESULT kFileNotFound = static_cast<HRESULT>(0x80070002);     // local file missing

struct Failure {
  bool fatal = false;  // ERROR at once, no retry (ST-11); otherwise TRANSIENT_ERROR (ST-12)
  HRESULT code = hr::kS_OK;
  ErrorContext context = ErrorContext::None;  // as this profile reports it
  bool involves_file = false;                 // the failure concerns the file being transferred
  bool counted = true;                        // GetErrorCount counts it; network loss is not counted (E-9)
  bool awaits_network = false;                // recovered by reconnection, not by the retry timer (ST-15)
};

// The failure a non-data reply means. Precondition: reply.kind is neither Data nor Silence.
Failure failure_from_reply(const Reply& reply, const ProfilePolicy& policy);
// An exchange that got no answer within the service's stall timeout.
Failure stalled_exchange(const ProfilePolicy& policy);
// The network went away under the job (ST-15).
Failure network_lost(const ProfilePolicy& policy);

}  // namespace bgc::reference
