/* A minimal job service behind the bgconform vendor ABI (harness/sdk/include/bgconform/vendor_abi.h).
 *
 * Read this to see what a plugin has to do; it is deliberately not fully conformant. It does:
 *   - jobs that start SUSPENDED, Resume/Suspend/Cancel/Complete with the BITS codes for final states;
 *   - downloads through the harness's transport, one file after the other, on the harness's clock
 *     (run_until), so runs are deterministic;
 *   - fatal HTTP 4xx -> ERROR, every other failure -> TRANSIENT_ERROR, retried after the retry delay;
 *   - error objects as reference-counted snapshots, cleared when the job transfers again.
 * It leaves out (bgconform will report these):
 *   - CONNECTING (it connects instantly), the one-job-at-a-time rule (I-12), time slices;
 *   - the no-progress timeout (ST-12, ST-13, ST-14) and GetErrorCount (E-9): those members are NULL,
 *     so the harness answers "not-supported";
 *   - network reconnection re-queuing at once (ST-15): it waits for its retry timer instead;
 *   - holding retries while the network is down: it retries on its timer (a move ST-9 does not allow),
 *     and the retry's network error replaces the job's error, so an error object taken then names no file;
 *   - GetProtocol and the descriptions (NULL), and the DO profile.
 */
#include <stdlib.h>
#include <string.h>

#include "bgconform/vendor_abi.h"

#define MAX_FILES 8

struct bgc_file {
  char url[64];
  uint64_t size, received;
};

/* An error object: a snapshot, shared by the job and the client references (refcount). */
struct bgc_error {
  int refs;
  uint32_t context;
  bgc_hresult code;
  bgc_file* file;
};

struct bgc_job {
  struct bgc_manager* manager;
  struct bgc_job* next; /* the manager's list of every job, released or not */
  int client_refs;      /* 1 while the client holds the job */
  uint32_t state;
  bgc_file files[MAX_FILES];
  int file_count, current;
  bgc_stream* stream;
  bgc_error* error; /* the job's current error, or NULL */
  uint32_t retry_delay;
  uint64_t retry_at;
};

struct bgc_manager {
  const bgc_environment* env;
  uint64_t now;
  bgc_job* jobs;
};

static int is_final(uint32_t s) { return s == BGC_STATE_ACKNOWLEDGED || s == BGC_STATE_CANCELLED; }

static void error_release(bgc_error* e) {
  if (e != NULL && --e->refs == 0) free(e);
}

static void close_stream(bgc_job* j) {
  if (j->stream != NULL) j->manager->env->close(j->manager->env->context, j->stream);
  j->stream = NULL;
}

/* A failed request: record the error and decide between ERROR and TRANSIENT_ERROR. */
static void fail(bgc_job* j, const bgc_io_answer* a) {
  bgc_error* e = calloc(1, sizeof *e);
  e->refs = 1;
  e->file = &j->files[j->current];
  if (a->result == BGC_IO_HTTP_STATUS) {
    e->context = BGC_CONTEXT_REMOTE_FILE;
    e->code = BGC_BG_E_HTTP_ERROR(a->http_status);
  } else if (a->result == BGC_IO_NOT_FOUND) {
    e->context = BGC_CONTEXT_LOCAL_FILE;
    e->code = (bgc_hresult)0x80070002;
  } else {
    e->context = BGC_CONTEXT_GENERAL_TRANSPORT;
    e->code = a->result == BGC_IO_NETWORK_DOWN ? BGC_BG_E_NETWORK_DISCONNECTED : (bgc_hresult)0x80072EFD;
    e->file = NULL;
  }
  error_release(j->error);
  j->error = e;
  close_stream(j);
  const int fatal = (a->result == BGC_IO_HTTP_STATUS && a->http_status >= 400 && a->http_status < 500) ||
                    a->result == BGC_IO_NOT_FOUND;
  j->state = fatal ? BGC_STATE_ERROR : BGC_STATE_TRANSIENT_ERROR;
  j->retry_at = j->manager->now + j->retry_delay;
}

