#include "bgconform/other_answers.h"

#include <algorithm>
#include <array>

namespace bgc {

namespace {

// The HRESULTs the documents give these calls, success and failure, in both profiles (spec §1.4, §10):
// each answer's code may be any of them instead (a DO service answering a BITS code is D-7's case). A
// code outside this list is outside every rule's range anyway.
constexpr std::array<HRESULT, 14> kCallCodes = {hr::kS_OK,
                                                hr::kBG_S_PARTIAL_COMPLETE,
                                                hr::kBG_S_UNABLE_TO_DELETE_FILES,
                                                hr::kBG_E_INVALID_STATE,
                                                hr::kBG_E_ERROR_INFORMATION_UNAVAILABLE,
                                                hr::kBG_E_FILE_NOT_AVAILABLE,
                                                hr::kBG_E_EMPTY,
                                                hr::kBG_E_PROTOCOL_NOT_AVAILABLE,
                                                hr::kE_INVALIDARG,
                                                hr::kBG_E_NOT_FOUND,
                                                hr::kDO_E_INVALID_STATE,
                                                hr::kDO_E_ERROR_INFORMATION_UNAVAILABLE,
                                                hr::kDO_E_FILE_NOT_AVAILABLE,
                                                hr::kDO_E_JOB_EMPTY};

// Codes an error object may carry (I-3, I-10, E-4; S_OK for none, E-5): each may stand for another.
constexpr std::array<HRESULT, 8> kErrorCodes = {hr::kS_OK,
                                                hr::http_error(403),
                                                hr::http_error(404),
                                                hr::http_error(503),
                                                hr::kBG_E_NETWORK_DISCONNECTED,
                                                hr::kBG_E_NO_PROGRESS,
                                                hr::kDO_E_DOWNLOAD_NO_PROGRESS,
                                                hr::kDO_E_BLOCKED_BY_NO_NETWORK};

bool takes_value(Op op) {
  return op == Op::GetMinimumRetryDelay || op == Op::GetNoProgressTimeout || op == Op::GetErrorCount;
}

}  // namespace

void other_answers(const Observation& o, Op op, std::vector<Observation>& out) {
  if (o.outcome != Outcome::Answered) return;
  const auto changed = [&](auto&& change) {
    Observation v = o;
    change(v);
    if (!(v == o)) out.push_back(v);
  };
  for (HRESULT h : kCallCodes) changed([h](Observation& v) { v.hr = h; });
  // A failed call's out-values mean nothing; succeeding instead, it would hand out what the call gives.
  if (hr::failed(o.hr)) {
    if (op == Op::GetError)
      changed([](Observation& v) {
        v = Observation{};
        v.handle = true;
      });
    return;
  }
  switch (op) {
    case Op::CreateJob:
    case Op::GetState:
      for (int s = 0; s < kJobStateCount; ++s) changed([s](Observation& v) { v.state = static_cast<JobState>(s); });
      break;
    case Op::GetError: changed([](Observation& v) { v.handle = !v.handle; }); break;
    case Op::ErrGetError:
      for (int c = 0; c < kErrorContextCount - 1; ++c)
        changed([c](Observation& v) { v.context = static_cast<ErrorContext>(c); });
      for (HRESULT code : kErrorCodes) changed([code](Observation& v) { v.code = code; });
      break;
    case Op::ErrGetFile:
      for (int f = -1; f < kMaxFilesPerJob; ++f) changed([f](Observation& v) { v.file = static_cast<std::int8_t>(f); });
      break;
    case Op::ErrGetProtocol:
      for (Protocol pr : {Protocol::None, Protocol::Http, Protocol::File, Protocol::Other})
        changed([pr](Observation& v) { v.protocol = pr; });
      break;
    case Op::GetProgress:
      changed([](Observation& v) { ++v.files_transferred; });
      changed([](Observation& v) { v.files_transferred -= v.files_transferred > 0 ? 1 : 0; });
      changed([](Observation& v) { ++v.files_total; });
      changed([](Observation& v) { v.bytes_transferred += kChunkBytes; });
      changed([](Observation& v) { v.bytes_transferred -= std::min<std::uint64_t>(v.bytes_transferred, kChunkBytes); });
      changed([](Observation& v) { v.bytes_total = v.bytes_total == kSizeUnknown ? kChunkBytes : kSizeUnknown; });
      break;
    default:
      if (takes_value(op)) {
        changed([](Observation& v) { ++v.value; });
        changed([](Observation& v) { v.value -= v.value > 0 ? 1 : 0; });
        changed([](Observation& v) { v.value = 0; });
      }
      break;
  }
}

}  // namespace bgc
