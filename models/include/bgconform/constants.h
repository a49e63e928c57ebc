// The numbers of the BITS and Delivery Optimization job interfaces (spec §1).
// Pure data: enums with their documented values and the HRESULTs the rules use.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace bgc {

using HRESULT = std::int32_t;

// BG_JOB_STATE, values 0-8 (spec §1.1).
enum class JobState : std::uint8_t {
  Queued = 0,
  Connecting = 1,
  Transferring = 2,
  Suspended = 3,
  Error = 4,
  TransientError = 5,
  Transferred = 6,
  Acknowledged = 7,
  Cancelled = 8,
};
inline constexpr int kJobStateCount = 9;

// BG_ERROR_CONTEXT, values 0-7 documented, 8 only in SDK metadata (spec §1.2).
enum class ErrorContext : std::uint8_t {
  None = 0,
  Unknown = 1,
  GeneralQueueManager = 2,
  QueueManagerNotification = 3,
  LocalFile = 4,
  RemoteFile = 5,
  GeneralTransport = 6,
  RemoteApplication = 7,
  ServerCertificateCallback = 8,
};
inline constexpr int kErrorContextCount = 9;

// Which interface family a target speaks (spec §7).
enum class Profile : std::uint8_t { Bits = 0, Do = 1 };

inline constexpr bool is_final(JobState s) { return s == JobState::Acknowledged || s == JobState::Cancelled; }
inline constexpr bool is_error_state(JobState s) { return s == JobState::Error || s == JobState::TransientError; }

// HRESULTs (spec §1.4). Literal values; tests restate them from the spec.
// The k prefix keeps them clear of the SDK macros of the same names (the COM agent includes both).
namespace hr {
inline constexpr HRESULT kS_OK = 0x00000000;
inline constexpr HRESULT kS_FALSE = 0x00000001;
inline constexpr HRESULT kE_NOTIMPL = static_cast<HRESULT>(0x80004001);
inline constexpr HRESULT kE_NOINTERFACE = static_cast<HRESULT>(0x80004002);
inline constexpr HRESULT kE_ACCESSDENIED = static_cast<HRESULT>(0x80070005);
inline constexpr HRESULT kE_OUTOFMEMORY = static_cast<HRESULT>(0x8007000E);
inline constexpr HRESULT kE_INVALIDARG = static_cast<HRESULT>(0x80070057);
inline constexpr HRESULT kRESOURCE_LANG_NOT_FOUND = static_cast<HRESULT>(0x80070717);

inline constexpr HRESULT kBG_S_PARTIAL_COMPLETE = 0x00200017;
inline constexpr HRESULT kBG_S_UNABLE_TO_DELETE_FILES = 0x0020001A;
inline constexpr HRESULT kBG_E_NOT_FOUND = static_cast<HRESULT>(0x80200001);
inline constexpr HRESULT kBG_E_INVALID_STATE = static_cast<HRESULT>(0x80200002);
inline constexpr HRESULT kBG_E_EMPTY = static_cast<HRESULT>(0x80200003);
inline constexpr HRESULT kBG_E_FILE_NOT_AVAILABLE = static_cast<HRESULT>(0x80200004);
inline constexpr HRESULT kBG_E_PROTOCOL_NOT_AVAILABLE = static_cast<HRESULT>(0x80200005);
inline constexpr HRESULT kBG_E_ERROR_INFORMATION_UNAVAILABLE = static_cast<HRESULT>(0x8020000F);
inline constexpr HRESULT kBG_E_NETWORK_DISCONNECTED = static_cast<HRESULT>(0x80200010);
inline constexpr HRESULT kBG_E_NO_PROGRESS = static_cast<HRESULT>(0x80200024);
// HTTP status mapped as 0x80190000 + status (spec §1.4, BG_E_HTTP_ERROR_*).
inline constexpr HRESULT kBG_E_HTTP_ERROR_BASE = static_cast<HRESULT>(0x80190000);
inline constexpr HRESULT http_error(int status) { return kBG_E_HTTP_ERROR_BASE + status; }

inline constexpr HRESULT kDO_E_JOB_NOT_FOUND = static_cast<HRESULT>(0x80D02003);
inline constexpr HRESULT kDO_E_JOB_EMPTY = static_cast<HRESULT>(0x80D02004);
inline constexpr HRESULT kDO_E_FILE_NOT_AVAILABLE = static_cast<HRESULT>(0x80D02010);
inline constexpr HRESULT kDO_E_INVALID_STATE = static_cast<HRESULT>(0x80D02013);
inline constexpr HRESULT kDO_E_ERROR_INFORMATION_UNAVAILABLE = static_cast<HRESULT>(0x80D02014);
inline constexpr HRESULT kDO_E_DOWNLOAD_NO_PROGRESS = static_cast<HRESULT>(0x80D02002);
inline constexpr HRESULT kDO_E_BLOCKED_BY_NO_NETWORK = static_cast<HRESULT>(0x80D03805);

// No call returns it: what an observation says in place of a success whose value the interface has no
// meaning for (Observation::odd keeps what came). A failure in FACILITY_ITF, so the rule that judges
// the call's HRESULT rejects the answer.
inline constexpr HRESULT kOutOfRange = static_cast<HRESULT>(0x8004BC01);

inline constexpr bool failed(HRESULT h) { return h < 0; }
inline constexpr bool succeeded(HRESULT h) { return h >= 0; }
}  // namespace hr