/* One second of work for one job. */
static void step(bgc_job* j) {
  const bgc_environment* env = j->manager->env;
  bgc_io_answer a;
  if (j->state == BGC_STATE_TRANSIENT_ERROR && j->manager->now >= j->retry_at) j->state = BGC_STATE_QUEUED;
  if (j->state == BGC_STATE_QUEUED) {
    env->open(env->context, j->files[j->current].url, &j->stream, &a);
    if (a.result != BGC_IO_DATA) {
      fail(j, &a);
      return;
    }
    j->files[j->current].size = a.size;
    j->state = BGC_STATE_TRANSFERRING;
    error_release(j->error); /* the error is gone once the job transfers again (E-2, E-3) */
    j->error = NULL;
    return;
  }
  if (j->state != BGC_STATE_TRANSFERRING) return;
  bgc_file* f = &j->files[j->current];
  env->read(env->context, j->stream, NULL, (uint32_t)(f->size - f->received), &a);
  if (a.result != BGC_IO_DATA) {
    fail(j, &a);
    return;
  }
  f->received += a.bytes;
  if (f->received < f->size) return;
  close_stream(j);
  if (++j->current == j->file_count)
    j->state = BGC_STATE_TRANSFERRED;
  else
    j->state = BGC_STATE_QUEUED; /* the next file on the next tick */
}

static bgc_hresult run_until(bgc_manager* m, uint64_t until) {
  while (m->now < until) {
    ++m->now;
    m->env->wait_until(m->env->context, m->now); /* "sleep" one second of the harness's time */
    for (bgc_job* j = m->jobs; j != NULL; j = j->next) step(j);
  }
  return BGC_S_OK;
}

static bgc_hresult create_manager(uint32_t profile, const bgc_environment* env, bgc_manager** out) {
  if (profile != BGC_PROFILE_BITS || env == NULL) return BGC_E_INVALIDARG; /* needs the harness's transport */
  *out = calloc(1, sizeof **out);
  (*out)->env = env;
  return BGC_S_OK;
}

static bgc_hresult destroy_manager(bgc_manager* m) {
  while (m->jobs != NULL) {
    bgc_job* j = m->jobs;
    m->jobs = j->next;
    close_stream(j);
    error_release(j->error);
    free(j);
  }
  free(m);
  return BGC_S_OK;
}

static bgc_hresult create_job(bgc_manager* m, const char* name, bgc_job** out) {
  (void)name;
  bgc_job* j = calloc(1, sizeof *j);
  j->manager = m;
  j->client_refs = 1;
  j->state = BGC_STATE_SUSPENDED;
  j->retry_delay = 600;
  j->next = m->jobs;
  m->jobs = j;
  *out = j;
  return BGC_S_OK;
}

/* The job stays in the manager's list and keeps running; the manager frees it at the end. */
static bgc_hresult release_job(bgc_job* j) {
  j->client_refs = 0;
  return BGC_S_OK;
}

static bgc_hresult add_file(bgc_job* j, const char* url, const char* local, bgc_file** out) {
  (void)local;
  if (is_final(j->state)) return BGC_BG_E_INVALID_STATE;
  if (j->file_count == MAX_FILES || strlen(url) >= sizeof j->files[0].url) return BGC_E_INVALIDARG;
  bgc_file* f = &j->files[j->file_count++];
  strcpy(f->url, url);
  if (j->state == BGC_STATE_TRANSFERRED) j->state = BGC_STATE_SUSPENDED; /* wait for Resume (ST-24) */
  *out = f;
  return BGC_S_OK;
}

static bgc_hresult resume(bgc_job* j) {
  if (is_final(j->state)) return BGC_BG_E_INVALID_STATE;
  if (j->file_count == 0) return BGC_BG_E_EMPTY;
  if (j->current == j->file_count) return BGC_S_OK; /* nothing left to fetch */
  if (j->state == BGC_STATE_SUSPENDED || j->state == BGC_STATE_ERROR || j->state == BGC_STATE_TRANSIENT_ERROR)
    j->state = BGC_STATE_QUEUED;
  return BGC_S_OK;
}

