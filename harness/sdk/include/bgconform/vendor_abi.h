/* The bgconform vendor ABI: how a job service delivered as a shared library meets the harness.
 *
 * Plain C (C99), no C++ here, so a vendor can implement it in any language with a C FFI.
 *
 * The pattern is the Vulkan ICD / PKCS#11 one: the library exports exactly one function,
 * bgc_vendor_entry(), which returns a constant table of function pointers. The table starts with
 * its ABI version and its size in bytes, so later versions can append members without breaking
 * older libraries or older harnesses.
 *
 * Conventions for every function in the table:
 *   - it returns a 32-bit HRESULT (bgc_hresult): >= 0 success, < 0 failure, the numbers BITS (or
 *     Delivery Optimization) documents where it documents one: vendor_codes.h has them
 *     (BGC_S_OK, BGC_BG_E_INVALID_STATE, ...);
 *   - out-pointers are written on success and set to NULL / left alone on failure;
 *   - handles are opaque; the harness never looks inside them;
 *   - strings are UTF-8, NUL-terminated; strings returned by the library stay valid until the object
 *     they came from is released;
 *   - calls come from one harness thread, one at a time;
 *   - a NULL member means "not provided": the harness answers that stimulus with "not-supported"
 *     instead of calling it. The members marked REQUIRED must not be NULL (the harness refuses to
 *     load the library otherwise).
 *
 * Time: an implementation that accepts the environment (bgc_environment below) reads the clock from
 * it and provides run_until(); the harness then owns time completely, and a run is deterministic and
 * as fast as the implementation. One without run_until() is driven in real time.
 */
#ifndef BGCONFORM_VENDOR_ABI_H
#define BGCONFORM_VENDOR_ABI_H

#include <stdint.h>

#include "bgconform/vendor_codes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. Bump on incompatible change; appending members to the
 * tables is compatible and does not bump it (struct_size tells the sizes apart). */
#define BGC_VENDOR_ABI_VERSION 1u

/* The name of the one exported symbol. */
#define BGC_VENDOR_ENTRY_NAME "bgc_vendor_entry"

#if defined(_WIN32)
#define BGC_VENDOR_EXPORT __declspec(dllexport)
#else
#define BGC_VENDOR_EXPORT __attribute__((visibility("default")))
#endif

/* Opaque handles, defined by the implementation. */
typedef struct bgc_manager bgc_manager; /* one job service (IBackgroundCopyManager) */
typedef struct bgc_job bgc_job;         /* a client reference to one job (IBackgroundCopyJob) */
typedef struct bgc_file bgc_file;       /* one file of a job; owned by the job, never released */
typedef struct bgc_error bgc_error;     /* a client reference to an error object (IBackgroundCopyError) */

/* BG_JOB_STATE: the values get_state reports (the numbers of Microsoft's enumeration). */
enum {
  BGC_STATE_QUEUED = 0,
  BGC_STATE_CONNECTING = 1,
  BGC_STATE_TRANSFERRING = 2,
  BGC_STATE_SUSPENDED = 3,
  BGC_STATE_ERROR = 4,
  BGC_STATE_TRANSIENT_ERROR = 5,
  BGC_STATE_TRANSFERRED = 6,
  BGC_STATE_ACKNOWLEDGED = 7,
  BGC_STATE_CANCELLED = 8
};

/* BG_ERROR_CONTEXT: the values error_get_error reports (the numbers of Microsoft's enumeration). */
enum {
  BGC_CONTEXT_NONE = 0,
  BGC_CONTEXT_UNKNOWN = 1,
  BGC_CONTEXT_GENERAL_QUEUE_MANAGER = 2,
  BGC_CONTEXT_QUEUE_MANAGER_NOTIFICATION = 3,
  BGC_CONTEXT_LOCAL_FILE = 4,
  BGC_CONTEXT_REMOTE_FILE = 5,
  BGC_CONTEXT_GENERAL_TRANSPORT = 6,
  BGC_CONTEXT_REMOTE_APPLICATION = 7,
  BGC_CONTEXT_SERVER_CERTIFICATE_CALLBACK = 8
};

/* Which interface family the harness checks the service as: BITS codes or Delivery Optimization's. */
enum { BGC_PROFILE_BITS = 0, BGC_PROFILE_DO = 1 };
/* Bits for bgc_vendor_table.profiles. */
#define BGC_PROFILE_BIT(p) (1u << (p))

