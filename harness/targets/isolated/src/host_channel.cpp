#include "host_channel.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <new>

#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace bgc::channel {

namespace {

long futex(std::atomic<std::uint32_t>& word, int op, std::uint32_t value, const timespec* timeout) {
  // Not FUTEX_PRIVATE_FLAG: the word is in memory shared with another process.
  return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op, value, timeout, nullptr, 0);
}

void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

void sleep_on(std::atomic<std::uint32_t>& word, std::uint32_t expected, std::atomic<std::uint32_t>& sleeping,
              std::chrono::microseconds timeout) {
  sleeping.store(1, std::memory_order_seq_cst);
  if (word.load(std::memory_order_seq_cst) == expected) {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const timespec t{static_cast<time_t>(s.count()),
                     static_cast<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(timeout - s).count())};
    (void)futex(word, FUTEX_WAIT, expected, &t);  // EAGAIN (it changed), ETIMEDOUT, EINTR: the caller looks again
  }
  sleeping.store(0, std::memory_order_relaxed);
}

void store_and_wake(std::atomic<std::uint32_t>& word, std::uint32_t value, const std::atomic<std::uint32_t>& sleeping) {
  word.store(value, std::memory_order_seq_cst);
  if (sleeping.load(std::memory_order_seq_cst) != 0) (void)futex(word, FUTEX_WAKE, 1, nullptr);
}

bool watch(const std::atomic<std::uint32_t>& word, std::uint32_t expected, std::chrono::microseconds spin) {
  const auto until = std::chrono::steady_clock::now() + spin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (word.load(std::memory_order_acquire) != expected) return true;
      relax();
    }
    if (std::chrono::steady_clock::now() > until) return false;
  }
}

std::unique_ptr<HarnessEnd> HarnessEnd::create(std::string& error) {
  const int fd = ::memfd_create("bgconform-channel", MFD_CLOEXEC);
  if (fd < 0) {
    error = std::string("memfd_create: ") + std::strerror(errno);
    return nullptr;
  }
  void* memory = MAP_FAILED;
  if (::ftruncate(fd, sizeof(Shared)) == 0)
    memory = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (memory == MAP_FAILED) {
    error = std::string("cannot map the host channel: ") + std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  Shared* shared = ::new (memory) Shared{};
  shared->magic = kMagic;
  shared->layout = kLayout;
  return std::unique_ptr<HarnessEnd>(new HarnessEnd(fd, shared));
}

HarnessEnd::~HarnessEnd() {
  ::munmap(shared_, sizeof(Shared));
  ::close(fd_);
}

std::uint32_t HarnessEnd::post() {
  batch_ = (batch_ + 1) & ((1u << (32 - kCountBits)) - 1);
  store_and_wake(shared_->posted, batch_, shared_->host_sleeping);
  return batch_;
}

Shared* attach_from_environment() {
  const char* name = std::getenv(kChannelFdVariable);
  if (name == nullptr) return nullptr;
  char* end = nullptr;
  const long fd = std::strtol(name, &end, 10);
  struct stat st {};
  if (end == name || *end != '\0' || fd < 0 || ::fstat(static_cast<int>(fd), &st) != 0 ||
      st.st_size != static_cast<off_t>(sizeof(Shared)))
    return nullptr;
  void* memory = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED, static_cast<int>(fd), 0);
  ::close(static_cast<int>(fd));  // the mapping keeps the memory; the library need not see the fd
  if (memory == MAP_FAILED) return nullptr;
  Shared* shared = static_cast<Shared*>(memory);
  if (shared->magic != kMagic || shared->layout != kLayout) {
    ::munmap(memory, sizeof(Shared));
    return nullptr;
  }
  return shared;
}

std::uint32_t next_batch(Shared& s, std::uint32_t seen) {
  // The harness posts the next batch within microseconds of reading an answer while a case runs;
  // between cases and runs it may be much longer, and the host sleeps.
  constexpr std::chrono::microseconds kWatch{100};
  for (;;) {
    if (watch(s.posted, seen, kWatch)) return s.posted.load(std::memory_order_acquire);
    sleep_on(s.posted, seen, s.host_sleeping, std::chrono::seconds(1));
  }
}

void publish(Shared& s, std::uint32_t word) { store_and_wake(s.answered, word, s.harness_sleeping); }

}  // namespace bgc::channel
