// One mutant plugin: the reference plugin's table, wrapped, with the one mutation kMutant names
// (mutants.def and deep_mutants.def say what each does and why; mutant.h how a plugin picks its
// mutation). The wrapper sees the reference only through the ABI: its handles wrap the reference's
// handles, and each mutation changes a call or an answer. The path-dependent faults of catalogue 2
// also watch the service after each run (observe_job) and remember what they need per job.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "bgconform/types.h"
#include "mutant.h"
#include "reference_plugin.h"

namespace {

using namespace bgc;
using mutants::kMutant;
using mutants::Mutant;
// background-jobs-in-parallel wraps a reference whose scheduler has a slot per job; the others the
// reference itself. (kMutant is a constant: initialised before this line runs.)
const bgc_vendor_table& in = kMutant == Mutant::BackgroundJobsInParallel
                                 ? *reference_plugin::table_transferring_in_parallel()
                                 : *reference_plugin::table();

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
  std::vector<Job*> jobs;  // the client's live job handles
  // Catalogue 2.
  std::uint64_t now = 0;  // the service time the last run_until reached
  std::uint32_t next_job_id = 1;
  bool has_last_error = false;  // error-of-other-job: the service's one 'last error', and whose it was
  std::uint32_t last_error_job = 0;
  Snapshot last_error;
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
  // Catalogue 2: what the path-dependent faults remember of the job's history.
  std::uint32_t id = 0;
  std::vector<int> sources;                        // each file's source, in order
  std::uint32_t last_state = BGC_STATE_SUSPENDED;  // as last seen after a run or a call
  std::uint64_t last_bytes = 0;
  std::uint32_t last_files = 0;       // files transferred, as last seen
  std::uint32_t file_count_base = 0;  // error-count-per-file: the count when the current file began
  bool reached_transferred = false;   // complete-ok-after-addfile: set once, never cleared
  bool pinned = false;                // stale-error-on-refail: the record of the run's first failure
  Snapshot pin;
  bool error_dropped = false;        // suspend-/reconnect-/cancel-clears: until the next failure
  std::uint32_t network_losses = 0;  // network-loss-counted
  bool pending_delay_set = false;    // retry-delay-change-not-replanned: applied once out of TRANSIENT_ERROR
  std::uint32_t pending_delay = 0;
  bool in_period = false;  // the current no-progress period (track_period)
  std::uint64_t period_first = 0, te_since = 0;
  std::uint32_t period_failures = 0;
  std::uint32_t np_client = 0;   // no-progress-restarts-on-resume: the client's timeout, and
  std::uint64_t np_stretch = 0;  // how far the reference's timeout is stretched past it
};

