// The error-object calls: GetError into a handle slot, the IBackgroundCopyError methods on a held
// object, and ReleaseError. The fields filled are those PluginTarget::handle_call fills.
#include "com_session.h"

#include <cwchar>

namespace bgc::agent {

namespace {

constexpr DWORD kEnglish = 0x0409;  // the descriptions are asked for in US English (E-8)

Protocol protocol_from(const wchar_t* text) {
  if (text == nullptr) return Protocol::None;
  if (_wcsicmp(text, L"http") == 0 || _wcsicmp(text, L"https") == 0) return Protocol::Http;
  if (_wcsicmp(text, L"file") == 0) return Protocol::File;
  return Protocol::Other;
}

const wchar_t* file_part(const std::wstring& path) {
  const auto cut = path.find_last_of(L"\\/");
  return path.c_str() + (cut == std::wstring::npos ? 0 : cut + 1);
}

// Which of the job's files `name` is: the whole path first; then the file name alone, since a
// service may hand back the path in another spelling (long/short, canonical). The names are unique.
int file_index(const std::vector<std::wstring>& files, const std::wstring& name) {
  for (std::size_t i = 0; i < files.size(); ++i)
    if (_wcsicmp(files[i].c_str(), name.c_str()) == 0) return static_cast<int>(i);
  for (std::size_t i = 0; i < files.size(); ++i)
    if (_wcsicmp(file_part(files[i]), file_part(name)) == 0) return static_cast<int>(i);
  return -1;
}

}  // namespace

Observation ComSession::handle_call(const Stimulus& s) {
  if (s.index >= kMaxHandlesPerJob) return answered(hr::kE_INVALIDARG);
  HeldError& held = errors_[s.job][s.index];
  Observation o;

  if (s.op == Op::ReleaseError) {
    if (held.error != nullptr) held.error->Release();
    held = {};
    return o;
  }
  if (s.op == Op::GetError) {
    JobSlot& j = jobs_[s.job];
    if (j.job == nullptr) return answered(hr::kE_INVALIDARG);
    IBackgroundCopyError* error = nullptr;
    o.hr = j.job->GetError(&error);
    // A failing call hands out nothing (whatever it wrote); S_OK with NULL passes as "S_OK null".
    if (FAILED(o.hr) || error == nullptr) return o;
    if (held.error != nullptr) held.error->Release();
    held.error = error;
    held.files = j.files;
    o.handle = true;
    return o;
  }

  if (held.error == nullptr) return answered(hr::kE_INVALIDARG);
  IBackgroundCopyError* error = held.error;
  switch (s.op) {
    case Op::ErrGetError: {
      BG_ERROR_CONTEXT context{};
      ::HRESULT code = S_OK;
      o.hr = error->GetError(&context, &code);
      if (SUCCEEDED(o.hr)) {
        const auto n = static_cast<unsigned>(context);
        if (n >= static_cast<unsigned>(kErrorContextCount)) {
          Observation odd = out_of_range(OddAnswer::Context, o.hr, n);
          odd.code = code;
          return odd;
        }
        o.context = static_cast<ErrorContext>(n);
        o.code = code;
      }
      return o;
    }
    case Op::ErrGetFile: {
      IBackgroundCopyFile* file = nullptr;
      o.hr = error->GetFile(&file);
      if (file == nullptr) return o;
      // A failing call that still writes a pointer breaks COM's out-parameter rule; it is reported
      // as the file it names (E-6 judges it) but not released, since it may not be a reference.
      LPWSTR name = nullptr;
      const ::HRESULT r = file->GetLocalName(&name);
      std::wstring local = (SUCCEEDED(r) && name != nullptr) ? std::wstring(name) : std::wstring();
      if (SUCCEEDED(r) && name != nullptr) CoTaskMemFree(name);
      if (SUCCEEDED(o.hr)) file->Release();
      const int index = local.empty() ? -1 : file_index(held.files, local);
      if (index < 0) return out_of_range(OddAnswer::ForeignFile, o.hr);
      o.file = static_cast<std::int8_t>(index);
      return o;
    }
    case Op::ErrGetProtocol: {
      LPWSTR protocol = nullptr;
      o.hr = error->GetProtocol(&protocol);
      o.protocol = protocol_from(protocol);
      if (SUCCEEDED(o.hr) && protocol != nullptr) CoTaskMemFree(protocol);
      return o;
    }
    case Op::ErrGetErrorDescription: {
      LPWSTR text = nullptr;
      o.hr = error->GetErrorDescription(kEnglish, &text);
      if (SUCCEEDED(o.hr) && text != nullptr) CoTaskMemFree(text);
      return o;
    }
    case Op::ErrGetErrorContextDescription: {
      LPWSTR text = nullptr;
      o.hr = error->GetErrorContextDescription(kEnglish, &text);
      if (SUCCEEDED(o.hr) && text != nullptr) CoTaskMemFree(text);
      return o;
    }
    default: return answered(hr::kE_INVALIDARG);
  }
}

}  // namespace bgc::agent
