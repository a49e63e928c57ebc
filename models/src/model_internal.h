// Internals shared by the model's source files: the checking context, successors and their
// expected answers. Not installed.
#pragma once

#include <array>
#include <vector>

#include "bgconform/model.h"

namespace bgc::detail {

inline constexpr std::uint32_t kManyErrors = 0xFFFFFFFFu;  // GetErrorCount upper bound: unknown

// Sets of job states, as bit masks over JobState.
inline constexpr std::uint16_t kAnyState = 0xFFFF;
constexpr std::uint16_t state_bit(JobState s) { return static_cast<std::uint16_t>(1u << static_cast<unsigned>(s)); }
constexpr bool has_state(std::uint16_t states, JobState s) { return (states & state_bit(s)) != 0; }

// Everything one check needs: the profile, the interpretations, the rules switched on, and a
// record of which rules it consulted.
struct Ctx {
  const ModelConfig& config;
  const RuleSet& rules;
  RuleBits& consulted;
  // The rule that speaks of a job seen in a state the model did not expect after this step: the
  // network rule after a Network event (ST-15: what reconnection and loss do), else ST-9 (jobs move as
  // the scheduler moves them, while time passes).
  RuleId unexpected_state = RuleId::ST_9;
  // A call's own job seen in a state the call did not lead to: the rule that says where the call leads
  // (ST-7 for Suspend, ST-2..ST-6 for Resume, ...), as the call's successors named it (emit).
  int call_job = -1;
  RuleId call_rule = RuleId::ST_9;
  // While time passes (Advance): the job being moved, and per job and state the rule that ruled that
  // state out (ST-12: no TRANSIENT_ERROR past the no-progress timeout); ST-9 where none did.
  int moving_job = -1;
  std::array<std::array<RuleId, kJobStateCount>, kMaxJobs> ruled_out = [] {
    std::array<std::array<RuleId, kJobStateCount>, kMaxJobs> none;
    for (auto& job : none) job.fill(RuleId::ST_9);
    return none;
  }();
  void rule_out(JobState s, RuleId r) {
    if (moving_job >= 0) ruled_out[static_cast<std::size_t>(moving_job)][static_cast<std::size_t>(s)] = r;
  }

  // Consults a rule: counts it as checked and says whether its check is on.
  bool on(RuleId r) {
    consulted.set(static_cast<std::size_t>(r));
    return rules.on(r);
  }
  // Consults a rule whose check applies here: true when it is on and `bad` breaks it. Consulting
  // before looking at the answer is what makes a passing check count as exercised.
  bool breaks(RuleId r, bool bad) { return on(r) && bad; }
  bool bits() const { return config.profile == Profile::Bits; }
  bool interp(InterpValue v) const { return config.interpretations.is(v); }
  ProfileCodes codes() const { return codes_for(config.profile); }
};

// The HRESULTs a call may answer, and the rule that says so.
struct Expect {
  enum class Kind : std::uint8_t { OneOf, Anything } kind = Kind::Anything;
  std::uint8_t count = 0;
  std::array<HRESULT, 4> codes{};
  RuleId rule = RuleId::M_12;

  static Expect anything() { return {}; }
  static Expect one_of(RuleId rule, std::initializer_list<HRESULT> list) {
    Expect e;
    e.kind = Kind::OneOf;
    e.rule = rule;
    for (HRESULT h : list) e.codes[e.count++] = h;
    return e;
  }
  bool allows(HRESULT h) const {
    if (kind == Kind::Anything) return true;
    for (std::uint8_t i = 0; i < count; ++i)
      if (codes[i] == h) return true;
    return false;
  }
};

// One way the stimulus may play out for one job.
struct Successor {
  // Made in place by emplace_back (clang 14, which builds the fuzzers, has no parenthesised aggregates).
  Successor(const JobCandidate& n, JobState b, const Expect& e) : next(n), before(b), expect(e) {}
  JobCandidate next;
  JobState before = JobState::Suspended;
  Expect expect;
};

// The error values a record of some cause may show (I-3, E-11), before they are observed.
bool context_allowed(Ctx& ctx, const ErrorRecord& r, ErrorContext c);
bool code_allowed(Ctx& ctx, const ErrorRecord& r, HRESULT code);
// What context_allowed and code_allowed let an error of this record report, in words:
// "context=GENERAL_TRANSPORT|REMOTE_FILE|UNKNOWN code=any failure code".
std::string allowed_error_values(Ctx& ctx, const ErrorRecord& r);

// Successors of a job call for one candidate (model_calls.cpp).
void call_successors(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, const Stimulus& s,
                     std::vector<Successor>& out);
// Narrows one successor by the observation; returns false with the rule when it does not fit.
bool observe(Ctx& ctx, const JobSlot& slot, Successor& s, const Stimulus& st, const Observation& o, RuleId& broken);
// Updates what the model knows exactly of a slot (files added, objects held) from an observation.
void update_slot(JobSlot& slot, const Stimulus& st, const Observation& o);
// What the model allowed for the call, in words.
std::string describe_allowed(Ctx& ctx, const JobSlot& slot, const std::vector<Successor>& succ, const Stimulus& s);

// Environment events for one candidate (model_time.cpp).
void network_successors(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, bool up, std::vector<JobCandidate>& out);
// `states`: the states (a mask over JobState) worth keeping, when the observation that follows will
// keep no other; the set is as if it were narrowed after the merge, since only equal facts merge.
void advance_successors(Ctx& ctx, const Environment& env, const JobSlot& slot, const JobCandidate& c,
                        std::uint32_t seconds, std::vector<JobCandidate>& out, std::uint16_t states = kAnyState);

// A source changes its behaviour: a job with a request in flight to it may still get the old answer.
void source_changed(const JobSlot& slot, JobCandidate& c, int source, Behaviour old, std::uint16_t old_status);

// Adds a candidate to a set, merging it with one that differs only in its timer ranges and
// error-count bounds (their union keeps the model sound and the set small).
void add_candidate(std::vector<JobCandidate>& set, const JobCandidate& c);

inline bool is_error_object_call_or_release(Op op) { return is_error_object_call(op) || op == Op::ReleaseError; }

// Helpers used by both files.
ErrorRecord make_record(JobCandidate& c, Cause cause, std::uint8_t file, std::uint8_t source, std::uint16_t status);
// The job enters TRANSFERRING: the error object goes away (E-2) and held objects go stale (I-2).
void enter_transferring(JobCandidate& c);
// Error states that the no-progress timeout or a retry delay above it make fatal (ST-13, ST-14).
bool errors_are_fatal(Ctx& ctx, const JobCandidate& c);

// A rule switched off (a known deviation gone past, or a diagnosis) lets the job be in any state
// next: `add` gets `c` in each. TRANSFERRED comes twice when files are left: as it is, and with every
// file done - what a service means by it, which its next answers follow (a job Wine put in TRANSFERRED
// on an HTTP 500 answers Resume with the empty code).
template <class Add>
void in_any_state(const JobCandidate& c, std::uint8_t files, Add&& add) {
  for (int s = 0; s < kJobStateCount; ++s) {
    JobCandidate n = c;
    n.state = static_cast<JobState>(s);
    add(n);
  }
  if (c.files_done >= files) return;
  JobCandidate done = c;
  done.state = JobState::Transferred;
  done.files_done = files;
  done.chunks = 0;
  done.in_flight = 0;
  done.in_flight_status = 0;
  add(done);
}

}  // namespace bgc::detail
