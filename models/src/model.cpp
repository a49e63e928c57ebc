// JobModel: steps the belief through a stimulus, narrows it by the observations, and names the
// rule when nothing the model allows explains what the target did.
#include "bgconform/model.h"

#include <algorithm>

#include "model_internal.h"

namespace bgc {

namespace detail {

// What a step changed, so that a failing step can be put back (diagnosis starts from the belief as it
// was). A slot's candidate set is swapped out, not copied, the first time the step replaces it; only a
// set narrowed or changed in place is copied. The step passes almost always, and then this costs a few
// swaps and nothing to put back.
class Undo {
 public:
  void begin(const Belief& b) {
    env_ = b.env;
    budget_ = b.budget;
    saved_.fill(false);
  }
  // Slot j's candidates become `next`; `next` gets a set to reuse as scratch.
  void replace(Belief& b, int j, std::vector<JobCandidate>& next) {
    JobSlot& slot = b.jobs[j];
    if (!saved_[j]) {
      saved_[j] = true;
      JobSlot& kept = slots_[j];
      kept.live = slot.live;
      kept.files = slot.files;
      kept.sources = slot.sources;
      kept.held = slot.held;
      kept.candidates.swap(slot.candidates);
    }
    slot.candidates.swap(next);
  }
  // Slot j is about to change in place.
  void touch(const Belief& b, int j) {
    if (saved_[j]) return;
    saved_[j] = true;
    slots_[j] = b.jobs[j];
  }
  void restore(Belief& b) {
    b.env = env_;
    b.budget = budget_;
    for (int j = 0; j < kMaxJobs; ++j)
      if (saved_[j]) std::swap(b.jobs[j], slots_[j]);
  }