static bgc_hresult suspend(bgc_job* j) {
  if (is_final(j->state)) return BGC_BG_E_INVALID_STATE;
  close_stream(j);
  j->state = BGC_STATE_SUSPENDED;
  return BGC_S_OK;
}

static bgc_hresult cancel(bgc_job* j) {
  if (is_final(j->state)) return BGC_BG_E_INVALID_STATE;
  close_stream(j);
  j->state = BGC_STATE_CANCELLED;
  return BGC_S_OK;
}

static bgc_hresult complete(bgc_job* j) {
  if (is_final(j->state)) return BGC_BG_E_INVALID_STATE;
  close_stream(j);
  const int partial = j->current > 0 && j->current < j->file_count;
  j->state = BGC_STATE_ACKNOWLEDGED;
  return partial ? BGC_BG_S_PARTIAL_COMPLETE : BGC_S_OK;
}

static bgc_hresult get_state(bgc_job* j, uint32_t* state) {
  *state = j->state;
  return BGC_S_OK;
}

static bgc_hresult get_error(bgc_job* j, bgc_error** out) {
  *out = NULL;
  if (j->error == NULL || is_final(j->state)) return BGC_BG_E_ERROR_INFORMATION_UNAVAILABLE;
  ++j->error->refs;
  *out = j->error;
  return BGC_S_OK;
}

static bgc_hresult get_progress(bgc_job* j, bgc_progress* p) {
  memset(p, 0, sizeof *p);
  p->files_total = (uint32_t)j->file_count;
  p->files_transferred = (uint32_t)j->current;
  for (int i = 0; i < j->file_count; ++i) {
    if (j->files[i].size == 0)
      p->bytes_total = UINT64_MAX; /* not known before the first answer */
    else if (p->bytes_total != UINT64_MAX)
      p->bytes_total += j->files[i].size;
    p->bytes_transferred += j->files[i].received;
  }
  return BGC_S_OK;
}

static bgc_hresult set_minimum_retry_delay(bgc_job* j, uint32_t s) {
  if (is_final(j->state)) return BGC_BG_E_INVALID_STATE;
  j->retry_delay = s < 5 ? 5 : s;
  return BGC_S_OK;
}
static bgc_hresult get_minimum_retry_delay(bgc_job* j, uint32_t* s) {
  *s = j->retry_delay;
  return BGC_S_OK;
}

static bgc_hresult error_get_error(bgc_error* e, uint32_t* context, bgc_hresult* code) {
  *context = e->context;
  *code = e->code;
  return BGC_S_OK;
}
static bgc_hresult error_get_file(bgc_error* e, bgc_file** file) {
  *file = e->file;
  return e->file != NULL ? BGC_S_OK : BGC_BG_E_FILE_NOT_AVAILABLE;
}
static bgc_hresult release_error(bgc_error* e) {
  error_release(e);
  return BGC_S_OK;
}

static const bgc_vendor_table table = {
    .abi_version = BGC_VENDOR_ABI_VERSION,
    .struct_size = sizeof(bgc_vendor_table),
    .name = "minimal example 0.1",
    .profiles = BGC_PROFILE_BIT(BGC_PROFILE_BITS),
    .create_manager = create_manager,
    .destroy_manager = destroy_manager,
    .run_until = run_until,
    .create_job = create_job,
    .release_job = release_job,
    .add_file = add_file,
    .resume = resume,
    .suspend = suspend,
    .cancel = cancel,
    .complete = complete,
    .get_state = get_state,
    .get_error = get_error,
    .get_progress = get_progress,
    .set_minimum_retry_delay = set_minimum_retry_delay,
    .get_minimum_retry_delay = get_minimum_retry_delay,
    .error_get_error = error_get_error,
    .error_get_file = error_get_file,
    .release_error = release_error,
    /* not provided (NULL): get_error_count, the no-progress timeout, GetProtocol, descriptions */
};

BGC_VENDOR_EXPORT const bgc_vendor_table* bgc_vendor_entry(uint32_t requested_abi_version) {
  return requested_abi_version == BGC_VENDOR_ABI_VERSION ? &table : NULL;
}