/* BG_JOB_PROGRESS. bytes_total is UINT64_MAX (BG_SIZE_UNKNOWN) while some file's size is unknown. */
typedef struct bgc_progress {
  uint64_t bytes_total;
  uint64_t bytes_transferred;
  uint32_t files_total;
  uint32_t files_transferred;
} bgc_progress;

/* ---- The environment the harness hands to create_manager (optional) ---------------------------
 *
 * A cooperating implementation does all its I/O and reads all its time through this table; the
 * harness scripts the answers (a source answers 200, 404, refuses, resets, stalls; the network goes
 * down) and moves the clock. URLs the harness uses: "http://127.0.0.1/src0" .. "/src2" and the local
 * file "file:///bgc/src3".
 */

/* What an open or a read ran into. */
enum {
  BGC_IO_DATA = 0,        /* open: connected, size known; read: `bytes` bytes arrived (0: none yet) */
  BGC_IO_HTTP_STATUS = 1, /* the server answered an HTTP error status (http_status) */
  BGC_IO_REFUSED = 2,     /* connection refused */
  BGC_IO_RESET = 3,       /* connection reset */
  BGC_IO_STALL = 4,       /* accepted, then silence: nothing will come until the source changes */
  BGC_IO_NOT_FOUND = 5,   /* a local file that does not exist */
  BGC_IO_NETWORK_DOWN = 6 /* the machine is offline */
};

typedef struct bgc_io_answer {
  uint32_t result;         /* BGC_IO_* */
  uint32_t http_status;    /* BGC_IO_HTTP_STATUS */
  uint64_t size;           /* open, BGC_IO_DATA: the size of the file in bytes */
  uint32_t bytes;          /* read, BGC_IO_DATA: bytes delivered by this read */
  uint32_t header_seconds; /* open, BGC_IO_DATA: how long the source took to send its headers */
  uint32_t chunk_bytes;    /* open, BGC_IO_DATA: the source sends chunk_bytes ... */
  uint32_t chunk_seconds;  /* ... every chunk_seconds of (virtual) time */
} bgc_io_answer;

typedef struct bgc_stream bgc_stream; /* an open transfer, owned by the harness */

typedef struct bgc_environment {
  uint32_t struct_size; /* sizeof(bgc_environment) of the harness that built it */
  void* context;        /* passed back as the first argument of every member */
  /* Seconds of virtual time since the manager was created. Inside run_until it starts at the time
   * the previous run ended and moves only by wait_until. */
  uint64_t (*now)(void* context);
  /* Sends a request for `url` now. Fills *answer; on BGC_IO_DATA *stream is an open stream the
   * implementation must close(), otherwise it is NULL. */
  void (*open)(void* context, const char* url, bgc_stream** stream, bgc_io_answer* answer);
  /* Takes up to max_bytes of what has arrived on the stream by now() (the content is irrelevant;
   * buffer may be NULL). An error answer means the stream is dead: close it. */
  void (*read)(void* context, bgc_stream* stream, void* buffer, uint32_t max_bytes, bgc_io_answer* answer);
  void (*close)(void* context, bgc_stream* stream);
  /* Inside run_until: lets virtual time pass up to t (never past the `until` of that run_until,
   * never backwards) — what a sleep or a timer wait is in real time. now() and the transport then
   * answer as of t. An implementation that keeps its own clock need not call it: at the end of
   * run_until the harness's clock is at `until` anyway. */
  void (*wait_until)(void* context, uint64_t t);
} bgc_environment;

/* ---- The vendor table ------------------------------------------------------------------------ */