 private:
  Environment env_;
  TransferBudget budget_;
  std::array<bool, kMaxJobs> saved_{};
  std::array<JobSlot, kMaxJobs> slots_;
};

}  // namespace detail

namespace {

using detail::Ctx;
using detail::Successor;
using detail::Undo;

// When a step fails, each of these rules is switched off in turn; the first whose absence explains
// the observations is the one the target broke. Specific rules come before general ones. ST-2 and
// ST-4 (where Resume leads) come after the error rules: a job whose source fails right after Resume
// has broken how errors are handled (ST-11, ST-12), not Resume - a real service is often seen there
// only by a poll. (On the virtual clock no time passes before the sweep, and Resume's rules stand.)
constexpr RuleId kDiagnosisOrder[] = {
    RuleId::D_7,   RuleId::E_1,  RuleId::E_2,   RuleId::E_3,   RuleId::E_4,   RuleId::E_5,   RuleId::E_11,
    RuleId::E_6,   RuleId::E_7,  RuleId::E_8,   RuleId::E_9,   RuleId::M_2,   RuleId::M_34,  RuleId::ST_8,
    RuleId::ST_6,  RuleId::ST_3, RuleId::M_4,   RuleId::M_5,   RuleId::M_6,   RuleId::M_7,   RuleId::M_10,
    RuleId::M_12,  RuleId::M_13, RuleId::M_25,  RuleId::M_26,  RuleId::M_27,  RuleId::M_28,  RuleId::M_29,
    RuleId::P_1,   RuleId::ST_1, RuleId::ST_5,  RuleId::ST_7,  RuleId::ST_19, RuleId::ST_22, RuleId::ST_24,
    RuleId::ST_23, RuleId::D_8,  RuleId::ST_13, RuleId::ST_14, RuleId::ST_15, RuleId::ST_11, RuleId::ST_12,
    RuleId::ST_4,  RuleId::ST_2, RuleId::ST_10, RuleId::ST_9,
};
// Every covered rule of the catalogue, once: a rule added to rule_catalogue.def needs its place here.
constexpr bool names_every_rule_once() {
  std::array<int, kRuleCount> seen{};
  for (RuleId r : kDiagnosisOrder) ++seen[static_cast<std::size_t>(r)];
  for (int n : seen)
    if (n != 1) return false;
  return std::size(kDiagnosisOrder) == static_cast<std::size_t>(kRuleCount);
}
static_assert(names_every_rule_once(), "kDiagnosisOrder must name every rule of rule_catalogue.def once");

// D-7: in do, the BG_E_ codes that DO replaces by its own must not appear.
bool bits_code_in_do(Ctx& ctx, HRESULT h) {
  if (ctx.bits()) return false;
  return ctx.breaks(RuleId::D_7, h == hr::kBG_E_INVALID_STATE || h == hr::kBG_E_ERROR_INFORMATION_UNAVAILABLE ||
                                     h == hr::kBG_E_FILE_NOT_AVAILABLE);
}

}  // namespace

void apply_source(Belief& b, const Stimulus& s) {
  for (JobSlot& slot : b.jobs)
    if (slot.live)
      for (JobCandidate& c : slot.candidates)
        detail::source_changed(slot, c, s.index, b.env.behaviour[s.index], b.env.status[s.index]);
  b.env.behaviour[s.index] = s.behaviour;
  b.env.status[s.index] = s.status;
}

namespace {

// The durations an Advance interval is explored at: every second of the short intervals the Runner
// measures for real-time targets; a long interval (only a hand-written replay has one) every second of
// its first and last minute and 64 steps in between, so a parsed line cannot make one step cost millions.
std::uint32_t advance_stride(std::uint32_t lo, std::uint32_t hi, std::uint32_t d) {
  if (hi - lo <= 128 || d - lo < 60 || hi - d <= 60) return 1;
  return std::clamp<std::uint32_t>((hi - lo) / 64, 1, hi - 60 - d);
}

struct Failure {
  RuleId rule = RuleId::ST_9;
  std::string allowed;
};

// The chunks a job has surely moved: those of the files every candidate has transferred. A local file
// that the service reads at its own pace (paced_local_file false) took no transfer time: not counted.
std::uint32_t chunks_surely_moved(const ModelConfig& config, const JobSlot& slot) {
  if (!slot.live || slot.candidates.empty()) return 0;
  std::uint8_t done = kMaxFilesPerJob;
  for (const JobCandidate& c : slot.candidates) done = std::min(done, c.files_done);
  std::uint32_t chunks = 0;
  for (int f = 0; f < std::min<int>(done, slot.files); ++f) {
    const int source = slot.sources[static_cast<std::size_t>(f)];
    if (!is_local_source(source) || config.paced_local_file) chunks += static_cast<std::uint32_t>(chunks_of(source));
  }
  return chunks;
}

// The chunks the case's jobs together surely moved, released ones included, and the most that one
// job moved (a job alone faster than a chunk a second breaks ST-10, its own pace, not ST-9).
struct Moved {
  std::uint64_t together = 0, most_by_one = 0;
};
Moved chunks_moved(const ModelConfig& config, const Belief& b) {
  Moved m{b.budget.chunks_of_released_jobs, b.budget.chunks_of_released_jobs};
  for (const JobSlot& slot : b.jobs) {
    const std::uint32_t chunks = chunks_surely_moved(config, slot);
    m.together += chunks;
    m.most_by_one = std::max<std::uint64_t>(m.most_by_one, chunks);
  }
  return m;
}

// Replaces a slot's candidates, through the undo log when the step keeps one.
void replace(Undo* undo, Belief& b, int j, std::vector<JobCandidate>& next) {
  if (undo)
    undo->replace(b, j, next);
  else
    b.jobs[j].candidates.swap(next);
}

// The states a GetState answer keeps of a slot's candidates (M-12 as apply's GetState path reads it).
std::uint16_t kept_by(const RuleSet& rules, const Observation& o) {
  if (o.outcome != Outcome::Answered || !hr::succeeded(o.hr) || (o.hr != hr::kS_OK && rules.on(RuleId::M_12)))
    return detail::kAnyState;
  return detail::state_bit(o.state);
}

using SeenStates = std::array<std::uint16_t, kMaxJobs>;
constexpr SeenStates kNothingSeen = [] {
  SeenStates s{};
  s.fill(detail::kAnyState);
  return s;
}();

// A Source or Network event reaches the service at once (vendor_abi.h: the harness runs it up to the
// present right after one; BITS reacts to a network change as it happens, W-UN): whatever its
// scheduler and transport may do in no time - a queued job connects, a connection answers, a retry whose
// delay is over starts - may already have happened when the sweep looks. Time-bound moves (a chunk,
// a delay, a timeout) still wait for time (model-contract.md, "Time and movement").
void react_at_once(Ctx& ctx, Belief& b, Undo* undo) {
  for (int j = 0; j < kMaxJobs; ++j) {
    const JobSlot& slot = b.jobs[j];
    if (!slot.live) continue;
    thread_local std::vector<JobCandidate> next;
    next.clear();
    // Each candidate as it is (a service that waits for time: what passes in 0 s binds nothing, not even
    // a timeout already over), and each move it may make at once.
    thread_local std::vector<JobCandidate> moved;
    for (const JobCandidate& c : slot.candidates) {
      detail::add_candidate(next, c);
      moved.clear();
      detail::advance_successors(ctx, b.env, slot, c, 0, moved);
      // One step on, not a turn: a job that would have passed TRANSFERRING and left it again in no time
      // (a time slice over at the instant it began) would lose its error unseen.
      for (const JobCandidate& n : moved)
        if (!(c.has_record && !n.has_record && n.state != JobState::Transferring && n.state != JobState::Transferred))
          detail::add_candidate(next, n);
    }
    replace(undo, b, j, next);
  }
}

// Applies one stimulus and its observation to the belief; false when nothing explains it. `seen`: per
// slot, the states the sweep after the step keeps (an Advance makes no candidate the sweep drops).
bool apply(Ctx& ctx, Belief& b, const Stimulus& s, const Observation& o, Failure& why, Undo* undo,
           const SeenStates& seen = kNothingSeen) {
  if (o.outcome != Outcome::Answered) return true;  // crashes, hangs and gaps are the Runner's to judge
  switch (s.op) {
    case Op::Source:
      if (undo)
        for (int j = 0; j < kMaxJobs; ++j)
          if (b.jobs[j].live) undo->touch(b, j);
      apply_source(b, s);
      react_at_once(ctx, b, undo);
      return true;
    case Op::Network:
      // Only a change is a loss or a reconnection; the service may react at once to either event.
      if (b.env.network_up == (s.index != 0)) {
        react_at_once(ctx, b, undo);
        return true;
      }
      b.env.network_up = s.index != 0;
      for (int j = 0; j < kMaxJobs; ++j) {
        const JobSlot& slot = b.jobs[j];
        if (!slot.live) continue;
        thread_local std::vector<JobCandidate> next;
        next.clear();
        for (const JobCandidate& c : slot.candidates) detail::network_successors(ctx, slot, c, b.env.network_up, next);
        replace(undo, b, j, next);
      }
      react_at_once(ctx, b, undo);
      return true;
    case Op::Advance: {
      // An interval of real time (asynchronous targets: the Runner measures how long passed between two
      // observations) allows whatever any whole number of seconds in it allows - the clock resolution is
      // 1 s. The longest end alone would be too strict where the spec sets a deadline (ST-13, ST-14).
      const std::uint32_t lo = s.seconds, hi = std::max(s.seconds, s.seconds_max);
      b.budget.seconds_passed += hi;
      for (int j = 0; j < kMaxJobs; ++j) {
        const JobSlot& slot = b.jobs[j];
        if (!slot.live) continue;
        thread_local std::vector<JobCandidate> next;
        const auto widen = [&](std::uint16_t states) {
          next.clear();
          for (const JobCandidate& c : slot.candidates)
            for (std::uint32_t d = lo;; d += advance_stride(lo, hi, d)) {
              detail::advance_successors(ctx, b.env, slot, c, d, next, states);
              if (d == hi) break;
            }
        };
        // Only the candidates in the state the sweep will name are worth making. None there: the
        // whole set, for the sweep's verdict and its words.
        ctx.moving_job = j;
        widen(seen[j]);
        if (next.empty() && seen[j] != detail::kAnyState) widen(detail::kAnyState);
        ctx.moving_job = -1;
        replace(undo, b, j, next);
      }
      return true;
    }
    default: break;
  }
  JobSlot& slot = b.jobs[s.job];
  if (bits_code_in_do(ctx, o.hr)) {
    why.rule = RuleId::D_7;
    why.allowed = "a DO_E_ code in place of " + hresult_text(o.hr);
    return false;
  }
  // GetState (every observation sweep): the call changes nothing, so the candidates in the state it
  // names stay and the others go. M-12 is consulted as observe() consults it; an answer that fits no
  // candidate takes the general path below, for the verdict and its words.
  if (s.op == Op::GetState && (!ctx.on(RuleId::M_12) || o.hr == hr::kS_OK)) {
    if (!hr::succeeded(o.hr)) return true;
    // The answer keeps the candidates in the state it names, as the general path would, without making
    // each one's successor; none left takes the general path. (A sweep's answer that names a slot's only
    // candidate is settled before this call: confirms_only_candidate.)
    const auto other_state = [&](const JobCandidate& c) { return c.state != o.state; };
    if (!std::all_of(slot.candidates.begin(), slot.candidates.end(), other_state)) {
      if (std::any_of(slot.candidates.begin(), slot.candidates.end(), other_state)) {
        if (undo) undo->touch(b, s.job);
        std::erase_if(slot.candidates, other_state);
      }
      return true;
    }
  }
  // Scratch sets that keep their capacity from step to step: no allocation on the checking path.
  thread_local std::vector<Successor> succ;
  thread_local std::vector<JobCandidate> kept;
  succ.clear();
  kept.clear();
  if (s.op != Op::GetState) ctx.call_job = s.job;  // the sweep judges where the call led this job
  for (const JobCandidate& c : slot.candidates) detail::call_successors(ctx, slot, c, s, succ);
  bool have_rule = false;
  for (Successor& x : succ) {
    RuleId broken = RuleId::ST_9;
    if (detail::observe(ctx, slot, x, s, o, broken)) {
      detail::add_candidate(kept, x.next);
    } else if (!have_rule) {
      why.rule = broken;
      have_rule = true;
    }
  }
  if (kept.empty()) {
    why.allowed = detail::describe_allowed(ctx, slot, succ, s);
    return false;
  }
  replace(undo, b, s.job, kept);
  // A released job keeps running unseen; what it moved before still took the slot's time.
  if (s.op == Op::ReleaseJob) b.budget.chunks_of_released_jobs += chunks_surely_moved(ctx.config, slot);
  detail::update_slot(slot, s, o);
  return true;
}

// Most of a sweep's GetState answers name the state of their slot's only candidate: decided here, with
// the rules apply() consults on that path, without its call: the sweep is the model's hottest path
// (docs/performance.md).
inline bool confirms_only_candidate(Ctx& ctx, const Belief& b, const Step& q) {
  const Stimulus& s = q.stimulus;
  const Observation& o = q.observation;
  if (s.op != Op::GetState || s.job >= kMaxJobs || o.outcome != Outcome::Answered || o.hr != hr::kS_OK) return false;
  const std::vector<JobCandidate>& candidates = b.jobs[s.job].candidates;
  if (candidates.size() != 1 || candidates.front().state != o.state) return false;
  if (!ctx.bits()) ctx.on(RuleId::D_7);  // as bits_code_in_do() consults it
  ctx.on(RuleId::M_12);
  return true;
}

}  // namespace

JobModel::JobModel(ModelConfig config) : config_(std::move(config)) {}

Belief JobModel::initial() const {
  Belief b;
  b.env.behaviour.fill(Behaviour::Ok);
  b.env.behaviour[kLocalSource] = Behaviour::Present;
  for (JobSlot& slot : b.jobs) slot.candidates.push_back(JobCandidate{});
  return b;
}

bool JobModel::applicable(const Belief& b, const Stimulus& s) const {
  if (s.op == Op::Source) {
    // present/missing belong to the local-file source, the network behaviours to the HTTP ones.
    const bool file_behaviour = s.behaviour == Behaviour::Present || s.behaviour == Behaviour::Missing;
    return s.index < kSourceCount && file_behaviour == is_local_source(s.index);
  }
  if (s.op == Op::Network || s.op == Op::Advance) return true;
  if (s.job >= kMaxJobs) return false;
  if (config_.profile == Profile::Do && undocumented_in_do(s.op)) return false;
  const JobSlot& slot = b.jobs[s.job];
  if (s.op == Op::CreateJob) return !slot.live;
  if (detail::is_error_object_call_or_release(s.op)) return s.index < kMaxHandlesPerJob && slot.held[s.index];
  if (!slot.live) return false;
  if (s.op == Op::AddFile) return slot.files < kMaxFilesPerJob && s.index < kSourceCount;
  if (s.op == Op::GetError) return s.index < kMaxHandlesPerJob;
  return true;
}

bool JobModel::try_step(const RuleSet& rules, Belief& belief, const Step& step, std::span<const Step> sweep,
                        StepCheck& out, Undo* undo) const {
  Ctx ctx{config_, rules, out.checked};
  if (step.stimulus.op == Op::Network) ctx.unexpected_state = RuleId::ST_15;
  Failure why;
  SeenStates seen = kNothingSeen;
  if (step.stimulus.op == Op::Advance)
    for (const Step& q : sweep)
      if (q.stimulus.op == Op::GetState && q.stimulus.job < kMaxJobs)
        seen[q.stimulus.job] &= kept_by(rules, q.observation);
  if (!apply(ctx, belief, step.stimulus, step.observation, why, undo, seen)) {
    out.ok = false;
    out.rule = why.rule;
    out.failed_at = 0;
    out.allowed = why.allowed;
    return false;
  }
  int transferring = 0;
  std::string in_flight;  // "j0 TRANSFERRING, j1 CONNECTING": what the words of a failure name
  for (std::size_t i = 0; i < sweep.size(); ++i) {
    if (!confirms_only_candidate(ctx, belief, sweep[i]) &&
        !apply(ctx, belief, sweep[i].stimulus, sweep[i].observation, why, undo)) {
      out.ok = false;
      out.rule = why.rule;
      out.failed_at = static_cast<int>(i) + 1;
      out.allowed = why.allowed;
      return false;
    }
    const Observation& o = sweep[i].observation;
    if (sweep[i].stimulus.op == Op::GetState && o.outcome == Outcome::Answered && hr::succeeded(o.hr) &&
        (o.state == JobState::Connecting || o.state == JobState::Transferring)) {
      ++transferring;
      in_flight += (in_flight.empty() ? "j" : ", j") + std::to_string(sweep[i].stimulus.job) + " " +
                   std::string(short_name(o.state));
    }
  }
  // ST-9, I-12: one background job connects or transfers at a time (bits).
  if (config_.profile == Profile::Bits && transferring > 1 && ctx.on(RuleId::ST_9)) {
    out.ok = false;
    out.rule = RuleId::ST_9;
    out.failed_at = static_cast<int>(sweep.size());
    out.allowed = "at most one job in CONNECTING or TRANSFERRING (I-12), not " + in_flight;
    return false;
  }
  // ST-9, I-12 on progress: one slot moves at most a chunk a second (ST-10), so two jobs that transfer
  // at once show even when no poll lands mid-transfer - by finishing sooner than one slot could.
  if (config_.profile == Profile::Bits) {
    const Moved m = chunks_moved(config_, belief);
    const std::uint64_t seconds = belief.budget.seconds_passed, moved = m.together;
    if (moved > 0 && ctx.on(RuleId::ST_9) && moved > seconds && m.most_by_one <= seconds) {
      out.ok = false;
      out.rule = RuleId::ST_9;
      out.failed_at = static_cast<int>(sweep.size());
      out.allowed =
          "at most " + std::to_string(seconds) + " chunks moved by the jobs together in the " +
          std::to_string(seconds) +
          " s passed (one background transfer at a time, a chunk a second: I-12); the files seen transferred hold " +
          std::to_string(moved);
      return false;
    }
  }
  return true;
}

StepCheck JobModel::check(Belief& belief, const Step& step, std::span<const Step> sweep) const {
  return check_with(config_.rules, belief, step, sweep);
}

StepCheck JobModel::check_with(const RuleSet& rules, Belief& belief, const Step& step,
                               std::span<const Step> sweep) const {
  StepCheck result;
  // The step is tried in place; diagnosis needs the belief as it was, which the undo log puts back.
  thread_local Undo undo;
  undo.begin(belief);
  if (try_step(rules, belief, step, sweep, result, &undo)) return result;
  undo.restore(belief);
  // Diagnosis: which single rule, switched off, would have let this step pass?
  for (RuleId r : kDiagnosisOrder) {
    if (!rules.on(r) || !rule_applies(r, config_.profile)) continue;
    Belief trial = belief;
    StepCheck scratch;
    if (try_step(rules.without(r), trial, step, sweep, scratch)) {
      result.rule = r;
      break;
    }
  }
  result.checked.set(static_cast<std::size_t>(result.rule));
  return result;
}

namespace {

// The rules among `wanted` whose check rejects a step (JobModel::rejecting_rules): `judged(rules)` says
// whether it passes with those rules in force, `last(rules)` whether it passes with those rules in force
// for its last step alone (the steps before it judged with every rule: alone in force, a rule may let the
// earlier steps wander so far that it rejects nothing after them; a rule that judges an earlier step, and
// is broken by the answer of the last, needs them judged with it alone).
template <class Judged, class Last>
RuleBits rejecting(const RuleSet& rules, const RuleBits& wanted, Profile profile, const Judged& judged,
                   const Last& last) {
  RuleBits out;
  if (judged(rules)) return out;  // allowed: most answers tried are
  const bool judged_by_none = judged(RuleSet()), last_by_none = last(RuleSet());
  if (!judged_by_none && !last_by_none) return out;  // outside every rule's range
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const auto r = static_cast<RuleId>(i);
    if (!wanted.test(i) || !rules.on(r) || !rule_applies(r, profile)) continue;
    const RuleSet alone = RuleSet().with(r);
    if (judged(rules.without(r)) || (last_by_none && !last(alone)) || (judged_by_none && !judged(alone))) out.set(i);
  }
  return out;
}

}  // namespace

