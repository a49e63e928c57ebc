// ComSession: the client side of one BITS or DO service, as bgconform's stimuli see it.
//
// It owns the manager and the client's references by slot — up to kMaxJobs jobs, the local names of
// the files each job was given, up to kMaxHandlesPerJob held error objects per job — and turns each
// stimulus into one COM call, filling the Observation fields exactly as PluginTarget does
// (harness/targets/plugin/src/plugin_target.cpp). Every COM pointer it holds is released exactly once.
#pragma once

#include <windows.h>
#include <bits.h>

#include <array>
#include <string>
#include <vector>

#include "agent_options.h"
#include "bgconform/types.h"

namespace bgc::agent {

class ComSession {
 public:
  explicit ComSession(AgentOptions options);
  ~ComSession();
  ComSession(const ComSession&) = delete;
  ComSession& operator=(const ComSession&) = delete;

  // Creates the manager for the profile; on failure, `error` is the load-error message.
  bool start(std::string& error);
  // A fresh case: cancels every job this agent created, releases every reference, empties the slots.
  // False (and `error`) if the session cannot go on.
  bool reset(std::string& error);
  // The same clean-up, then the manager goes too (quit, end of input).
  void shutdown();

  // One stimulus, one call; environment events are the harness's business (not-supported).
  Observation apply(const Stimulus& s);

  // Free text for the ready line: "com:bits" / "com:do".
  std::string implementation_name() const;

 private:
  struct JobSlot {
    IBackgroundCopyJob* job = nullptr;
    std::vector<std::wstring> files;  // local names of the files AddFile added, in order (file index)
    int add_attempts = 0;             // numbers the local names, so a retried AddFile gets a new one
    int serial = 0;                   // which CreateJob made it; keeps two jobs of one slot apart
  };
  struct HeldError {
    IBackgroundCopyError* error = nullptr;
    std::vector<std::wstring> files;  // the job's files when the object was taken, to map GetFile back
  };

  Observation job_call(const Stimulus& s);     // job_calls.cpp
  Observation handle_call(const Stimulus& s);  // error_calls.cpp
  Observation create_job(int slot);
  Observation add_file(int slot, int source);
  std::wstring remote_name(int source) const;
  std::wstring local_name(int slot) const;
  ::HRESULT create_manager();
  void release_slots();
  void cancel_created_jobs();

  AgentOptions options_;
  IBackgroundCopyManager* manager_ = nullptr;
  std::array<JobSlot, kMaxJobs> jobs_{};
  std::array<std::array<HeldError, kMaxHandlesPerJob>, kMaxJobs> errors_{};
  // Every job created since the last reset, by id: a job whose reference the client released
  // (ReleaseJob) still lives in the service and is cancelled through GetJob.
  std::vector<GUID> created_;
  std::wstring run_id_;  // 8 random hex digits, so two agent runs never share a file name
  int case_number_ = 0;  // resets so far; names jobs and files
  int job_serial_ = 0;   // CreateJob calls in this process
};

// An observation that is only an HRESULT.
inline Observation answered(bgc::HRESULT h) {
  Observation o;
  o.hr = h;
  return o;
}

}  // namespace bgc::agent
