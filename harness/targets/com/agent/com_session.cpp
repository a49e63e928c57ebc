// ComSession: the manager, the slots, reset and clean-up. The calls themselves are in job_calls.cpp
// and error_calls.cpp.
#include "com_session.h"

#include <cstdio>
#include <cwchar>
#include <string_view>

#include "do_interfaces.h"

namespace bgc::agent {

namespace {

Observation not_supported() {
  Observation o;
  o.outcome = Outcome::NotSupported;
  return o;
}

// The service went away under us (its process died): the manager is dead and must be made again.
bool service_lost(::HRESULT h) {
  return h == RPC_E_DISCONNECTED || h == HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE) ||
         h == HRESULT_FROM_WIN32(RPC_S_CALL_FAILED) || h == CO_E_OBJNOTCONNECTED;
}

// BGCONFORM_AGENT_TRACE=1: the clean-up says on stderr what it cancelled (stdout is the protocol's).
bool tracing() {
  static const bool on = [] {
    char value[8] = {};
    return GetEnvironmentVariableA("BGCONFORM_AGENT_TRACE", value, sizeof value) > 0 && value[0] != '0';
  }();
  return on;
}

std::string hex(::HRESULT h) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08lX", static_cast<unsigned long>(h));
  return text;
}

// "0x80040154 (class not registered)": the number, and what it means when the system knows.
std::string describe(::HRESULT h) {
  std::string text;
  switch (h) {
    case REGDB_E_CLASSNOTREG: text = "class not registered"; break;
    case E_NOINTERFACE: text = "interface not supported"; break;
    case CO_E_SERVER_EXEC_FAILURE: text = "server execution failed"; break;
    case E_ACCESSDENIED: text = "access denied"; break;
    default: {
      char* message = nullptr;
      const DWORD n =
          FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                         nullptr, static_cast<DWORD>(h), 0, reinterpret_cast<char*>(&message), 0, nullptr);
      if (n > 0 && message != nullptr) {
        text.assign(message, n);
        while (!text.empty() &&
               (text.back() == '\n' || text.back() == '\r' || text.back() == '.' || text.back() == ' '))
          text.pop_back();
      }
      if (message != nullptr) LocalFree(message);
    }
  }
  return text.empty() ? hex(h) : hex(h) + " (" + text + ")";
}

}  // namespace

ComSession::ComSession(AgentOptions options) : options_(std::move(options)) {
  // Not the process id: Wine numbers processes afresh with every wineserver, so ids repeat across
  // runs, and a Cancel in a later run would delete a file an earlier run completed.
  GUID random{};
  if (FAILED(CoCreateGuid(&random))) random.Data1 = GetTickCount();
  wchar_t text[9];
  swprintf(text, 9, L"%08lx", static_cast<unsigned long>(random.Data1));
  run_id_ = text;
}

ComSession::~ComSession() { shutdown(); }

std::string ComSession::implementation_name() const {
  std::string name = options_.profile == Profile::Bits ? "com:bits" : "com:do";
  if (options_.clsid) {  // say so when the coclass is not the profile's own
    wchar_t text[40] = {};
    StringFromGUID2(*options_.clsid, text, 40);
    name += " " + narrow(text);
  }
  return name;
}

::HRESULT ComSession::create_manager() {
  const GUID& clsid = options_.clsid                      ? *options_.clsid
                      : options_.profile == Profile::Bits ? CLSID_BackgroundCopyManager
                                                          : kClsidDeliveryOptimization;
  // BITS and DO are services (local servers); CLSCTX_ALL is the second try in case an
  // implementation registers itself differently (an in-process server, say).
  // DO hands out IBackgroundCopyManager under the BITS IID (D-2, D-5).
  void* manager = nullptr;
  ::HRESULT h = CoCreateInstance(clsid, nullptr, CLSCTX_LOCAL_SERVER, IID_IBackgroundCopyManager, &manager);
  if (FAILED(h)) {
    manager = nullptr;
    const ::HRESULT any = CoCreateInstance(clsid, nullptr, CLSCTX_ALL, IID_IBackgroundCopyManager, &manager);
    if (SUCCEEDED(any))
      h = any;
    else
      manager = nullptr;  // report the first failure: the local server is the documented way
  }
  if (SUCCEEDED(h) && manager == nullptr) h = E_POINTER;
  if (SUCCEEDED(h)) manager_ = static_cast<IBackgroundCopyManager*>(manager);
  return h;
}