typedef struct bgc_vendor_table {
  uint32_t abi_version; /* BGC_VENDOR_ABI_VERSION the library was built for */
  uint32_t struct_size; /* sizeof(bgc_vendor_table) as the library sees it */
  const char* name;     /* implementation name and version for reports, UTF-8 */
  uint32_t profiles;    /* BGC_PROFILE_BIT(BGC_PROFILE_BITS) | ...: the profiles it can run */

  /* REQUIRED. A fresh service in `profile` (no jobs, clock at 0). `environment` is NULL when the
   * harness drives the implementation as a black box; otherwise it stays valid until
   * destroy_manager. */
  bgc_hresult (*create_manager)(uint32_t profile, const bgc_environment* environment, bgc_manager** manager);
  /* REQUIRED. Ends the service. The harness releases every job and error handle first. */
  bgc_hresult (*destroy_manager)(bgc_manager* manager);
  /* Runs the service's own work (scheduler, transfers, timers) up to virtual time `until`
   * (seconds, as environment->now() will then say) and returns. The harness calls it for every
   * Advance, and with until == now() right after a Source or Network event so the service can react
   * at once: what its scheduler and transport do in no time (a queued job connects, a connection
   * answers, a retry whose delay is over starts) is allowed then; what takes time waits for an Advance.
   * NULL: the implementation runs in real time on its own. */
  bgc_hresult (*run_until)(bgc_manager* manager, uint64_t until);

  /* IBackgroundCopyManager::CreateJob (REQUIRED): a new download job, SUSPENDED (ST-1). */
  bgc_hresult (*create_job)(bgc_manager* manager, const char* display_name, bgc_job** job);
  /* IBackgroundCopyJob::Release (REQUIRED): the client lets go of the job. The job keeps running in
   * the service; error objects taken from it stay valid. */
  bgc_hresult (*release_job)(bgc_job* job);

  /* IBackgroundCopyJob::AddFile (REQUIRED; in DO, AddFileWithRanges over the whole file, M-34).
   * On success *file names the new file for as long as the job or an error object that names it
   * lives; the harness compares it with what error_get_file returns. */
  bgc_hresult (*add_file)(bgc_job* job, const char* remote_url, const char* local_name, bgc_file** file);
  bgc_hresult (*resume)(bgc_job* job);   /* REQUIRED. IBackgroundCopyJob::Resume */
  bgc_hresult (*suspend)(bgc_job* job);  /* IBackgroundCopyJob::Suspend */
  bgc_hresult (*cancel)(bgc_job* job);   /* IBackgroundCopyJob::Cancel */
  bgc_hresult (*complete)(bgc_job* job); /* IBackgroundCopyJob::Complete */
  /* REQUIRED. IBackgroundCopyJob::GetState: a BGC_STATE_* value. */
  bgc_hresult (*get_state)(bgc_job* job, uint32_t* state);
  /* IBackgroundCopyJob::GetError: a new error reference (release with release_error), or the
   * error-information-unavailable code and NULL. */
  bgc_hresult (*get_error)(bgc_job* job, bgc_error** error);
  bgc_hresult (*get_progress)(bgc_job* job, bgc_progress* progress);
  bgc_hresult (*get_error_count)(bgc_job* job, uint32_t* count); /* IBackgroundCopyJob2 */
  bgc_hresult (*set_no_progress_timeout)(bgc_job* job, uint32_t seconds);
  bgc_hresult (*get_no_progress_timeout)(bgc_job* job, uint32_t* seconds);
  bgc_hresult (*set_minimum_retry_delay)(bgc_job* job, uint32_t seconds);
  bgc_hresult (*get_minimum_retry_delay)(bgc_job* job, uint32_t* seconds);

  /* IBackgroundCopyError::GetError: the context (BGC_CONTEXT_*) and code of the failure. */
  bgc_hresult (*error_get_error)(bgc_error* error, uint32_t* context, bgc_hresult* code);
  /* IBackgroundCopyError::GetFile: the file that failed (a handle add_file returned), or the
   * file-not-available code and NULL. */
  bgc_hresult (*error_get_file)(bgc_error* error, bgc_file** file);
  /* IBackgroundCopyError::GetProtocol: "http", "https", "file", ...; or BG_E_PROTOCOL_NOT_AVAILABLE
   * and NULL. The string lives as long as the error reference. */
  bgc_hresult (*error_get_protocol)(bgc_error* error, const char** protocol);
  /* IBackgroundCopyError::GetErrorDescription / GetErrorContextDescription for a Windows language
   * id (the harness asks for 0x0409). The string lives as long as the error reference. */
  bgc_hresult (*error_get_error_description)(bgc_error* error, uint32_t language_id, const char** text);
  bgc_hresult (*error_get_error_context_description)(bgc_error* error, uint32_t language_id, const char** text);
  /* IBackgroundCopyError::Release. */
  bgc_hresult (*release_error)(bgc_error* error);
} bgc_vendor_table;

/* The one exported function. The harness passes the ABI version it speaks; the library returns its
 * table (a static constant, never freed), or NULL if it cannot serve that version. The table's own
 * abi_version must equal the requested one. */
typedef const bgc_vendor_table* (*bgc_vendor_entry_fn)(uint32_t requested_abi_version);

#ifdef __cplusplus
}
#endif

#endif /* BGCONFORM_VENDOR_ABI_H */