struct Error {
  bgc_error* inner = nullptr;  // nullptr: a fake, answering from `fake`
  Snapshot fake;
  Job* job = nullptr;  // nullptr once the client released the job
  bool job_released = false;
  bgc_file* first_file = nullptr;
  const char* first_protocol = nullptr;  // protocol-of-first-file
  bool freed = false;                    // release-error-frees-shared: another handle to the same object was released
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

const char* protocol_of(int source) { return is_local_source(source) ? "file" : "http"; }

bgc_error* make_error(Job* j, bgc_error* inner, const Snapshot& fake) {
  auto* e = new Error{inner, fake, j, false, j->files.empty() ? nullptr : j->files.front()};
  if (!j->sources.empty() && j->sources.front() >= 0) e->first_protocol = protocol_of(j->sources.front());
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
std::uint64_t filtered_now(void* c) {
  Manager* m = static_cast<Manager*>(c);
  return m->real->now(m->real->context);
}
void filtered_read(void* c, bgc_stream* s, void* b, std::uint32_t n, bgc_io_answer* a) {
  Manager* m = static_cast<Manager*>(c);
  m->real->read(m->real->context, s, b, n, a);
}
void filtered_close(void* c, bgc_stream* s) {
  Manager* m = static_cast<Manager*>(c);
  m->real->close(m->real->context, s);
}
void filtered_wait(void* c, std::uint64_t t) {
  Manager* m = static_cast<Manager*>(c);
  m->real->wait_until(m->real->context, t);
}

// ---- Catalogue 2: path-dependent faults (deep_mutants.def) ---------------------------------------
// Each fault needs some history: observe_job looks at every job after each run of the service (and
// note_state after each state-changing call) and keeps what the fault reads later.

bool is_deep() {
  static constexpr Mutant kDeep[] = {
#define MUTANT(e, name, expected, profile, description) Mutant::e,
#include "deep_mutants.def"
#undef MUTANT
  };
  return std::find(std::begin(kDeep), std::end(kDeep), kMutant) != std::end(kDeep);
}

bool error_state(std::uint32_t s) { return s == BGC_STATE_ERROR || s == BGC_STATE_TRANSIENT_ERROR; }

// The harness names source n by a URL ending in its digit (src0..src3): the sizes and protocols of
// the files follow from it (chunks_of, is_local_source).
int source_of_url(const char* url) {
  const std::size_t n = url != nullptr ? std::strlen(url) : 0;
  if (n == 0 || url[n - 1] < '0' || url[n - 1] >= '0' + kSourceCount) return -1;
  return url[n - 1] - '0';
}

// retry-from-first-failure is a fault in a timer: the service is run second by second so that the
// wrapper can retry at the second the fault would. Beyond kFineSeconds an Advance goes in one step
// (the generated Advances reach 1,209,600 s).
bool ticks() { return kMutant == Mutant::RetryFromFirstFailure || kMutant == Mutant::NoProgressRestartsOnResume; }
constexpr std::uint64_t kFineSeconds = 120;

// The job's current error as the reference has it, if any.
bool current_error(const Job& j, Snapshot& out) {
  bgc_error* e = nullptr;
  if (hr::failed(in.get_error(j.inner, &e)) || e == nullptr) return false;
  out = snapshot_of(e);
  in.release_error(e);
  return true;
}

// retry-delay-change-not-replanned: the new delay reaches the job only once the planned retry is over.
void apply_pending_delay(Job& j, std::uint32_t state) {
  if (!j.pending_delay_set || state == BGC_STATE_TRANSIENT_ERROR) return;
  in.set_minimum_retry_delay(j.inner, j.pending_delay);
  j.pending_delay_set = false;
}

// The no-progress period as the service keeps it (retry-from-first-failure, no-progress-restarts-on-
// resume): it begins with the first transient error after the last progress and ends with progress or
// a verdict (ERROR, TRANSFERRED, a final state). Seen second by second (ticks), so the times are exact.
void track_period(const Manager& m, Job& j, std::uint32_t s, std::uint32_t prev, std::uint64_t bytes) {
  if (bytes > j.last_bytes || !(s == BGC_STATE_TRANSIENT_ERROR || running(s) || s == BGC_STATE_SUSPENDED)) {
    j.in_period = false;
    j.period_failures = 0;
  }
  if (s != BGC_STATE_TRANSIENT_ERROR || prev == BGC_STATE_TRANSIENT_ERROR) return;
  if (!j.in_period) j.period_first = m.now;
  j.in_period = true;
  ++j.period_failures;
  j.te_since = m.now;
}

// retry-from-first-failure: the retry is due at the first failure of the no-progress period plus the
// delay (and a second after the failure, the timer's resolution), so from the second failure on it
// comes at once. A timer fires only while time passes; a network loss waits for reconnection, as in
// the reference.
void early_retry(const Manager& m, Job& j, std::uint32_t s, bool zero_length) {
  if (zero_length || s != BGC_STATE_TRANSIENT_ERROR || j.period_failures < 2) return;
  std::uint32_t delay = 0;
  in.get_minimum_retry_delay(j.inner, &delay);
  Snapshot e;
  const bool network = current_error(j, e) && e.code == hr::kBG_E_NETWORK_DISCONNECTED;
  if (!network && m.now >= j.te_since + 1 && m.now >= j.period_first + delay) in.resume(j.inner);
}

// no-progress-restarts-on-resume: the reference measures the period from its first failure; the
// mutant's period restarts at Resume, so the reference's timeout is stretched by the time already
// spent, and put back when the period ends. GetNoProgressTimeout reports the client's value.
std::uint32_t stretched(std::uint32_t timeout, std::uint64_t by) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(std::uint64_t{timeout} + by, UINT32_MAX));
}
void restart_period(const Manager& m, Job& j) {
  if (!j.in_period || j.np_client == 0) return;  // a timeout of 0 has no period to restart (ST-13)
  j.np_stretch = m.now - j.period_first;
  in.set_no_progress_timeout(j.inner, stretched(j.np_client, j.np_stretch));
}
void end_stretch(Job& j) {
  if (j.in_period || j.np_stretch == 0) return;
  j.np_stretch = 0;
  in.set_no_progress_timeout(j.inner, j.np_client);
}

