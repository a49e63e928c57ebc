// One mutant plugin: the reference plugin's table, wrapped, with the one mutation kMutant names
// (mutants.def says what each does and why; mutant.h how a plugin picks its mutation). The wrapper
// sees the reference only through the ABI: its handles wrap the reference's handles, and each
// mutation changes a call or an answer.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <thread>
#include <vector>

#include "bgconform/types.h"
#include "mutant.h"
#include "reference_plugin.h"

namespace {

using namespace bgc;
using mutants::kMutant;
using mutants::Mutant;
const bgc_vendor_table& in = *reference_plugin::table();

// What a fake error object answers (one the reference never made).
struct Snapshot {
  std::uint32_t context = BGC_CONTEXT_NONE;
  HRESULT code = hr::kS_OK;
  bgc_file* file = nullptr;
  const char* protocol = nullptr;
};

struct Error;
struct Job;

struct Manager {
  bgc_manager* inner = nullptr;
  Profile profile = Profile::Bits;
  const bgc_environment* real = nullptr;  // the harness's environment
  bgc_environment filtered{};             // what the reference sees (reconnect-no-requeue)
  bool saw_network_down = false;
  std::vector<Job*> jobs;                 // the client's live job handles
};

struct Job {
  bgc_job* inner = nullptr;
  Manager* manager = nullptr;
  std::vector<bgc_file*> files;
  std::vector<Error*> errors;  // error handles taken from this job and not yet released
  bool cleared_by_resume = false;
  bool has_remembered = false, has_fake = false;
  Snapshot remembered, fake;
  bool reported_set = false;
  std::uint32_t reported = 0;  // a setting the mutant reports instead of the reference's
  bool recount = false;
  std::uint32_t count_base = 0;  // error-count-per-attempt: the count when the attempt began
};

struct Error {
  bgc_error* inner = nullptr;  // nullptr: a fake, answering from `fake`
  Snapshot fake;
  Job* job = nullptr;  // nullptr once the client released the job
  bool job_released = false;
  bgc_file* first_file = nullptr;
};

Manager* M(bgc_manager* m) { return reinterpret_cast<Manager*>(m); }
Job* J(bgc_job* j) { return reinterpret_cast<Job*>(j); }
Error* E(bgc_error* e) { return reinterpret_cast<Error*>(e); }

std::uint32_t state_of(const Job* j) {
  std::uint32_t s = 0;
  in.get_state(j->inner, &s);
  return s;
}
bool final_state(std::uint32_t s) { return s == BGC_STATE_ACKNOWLEDGED || s == BGC_STATE_CANCELLED; }
bool running(std::uint32_t s) {
  return s == BGC_STATE_QUEUED || s == BGC_STATE_CONNECTING || s == BGC_STATE_TRANSFERRING;
}
HRESULT unavailable(const Job* j) { return codes_for(j->manager->profile).error_info_unavailable; }

bgc_error* make_error(Job* j, bgc_error* inner, const Snapshot& fake) {
  auto* e = new Error{inner, fake, j, false, j->files.empty() ? nullptr : j->files.front()};
  j->errors.push_back(e);
  return reinterpret_cast<bgc_error*>(e);
}

Snapshot snapshot_of(bgc_error* inner) {
  Snapshot s;
  in.error_get_error(inner, &s.context, &s.code);
  in.error_get_file(inner, &s.file);
  in.error_get_protocol(inner, &s.protocol);  // a static string in the reference
  return s;
}

// ---- Environment filter (reconnect-no-requeue) ---------------------------------------------------
void filtered_open(void* c, const char* url, bgc_stream** stream, bgc_io_answer* a) {
  Manager* m = static_cast<Manager*>(c);
  m->real->open(m->real->context, url, stream, a);
  if (a->result == BGC_IO_NETWORK_DOWN) m->saw_network_down = true;
  if (m->saw_network_down && a->result != BGC_IO_NETWORK_DOWN) {
    if (*stream != nullptr) m->real->close(m->real->context, *stream);
    *stream = nullptr;
    *a = bgc_io_answer{};
    a->result = BGC_IO_NETWORK_DOWN;
  }
}
std::uint64_t filtered_now(void* c) { Manager* m = static_cast<Manager*>(c); return m->real->now(m->real->context); }
void filtered_read(void* c, bgc_stream* s, void* b, std::uint32_t n, bgc_io_answer* a) {
  Manager* m = static_cast<Manager*>(c);
  m->real->read(m->real->context, s, b, n, a);
}
void filtered_close(void* c, bgc_stream* s) { Manager* m = static_cast<Manager*>(c); m->real->close(m->real->context, s); }
void filtered_wait(void* c, std::uint64_t t) { Manager* m = static_cast<Manager*>(c); m->real->wait_until(m->real->context, t); }

// ---- The table ----------------------------------------------------------------------------------

HRESULT create_manager(std::uint32_t profile, const bgc_environment* env, bgc_manager** out) {
  auto* m = new Manager;
  m->profile = static_cast<Profile>(profile);
  m->real = env;
  const bgc_environment* given = env;
  if (kMutant == Mutant::ReconnectNoRequeue && env != nullptr) {
    m->filtered = bgc_environment{sizeof(bgc_environment), m, filtered_now, filtered_open, filtered_read, filtered_close, filtered_wait};
    given = &m->filtered;
  }
  const HRESULT r = in.create_manager(profile, given, &m->inner);
  if (hr::failed(r)) {
    delete m;
    return r;
  }
  *out = reinterpret_cast<bgc_manager*>(m);
  return r;
}

HRESULT destroy_manager(bgc_manager* m) {
  const HRESULT r = in.destroy_manager(M(m)->inner);
  delete M(m);
  return r;
}

HRESULT run_until(bgc_manager* mh, std::uint64_t until) {
  Manager* m = M(mh);
  const HRESULT r = in.run_until(m->inner, until);
  if (kMutant == Mutant::ErrorCountPerAttempt) {
    for (Job* j : m->jobs)
      if (state_of(j) == BGC_STATE_TRANSFERRING) in.get_error_count(j->inner, &j->count_base);
  }
  if (kMutant == Mutant::ProgressRecountsChunk) {
    for (Job* j : m->jobs) {
      bgc_progress p{};
      in.get_progress(j->inner, &p);
      if (state_of(j) == BGC_STATE_TRANSIENT_ERROR && p.bytes_transferred > 0) j->recount = true;
    }
  }
  return r;
}

HRESULT create_job(bgc_manager* mh, const char* name, bgc_job** out) {
  Manager* m = M(mh);
  auto* j = new Job;
  j->manager = m;
  const HRESULT r = in.create_job(m->inner, name, &j->inner);
  if (hr::failed(r)) {
    delete j;
    return r;
  }
  if (kMutant == Mutant::NoProgressNeverFires) {
    in.get_no_progress_timeout(j->inner, &j->reported);
    j->reported_set = true;
    in.set_no_progress_timeout(j->inner, UINT32_MAX);
  }
  m->jobs.push_back(j);
  *out = reinterpret_cast<bgc_job*>(j);
  return r;
}

HRESULT release_job(bgc_job* jh) {
  Job* j = J(jh);
  for (Error* e : j->errors) {
    e->job = nullptr;
    e->job_released = true;
  }
  auto& jobs = j->manager->jobs;
  jobs.erase(std::remove(jobs.begin(), jobs.end(), j), jobs.end());
  const HRESULT r = in.release_job(j->inner);
  delete j;
  return r;
}

// Final-state failures, as each mutant answers them.
HRESULT after_call(Job* j, HRESULT r) {
  if (kMutant == Mutant::FailingCallCreatesError && hr::failed(r)) {
    j->has_fake = true;
    j->fake = Snapshot{BGC_CONTEXT_GENERAL_QUEUE_MANAGER, r, nullptr, nullptr};
  }
  if (kMutant == Mutant::BitsCodeInDo && r == hr::kDO_E_INVALID_STATE) return hr::kBG_E_INVALID_STATE;
  return r;
}

HRESULT add_file(bgc_job* jh, const char* url, const char* local, bgc_file** file) {
  Job* j = J(jh);
  HRESULT r = in.add_file(j->inner, url, local, file);
  if (hr::succeeded(r)) j->files.push_back(*file);
  if (kMutant == Mutant::AddFileFinalSucceeds && hr::failed(r) && final_state(state_of(j))) {
    *file = nullptr;
    return hr::kS_OK;
  }
  return after_call(j, r);
}

HRESULT resume(bgc_job* jh) {
  Job* j = J(jh);
  const std::uint32_t before = state_of(j);
  const HRESULT r = in.resume(j->inner);
  if (kMutant == Mutant::ErrorClearedOnResume && hr::succeeded(r) &&
      (before == BGC_STATE_ERROR || before == BGC_STATE_TRANSIENT_ERROR))
    j->cleared_by_resume = true;
  if (kMutant == Mutant::ResumeEmptySucceeds && r == codes_for(j->manager->profile).empty) return hr::kS_OK;
  if (kMutant == Mutant::ResumeFinalSucceeds && hr::failed(r) && final_state(before)) return hr::kS_OK;
  return after_call(j, r);
}

HRESULT suspend(bgc_job* jh) {
  Job* j = J(jh);
  const std::uint32_t before = state_of(j);
  if (kMutant == Mutant::SuspendIgnoredWhileRunning && running(before)) return hr::kS_OK;
  const HRESULT r = in.suspend(j->inner);
  if (kMutant == Mutant::SuspendFinalSucceeds && hr::failed(r) && final_state(before)) return hr::kS_OK;
  return after_call(j, r);
}

HRESULT cancel(bgc_job* jh) {
  Job* j = J(jh);
  if (kMutant == Mutant::HangInCancel) {
    const std::uint32_t s = state_of(j);
    while (s == BGC_STATE_CONNECTING || s == BGC_STATE_TRANSFERRING)
      std::this_thread::sleep_for(std::chrono::seconds(1));  // waiting for a lock that never comes free
  }
  return after_call(j, in.cancel(j->inner));
}

HRESULT complete(bgc_job* jh) {
  Job* j = J(jh);
  const std::uint32_t before = state_of(j);
  const HRESULT r = in.complete(j->inner);
  if (kMutant == Mutant::CompleteFromCancelled && hr::failed(r) && before == BGC_STATE_CANCELLED) return hr::kS_OK;
  if (kMutant == Mutant::PartialCompleteAsOk && r == hr::kBG_S_PARTIAL_COMPLETE) return hr::kS_OK;
  return after_call(j, r);
}

HRESULT get_state(bgc_job* jh, std::uint32_t* state) {
  Job* j = J(jh);
  const HRESULT r = in.get_state(j->inner, state);
  if (kMutant == Mutant::InternalStateLeaks && *state == BGC_STATE_TRANSIENT_ERROR) *state = 42;
  if (kMutant == Mutant::DoShowsConnecting && j->manager->profile == Profile::Do &&
      *state == BGC_STATE_TRANSFERRING) {
    bgc_progress p{};
    in.get_progress(j->inner, &p);
    if (p.bytes_transferred == 0) *state = BGC_STATE_CONNECTING;
  }
  return r;
}

HRESULT get_error(bgc_job* jh, bgc_error** out) {
  Job* j = J(jh);
  *out = nullptr;
  const std::uint32_t s = state_of(j);
  if (kMutant == Mutant::NoErrorInTransient && s == BGC_STATE_TRANSIENT_ERROR) return unavailable(j);
  if (kMutant == Mutant::ErrorClearedOnResume && j->cleared_by_resume) {
    if (s != BGC_STATE_ERROR && s != BGC_STATE_TRANSIENT_ERROR) return unavailable(j);
    j->cleared_by_resume = false;  // a new failure: its error is shown
  }
  bgc_error* inner = nullptr;
  const HRESULT r = in.get_error(j->inner, &inner);
  if (hr::succeeded(r)) {
    if (kMutant == Mutant::ErrorKeptAfterTransfer) {
      j->remembered = snapshot_of(inner);
      j->has_remembered = true;
    }
    *out = make_error(j, inner, {});
    return r;
  }
  if (kMutant == Mutant::ErrorWithoutError && s == BGC_STATE_QUEUED) {
    *out = make_error(j, nullptr, Snapshot{});
    return hr::kS_OK;
  }
  if (kMutant == Mutant::ErrorKeptAfterTransfer && j->has_remembered) {
    *out = make_error(j, nullptr, j->remembered);
    return hr::kS_OK;
  }
  if (kMutant == Mutant::FailingCallCreatesError && j->has_fake) {
    *out = make_error(j, nullptr, j->fake);
    return hr::kS_OK;
  }
  if (kMutant == Mutant::NullErrorWithOk) return hr::kS_OK;
  return r;
}

HRESULT get_progress(bgc_job* jh, bgc_progress* p) {
  Job* j = J(jh);
  const HRESULT r = in.get_progress(j->inner, p);
  if (kMutant == Mutant::ProgressRecountsChunk && j->recount) p->bytes_transferred += kChunkBytes;
  return r;
}

HRESULT get_error_count(bgc_job* jh, std::uint32_t* n) {
  const HRESULT r = in.get_error_count(J(jh)->inner, n);
  if (kMutant == Mutant::ErrorCountPerAttempt && hr::succeeded(r)) *n -= J(jh)->count_base;
  return r;
}

HRESULT set_no_progress_timeout(bgc_job* jh, std::uint32_t s) {
  Job* j = J(jh);
  if (kMutant == Mutant::NoProgressNeverFires) {
    const HRESULT r = in.set_no_progress_timeout(j->inner, s == 0 ? 0 : UINT32_MAX);
    if (hr::succeeded(r)) j->reported = s;
    return after_call(j, r);
  }
  if (kMutant == Mutant::TimeoutChangeIgnoredWhileFailing && state_of(j) == BGC_STATE_TRANSIENT_ERROR) {
    j->reported = s;
    j->reported_set = true;
    return hr::kS_OK;
  }
  if (kMutant == Mutant::TimeoutChangeIgnoredWhileFailing) j->reported_set = false;
  return after_call(j, in.set_no_progress_timeout(j->inner, s));
}

HRESULT get_no_progress_timeout(bgc_job* jh, std::uint32_t* s) {
  Job* j = J(jh);
  const HRESULT r = in.get_no_progress_timeout(j->inner, s);
  if (j->reported_set && (kMutant == Mutant::NoProgressNeverFires || kMutant == Mutant::TimeoutChangeIgnoredWhileFailing))
    *s = j->reported;
  return r;
}

HRESULT set_minimum_retry_delay(bgc_job* jh, std::uint32_t s) {
  Job* j = J(jh);
  const HRESULT r = in.set_minimum_retry_delay(j->inner, s);
  if (kMutant == Mutant::RetryDelayNotClamped && hr::succeeded(r)) {
    j->reported_set = s < kMinRetryDelay;
    j->reported = s;
  }
  return after_call(j, r);
}

HRESULT get_minimum_retry_delay(bgc_job* jh, std::uint32_t* s) {
  Job* j = J(jh);
  const HRESULT r = in.get_minimum_retry_delay(j->inner, s);
  if (kMutant == Mutant::RetryDelayNotClamped && j->reported_set && hr::succeeded(r)) *s = j->reported;
  return r;
}

HRESULT error_get_error(bgc_error* eh, std::uint32_t* context, HRESULT* code) {
  Error* e = E(eh);
  if (kMutant == Mutant::CrashAfterRelease && e->job_released) std::raise(SIGSEGV);  // stands for the use after free
  if (e->inner == nullptr) {
    *context = e->fake.context;
    *code = e->fake.code;
    return hr::kS_OK;
  }
  HRESULT r = in.error_get_error(e->inner, context, code);
  if (kMutant == Mutant::HeldErrorFollowsJob && e->job != nullptr) {
    bgc_error* now = nullptr;
    if (hr::succeeded(in.get_error(e->job->inner, &now))) {
      r = in.error_get_error(now, context, code);
      in.release_error(now);
    }
  }
  if (kMutant == Mutant::InternalContextLeaks && *context == BGC_CONTEXT_GENERAL_TRANSPORT) *context = 99;
  return r;
}

HRESULT error_get_file(bgc_error* eh, bgc_file** file) {
  Error* e = E(eh);
  if (e->inner == nullptr) {
    *file = e->fake.file;
    return e->fake.file != nullptr ? hr::kS_OK : hr::kBG_E_FILE_NOT_AVAILABLE;
  }
  const HRESULT r = in.error_get_file(e->inner, file);
  if (kMutant == Mutant::FileForTransportError && hr::failed(r) && e->first_file != nullptr) {
    *file = e->first_file;
    return hr::kS_OK;
  }
  return r;
}

HRESULT error_get_protocol(bgc_error* eh, const char** protocol) {
  Error* e = E(eh);
  if (e->inner == nullptr) {
    *protocol = e->fake.protocol;
    return e->fake.protocol != nullptr ? hr::kS_OK : hr::kBG_E_PROTOCOL_NOT_AVAILABLE;
  }
  const HRESULT r = in.error_get_protocol(e->inner, protocol);
  if (kMutant == Mutant::ProtocolAlwaysHttp && hr::succeeded(r)) *protocol = "http";
  return r;
}

HRESULT error_get_description(bgc_error* eh, std::uint32_t lang, const char** text) {
  Error* e = E(eh);
  if (e->inner == nullptr) {
    *text = "error";
    return hr::kS_OK;
  }
  return in.error_get_error_description(e->inner, lang, text);
}

HRESULT error_get_context_description(bgc_error* eh, std::uint32_t lang, const char** text) {
  Error* e = E(eh);
  if (e->inner == nullptr) {
    *text = "context";
    return hr::kS_OK;
  }
  return in.error_get_error_context_description(e->inner, lang, text);
}

HRESULT release_error(bgc_error* eh) {
  Error* e = E(eh);
  if (e->job != nullptr) {
    auto& errors = e->job->errors;
    errors.erase(std::remove(errors.begin(), errors.end(), e), errors.end());
  }
  const HRESULT r = e->inner != nullptr ? in.release_error(e->inner) : hr::kS_OK;
  delete e;
  return r;
}

const bgc_vendor_table kTable = {
    BGC_VENDOR_ABI_VERSION, sizeof(bgc_vendor_table), mutants::kTableName, in.profiles,
    create_manager, destroy_manager, run_until, create_job, release_job, add_file, resume, suspend, cancel,
    complete, get_state, get_error, get_progress, get_error_count, set_no_progress_timeout,
    get_no_progress_timeout, set_minimum_retry_delay, get_minimum_retry_delay, error_get_error, error_get_file,
    error_get_protocol, error_get_description, error_get_context_description, release_error,
};

}  // namespace

extern "C" BGC_VENDOR_EXPORT const bgc_vendor_table* bgc_vendor_entry(uint32_t requested_abi_version) {
  return requested_abi_version == BGC_VENDOR_ABI_VERSION ? &kTable : nullptr;
}
