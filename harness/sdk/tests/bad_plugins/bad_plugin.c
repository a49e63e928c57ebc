/* Tiny plugins that are wrong in exactly one way each, for the loader tests. Built once per switch:
 *   BAD_NO_ENTRY       exports no bgc_vendor_entry
 *   BAD_REFUSES        bgc_vendor_entry returns NULL for version 1
 *   BAD_ABI_VERSION    the table says ABI version 99
 *   BAD_SHORT_TABLE    struct_size is smaller than a version-1 table
 *   BAD_NULL_REQUIRED  resume is NULL
 *   THREAD_AT_LOAD     valid, but starts a thread of its own when loaded, and Resume crashes it
 *                      (the isolated host must serve it without forking)
 *   EXIT_IN_RESUME     valid, but Resume ends the process with exit(0): a crash, not the end of the session
 *   CRASH_AFTER_RESUME valid, but Resume starts a thread that aborts the process 20 ms later: a crash
 *                      between two calls (a worker thread's), which the next call must meet
 *   NEWLINE_IN_NAME    valid, but its name has a newline in it (the isolated host's "ready" line must
 *                      still be one line)
 *   HANG_IN_RESUME     valid, but Resume never returns; it first creates the file $BGC_HANG_MARKER (when
 *                      set), so a test knows the run is waiting on the hung call
 *   MANAGER_FAILS_FROM_4TH  valid, but create_manager fails (E_FAIL) from its fourth call in the process
 *                      on: a run in-process stops after a case or two
 *   LEAK_IN_CREATE_JOB valid, but each CreateJob takes 64 MiB (written to, never freed) and crashes when
 *                      an allocation fails: the host's memory limit must end it, not the machine
 *   SPIN_IN_ADD_FILE   valid, but AddFile spins forever: with a long call timeout, the case's CPU time
 *                      runs out first (the host's CPU limit)
 *   CRASH_IN_CREATE_MANAGER  valid, but create_manager dereferences NULL: every case's reset crashes
 *   HANG_IN_CREATE_MANAGER   valid, but create_manager never returns: every case's reset hangs
 *   OUT_OF_RANGE_STATE valid, but get_state answers S_OK with state 42, which no BG_JOB_STATE is
 *   OUTPUT_FLOOD       valid, but create_job prints 256 KiB to stdout and a line to stderr, ending with
 *                      "create_job: the flood ends" (its output must reach the reports, not bgconform's)
 *   FORK_BOMB          valid, but Resume forks for ever, retrying each fork that fails: under the host's
 *                      process limit the call hangs with the limit reached. Without a limit it stops
 *                      after 2000 processes and answers S_OK; each dies with the process it came from.
 *   PROBE_HOST         valid; create_manager writes what the host gave it (environment, working
 *                      directory, limits, no_new_privs) to the file $BGC_PROBE_FILE names
 * With no switch it is a valid (if useless) plugin: every job stays SUSPENDED. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bgconform/vendor_abi.h"

struct bgc_manager {
  int unused;
};
struct bgc_job {
  int unused;
};

#ifdef PROBE_HOST
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
extern char** environ;
static void probe(void) {
  const char* path = getenv("BGC_PROBE_FILE");
  FILE* f = path != NULL ? fopen(path, "w") : NULL;
  if (f == NULL) return;
  for (char** e = environ; *e != NULL; ++e) fprintf(f, "env %s\n", *e);
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd) != NULL) fprintf(f, "cwd %s\n", cwd);
  struct rlimit r;
  getrlimit(RLIMIT_AS, &r);
  fprintf(f, "as %llu\n", (unsigned long long)r.rlim_cur);
  getrlimit(RLIMIT_CORE, &r);
  fprintf(f, "core %llu\n", (unsigned long long)r.rlim_cur);
  getrlimit(RLIMIT_FSIZE, &r);
  fprintf(f, "fsize %llu\n", (unsigned long long)r.rlim_cur);
  getrlimit(RLIMIT_CPU, &r);
  fprintf(f, "cpu %llu\n", (unsigned long long)r.rlim_cur);
  fprintf(f, "no_new_privs %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  fclose(f);
}
#endif

static bgc_hresult create_manager(uint32_t profile, const bgc_environment* env, bgc_manager** out) {
  (void)profile;
  (void)env;
#ifdef PROBE_HOST
  probe();
#endif
#ifdef CRASH_IN_CREATE_MANAGER
  *(volatile int*)out = 0;
  *(volatile int*)NULL = 1;
#endif
#ifdef HANG_IN_CREATE_MANAGER
  for (;;) pause();
#endif
#ifdef MANAGER_FAILS_FROM_4TH
  static int calls = 0;
  if (++calls > 3) return (bgc_hresult)0x80004005;
#endif
  *out = malloc(sizeof(bgc_manager));
  return 0;
}
static bgc_hresult destroy_manager(bgc_manager* m) {
  free(m);
  return 0;
}
static bgc_hresult create_job(bgc_manager* m, const char* name, bgc_job** out) {
  (void)m;
  (void)name;
#ifdef LEAK_IN_CREATE_JOB
  {
    const size_t leak = (size_t)64 << 20;
    static char* volatile kept; /* escapes: the compiler may not drop the allocation */
    (void)kept;
    char* block = malloc(leak);
    for (size_t i = 0; i < leak; i += 4096) block[i] = 1; /* NULL once the limit is reached: a crash */
    kept = block;
  }
