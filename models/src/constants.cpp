#include "bgconform/constants.h"

#include <array>
#include <utility>

namespace bgc {
namespace {

constexpr std::array<std::string_view, kJobStateCount> kStateNames = {"QUEUED",      "CONNECTING",   "TRANSFERRING",
                                                                      "SUSPENDED",   "ERROR",        "TRANSIENT_ERROR",
                                                                      "TRANSFERRED", "ACKNOWLEDGED", "CANCELLED"};
constexpr std::array<std::string_view, kJobStateCount> kStateFullNames = {
    "BG_JOB_STATE_QUEUED",      "BG_JOB_STATE_CONNECTING",   "BG_JOB_STATE_TRANSFERRING",
    "BG_JOB_STATE_SUSPENDED",   "BG_JOB_STATE_ERROR",        "BG_JOB_STATE_TRANSIENT_ERROR",
    "BG_JOB_STATE_TRANSFERRED", "BG_JOB_STATE_ACKNOWLEDGED", "BG_JOB_STATE_CANCELLED"};
constexpr std::array<std::string_view, kErrorContextCount> kContextNames = {
    "NONE",        "UNKNOWN",           "GENERAL_QUEUE_MANAGER", "QUEUE_MANAGER_NOTIFICATION", "LOCAL_FILE",
    "REMOTE_FILE", "GENERAL_TRANSPORT", "REMOTE_APPLICATION",    "SERVER_CERTIFICATE_CALLBACK"};
constexpr std::array<std::string_view, kErrorContextCount> kContextFullNames = {
    "BG_ERROR_CONTEXT_NONE",
    "BG_ERROR_CONTEXT_UNKNOWN",
    "BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER",
    "BG_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION",
    "BG_ERROR_CONTEXT_LOCAL_FILE",
    "BG_ERROR_CONTEXT_REMOTE_FILE",
    "BG_ERROR_CONTEXT_GENERAL_TRANSPORT",
    "BG_ERROR_CONTEXT_REMOTE_APPLICATION",
    "BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK"};

constexpr std::pair<HRESULT, std::string_view> kHresultNames[] = {
    {hr::kS_OK, "S_OK"},
    {hr::kS_FALSE, "S_FALSE"},
    {hr::kE_NOTIMPL, "E_NOTIMPL"},
    {hr::kE_NOINTERFACE, "E_NOINTERFACE"},
    {hr::kE_ACCESSDENIED, "E_ACCESSDENIED"},
    {hr::kE_OUTOFMEMORY, "E_OUTOFMEMORY"},
    {hr::kE_INVALIDARG, "E_INVALIDARG"},
    {hr::kRESOURCE_LANG_NOT_FOUND, "ERROR_RESOURCE_LANG_NOT_FOUND"},
    {hr::kBG_S_PARTIAL_COMPLETE, "BG_S_PARTIAL_COMPLETE"},
    {hr::kBG_S_UNABLE_TO_DELETE_FILES, "BG_S_UNABLE_TO_DELETE_FILES"},
    {hr::kBG_E_NOT_FOUND, "BG_E_NOT_FOUND"},
    {hr::kBG_E_INVALID_STATE, "BG_E_INVALID_STATE"},
    {hr::kBG_E_EMPTY, "BG_E_EMPTY"},
    {hr::kBG_E_FILE_NOT_AVAILABLE, "BG_E_FILE_NOT_AVAILABLE"},
    {hr::kBG_E_PROTOCOL_NOT_AVAILABLE, "BG_E_PROTOCOL_NOT_AVAILABLE"},
    {hr::kBG_E_ERROR_INFORMATION_UNAVAILABLE, "BG_E_ERROR_INFORMATION_UNAVAILABLE"},
    {hr::kBG_E_NETWORK_DISCONNECTED, "BG_E_NETWORK_DISCONNECTED"},
    {hr::kBG_E_NO_PROGRESS, "BG_E_NO_PROGRESS"},
    {hr::http_error(400), "BG_E_HTTP_ERROR_400"},
    {hr::http_error(401), "BG_E_HTTP_ERROR_401"},
    {hr::http_error(403), "BG_E_HTTP_ERROR_403"},
    {hr::http_error(404), "BG_E_HTTP_ERROR_404"},
    {hr::http_error(407), "BG_E_HTTP_ERROR_407"},
    {hr::http_error(414), "BG_E_HTTP_ERROR_414"},
    {hr::http_error(500), "BG_E_HTTP_ERROR_500"},
    {hr::http_error(501), "BG_E_HTTP_ERROR_501"},
    {hr::http_error(503), "BG_E_HTTP_ERROR_503"},
    {hr::http_error(504), "BG_E_HTTP_ERROR_504"},
    {hr::http_error(505), "BG_E_HTTP_ERROR_505"},
    {hr::kDO_E_DOWNLOAD_NO_PROGRESS, "DO_E_DOWNLOAD_NO_PROGRESS"},
    {hr::kDO_E_JOB_NOT_FOUND, "DO_E_JOB_NOT_FOUND"},
    {hr::kDO_E_JOB_EMPTY, "DO_E_JOB_EMPTY"},
    {hr::kDO_E_FILE_NOT_AVAILABLE, "DO_E_FILE_NOT_AVAILABLE"},
    {hr::kDO_E_INVALID_STATE, "DO_E_INVALID_STATE"},
    {hr::kDO_E_ERROR_INFORMATION_UNAVAILABLE, "DO_E_ERROR_INFORMATION_UNAVAILABLE"},
    {hr::kDO_E_BLOCKED_BY_NO_NETWORK, "DO_E_BLOCKED_BY_NO_NETWORK"},
};

template <std::size_t N, class E>
std::optional<E> parse_enum(std::string_view text, const std::array<std::string_view, N>& shorts,
                            const std::array<std::string_view, N>& fulls) {
  for (std::size_t i = 0; i < N; ++i)
    if (text == shorts[i] || text == fulls[i]) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view name(JobState s) { return kStateFullNames.at(static_cast<std::size_t>(s)); }
std::string_view short_name(JobState s) { return kStateNames.at(static_cast<std::size_t>(s)); }
std::string_view name(ErrorContext c) { return kContextFullNames.at(static_cast<std::size_t>(c)); }
std::string_view short_name(ErrorContext c) { return kContextNames.at(static_cast<std::size_t>(c)); }
std::string_view name(Profile p) { return p == Profile::Bits ? "bits" : "do"; }

std::string_view hresult_name(HRESULT h) {
  for (const auto& [value, text] : kHresultNames)
    if (value == h) return text;
  return {};
}

std::vector<NamedHresult> known_hresults() {
  std::vector<NamedHresult> out;
  for (const auto& [value, text] : kHresultNames) out.push_back({value, text});
  return out;
}

std::optional<HRESULT> hresult_from_name(std::string_view text) {
  for (const auto& [value, known] : kHresultNames)
    if (known == text) return value;
  return std::nullopt;
}

std::optional<JobState> parse_job_state(std::string_view text) {
  return parse_enum<kJobStateCount, JobState>(text, kStateNames, kStateFullNames);
}
std::optional<ErrorContext> parse_error_context(std::string_view text) {
  return parse_enum<kErrorContextCount, ErrorContext>(text, kContextNames, kContextFullNames);
}
std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "bits") return Profile::Bits;
  if (text == "do") return Profile::Do;
  return std::nullopt;
}

}  // namespace bgc