RuleBits JobModel::rejecting_rules(const RuleSet& rules, const Belief& belief, const Step& step,
                                   std::span<const Step> sweep, const RuleBits& wanted) const {
  const auto judged = [&](const RuleSet& in_force) {
    Belief trial = belief;
    StepCheck scratch;
    return try_step(in_force, trial, step, sweep, scratch);
  };
  return rejecting(rules, wanted, config_.profile, judged, judged);
}

RuleBits JobModel::rejecting_rules_in_sequence(const RuleSet& rules, const Belief& belief, std::span<const Step> steps,
                                               const RuleBits& wanted) const {
  if (steps.empty()) return {};
  // The belief before the last step, the steps before it judged with `rules`.
  Belief before_last = belief;
  StepCheck scratch;
  for (std::size_t i = 0; i + 1 < steps.size(); ++i)
    if (!try_step(rules, before_last, steps[i], {}, scratch)) return {};
  const auto judged = [&](const RuleSet& in_force) {
    Belief trial = belief;
    StepCheck s;
    for (const Step& step : steps)
      if (!try_step(in_force, trial, step, {}, s)) return false;
    return true;
  };
  const auto last = [&](const RuleSet& in_force) {
    Belief trial = before_last;
    StepCheck s;
    return try_step(in_force, trial, steps.back(), {}, s);
  };
  return rejecting(rules, wanted, config_.profile, judged, last);
}

