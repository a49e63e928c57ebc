// The reference job service (harness/targets/reference/src) behind the vendor C ABI.
//
// Handles are small boxes of shared ownership, as COM references would be: a job handle and every
// error handle taken from that job share the job's file list, so error_get_file keeps answering
// with a valid file after the client released the job. The service runs on its own virtual clock,
// moved to the harness's time by run_until; it simulates its own exchange timing (connect 1 s, one
// chunk per request) and learns what each source answers — and whether the network is up — from the
// harness's transport at the start of each run_until: between two harness calls nothing changes.
#include "reference_plugin.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "bgconform/types.h"
#include "error_object.h"
#include "job.h"
#include "service.h"

struct bgc_manager {
  bgc_manager(bgc::Profile profile, const bgc_environment* env, std::size_t transfer_slots = 1)
      : service(profile, transfer_slots), environment(env) {}
  bgc::reference::Service service;
  const bgc_environment* environment;
};

struct bgc_file {
  int index;
};

namespace {

using namespace bgc;

// What a job handle and the error handles taken from it share.
struct JobBox {
  std::shared_ptr<reference::Job> job;
  std::vector<std::unique_ptr<bgc_file>> files;
};

}  // namespace

struct bgc_job {
  bgc_manager* manager;
  std::shared_ptr<JobBox> box;
};

struct bgc_error {
  bgc::reference::ErrorRef error;        // the immutable snapshot the service made
  std::shared_ptr<JobBox> box;           // the job's files, for error_get_file
  bgc::reference::ProfilePolicy policy;  // which codes to answer with (the manager may be gone)
};

