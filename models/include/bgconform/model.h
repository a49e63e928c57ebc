// The executable model of the BG_JOB_STATE life cycle and the IBackgroundCopyError rules.
//
// The model steps a *set* of possible service states (a Belief): for each job slot the candidate
// job states that every rule allows given the stimuli and observations so far. A target may move on
// its own while time passes, so Advance widens the set; each observation narrows it again. A step
// whose observation no candidate explains is a violation, attributed to the rule whose check
// excluded it. Pure: no I/O, no threads.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bgconform/constants.h"
#include "bgconform/interpretations.h"
#include "bgconform/rules.h"
#include "bgconform/types.h"

namespace bgc {

namespace detail {
class Undo;  // model.cpp: what a step changed, to put back when it fails
}

// An interval of seconds: the model keeps timers as the range of values they may have.
struct Span {
  std::int64_t lo = 0, hi = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

// What made an error record: decides the contexts and codes the record may show (I-3).
enum class Cause : std::uint8_t {
  FatalHttp,     // HTTP 400/401/403/404/407/414/501/505
  Transport,     // connection refused or reset
  ServerHttp,    // other HTTP failures (5xx): fatal or transient, the service decides
  Stall,         // no data until the service's own timeout
  LocalMissing,  // a local-file source that does not exist
  Network,       // network loss (I-10)
  NoProgress,    // the no-progress timeout expired (E-4)
  Any,           // made under a switched-off rule: any values
};

inline constexpr std::int8_t kFileUnknown = -2;  // Error.GetFile not asked yet

// The job's current error, as far as the model knows it.
struct ErrorRecord {
  Cause cause = Cause::Any;
  std::uint8_t file = 0;     // index of the failing file in its job
  std::uint8_t source = 0;   // the source that file comes from
  std::uint16_t status = 0;  // HTTP status (FatalHttp, ServerHttp)
  std::uint16_t serial = 0;  // ties held objects to the record they were taken from
  bool observed = false;     // context and code were seen: from now on they are exact
  ErrorContext context = ErrorContext::None;
  HRESULT code = 0;
  std::int8_t file_answer = kFileUnknown;  // what Error.GetFile said (-1: no file)
  bool previous_known = false;             // NoProgress: the last transient code was seen
  HRESULT previous_code = 0;
  friend bool operator==(const ErrorRecord&, const ErrorRecord&) = default;
};

// A held IBackgroundCopyError: a snapshot of the record it was taken from.
struct HeldError {
  bool stale = false;  // the job entered TRANSFERRING since, or was released while it could (I-2)
  // Its job was released in a state it leaves only by a client's call (ERROR, SUSPENDED, a final
  // state): no one can make it transfer again, so the object keeps its values (E-3: until BITS begins
  // transferring data or the application exits) whatever the slot's next job does.
  bool detached = false;
  ErrorRecord snapshot;
  friend bool operator==(const HeldError&, const HeldError&) = default;
};

// One possible state of one job, without the bounds below: two candidates with the same facts are
// merged into one (model_internal.h, add_candidate), so comparing facts is on every step's path.
struct JobFacts {
  JobState state = JobState::Suspended;
  std::uint8_t files_done = 0;  // files fully transferred, in order
  std::uint8_t chunks = 0;      // at most this many chunks of the current file are transferred
  bool has_record = false;
  // A request still in flight when its source changed may answer as any behaviour its source had
  // since it was made (the contract: a behaviour holds "from the next request or chunk on", so a
  // stall met mid-request holds that request while a later 404 waits for the next one): one bit per
  // Behaviour; an HTTP status as the last one of them. Zero: no request in flight is remembered.
  std::uint16_t in_flight = 0;
  std::uint16_t in_flight_status = 0;
  std::uint32_t retry_delay = kDefaultRetryDelay;
  std::uint32_t timeout = kDefaultNoProgressTimeoutBits;
  bool no_progress_running = false;
  bool no_progress_optional = false;  // started only perhaps: network loss may or may not start it (I-10)
  bool record_discarded = false;      // the last error object went away when the job entered TRANSFERRING
  ErrorRecord record;
  std::uint16_t next_serial = 1;
  std::array<HeldError, kMaxHandlesPerJob> handles{};
  friend bool operator==(const JobFacts&, const JobFacts&) = default;
};

// One possible state of one job: its facts, and the ranges its timers and counters may be in. The
// ranges of merged candidates are joined (their union keeps the model sound and the set small).
struct JobCandidate : JobFacts {
  std::uint8_t chunk_credit = 0;               // at most this many seconds already spent on the next chunk
  Span retry_elapsed;                          // TRANSIENT_ERROR: seconds since it was entered
  Span no_progress_elapsed;                    // seconds since the first transient error without progress
  std::uint32_t errors_lo = 0, errors_hi = 0;  // GetErrorCount bounds (E-9)
  friend bool operator==(const JobCandidate&, const JobCandidate&) = default;
};

// What the model knows exactly of a job slot (stimuli alone decide it), and the candidates.
struct JobSlot {
  bool live = false;
  std::uint8_t files = 0;
  std::array<std::uint8_t, kMaxFilesPerJob> sources{};
  std::array<bool, kMaxHandlesPerJob> held{};
  std::vector<JobCandidate> candidates;  // one entry per possibility; kept for released slots' handles
};

// The environment is set by stimuli, so the model knows it exactly.
struct Environment {
  std::array<Behaviour, kSourceCount> behaviour{};
  std::array<std::uint16_t, kSourceCount> status{};
  bool network_up = true;
};

// What bounds the background jobs' transfers together (ST-9, I-12): one transfer slot, a chunk a second
// at the most, so the jobs together cannot have moved more chunks than seconds have passed.
struct TransferBudget {
  std::uint64_t seconds_passed = 0;           // at most this many seconds passed since the case began
  std::uint32_t chunks_of_released_jobs = 0;  // chunks that jobs released since surely moved
};

struct Belief {
  Environment env;
  std::array<JobSlot, kMaxJobs> jobs;
  TransferBudget budget;
};

struct ModelConfig {
  Profile profile = Profile::Bits;
  Interpretations interpretations;
  RuleSet rules = RuleSet::all();
  // The local-file source serves a chunk a second, as `ok` does: the harness's own environment paces
  // it. False for a real file that a real service reads at its own pace: any number of chunks at once
  // (model_config_for, runner.h).
  bool paced_local_file = true;
  // The service moves in real time, over a network and on a machine the harness does not own: I-17's
  // default lets its transfers fail transiently without a cause the harness scripted (model_config_for).
  bool real_time = false;
  // Whether a transfer may fail transiently with no scripted cause (I-17 with real_time).
  bool unscripted_transient_errors() const {
    return interpretations.is(InterpValue::I17_always) ||
           (real_time && interpretations.is(InterpValue::I17_real_time_only));
  }
  friend bool operator==(const ModelConfig&, const ModelConfig&) = default;
};

using RuleBits = std::bitset<kRuleCount>;

// The outcome of checking one step: a stimulus, its observation, and the sweep that followed.
struct StepCheck {
  bool ok = true;
  RuleId rule = RuleId::ST_9;  // when !ok: the rule the target broke
  int failed_at = 0;           // 0: the stimulus's own answer; k: the k-th sweep observation
  std::string allowed;         // when !ok: what the model allowed there, in words
  RuleBits checked;            // the rules this step consulted
};

class JobModel {
 public:
  explicit JobModel(ModelConfig config = {});
  const ModelConfig& config() const { return config_; }

