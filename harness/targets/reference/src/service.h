// The job service itself: the jobs it runs, its scheduler, its transport, its clock and agenda.
//
// Client calls have only their immediate, documented effect. Everything else — connecting,
// transferring, failing, retrying, giving up — happens in advance(), where virtual time passes and
// the service works through its agenda (service_engine.cpp). All state changes go through enter()
// (service_state.cpp), which keeps the scheduler, the timers and the error record in step with the
// state.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "bgconform/constants.h"
#include "bgconform/types.h"
#include "event_queue.h"
#include "failure.h"
#include "job.h"
#include "profile_policy.h"
#include "scheduler.h"
#include "transport.h"
#include "virtual_clock.h"

namespace bgc::reference {

class Service {
 public:
  // A job holding the transfer slot yields it after this long when another job is waiting. It is
  // longer than a connection plus one slow chunk, so every turn makes progress.
  static constexpr Seconds kTimeSlice = 20;
  // An exchange that has not been answered after this long is given up as stalled.
  static constexpr Seconds kStallTimeout = 30;

  // `transfer_slots`: background jobs that may connect or transfer at once; ST-9 allows one (more only
  // for the mutant catalogue's background-jobs-in-parallel).
  explicit Service(Profile profile, std::size_t transfer_slots = 1)
      : policy_(policy_for(profile)), scheduler_(transfer_slots) {}

  const ProfilePolicy& policy() const { return policy_; }
  Seconds now() const { return clock_.now(); }

  // ---- Client calls (IBackgroundCopyManager::CreateJob and IBackgroundCopyJob) -------------------
  std::shared_ptr<Job> create_job();
  HRESULT add_file(Job& job, int source);
  HRESULT resume(Job& job);
  HRESULT suspend(Job& job);
  HRESULT cancel(Job& job);
  HRESULT complete(Job& job);
  // The job's error object, or null when there is no error information (spec E-2).
  ErrorRef get_error(const Job& job) const { return job.error(); }
  HRESULT set_minimum_retry_delay(Job& job, std::uint32_t seconds);
  HRESULT set_no_progress_timeout(Job& job, std::uint32_t seconds);

  // ---- The environment ---------------------------------------------------------------------------
  void set_source(int source, Behaviour behaviour, int status) { transport_.set_source(source, behaviour, status); }
  void set_network(bool up);
  // Lets `seconds` of virtual time pass and does everything that falls due meanwhile.
  void advance(Seconds seconds);
  // Runs the scheduler now, without time passing: a job waiting in line gets the free slot and starts
  // connecting, and whatever falls due at this instant happens. The reference itself waits for time;
  // the react-at-once plugin calls this after each environment change (vendor_abi.h, run_until).
  void react_now();

 private:
  // service_state.cpp: the one place where a job changes state.
  void enter(Job& job, JobState next);
  void fail(Job& job, const Failure& failure);
  void stop_no_progress_timer(Job& job);
  void arm_retry(Job& job);
  void arm_no_progress_deadline(Job& job);
  void forget(const Job& job);

  // service_engine.cpp: the agenda.
  void dispatch();
  void handle(const Event& event);
  void start_turn(Job& job);
  void arm_slice(Job& job);
  void start_connect(Job& job);
  void start_chunk(Job& job);
  void on_connect_answer(Job& job);
  void on_chunk_answer(Job& job);
  Job* find(JobId id);

  ProfilePolicy policy_;
  VirtualClock clock_;
  EventQueue events_;
  Transport transport_;
  Scheduler scheduler_;
  // Every job not yet in a final state, in creation order. Jobs the client released stay here and
  // keep running (BITS jobs outlive the client's references); final jobs leave (ST-22, ST-19).
  std::vector<std::shared_ptr<Job>> jobs_;
  JobId next_id_ = 1;
};

}  // namespace bgc::reference
