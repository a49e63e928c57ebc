// Where the BITS service and the Delivery Optimization service differ (spec §7, D-7, D-8).
//
// One row per profile; the rest of the service asks this table instead of testing the profile, so
// every difference is listed here once.
#pragma once

#include <cstdint>

#include "bgconform/constants.h"

namespace bgc::reference {

struct ProfilePolicy {
  Profile profile = Profile::Bits;
  ProfileCodes codes = codes_for(Profile::Bits);  // BG_E_* or the DO_E_* that replaces it (D-7)
  // BITS shows the connection phase as CONNECTING; DO does not support that state and reports a job
  // that has been given the transfer slot as TRANSFERRING straight away (D-8).
  bool shows_connecting = true;
  // Documented only for BITS (D-2): SetMinimumRetryDelay/GetMinimumRetryDelay, GetErrorCount, and
  // IBackgroundCopyError's GetProtocol/GetErrorDescription/GetErrorContextDescription. The DO service
  // keeps the same vtable slots but answers E_NOTIMPL there.
  bool bits_only_methods = true;
  // BG_S_PARTIAL_COMPLETE is a BITS code; DO's Complete documents S_OK only (D-7).
  bool partial_complete_code = true;
  // ST-14 is a statement about SetMinimumRetryDelay, which only BITS has.
  bool give_up_when_retry_exceeds_timeout = true;
  // DO reports contexts 0 and 5 only: REMOTE_FILE for an HTTP 403, NONE for everything else (E-11).
  bool only_403_names_remote_file = false;
  std::uint32_t default_retry_delay = kDefaultRetryDelay;
  std::uint32_t default_no_progress_timeout = kDefaultNoProgressTimeoutBits;
  HRESULT network_lost = hr::kBG_E_NETWORK_DISCONNECTED;
};

constexpr ProfilePolicy policy_for(Profile profile) {
  if (profile == Profile::Bits) return ProfilePolicy{};
  ProfilePolicy p;
  p.profile = Profile::Do;
  p.codes = codes_for(Profile::Do);
  p.shows_connecting = false;
  p.bits_only_methods = false;
  p.partial_complete_code = false;
  p.give_up_when_retry_exceeds_timeout = false;
  p.only_403_names_remote_file = true;
  // DO retries "based on the internal retry configuration" (spec §1.1); this service's internal
  // configuration is one minute, which a client cannot change.
  p.default_retry_delay = 60;
  // Every job this service creates is a normal-priority (non-foreground) job: the 24-hour default of
  // M-27.
  p.default_no_progress_timeout = kDoNoProgressTimeoutLow;
  p.network_lost = hr::kDO_E_BLOCKED_BY_NO_NETWORK;
  return p;
}

}  // namespace bgc::reference