// What one run of the service (zero_length: a Source or Network event, no time passed) did to a job.
void observe_job(Manager& m, Job& j, bool zero_length) {
  const std::uint32_t s = state_of(&j), prev = j.last_state;
  bgc_progress p{};
  in.get_progress(j.inner, &p);
  Snapshot e;
  const bool has_error = current_error(j, e);
  if (s == BGC_STATE_TRANSFERRED) j.reached_transferred = true;
  if (error_state(s) && !error_state(prev)) j.error_dropped = false;  // a new failure shows again
  if (kMutant == Mutant::ReconnectClearsError && zero_length && prev == BGC_STATE_TRANSIENT_ERROR &&
      s == BGC_STATE_QUEUED)
    j.error_dropped = true;
  if (kMutant == Mutant::NetworkLossCounted && s == BGC_STATE_TRANSIENT_ERROR && prev != s && has_error &&
      e.code == hr::kBG_E_NETWORK_DISCONNECTED)
    ++j.network_losses;
  if (kMutant == Mutant::StaleErrorOnRefail) {
    if (!has_error)
      j.pinned = false;  // the job transferred: the next failure makes a new record
    else if (!j.pinned)
      j.pin = e, j.pinned = true;
  }
  if (kMutant == Mutant::ErrorOfOtherJob && has_error) {
    m.has_last_error = true;
    m.last_error_job = j.id;
    m.last_error = e;
    m.last_error.file = nullptr;  // another job's file handle is no file of the asking job
  }
  if (kMutant == Mutant::ErrorCountPerFile && p.files_transferred > j.last_files)
    in.get_error_count(j.inner, &j.file_count_base);  // a new file: its own count starts
  if (kMutant == Mutant::RetryDelayChangeNotReplanned) apply_pending_delay(j, s);
  if (ticks()) track_period(m, j, s, prev, p.bytes_transferred);
  if (kMutant == Mutant::RetryFromFirstFailure) early_retry(m, j, s, zero_length);
  if (kMutant == Mutant::NoProgressRestartsOnResume) end_stretch(j);
  j.last_state = state_of(&j);
  j.last_bytes = p.bytes_transferred;
  j.last_files = p.files_transferred;
}

void after_run(Manager& m, std::uint64_t until) {
  const bool zero_length = until <= m.now;
  m.now = std::max(m.now, until);
  for (Job* j : m.jobs) observe_job(m, *j, zero_length);
}

// After a call that may change the state: the next run compares with this.
void note_state(Job* j) {
  if (!is_deep()) return;
  j->last_state = state_of(j);
  if (kMutant == Mutant::RetryDelayChangeNotReplanned) apply_pending_delay(*j, j->last_state);
}

// resume-kicks-queue: Resume wakes every job waiting to retry, not only its own.
void kick_queue(Manager& m, const Job* resumed) {
  for (Job* other : m.jobs) {
    if (other == resumed || state_of(other) != BGC_STATE_TRANSIENT_ERROR) continue;
    in.resume(other->inner);
    note_state(other);
  }
}

// release-error-frees-shared: the other handles to the same error object (the same values) lose it.
void free_shared(const Error* released) {
  if (released->job == nullptr) return;
  auto values = [](const Error* e) { return e->inner != nullptr ? snapshot_of(e->inner) : e->fake; };
  const Snapshot mine = values(released);
  for (Error* other : released->job->errors) {
    if (other == released) continue;
    const Snapshot s = values(other);
    if (s.context == mine.context && s.code == mine.code && s.file == mine.file) other->freed = true;
  }
}

constexpr HRESULT kRPC_E_DISCONNECTED = static_cast<HRESULT>(0x80010108);

// ---- The table ----------------------------------------------------------------------------------

