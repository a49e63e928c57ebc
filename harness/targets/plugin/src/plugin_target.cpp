// PluginTarget: each stimulus becomes one call through the vendor table; each answer an Observation.
// Out-of-range answers are kept as they came, under hr::kOutOfRange (Observation::odd).
#include "bgconform/plugin_target.h"

#include <atomic>
#include <csignal>
#include <string_view>

#include <unistd.h>

#include "bgconform/abi_functions.h"
#include "harness_environment.h"
#include "vendor_library.h"

namespace bgc {

namespace {

Observation answered(HRESULT h) {
  Observation o;
  o.hr = h;
  return o;
}
Observation not_supported() {
  Observation o;
  o.outcome = Outcome::NotSupported;
  return o;
}
// The same answer ReferenceTarget gives a stimulus naming an empty slot.
const Observation kNoSuchObject = answered(hr::kE_INVALIDARG);
constexpr std::uint32_t kEnglish = 0x0409;

Protocol protocol_from(const char* text) {
  if (text == nullptr) return Protocol::None;
  const std::string_view p(text);
  if (p == "http" || p == "https" || p == "HTTP" || p == "HTTPS") return Protocol::Http;
  if (p == "file" || p == "FILE") return Protocol::File;
  return Protocol::Other;
}

// The function the library is in (abi_functions.h): this process's own byte, or the host's shared one.
std::atomic<std::uint8_t> g_own_note{0};
std::atomic<std::uint8_t>* g_note = &g_own_note;

// Whether a PluginTarget of this process is inside its library now (report_crashes_in_calls).
volatile std::sig_atomic_t g_in_library = 0;
int g_crash_exit_code = 3;

extern "C" void on_crash_signal(int signal) {
  if (g_in_library == 0) {  // the harness's own: as it would have been
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  // write() only: a signal handler may not allocate.
  const auto say = [](std::string_view text) {
    [[maybe_unused]] const ssize_t ignored = ::write(2, text.data(), text.size());
  };
  say("bgconform: the target crashed inside the harness process (a library loaded with --no-isolate)");
  if (const std::string_view in = vendor::abi_function_name(g_note->load()); !in.empty()) {
    say(" in ");
    say(in);
  }
  say("; run it isolated to have the crash reported with its case\n");
  ::_exit(g_crash_exit_code);
}

// Marks the time spent in the library's calls (and in the harness environment it calls back into).
class InLibrary {
 public:
  InLibrary() : was_(g_in_library) { g_in_library = 1; }
  ~InLibrary() { g_in_library = was_; }
  InLibrary(const InLibrary&) = delete;
  InLibrary& operator=(const InLibrary&) = delete;

 private:
  std::sig_atomic_t was_;
};

// Notes `f` as the function the library is in until the end of the full expression.
class Calling {
 public:
  explicit Calling(vendor::AbiFunction f) { g_note->store(static_cast<std::uint8_t>(f), std::memory_order_relaxed); }
  ~Calling() { g_note->store(0, std::memory_order_relaxed); }
  Calling(const Calling&) = delete;
  Calling& operator=(const Calling&) = delete;
};

// Calls the table's `fn` (of `t`, the table in scope), noting it first: the name noted is the
// function called, by construction.
#define ABI_CALL(fn, ...) (Calling(vendor::AbiFunction::fn), t.fn(__VA_ARGS__))

}  // namespace

void vendor::note_calls_in(std::atomic<std::uint8_t>* slot) { g_note = slot != nullptr ? slot : &g_own_note; }
std::atomic<std::uint8_t>& vendor::calls_noted() { return *g_note; }

void PluginTarget::report_crashes_in_calls(int exit_code) {
  g_crash_exit_code = exit_code;
  for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(signal, on_crash_signal);
}

// The client's references, by slot (as ReferenceTarget::Session).
struct PluginTarget::Handles {
  bgc_manager* manager = nullptr;
  std::array<bgc_job*, kMaxJobs> jobs{};
  std::array<std::vector<bgc_file*>, kMaxJobs> files{};  // what AddFile returned, in order
  struct Held {
    bgc_error* error = nullptr;
    std::vector<bgc_file*> files;  // the files of the job it came from, to map GetFile back to an index
  };
  std::array<std::array<Held, kMaxHandlesPerJob>, kMaxJobs> errors{};
};

PluginTarget::PluginTarget(std::unique_ptr<vendor::VendorLibrary> library)
    : library_(std::move(library)),
      environment_(std::make_unique<vendor::HarnessEnvironment>()),
      handles_(std::make_unique<Handles>()) {}

std::unique_ptr<PluginTarget> PluginTarget::load(const std::string& path, std::string& error) {
  const InLibrary in_library;  // its initialisers and its entry point run here
  auto library = vendor::load_vendor_library(path, error);
  if (!library) return nullptr;
  return std::unique_ptr<PluginTarget>(new PluginTarget(std::move(library)));
}

PluginTarget::~PluginTarget() {
  const InLibrary in_library;
  release_all();
}

Capabilities PluginTarget::capabilities() const {
  const bgc_vendor_table& t = library_->table;
  Capabilities c;
  // Without run_until the implementation moves in real time: neither repeatable nor on our clock.
  c.deterministic = t.run_until != nullptr;
  c.virtual_clock = t.run_until != nullptr;
  c.fault_injection = true;  // the transport is ours
  c.profiles.clear();
  if (t.profiles & BGC_PROFILE_BIT(BGC_PROFILE_BITS)) c.profiles.push_back(Profile::Bits);
  if (t.profiles & BGC_PROFILE_BIT(BGC_PROFILE_DO)) c.profiles.push_back(Profile::Do);
  return c;
}

std::string PluginTarget::implementation_name() const {
  return library_->table.name != nullptr ? library_->table.name : "(unnamed)";
}

std::string PluginTarget::name() const { return "plugin:" + implementation_name(); }

void PluginTarget::release_all() {
  const bgc_vendor_table& t = library_->table;
  Handles& h = *handles_;
  for (auto& per_job : h.errors) {
    for (Handles::Held& held : per_job) {
      if (held.error != nullptr && t.release_error != nullptr) ABI_CALL(release_error, held.error);
      held = {};
    }
  }
  for (std::size_t j = 0; j < h.jobs.size(); ++j) {
    if (h.jobs[j] != nullptr) ABI_CALL(release_job, h.jobs[j]);
    h.jobs[j] = nullptr;
    h.files[j].clear();
  }
  if (h.manager != nullptr) ABI_CALL(destroy_manager, h.manager);
  h.manager = nullptr;
}

void PluginTarget::reset(Profile profile) {
  const InLibrary in_library;
  const bgc_vendor_table& t = library_->table;
  release_all();
  environment_->reset();
  if (!(library_->table.profiles & BGC_PROFILE_BIT(static_cast<std::uint32_t>(profile)))) {
    throw PluginError("plugin '" + library_->path + "' does not offer the profile '" + std::string(bgc::name(profile)) +
                      "'");
  }
  const HRESULT r =
      ABI_CALL(create_manager, static_cast<std::uint32_t>(profile), environment_->table(), &handles_->manager);
  if (hr::failed(r) || handles_->manager == nullptr) {
    handles_->manager = nullptr;
    throw PluginError(
        "plugin '" + library_->path + "': create_manager " +
        (hr::failed(r) ? "failed with " + hresult_text(r) : "answered " + hresult_text(r) + " but no manager (NULL)"));
  }
}

Observation PluginTarget::apply(const Stimulus& s) {
  const InLibrary in_library;
  if (handles_->manager == nullptr) reset(capabilities().profiles.front());
  if (is_environment(s.op)) return environment_event(s);
  if (s.job >= kMaxJobs) return kNoSuchObject;
  if (takes_handle(s.op)) return handle_call(s);
  return job_call(s);
}

Observation PluginTarget::environment_event(const Stimulus& s) {
  const bgc_vendor_table& t = library_->table;
  std::uint64_t until = environment_->now();
  switch (s.op) {
    case Op::Source: environment_->set_source(s.index, s.behaviour, s.status); break;
    case Op::Network: environment_->set_network(s.index != 0); break;
    default:  // Advance: an interval [a, b] is taken at its lower end, as the reference does
      until += s.seconds;
      break;
  }
  // A change in the world is news at once (a real service hears of network changes immediately);
  // time passing is the service's work up to the new now.
  environment_->begin_run(until);
  Observation o;
  if (t.run_until != nullptr) o.hr = ABI_CALL(run_until, handles_->manager, until);
  environment_->end_run();
  return o;
}

Observation PluginTarget::job_call(const Stimulus& s) {
  const bgc_vendor_table& t = library_->table;
  Handles& h = *handles_;
  bgc_job*& job = h.jobs[s.job];
  Observation o;

  if (s.op == Op::CreateJob) {
    if (job != nullptr) ABI_CALL(release_job, job);  // the client drops what it held there
    job = nullptr;
    h.files[s.job].clear();
    const std::string display = "bgc j" + std::to_string(s.job);
    o.hr = ABI_CALL(create_job, h.manager, display.c_str(), &job);
    if (hr::failed(o.hr)) {
      job = nullptr;
      return o;
    }
    if (job == nullptr) return out_of_range(OddAnswer::NoObject, o.hr);
    std::uint32_t state = 0;
    const HRESULT r = ABI_CALL(get_state, job, &state);
    if (hr::failed(r)) return answered(r);
    if (state >= static_cast<std::uint32_t>(kJobStateCount)) return out_of_range(OddAnswer::State, r, state);
    o.state = static_cast<JobState>(state);
    return o;
  }
  if (job == nullptr) return kNoSuchObject;

  switch (s.op) {
    case Op::ReleaseJob:
      o.hr = ABI_CALL(release_job, job);
      job = nullptr;  // whatever it answered, the client no longer holds it
      h.files[s.job].clear();
      return o;
    case Op::AddFile: {
      const std::string url = vendor::source_url(s.index);
      const std::string local = "/bgc/out/j" + std::to_string(s.job) + "-f" + std::to_string(h.files[s.job].size());
      bgc_file* file = nullptr;
      o.hr = ABI_CALL(add_file, job, url.c_str(), local.c_str(), &file);
      if (hr::succeeded(o.hr)) h.files[s.job].push_back(file);
      return o;
    }
    case Op::Resume: return answered(ABI_CALL(resume, job));
    case Op::Suspend: return t.suspend ? answered(ABI_CALL(suspend, job)) : not_supported();
    case Op::Cancel: return t.cancel ? answered(ABI_CALL(cancel, job)) : not_supported();
    case Op::Complete: return t.complete ? answered(ABI_CALL(complete, job)) : not_supported();
    case Op::GetState: {
      std::uint32_t state = 0;
      o.hr = ABI_CALL(get_state, job, &state);
      if (hr::succeeded(o.hr)) {
        if (state >= static_cast<std::uint32_t>(kJobStateCount)) return out_of_range(OddAnswer::State, o.hr, state);
        o.state = static_cast<JobState>(state);
      }
      return o;
    }
    case Op::SetMinimumRetryDelay:
      return t.set_minimum_retry_delay ? answered(ABI_CALL(set_minimum_retry_delay, job, s.seconds)) : not_supported();
    case Op::SetNoProgressTimeout:
      return t.set_no_progress_timeout ? answered(ABI_CALL(set_no_progress_timeout, job, s.seconds)) : not_supported();
    case Op::GetMinimumRetryDelay:
      if (!t.get_minimum_retry_delay) return not_supported();
      o.hr = ABI_CALL(get_minimum_retry_delay, job, &o.value);
      return o;
    case Op::GetNoProgressTimeout:
      if (!t.get_no_progress_timeout) return not_supported();
      o.hr = ABI_CALL(get_no_progress_timeout, job, &o.value);
      return o;
    case Op::GetErrorCount:
      if (!t.get_error_count) return not_supported();
      o.hr = ABI_CALL(get_error_count, job, &o.value);
      return o;
    case Op::GetProgress: {
      if (!t.get_progress) return not_supported();
      bgc_progress p{};
      o.hr = ABI_CALL(get_progress, job, &p);
      if (hr::succeeded(o.hr)) {
        o.files_total = p.files_total;
        o.files_transferred = p.files_transferred;
        o.bytes_total = p.bytes_total;  // UINT64_MAX is BG_SIZE_UNKNOWN on both sides
        o.bytes_transferred = p.bytes_transferred;
      }
      return o;
    }
    default: return kNoSuchObject;
  }
}

Observation PluginTarget::handle_call(const Stimulus& s) {
  const bgc_vendor_table& t = library_->table;
  Handles& h = *handles_;
  if (s.index >= kMaxHandlesPerJob) return kNoSuchObject;
  Handles::Held& held = h.errors[s.job][s.index];
  Observation o;

  if (s.op == Op::ReleaseError) {
    if (t.release_error == nullptr) {
      held = {};  // the harness forgets it; the library never hears of it
      return not_supported();
    }
    if (held.error != nullptr) o.hr = ABI_CALL(release_error, held.error);
    held = {};
    return o;
  }
  if (s.op == Op::GetError) {
    bgc_job* job = h.jobs[s.job];
    if (job == nullptr) return kNoSuchObject;
    if (t.get_error == nullptr) return not_supported();
    bgc_error* error = nullptr;
    o.hr = ABI_CALL(get_error, job, &error);
    // A failing call hands out nothing (whatever it wrote); S_OK with NULL passes through as "S_OK null".
    if (hr::failed(o.hr) || error == nullptr) return o;
    if (held.error != nullptr && t.release_error != nullptr) ABI_CALL(release_error, held.error);
    held.error = error;
    held.files = h.files[s.job];
    o.handle = true;
    return o;
  }

  if (held.error == nullptr) return kNoSuchObject;
  switch (s.op) {
    case Op::ErrGetError: {
      if (!t.error_get_error) return not_supported();
      std::uint32_t context = 0;
      o.hr = ABI_CALL(error_get_error, held.error, &context, &o.code);
      if (hr::succeeded(o.hr)) {
        if (context >= static_cast<std::uint32_t>(kErrorContextCount)) {
          Observation odd = out_of_range(OddAnswer::Context, o.hr, context);
          odd.code = o.code;
          return odd;
        }
        o.context = static_cast<ErrorContext>(context);
      }
      return o;
    }
    case Op::ErrGetFile: {
      if (!t.error_get_file) return not_supported();
      bgc_file* file = nullptr;
      o.hr = ABI_CALL(error_get_file, held.error, &file);
      if (file == nullptr) return o;
      for (std::size_t i = 0; i < held.files.size(); ++i) {
        if (held.files[i] == file) {
          o.file = static_cast<std::int8_t>(i);
          return o;
        }
      }
      return out_of_range(OddAnswer::ForeignFile, o.hr);
    }
    case Op::ErrGetProtocol: {
      if (!t.error_get_protocol) return not_supported();
      const char* protocol = nullptr;
      o.hr = ABI_CALL(error_get_protocol, held.error, &protocol);
      o.protocol = protocol_from(protocol);
      return o;
    }
    case Op::ErrGetErrorDescription: {
      if (!t.error_get_error_description) return not_supported();
      const char* text = nullptr;
      return answered(ABI_CALL(error_get_error_description, held.error, kEnglish, &text));
    }
    case Op::ErrGetErrorContextDescription: {
      if (!t.error_get_error_context_description) return not_supported();
      const char* text = nullptr;
      return answered(ABI_CALL(error_get_error_context_description, held.error, kEnglish, &text));
    }
    default: return kNoSuchObject;
  }
}

}  // namespace bgc