// The code a profile uses where BITS says BG_E_* (spec D-7).
struct ProfileCodes {
  HRESULT invalid_state;
  HRESULT error_info_unavailable;
  HRESULT file_not_available;
  HRESULT empty;
};
inline constexpr ProfileCodes codes_for(Profile p) {
  return p == Profile::Bits ? ProfileCodes{hr::kBG_E_INVALID_STATE, hr::kBG_E_ERROR_INFORMATION_UNAVAILABLE,
                                           hr::kBG_E_FILE_NOT_AVAILABLE, hr::kBG_E_EMPTY}
                            : ProfileCodes{hr::kDO_E_INVALID_STATE, hr::kDO_E_ERROR_INFORMATION_UNAVAILABLE,
                                           hr::kDO_E_FILE_NOT_AVAILABLE, hr::kDO_E_JOB_EMPTY};
}

// Timer defaults and bounds (spec §6, M-25, M-27).
inline constexpr std::uint32_t kDefaultRetryDelay = 600;
inline constexpr std::uint32_t kMinRetryDelay = 5;
inline constexpr std::uint32_t kDefaultNoProgressTimeoutBits = 1'209'600;
inline constexpr std::uint32_t kDoNoProgressTimeoutHigh = 3'600;
inline constexpr std::uint32_t kDoNoProgressTimeoutLow = 86'400;

// Names, as the SDK spells them; parse accepts the short forms too.
std::string_view name(JobState s);            // "BG_JOB_STATE_QUEUED"
std::string_view short_name(JobState s);      // "QUEUED"
std::string_view name(ErrorContext c);        // "BG_ERROR_CONTEXT_REMOTE_FILE"
std::string_view short_name(ErrorContext c);  // "REMOTE_FILE"
std::string_view name(Profile p);             // "bits" / "do"
// The symbolic name of a known HRESULT, or empty.
std::string_view hresult_name(HRESULT h);
std::optional<HRESULT> hresult_from_name(std::string_view text);
// Every HRESULT with a name, in the table's order (for the tables generated from it: the Python peer's).
struct NamedHresult {
  HRESULT value;
  std::string_view name;
};
std::vector<NamedHresult> known_hresults();

std::optional<JobState> parse_job_state(std::string_view text);
std::optional<ErrorContext> parse_error_context(std::string_view text);
std::optional<Profile> parse_profile(std::string_view text);

}  // namespace bgc
