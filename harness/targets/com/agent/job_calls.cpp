// The job calls: each stimulus on a job slot becomes one IBackgroundCopyJob (or, for a DO AddFile,
// IDeliveryOptimizationJob) call; the fields filled are those PluginTarget::job_call fills.
#include "com_session.h"

#include "do_interfaces.h"

namespace bgc::agent {

namespace {

// A state number past BG_JOB_STATE_CANCELLED is not a state (PluginTarget answers the same).
bool to_state(BG_JOB_STATE raw, JobState& state) {
  const auto n = static_cast<unsigned>(raw);
  if (n >= static_cast<unsigned>(kJobStateCount)) return false;
  state = static_cast<JobState>(n);
  return true;
}

}  // namespace

Observation ComSession::create_job(int slot) {
  JobSlot& j = jobs_[slot];
  // The client drops what it held in the slot; that job stays in the service (and in created_).
  if (j.job != nullptr) j.job->Release();
  j = {};
  j.serial = ++job_serial_;

  // Display names stay unique across cases, so a job left behind is easy to tell from a new one.
  const std::wstring display = L"bgconform j" + std::to_wstring(slot) + L" c" + std::to_wstring(case_number_);
  GUID id{};
  IBackgroundCopyJob* job = nullptr;
  const ::HRESULT h = manager_->CreateJob(display.c_str(), BG_JOB_TYPE_DOWNLOAD, &id, &job);
  if (FAILED(h)) return answered(h);  // a failing call hands out nothing, whatever it wrote
  if (job == nullptr) return out_of_range(OddAnswer::NoObject, h);
  j.job = job;
  created_.push_back(id);

  // The observation is the state right after creation (ST-1: SUSPENDED).
  Observation o = answered(h);
  BG_JOB_STATE raw{};
  const ::HRESULT r = job->GetState(&raw);
  if (FAILED(r)) return answered(r);
  if (!to_state(raw, o.state)) return out_of_range(OddAnswer::State, r, static_cast<std::uint32_t>(raw));
  return o;
}

Observation ComSession::add_file(int slot, int source) {
  JobSlot& j = jobs_[slot];
  if (source < 0 || source >= kSourceCount) return answered(hr::kE_INVALIDARG);
  const std::wstring remote = remote_name(source);
  const std::wstring local = local_name(slot);
  const int attempt = j.add_attempts++;
  ::HRESULT h = S_OK;
  if (options_.profile == Profile::Bits) {
    h = j.job->AddFile(remote.c_str(), local.c_str());
  } else {
    // DO has no documented AddFile on IBackgroundCopyJob: M-34, one range over the whole file.
    // The sizes are the origin's (chunks_of(source) chunks), so the range is exact.
    void* raw = nullptr;
    h = j.job->QueryInterface(kIidDeliveryOptimizationJob, &raw);
    if (FAILED(h)) return answered(h);
    if (raw == nullptr) return out_of_range(OddAnswer::NoObject, h);
    auto* do_job = static_cast<IDeliveryOptimizationJob*>(raw);
    const UINT64 size = static_cast<UINT64>(chunks_of(source)) * kChunkBytes;
    BG_FILE_RANGE range{0, size};
    const std::wstring file_id = L"f" + std::to_wstring(attempt);  // unique within the job
    h = do_job->AddFileWithRanges(file_id.c_str(), remote.c_str(), local.c_str(), 1, &range, size);
    do_job->Release();
  }
  if (SUCCEEDED(h)) j.files.push_back(local);
  return answered(h);
}

Observation ComSession::job_call(const Stimulus& s) {
  if (s.op == Op::CreateJob) return create_job(s.job);
  JobSlot& j = jobs_[s.job];
  if (j.job == nullptr) return answered(hr::kE_INVALIDARG);  // an empty slot, as PluginTarget
  IBackgroundCopyJob* job = j.job;
  Observation o;

  switch (s.op) {
    case Op::ReleaseJob:
      // The client's reference only: the job lives on in the service (this is not Cancel).
      job->Release();
      j.job = nullptr;
      j.files.clear();
      return o;
    case Op::AddFile: return add_file(s.job, s.index);
    case Op::Resume: return answered(job->Resume());
    case Op::Suspend: return answered(job->Suspend());
    case Op::Cancel: return answered(job->Cancel());
    case Op::Complete: return answered(job->Complete());
    case Op::GetState: {
      BG_JOB_STATE raw{};
      o.hr = job->GetState(&raw);
      if (SUCCEEDED(o.hr) && !to_state(raw, o.state))
        return out_of_range(OddAnswer::State, o.hr, static_cast<std::uint32_t>(raw));
      return o;
    }
    case Op::SetMinimumRetryDelay: return answered(job->SetMinimumRetryDelay(s.seconds));
    case Op::SetNoProgressTimeout: return answered(job->SetNoProgressTimeout(s.seconds));
    case Op::GetMinimumRetryDelay: {
      ULONG value = 0;
      o.hr = job->GetMinimumRetryDelay(&value);
      o.value = value;
      return o;
    }
    case Op::GetNoProgressTimeout: {
      ULONG value = 0;
      o.hr = job->GetNoProgressTimeout(&value);
      o.value = value;
      return o;
    }
    case Op::GetErrorCount: {
      ULONG value = 0;
      o.hr = job->GetErrorCount(&value);
      o.value = value;
      return o;
    }
    case Op::GetProgress: {
      BG_JOB_PROGRESS p{};
      o.hr = job->GetProgress(&p);
      if (SUCCEEDED(o.hr)) {
        o.files_total = p.FilesTotal;
        o.files_transferred = p.FilesTransferred;
        o.bytes_total = p.BytesTotal;  // BG_SIZE_UNKNOWN is (UINT64)-1, the same as kSizeUnknown
        o.bytes_transferred = p.BytesTransferred;
      }
      return o;
    }
    default: return answered(hr::kE_INVALIDARG);
  }
}

}  // namespace bgc::agent