  // A fresh service: no jobs, every source ok (the local one present), network up.
  Belief initial() const;
  // Whether the stimulus is in the alphabet here: a live slot for job calls, a held object for
  // Error.* calls, an empty slot for CreateJob, at most two files, and not a call the profile
  // leaves undocumented (I-14). The harness skips stimuli that are not applicable.
  bool applicable(const Belief& b, const Stimulus& s) const;

  // Checks one step and, when it passes, moves `belief` to what the model now believes.
  // `sweep` are the GetState observations the Runner made after the stimulus.
  StepCheck check(Belief& belief, const Step& step, std::span<const Step> sweep = {}) const;
  // The same with a given set of rules in force (the Runner goes on past a known deviation of a real
  // service by judging that one step with the broken rule switched off).
  StepCheck check_with(const RuleSet& rules, Belief& belief, const Step& step, std::span<const Step> sweep = {}) const;
  // Several steps judged as one unit, like a step with its sweep: a failure is attributed to the rule
  // whose absence lets the whole sequence pass (StepCheck::failed_at: the index of the failing step).
  // For real-time targets, where a stimulus and the polls that follow it are separate steps.
  StepCheck check_sequence(const RuleSet& rules, Belief& belief, std::span<const Step> steps) const;

  // The rules among `wanted` whose check rejects the step: judged with `rules` in force it fails, and
  // it passes with that rule off, or fails with that rule alone in force (and passes with none: an answer
  // outside every rule's range is no rule's). A step one of them rejects so is a discriminating
  // situation for that rule (other_answers.h): its check there excludes an answer a target could give.
  // `belief` is left as it was.
  RuleBits rejecting_rules(const RuleSet& rules, const Belief& belief, const Step& step, std::span<const Step> sweep,
                           const RuleBits& wanted) const;
  // The same for several steps judged as one unit (check_sequence: a real-time target's stimulus and the
  // polls since).
  RuleBits rejecting_rules_in_sequence(const RuleSet& rules, const Belief& belief, std::span<const Step> steps,
                                       const RuleBits& wanted) const;

  // Every way the stimulus may play out before anything is observed (for the explorer): one
  // belief per possibility, each as if the target gave the answer that possibility expects.
  std::vector<Belief> successors(const Belief& b, const Stimulus& s) const;
  // The same into a pool of beliefs that keeps them, and their storage, from call to call: the
  // successors are the pool's first elements, returned as a span (valid until the pool's next use).
  std::span<Belief> successors(const Belief& b, const Stimulus& s, std::vector<Belief>& pool) const;

  // How many candidates the belief holds (for statistics and tests).
  static std::size_t candidate_count(const Belief& b);

 private:
  // Checks without diagnosis; returns false at the first observation nothing explains.
  bool try_step(const RuleSet& rules, Belief& belief, const Step& step, std::span<const Step> sweep, StepCheck& out,
                detail::Undo* undo = nullptr) const;
  ModelConfig config_;
};

// A Source event: the environment changes, and requests in flight may still get the old answer.
void apply_source(Belief& b, const Stimulus& s);

// The states a job slot may be in, as a bit mask over JobState.
std::uint16_t possible_states(const JobSlot& slot);

}  // namespace bgc