HRESULT create_manager(std::uint32_t profile, const bgc_environment* env, bgc_manager** out) {
  auto* m = new Manager;
  m->profile = static_cast<Profile>(profile);
  m->real = env;
  const bgc_environment* given = env;
  if (kMutant == Mutant::ReconnectNoRequeue && env != nullptr) {
    m->filtered = bgc_environment{
        sizeof(bgc_environment), m, filtered_now, filtered_open, filtered_read, filtered_close, filtered_wait};
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

// The service runs to `until` in one step, or second by second for a mutant whose fault is in a timer.
HRESULT run_service(Manager* m, std::uint64_t until) {
  if (!is_deep()) return in.run_until(m->inner, until);
  if (!ticks() || until <= m->now + 1) {
    const HRESULT r = in.run_until(m->inner, until);
    after_run(*m, until);
    return r;
  }
  HRESULT r = hr::kS_OK;
  const std::uint64_t fine_end = m->now + kFineSeconds;
  for (std::uint64_t t = m->now; t < until && hr::succeeded(r);) {
    t = t < fine_end ? t + 1 : until;
    r = in.run_until(m->inner, t);
    after_run(*m, t);
  }
  return r;
}

HRESULT run_until(bgc_manager* mh, std::uint64_t until) {
  Manager* m = M(mh);
  const HRESULT r = run_service(m, until);
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
  static int jobs_in_this_process = 0;  // CrashAcrossCases (mutant.h)
  if (kMutant == Mutant::CrashAcrossCases && ++jobs_in_this_process > bgc::mutants::kJobsBeforeTheCrash)
    std::raise(SIGSEGV);
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
  j->id = m->next_job_id++;
  in.get_no_progress_timeout(j->inner, &j->np_client);
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
  if (hr::succeeded(r)) {
    j->files.push_back(*file);
    j->sources.push_back(source_of_url(url));
  }
  if (kMutant == Mutant::AddFileFinalSucceeds && hr::failed(r) && final_state(state_of(j))) {
    *file = nullptr;
    return hr::kS_OK;
  }
  return after_call(j, r);
}

HRESULT resume(bgc_job* jh) {
  Job* j = J(jh);
  const std::uint32_t before = state_of(j);
  if (kMutant == Mutant::ResumeTransferredIgnoresNewFile && before == BGC_STATE_TRANSFERRED) return hr::kS_OK;
  const HRESULT r = in.resume(j->inner);
  note_state(j);
  if (kMutant == Mutant::ResumeKicksQueue && hr::succeeded(r)) kick_queue(*j->manager, j);
  if (kMutant == Mutant::NoProgressRestartsOnResume && hr::succeeded(r)) restart_period(*j->manager, *j);
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
  note_state(j);
  if (kMutant == Mutant::SuspendClearsError && hr::succeeded(r) && error_state(before)) j->error_dropped = true;
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
  const HRESULT r = in.cancel(j->inner);
  note_state(j);
  if (kMutant == Mutant::CancelClearsAllErrors && hr::succeeded(r))
    for (Job* other : j->manager->jobs) other->error_dropped = other != j;
  return after_call(j, r);
}

HRESULT complete(bgc_job* jh) {
  Job* j = J(jh);
  const std::uint32_t before = state_of(j);
  const HRESULT r = in.complete(j->inner);
  note_state(j);
  if (kMutant == Mutant::CompleteOkAfterAddFile && r == hr::kBG_S_PARTIAL_COMPLETE && j->reached_transferred)
    return hr::kS_OK;
  if (kMutant == Mutant::CompleteFromCancelled && hr::failed(r) && before == BGC_STATE_CANCELLED) return hr::kS_OK;
  if (kMutant == Mutant::PartialCompleteAsOk && r == hr::kBG_S_PARTIAL_COMPLETE) return hr::kS_OK;
  return after_call(j, r);
}

HRESULT get_state(bgc_job* jh, std::uint32_t* state) {
  Job* j = J(jh);
  const HRESULT r = in.get_state(j->inner, state);
  if (kMutant == Mutant::InternalStateLeaks && *state == BGC_STATE_TRANSIENT_ERROR) *state = 42;
  if (kMutant == Mutant::DoShowsConnecting && j->manager->profile == Profile::Do && *state == BGC_STATE_TRANSFERRING) {
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
  if (j->error_dropped) return unavailable(j);
  bgc_error* inner = nullptr;
  const HRESULT r = in.get_error(j->inner, &inner);
  if (hr::succeeded(r) && kMutant == Mutant::StaleErrorOnRefail && j->pinned) {
    in.release_error(inner);
    *out = make_error(j, nullptr, j->pin);
    return hr::kS_OK;
  }
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
  const Manager& m = *j->manager;
  if (kMutant == Mutant::ErrorOfOtherJob && m.has_last_error && m.last_error_job != j->id) {
    *out = make_error(j, nullptr, m.last_error);
    return hr::kS_OK;
  }
  return r;
}

HRESULT get_progress(bgc_job* jh, bgc_progress* p) {
  Job* j = J(jh);
  const HRESULT r = in.get_progress(j->inner, p);
  if (kMutant == Mutant::ProgressRecountsChunk && j->recount) p->bytes_transferred += kChunkBytes;
  if (kMutant == Mutant::BytesTotalKnownOnly && p->bytes_total == kSizeUnknown && p->files_transferred > 0) {
    p->bytes_total = 0;  // the files already here; the sizes not learnt yet count as 0
    for (std::uint32_t f = 0; f < p->files_transferred && f < j->sources.size(); ++f)
      p->bytes_total += std::uint64_t{kChunkBytes} * static_cast<std::uint64_t>(chunks_of(j->sources[f]));
  }
  return r;
}

HRESULT get_error_count(bgc_job* jh, std::uint32_t* n) {
  const HRESULT r = in.get_error_count(J(jh)->inner, n);
  if (kMutant == Mutant::ErrorCountPerAttempt && hr::succeeded(r)) *n -= J(jh)->count_base;
  if (kMutant == Mutant::ErrorCountPerFile && hr::succeeded(r)) *n -= std::min(*n, J(jh)->file_count_base);
  if (kMutant == Mutant::NetworkLossCounted && hr::succeeded(r)) *n += J(jh)->network_losses;
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
  if (kMutant == Mutant::NoProgressRestartsOnResume) {
    const HRESULT r = in.set_no_progress_timeout(j->inner, s == 0 ? 0 : stretched(s, j->np_stretch));
    if (hr::succeeded(r)) j->np_client = s;
    if (s == 0) j->np_stretch = 0;  // 0 sends every error to ERROR (ST-13): nothing to stretch
    return after_call(j, r);
  }
  return after_call(j, in.set_no_progress_timeout(j->inner, s));
}

HRESULT get_no_progress_timeout(bgc_job* jh, std::uint32_t* s) {
  Job* j = J(jh);
  const HRESULT r = in.get_no_progress_timeout(j->inner, s);
  if (j->reported_set &&
      (kMutant == Mutant::NoProgressNeverFires || kMutant == Mutant::TimeoutChangeIgnoredWhileFailing))
    *s = j->reported;
  if (kMutant == Mutant::NoProgressRestartsOnResume && hr::succeeded(r)) *s = j->np_client;
  return r;
}

HRESULT set_minimum_retry_delay(bgc_job* jh, std::uint32_t s) {
  Job* j = J(jh);
  if (kMutant == Mutant::RetryDelayChangeNotReplanned && state_of(j) == BGC_STATE_TRANSIENT_ERROR) {
    j->pending_delay = std::max(s, kMinRetryDelay);  // reported at once, applied after the planned retry
    j->pending_delay_set = true;
    return hr::kS_OK;
  }
  const HRESULT r = in.set_minimum_retry_delay(j->inner, s);
  if (kMutant == Mutant::RetryDelayShared && hr::succeeded(r))
    for (Job* other : j->manager->jobs)
      if (other != j && !final_state(state_of(other))) in.set_minimum_retry_delay(other->inner, s);
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
  if (kMutant == Mutant::RetryDelayChangeNotReplanned && j->pending_delay_set && hr::succeeded(r))
    *s = j->pending_delay;
  return r;
}

HRESULT error_get_error(bgc_error* eh, std::uint32_t* context, HRESULT* code) {
  Error* e = E(eh);
  if (kMutant == Mutant::CrashAfterRelease && e->job_released) std::raise(SIGSEGV);  // stands for the use after free
  if (kMutant == Mutant::ReleaseErrorFreesShared && e->freed) return kRPC_E_DISCONNECTED;
  if (kMutant == Mutant::ReleaseJobEmptiesError && e->job_released) {
    *context = BGC_CONTEXT_NONE;  // the record the released job tore down, read through a back pointer
    *code = hr::kS_OK;
    return hr::kS_OK;
  }
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
  if (kMutant == Mutant::ReleaseJobEmptiesError && e->job_released) {
    *file = nullptr;
    return codes_for(Profile::Bits).file_not_available;
  }
  if (e->inner == nullptr) {
    *file = e->fake.file;
    return e->fake.file != nullptr ? hr::kS_OK : hr::kBG_E_FILE_NOT_AVAILABLE;
  }
  const HRESULT r = in.error_get_file(e->inner, file);
  if (kMutant == Mutant::ErrorFileFirstOfTwo && hr::succeeded(r)) *file = e->first_file;
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
  if (kMutant == Mutant::ProtocolOfFirstFile && hr::succeeded(r) && e->first_protocol != nullptr)
    *protocol = e->first_protocol;
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
  if (kMutant == Mutant::ReleaseErrorFreesShared) free_shared(e);
  if (e->job != nullptr) {
    auto& errors = e->job->errors;
    errors.erase(std::remove(errors.begin(), errors.end(), e), errors.end());
  }
  const HRESULT r = e->inner != nullptr ? in.release_error(e->inner) : hr::kS_OK;
  delete e;
  return r;
}

const bgc_vendor_table kTable = {
    BGC_VENDOR_ABI_VERSION,
    sizeof(bgc_vendor_table),
    mutants::kTableName,
    in.profiles,
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

extern "C" BGC_VENDOR_EXPORT const bgc_vendor_table* bgc_vendor_entry(uint32_t requested_abi_version) {
  return requested_abi_version == BGC_VENDOR_ABI_VERSION ? &kTable : nullptr;
}
