#include "bgconform/interpretations.h"

namespace bgc {
namespace {

constexpr std::string_view kI1[] = {"until-transferring", "only-in-error-states", "either"};
constexpr std::string_view kI2[] = {"until-transferring", "snapshot", "either"};
constexpr std::string_view kI3[] = {"default", "strict-5xx-transient"};
constexpr std::string_view kI4[] = {"default", "strict"};
constexpr std::string_view kI5[] = {"queued-or-transferring"};
constexpr std::string_view kI6[] = {"empty-or-stay", "strict-empty"};
constexpr std::string_view kI7[] = {"invalid-state", "either"};
constexpr std::string_view kI8[] = {"by-files", "either"};
constexpr std::string_view kI9[] = {"job-empty-or-bg-empty"};
constexpr std::string_view kI10[] = {"default", "either"};
constexpr std::string_view kI11[] = {"unchanged"};
constexpr std::string_view kI12[] = {"one-background-job"};
constexpr std::string_view kI13[] = {"ok-or-unable-to-delete", "either"};
constexpr std::string_view kI14[] = {"not-supported"};
constexpr std::string_view kI15[] = {"monotonic"};
constexpr std::string_view kI16[] = {"any-time"};
constexpr std::string_view kI17[] = {"real-time-only", "never", "always"};
constexpr std::string_view kI18[] = {"known-after-transfer", "either"};

constexpr InterpInfo kTable[] = {
    {"I-1", "GetError after the job leaves ERROR/TRANSIENT_ERROR without reaching TRANSFERRING",
     "still succeeds with the same context and code until the job enters TRANSFERRING; not judged in CANCELLED/ACKNOWLEDGED", kI1},
    {"I-2", "a held error object", "keeps its context, code and file until the job enters TRANSFERRING; then any answer, never a crash", kI2},
    {"I-3", "which faults are fatal, and with which values",
     "HTTP 400/401/403/404/407/414/501/505 -> ERROR, REMOTE_FILE, 0x80190000+status (do: REMOTE_FILE for 403, NONE or REMOTE_FILE otherwise); "
     "refused/reset -> TRANSIENT_ERROR; other 5xx and stalls -> ERROR or TRANSIENT_ERROR; local missing -> ERROR, LOCAL_FILE or REMOTE_FILE; "
     "after the no-progress timeout the last transient code or BG_E_NO_PROGRESS", kI3},
    {"I-4", "DO: GetFile for an error that is not an HTTP 403", "a file or DO_E_FILE_NOT_AVAILABLE", kI4},
    {"I-5", "DO: state right after Resume", "QUEUED or TRANSFERRING", kI5},
    {"I-6", "Resume on TRANSFERRED with every file done", "BG_E_EMPTY, or S_OK staying TRANSFERRED", kI6},
    {"I-7", "AddFile on CANCELLED/ACKNOWLEDGED", "the invalid-state code", kI7},
    {"I-8", "Complete's success code",
     "all transferred -> S_OK; some -> BG_S_PARTIAL_COMPLETE; none -> either; BG_S_UNABLE_TO_DELETE_FILES in place of either; do: S_OK", kI8},
    {"I-9", "DO: Resume on an empty job", "DO_E_JOB_EMPTY or BG_E_EMPTY", kI9},
    {"I-10", "network loss",
     "QUEUED and TRANSFERRING -> TRANSIENT_ERROR with the disconnected code; other states unchanged or TRANSIENT_ERROR; on up TRANSIENT_ERROR -> QUEUED; "
     "the no-progress timer keeps running; the error count is unchanged", kI10},
    {"I-11", "Resume on QUEUED/CONNECTING/TRANSFERRING", "S_OK, no state change caused by the call", kI11},
    {"I-12", "scheduling (bits)", "at most one background job in CONNECTING/TRANSFERRING; together the jobs move no more than that one transfer can, a chunk a second", kI12},
    {"I-13", "Cancel's success code", "S_OK or BG_S_UNABLE_TO_DELETE_FILES (do: S_OK)", kI13},
    {"I-14", "methods do does not document", "not-supported, never judged", kI14},
    {"I-15", "GetErrorCount", "never decreases; +1 at least on TRANSFERRING -> error and on each failed retry (E-9); +0 or +1 on a first failure while connecting", kI15},
    {"I-16", "DO retry timing and no-progress default", "a TRANSIENT_ERROR job may retry at any time; the default timeout is 3,600 s or 86,400 s", kI16},
    {"I-17", "a TRANSIENT_ERROR with no cause the harness scripted (no failing source, no network loss)",
     "allowed for a service that moves in real time (its network and machine are not the harness's), from CONNECTING or "
     "TRANSFERRING, with a transport error (GENERAL_TRANSPORT, REMOTE_FILE or UNKNOWN, any failure code); never on the "
     "virtual clock, where the harness owns the transport", kI17},
    {"I-18", "job progress once every file is transferred",
     "the total is known (each file's size was learnt by transferring it) and every byte of it is transferred; before "
     "that a total may be unknown (BG_SIZE_UNKNOWN)", kI18},
};
static_assert(std::size(kTable) == kInterpCount);

}  // namespace

std::span<const InterpInfo> interpretation_table() { return kTable; }
const InterpInfo& interp_info(Interp i) { return kTable[static_cast<std::size_t>(i)]; }

std::string_view Interpretations::value(Interp i) const {
  return interp_info(i).values[chosen_[static_cast<std::size_t>(i)]];
}

std::string Interpretations::set(std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos) return "expected I-n=VALUE, got '" + std::string(assignment) + "'";
  std::string_view id = assignment.substr(0, eq), v = assignment.substr(eq + 1);
  for (std::size_t i = 0; i < std::size(kTable); ++i) {
    if (kTable[i].id != id) continue;
    for (std::size_t k = 0; k < kTable[i].values.size(); ++k)
      if (kTable[i].values[k] == v) {
        chosen_[i] = static_cast<std::uint8_t>(k);
        return {};
      }
    std::string known;
    for (auto value : kTable[i].values) known += (known.empty() ? "" : ", ") + std::string(value);
    return "unknown value '" + std::string(v) + "' for " + std::string(id) + " (one of: " + known + ")";
  }
  return "unknown interpretation '" + std::string(id) + "' (I-1 to I-" + std::to_string(kInterpCount) + ")";
}

}  // namespace bgc
