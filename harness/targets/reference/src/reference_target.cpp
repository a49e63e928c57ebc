// The client side of the reference: it holds the client's references (a job per slot, error
// objects per handle slot) and turns each stimulus into one call on the service, and the answer into
// an Observation. It decides nothing about jobs itself.
#include "bgconform/reference_target.h"

#include <array>

#include "error_object.h"
#include "job.h"
#include "service.h"

namespace bgc {

struct ReferenceTarget::Session {
  explicit Session(Profile p) : service(p) {}

  reference::Service service;
  // The client's job references, by slot; an empty slot holds none.
  std::array<std::shared_ptr<reference::Job>, kMaxJobs> jobs{};
  // The client's error-object references, by job slot and handle slot. They belong to the client, not
  // to the job: releasing or re-creating a job leaves them alone.
  std::array<std::array<reference::ErrorRef, kMaxHandlesPerJob>, kMaxJobs> errors{};
};

namespace {

using reference::ErrorRef;
using reference::Job;
using reference::Service;

Observation answered(HRESULT h) {
  Observation o;
  o.hr = h;
  return o;
}

// The harness only sends applicable stimuli; a stimulus that names an empty or out-of-range slot
// anyway gets the answer a COM method gives for a NULL pointer instead of undefined behaviour.
const Observation kNoSuchObject = answered(hr::kE_INVALIDARG);

Observation error_object_call(Op op, const ErrorRef& error, const reference::ProfilePolicy& policy) {
  if (!error) return kNoSuchObject;
  Observation o;
  switch (op) {
    case Op::ErrGetError:  // E-5
      o.context = error->context;
      o.code = error->code;
      return o;
    case Op::ErrGetFile:  // E-6
      if (error->names_file()) {
        o.file = static_cast<std::int8_t>(error->file);
      } else {
        o.hr = policy.codes.file_not_available;
      }
      return o;
    case Op::ErrGetProtocol:  // E-7
      if (!policy.bits_only_methods) return answered(hr::kE_NOTIMPL);
      if (error->names_file()) {
        o.protocol = error->protocol;
      } else {
        o.hr = hr::kBG_E_PROTOCOL_NOT_AVAILABLE;
      }
      return o;
    case Op::ErrGetErrorDescription:  // E-8
    case Op::ErrGetErrorContextDescription: return answered(policy.bits_only_methods ? hr::kS_OK : hr::kE_NOTIMPL);
    default: return kNoSuchObject;
  }
}

Observation job_call(Service& service, Job& job, const Stimulus& s) {
  const reference::ProfilePolicy& policy = service.policy();
  Observation o;
  switch (s.op) {
    case Op::AddFile: return answered(service.add_file(job, s.index));
    case Op::Resume: return answered(service.resume(job));
    case Op::Suspend: return answered(service.suspend(job));
    case Op::Cancel: return answered(service.cancel(job));
    case Op::Complete: return answered(service.complete(job));
    case Op::GetState: o.state = job.state(); return o;
    case Op::SetMinimumRetryDelay:
      if (!policy.bits_only_methods) return answered(hr::kE_NOTIMPL);
      return answered(service.set_minimum_retry_delay(job, s.seconds));
    case Op::GetMinimumRetryDelay:
      if (!policy.bits_only_methods) return answered(hr::kE_NOTIMPL);
      o.value = job.retry_delay();
      return o;
    case Op::SetNoProgressTimeout: return answered(service.set_no_progress_timeout(job, s.seconds));
    case Op::GetNoProgressTimeout: o.value = job.no_progress_timeout(); return o;
    case Op::GetErrorCount:
      if (!policy.bits_only_methods) return answered(hr::kE_NOTIMPL);
      o.value = job.error_count();
      return o;
    case Op::GetProgress: {
      const reference::JobProgress p = job.progress();
      o.files_total = p.files_total;
      o.files_transferred = p.files_transferred;
      o.bytes_total = p.bytes_total;
      o.bytes_transferred = p.bytes_transferred;
      return o;
    }
    default: return kNoSuchObject;
  }
}

}  // namespace

ReferenceTarget::ReferenceTarget(Profile profile) : session_(std::make_unique<Session>(profile)) {}

ReferenceTarget::~ReferenceTarget() = default;

Capabilities ReferenceTarget::capabilities() const {
  Capabilities c;
  c.deterministic = true;
  c.virtual_clock = true;
  c.fault_injection = true;
  c.profiles = {Profile::Bits, Profile::Do};
  return c;
}

void ReferenceTarget::reset(Profile profile) { session_ = std::make_unique<Session>(profile); }

Observation ReferenceTarget::apply(const Stimulus& s) {
  Session& session = *session_;
  Service& service = session.service;

  switch (s.op) {  // the environment first: it names no job
    case Op::Source: service.set_source(s.index, s.behaviour, s.status); return Observation{};
    case Op::Network: service.set_network(s.index != 0); return Observation{};
    case Op::Advance:
      service.advance(s.seconds);  // an interval [a, b] is taken at its lower end
      return Observation{};
    default: break;
  }

  if (s.job >= kMaxJobs) return kNoSuchObject;
  std::shared_ptr<Job>& slot = session.jobs[s.job];

  if (s.op == Op::CreateJob) {
    slot = service.create_job();  // a job left in the slot stays in the service
    Observation o;
    o.state = slot->state();
    return o;
  }

  if (takes_handle(s.op)) {
    if (s.index >= kMaxHandlesPerJob) return kNoSuchObject;
    ErrorRef& held = session.errors[s.job][s.index];
    if (s.op == Op::ReleaseError) {
      held.reset();
      return Observation{};
    }
    if (s.op != Op::GetError) return error_object_call(s.op, held, service.policy());
    if (!slot) return kNoSuchObject;
    ErrorRef error = service.get_error(*slot);
    if (!error) return answered(service.policy().codes.error_info_unavailable);  // E-2; held is untouched
    held = std::move(error);  // replaces, and so releases, what the client held there
    Observation o;
    o.handle = true;
    return o;
  }

  if (!slot) return kNoSuchObject;
  if (s.op == Op::ReleaseJob) {
    slot.reset();  // the client lets go; the job keeps running in the service
    return Observation{};
  }
  return job_call(service, *slot, s);
}

}  // namespace bgc