#endif
#ifdef OUTPUT_FLOOD
  for (int line = 1; line <= 8192; ++line) printf("line %d of the flood%*s\n", line, 10, "");
  fflush(stdout);
  fprintf(stderr, "create_job: the flood ends\n");
#endif
  *out = malloc(sizeof(bgc_job));
  return 0;
}
static bgc_hresult release_job(bgc_job* j) {
  free(j);
  return 0;
}
static bgc_hresult add_file(bgc_job* j, const char* url, const char* local, bgc_file** file) {
  (void)j;
  (void)url;
  (void)local;
#ifdef SPIN_IN_ADD_FILE
  for (volatile unsigned long n = 0;; ++n) {
  }
#endif
  *file = NULL;
  return 0;
}
#ifdef THREAD_AT_LOAD
#include <pthread.h>
#include <unistd.h>
static void* idle(void* unused) {
  (void)unused;
  for (;;) pause();
  return NULL;
}
__attribute__((constructor)) static void start_thread(void) {
  pthread_t t;
  pthread_create(&t, NULL, idle, NULL);
}
static bgc_hresult resume(bgc_job* j) {
  (void)j;
  abort();
}
#define RESUME resume
#elif defined(HANG_IN_RESUME)
#include <fcntl.h>
#include <unistd.h>
static bgc_hresult resume(bgc_job* j) {
  (void)j;
  const char* marker = getenv("BGC_HANG_MARKER");
  if (marker != NULL) close(open(marker, O_CREAT | O_WRONLY, 0644));
  for (;;) pause();
  return 0; /* not reached */
}
#define RESUME resume
#elif defined(CRASH_AFTER_RESUME)
#include <pthread.h>
#include <unistd.h>
static void* crash_soon(void* unused) {
  (void)unused;
  usleep(20000);
  abort();
  return NULL;
}
static bgc_hresult resume(bgc_job* j) {
  (void)j;
  pthread_t t;
  pthread_create(&t, NULL, crash_soon, NULL);
  return 0;
}
#define RESUME resume
#elif defined(FORK_BOMB)
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
static bgc_hresult resume(bgc_job* j) {
  (void)j;
  for (int made = 0; made < 2000;) {
    const pid_t child = fork();
    if (child == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      for (;;) pause();
    }
    if (child > 0) ++made; /* a failed fork is tried again, as a fork bomb does */
  }
  return 0;
}
#define RESUME resume
#elif defined(EXIT_IN_RESUME)
static bgc_hresult resume(bgc_job* j) {
  (void)j;
  exit(0);
}
#define RESUME resume
#elif !defined(BAD_NULL_REQUIRED)
static bgc_hresult resume(bgc_job* j) {
  (void)j;
  return 0;
}
#define RESUME resume
#else
#define RESUME NULL
#endif
#ifdef OUT_OF_RANGE_STATE
static bgc_hresult get_state(bgc_job* j, uint32_t* state) {
  (void)j;
  *state = 42;
  return 0;
}
#else
static bgc_hresult get_state(bgc_job* j, uint32_t* state) {
  (void)j;
  *state = BGC_STATE_SUSPENDED;
  return 0;
}
#endif

#ifdef BAD_ABI_VERSION
#define VERSION 99
#else
#define VERSION BGC_VENDOR_ABI_VERSION
#endif
#ifdef BAD_SHORT_TABLE
#define SIZE offsetof(bgc_vendor_table, get_state)
#else
#define SIZE sizeof(bgc_vendor_table)
#endif

#ifdef NEWLINE_IN_NAME
#define NAME "bad\nplugin"
#else
#define NAME "bad plugin"
#endif

/* Members not named are NULL: not provided. */
static const bgc_vendor_table table = {
    .abi_version = VERSION,
    .struct_size = SIZE,
    .name = NAME,
    .profiles = BGC_PROFILE_BIT(BGC_PROFILE_BITS),
    .create_manager = create_manager,
    .destroy_manager = destroy_manager,
    .create_job = create_job,
    .release_job = release_job,
    .add_file = add_file,
    .resume = RESUME,
    .get_state = get_state,
};

#ifndef BAD_NO_ENTRY
BGC_VENDOR_EXPORT const bgc_vendor_table* bgc_vendor_entry(uint32_t requested) {
#ifdef BAD_REFUSES
  return requested == 0 ? &table : NULL; /* speaks only a version that never existed */
#else
  return requested == BGC_VENDOR_ABI_VERSION ? &table : NULL;
#endif
}
#else
BGC_VENDOR_EXPORT const bgc_vendor_table* bgc_vendor_entry_misspelt(uint32_t requested);
BGC_VENDOR_EXPORT const bgc_vendor_table* bgc_vendor_entry_misspelt(uint32_t requested) {
  (void)requested;
  return &table;
}
#endif