StepCheck JobModel::check_sequence(const RuleSet& rules, Belief& belief, std::span<const Step> steps) const {
  auto run = [&](const RuleSet& in_force, Belief& b, StepCheck& out) {
    for (std::size_t i = 0; i < steps.size(); ++i)
      if (!try_step(in_force, b, steps[i], {}, out)) {
        out.failed_at = static_cast<int>(i);
        return false;
      }
    return true;
  };
  StepCheck result;
  Belief next = belief;
  if (run(rules, next, result)) {
    belief = std::move(next);
    return result;
  }
  for (RuleId r : kDiagnosisOrder) {
    if (!rules.on(r) || !rule_applies(r, config_.profile)) continue;
    Belief trial = belief;
    StepCheck scratch;
    if (run(rules.without(r), trial, scratch)) {
      result.rule = r;
      break;
    }
  }
  result.checked.set(static_cast<std::size_t>(result.rule));
  return result;
}

std::size_t JobModel::candidate_count(const Belief& b) {
  std::size_t n = 0;
  for (const JobSlot& slot : b.jobs)
    if (slot.live) n += slot.candidates.size();
  return n;
}

std::uint16_t possible_states(const JobSlot& slot) {
  std::uint16_t mask = 0;
  for (const JobCandidate& c : slot.candidates) mask |= detail::state_bit(c.state);
  return mask;
}

}  // namespace bgc