bool ComSession::start(std::string& error) {
  const ::HRESULT h = create_manager();
  if (SUCCEEDED(h)) return true;
  const bool bits = options_.profile == Profile::Bits;
  std::string clsid = bits ? "CLSID_BackgroundCopyManager" : "CLSID_DeliveryOptimization";
  if (options_.clsid) {
    wchar_t text[40] = {};
    StringFromGUID2(*options_.clsid, text, 40);
    clsid = narrow(text);
  }
  error = "CoCreateInstance(" + clsid + ") failed: " + describe(h) + " \xE2\x80\x94 " +
          (bits ? "BITS" : "Delivery Optimization") + " is not available on this machine";
  return false;
}

void ComSession::release_slots() {
  for (auto& per_job : errors_) {
    for (HeldError& held : per_job) {
      if (held.error != nullptr) held.error->Release();
      held = {};
    }
  }
  for (JobSlot& slot : jobs_) {
    if (slot.job != nullptr) slot.job->Release();
    slot = {};
  }
}

void ComSession::cancel_created_jobs() {
  if (manager_ == nullptr) {
    created_.clear();
    return;
  }
  bool lost = false;
  // Through the id rather than the slots: ReleaseJob and a CreateJob over a full slot leave jobs in
  // the service that no slot holds. A job already final answers NOT_FOUND or INVALID_STATE: fine.
  for (const GUID& id : created_) {
    IBackgroundCopyJob* job = nullptr;
    const ::HRESULT h = manager_->GetJob(id, &job);
    if (SUCCEEDED(h) && job != nullptr) {
      const ::HRESULT c = job->Cancel();
      if (tracing()) std::fprintf(stderr, "agent: clean-up: GetJob %s, Cancel %s\n", hex(h).c_str(), hex(c).c_str());
      if (service_lost(c)) lost = true;
      job->Release();
    } else if (tracing()) {
      std::fprintf(stderr, "agent: clean-up: GetJob %s\n", hex(h).c_str());
    }
    if (service_lost(h)) {
      lost = true;
      break;
    }
  }
  created_.clear();
  if (lost) {  // nothing left to cancel in a dead service; the next reset makes a new manager
    manager_->Release();
    manager_ = nullptr;
  }
}

bool ComSession::reset(std::string& error) {
  // A job the client still holds is cancelled through its own reference too, in case the
  // implementation's GetJob cannot find it.
  for (JobSlot& slot : jobs_)
    if (slot.job != nullptr) slot.job->Cancel();
  release_slots();
  cancel_created_jobs();
  ++case_number_;
  if (manager_ == nullptr && !start(error)) return false;
  return true;
}

void ComSession::shutdown() {
  for (JobSlot& slot : jobs_)
    if (slot.job != nullptr) slot.job->Cancel();
  release_slots();
  cancel_created_jobs();
  if (manager_ != nullptr) manager_->Release();
  manager_ = nullptr;
}

Observation ComSession::apply(const Stimulus& s) {
  // Source, Network and Advance: the harness changes the origin server and waits itself.
  if (is_environment(s.op)) return not_supported();
  if (options_.profile == Profile::Do && undocumented_in_do(s.op)) return not_supported();
  if (s.job >= kMaxJobs) return answered(hr::kE_INVALIDARG);  // as PluginTarget: no such slot
  if (manager_ == nullptr) {  // the service died and the last reset could not bring it back
    if (const ::HRESULT h = create_manager(); FAILED(h)) return answered(h);
  }
  if (takes_handle(s.op)) return handle_call(s);
  return job_call(s);
}

std::wstring ComSession::remote_name(int source) const {
  // Sources 0-2 are on the origin server; source 3 is a local file (spec: the SMB-style source),
  // which BITS takes as a Windows path.
  if (is_local_source(source)) return options_.local_dir + L"\\src" + std::to_wstring(source) + L".bin";
  return options_.origin + L"/src" + std::to_wstring(source);
}

std::wstring ComSession::local_name(int slot) const {
  // A name no other run, case, job or file uses: two jobs writing one file would make their results
  // depend on each other.
  const JobSlot& j = jobs_[slot];
  return options_.dest_dir + L"\\bgc-" + run_id_ + L"-c" + std::to_wstring(case_number_) + L"-j" +
         std::to_wstring(slot) + L"-n" + std::to_wstring(j.serial) + L"-f" + std::to_wstring(j.add_attempts) + L".bin";
}

}  // namespace bgc::agent