namespace bgc::reference_plugin {
namespace {

constexpr HRESULT kOk = hr::kS_OK;

const char* url_of(int source) {
  static const std::array<const char*, kSourceCount> urls = {"http://127.0.0.1/src0", "http://127.0.0.1/src1",
                                                             "http://127.0.0.1/src2", "file:///bgc/src3"};
  return urls[static_cast<std::size_t>(source)];
}

int source_of(const char* url) {
  const std::string u = url != nullptr ? url : "";
  for (int s = 0; s < kSourceCount; ++s)
    if (u == url_of(s)) return s;
  return -1;  // the service's transport refuses any other source
}

// Asks the harness's transport what each source answers now, and tells the simulated transport.
void sync_environment(bgc_manager& m) {
  const bgc_environment* env = m.environment;
  if (env == nullptr || env->open == nullptr) return;
  bool network_down = false;
  std::array<std::pair<Behaviour, int>, kSourceCount> seen{};
  for (int s = 0; s < kSourceCount; ++s) {
    bgc_stream* stream = nullptr;
    bgc_io_answer a{};
    env->open(env->context, url_of(s), &stream, &a);
    if (stream != nullptr && env->close != nullptr) env->close(env->context, stream);
    switch (a.result) {
      case BGC_IO_DATA:
        seen[s] = {a.header_seconds > 0  ? Behaviour::DelayedHeaders
                   : a.chunk_seconds > 1 ? Behaviour::Slow
                   : is_local_source(s)  ? Behaviour::Present
                                         : Behaviour::Ok,
                   0};
        break;
      case BGC_IO_HTTP_STATUS: seen[s] = {Behaviour::Http, static_cast<int>(a.http_status)}; break;
      case BGC_IO_REFUSED: seen[s] = {Behaviour::Refused, 0}; break;
      case BGC_IO_RESET: seen[s] = {Behaviour::Reset, 0}; break;
      case BGC_IO_STALL: seen[s] = {Behaviour::Stall, 0}; break;
      case BGC_IO_NOT_FOUND: seen[s] = {Behaviour::Missing, 0}; break;
      default: network_down = true; break;
    }
  }
  // Offline, the sources cannot be asked; what they said last stands until the network is back.
  if (!network_down) {
    for (int s = 0; s < kSourceCount; ++s) m.service.set_source(s, seen[s].first, seen[s].second);
  }
  m.service.set_network(!network_down);
}

bool bits_only_ok(const bgc_job* j) { return j->manager->service.policy().bits_only_methods; }

// ---- The table ----------------------------------------------------------------------------------

HRESULT create_manager(std::uint32_t profile, const bgc_environment* env, bgc_manager** out) {
  if (out == nullptr || profile > BGC_PROFILE_DO) return hr::kE_INVALIDARG;
  *out = new bgc_manager(static_cast<Profile>(profile), env);
  return kOk;
}

// A slot per job slot the harness uses: no background job ever waits for another (ST-9 broken).
HRESULT create_manager_in_parallel(std::uint32_t profile, const bgc_environment* env, bgc_manager** out) {
  if (out == nullptr || profile > BGC_PROFILE_DO) return hr::kE_INVALIDARG;
  *out = new bgc_manager(static_cast<Profile>(profile), env, kMaxJobs);
  return kOk;
}

HRESULT destroy_manager(bgc_manager* m) {
  delete m;
  return kOk;
}

HRESULT run_until(bgc_manager* m, std::uint64_t until) {
  sync_environment(*m);
  const std::uint64_t now = m->service.now();
  if (until > now) m->service.advance(until - now);
  return kOk;
}

HRESULT run_until_reacting_at_once(bgc_manager* m, std::uint64_t until) {
  sync_environment(*m);
  m->service.react_now();
  const std::uint64_t now = m->service.now();
  if (until > now) m->service.advance(until - now);
  return kOk;
}

HRESULT create_job(bgc_manager* m, const char*, bgc_job** out) {
  if (out == nullptr) return hr::kE_INVALIDARG;
  auto box = std::make_shared<JobBox>();
  box->job = m->service.create_job();
  *out = new bgc_job{m, std::move(box)};
  return kOk;
}

HRESULT release_job(bgc_job* j) {
  delete j;  // the service keeps running the job; error handles keep the files
  return kOk;
}

HRESULT add_file(bgc_job* j, const char* url, const char*, bgc_file** out) {
  const int source = source_of(url);
  if (source < 0) return hr::kE_INVALIDARG;
  const HRESULT r = j->manager->service.add_file(*j->box->job, source);
  if (hr::succeeded(r)) {
    j->box->files.push_back(std::make_unique<bgc_file>(bgc_file{static_cast<int>(j->box->files.size())}));
    if (out != nullptr) *out = j->box->files.back().get();
  }
  return r;
}

HRESULT resume(bgc_job* j) { return j->manager->service.resume(*j->box->job); }
HRESULT suspend(bgc_job* j) { return j->manager->service.suspend(*j->box->job); }
HRESULT cancel(bgc_job* j) { return j->manager->service.cancel(*j->box->job); }
HRESULT complete(bgc_job* j) { return j->manager->service.complete(*j->box->job); }

HRESULT get_state(bgc_job* j, std::uint32_t* state) {
  *state = static_cast<std::uint32_t>(j->box->job->state());
  return kOk;
}

HRESULT get_error(bgc_job* j, bgc_error** out) {
  *out = nullptr;
  reference::ErrorRef e = j->manager->service.get_error(*j->box->job);
  if (!e) return j->manager->service.policy().codes.error_info_unavailable;  // E-2
  *out = new bgc_error{std::move(e), j->box, j->manager->service.policy()};
  return kOk;
}

HRESULT get_progress(bgc_job* j, bgc_progress* p) {
  const reference::JobProgress jp = j->box->job->progress();
  *p = bgc_progress{jp.bytes_total, jp.bytes_transferred, jp.files_total, jp.files_transferred};
  return kOk;
}

HRESULT get_error_count(bgc_job* j, std::uint32_t* n) {
  if (!bits_only_ok(j)) return hr::kE_NOTIMPL;
  *n = j->box->job->error_count();
  return kOk;
}

HRESULT set_no_progress_timeout(bgc_job* j, std::uint32_t s) {
  return j->manager->service.set_no_progress_timeout(*j->box->job, s);
}
HRESULT get_no_progress_timeout(bgc_job* j, std::uint32_t* s) {
  *s = j->box->job->no_progress_timeout();
  return kOk;
}
HRESULT set_minimum_retry_delay(bgc_job* j, std::uint32_t s) {
  if (!bits_only_ok(j)) return hr::kE_NOTIMPL;
  return j->manager->service.set_minimum_retry_delay(*j->box->job, s);
}
HRESULT get_minimum_retry_delay(bgc_job* j, std::uint32_t* s) {
  if (!bits_only_ok(j)) return hr::kE_NOTIMPL;
  *s = j->box->job->retry_delay();
  return kOk;
}

// IBackgroundCopyError: answers from the snapshot, as ReferenceTarget does.
HRESULT error_get_error(bgc_error* e, std::uint32_t* context, HRESULT* code) {
  *context = static_cast<std::uint32_t>(e->error->context);
  *code = e->error->code;
  return kOk;
}

HRESULT error_get_file(bgc_error* e, bgc_file** out) {
  *out = nullptr;
  if (!e->error->names_file()) return e->policy.codes.file_not_available;  // E-6
  *out = e->box->files[static_cast<std::size_t>(e->error->file)].get();
  return kOk;
}

HRESULT error_get_protocol(bgc_error* e, const char** out) {
  *out = nullptr;
  if (!e->policy.bits_only_methods) return hr::kE_NOTIMPL;
  if (!e->error->names_file()) return hr::kBG_E_PROTOCOL_NOT_AVAILABLE;  // E-7
  *out = e->error->protocol == Protocol::File ? "file" : "http";
  return kOk;
}

HRESULT error_get_description(bgc_error* e, std::uint32_t, const char** out) {
  *out = nullptr;
  if (!e->policy.bits_only_methods) return hr::kE_NOTIMPL;
  *out = "The transfer failed.";
  return kOk;
}

HRESULT error_get_context_description(bgc_error* e, std::uint32_t, const char** out) {
  *out = nullptr;
  if (!e->policy.bits_only_methods) return hr::kE_NOTIMPL;
  *out = "The error occurred while the job was transferring.";
  return kOk;
}

HRESULT release_error(bgc_error* e) {
  delete e;
  return kOk;
}

const bgc_vendor_table kTable = {
    BGC_VENDOR_ABI_VERSION,
    sizeof(bgc_vendor_table),
    "bgconform reference service",
    BGC_PROFILE_BIT(BGC_PROFILE_BITS) | BGC_PROFILE_BIT(BGC_PROFILE_DO),
    create_manager,
    destroy_manager,
    run_until,
    create_job,
    release_job,
    add_file,
    resume,
    suspend,
    cancel,
    complete,
    get_state,
    get_error,
    get_progress,
    get_error_count,
    set_no_progress_timeout,
    get_no_progress_timeout,
    set_minimum_retry_delay,
    get_minimum_retry_delay,
    error_get_error,
    error_get_file,
    error_get_protocol,
    error_get_description,
    error_get_context_description,
    release_error,
};

}  // namespace

const bgc_vendor_table* table() { return &kTable; }

const bgc_vendor_table* table_reacting_at_once() {
  static const bgc_vendor_table reacting = [] {
    bgc_vendor_table t = kTable;
    t.name = "bgconform reference service, reacting at once";
    t.run_until = run_until_reacting_at_once;
    return t;
  }();
  return &reacting;
}

const bgc_vendor_table* table_transferring_in_parallel() {
  static const bgc_vendor_table parallel = [] {
    bgc_vendor_table t = kTable;
    t.name = "bgconform reference service, background jobs in parallel";
    t.create_manager = create_manager_in_parallel;
    return t;
  }();
  return &parallel;
}

}  // namespace bgc::reference_plugin
