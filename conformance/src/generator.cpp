#include "generator.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace bgc {
namespace {

struct Weighted {
  int weight;
  Stimulus stimulus;
};

bool has(std::uint16_t mask, JobState s) { return (mask >> static_cast<unsigned>(s)) & 1u; }
constexpr std::uint16_t bit(JobState s) { return static_cast<std::uint16_t>(1u << static_cast<unsigned>(s)); }
constexpr std::uint16_t kErrorStates = bit(JobState::Error) | bit(JobState::TransientError);
constexpr std::uint16_t kRunning = bit(JobState::Queued) | bit(JobState::Connecting) | bit(JobState::Transferring);

// The source of the file the job reads now: the first file that no candidate has finished.
std::optional<int> current_source(const JobSlot& slot) {
  if (!slot.live || slot.candidates.empty() || slot.files == 0) return std::nullopt;
  int done = kMaxFilesPerJob;
  for (const JobCandidate& c : slot.candidates) done = c.files_done < done ? c.files_done : done;
  if (done >= slot.files) return std::nullopt;
  return slot.sources[done];
}

std::uint32_t longest_retry_delay(const JobSlot& slot) {
  std::uint32_t d = 0;
  for (const JobCandidate& c : slot.candidates) d = c.retry_delay > d ? c.retry_delay : d;
  return d;
}

bool uses_source(const JobSlot& slot, int source) {
  for (int f = 0; f < slot.files; ++f)
    if (slot.sources[f] == source) return true;
  return false;
}

// A list of at most N values on the stack: the per-step picks below need a few each, and the
// generator runs once per step.
template <class T, std::size_t N>
class FewOf {
 public:
  constexpr void push_back(const T& v) { items_[size_++] = v; }
  constexpr std::size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr const T& operator[](std::size_t i) const { return items_[i]; }

 private:
  std::array<T, N> items_{};
  std::size_t size_ = 0;
};

// The rows of job_stimulus's table: each call on a live job, in the alphabet's order, then giving the slot
// up. (CreateJob is pick()'s, for an empty slot; the environment is environment()'s.)
constexpr FewOf<Op, kOpCount> job_rows_in_order() {
  FewOf<Op, kOpCount> rows;
  for (int i = 0; i < kOpCount; ++i)
    if (kAlphabet[i].role != OpRole::Slot && kAlphabet[i].role != OpRole::Environment)
      rows.push_back(static_cast<Op>(i));
  rows.push_back(Op::ReleaseJob);
  return rows;
}
constexpr FewOf<Op, kOpCount> kJobRowOps = job_rows_in_order();

using PS = StimulusGenerator::PlanStep;
PS fixed(int job, Stimulus s) { return {PS::Kind::Fixed, job, s}; }
PS dynamic(PS::Kind k, int job, Stimulus s = {}) { return {k, job, s}; }

}  // namespace

StimulusGenerator::StimulusGenerator(const JobModel& model, GeneratorOptions options, RandomBits random)
    : model_(model), options_(std::move(options)), random_(std::move(random)) {
  if (options_.swarm) draw_swarm();
  // Whether some wanted pair is an error-object call (in any state): fixed for the case, asked by
  // every aim().
  const auto& kinds = all_kinds(model_.config().profile);
  for (std::size_t p = 0; p < options_.wanted_pairs.size(); ++p) {
    const Op op = kinds[p % kinds.size()].op;
    const OpRole role = row_of(op).role;
    if (options_.wanted_pairs[p] && (role == OpRole::ObjectCall || role == OpRole::ReleasesObject))
      wants_object_calls_ = true;
  }
}

// The rows of job_stimulus's table that a swarm never leaves out: adding files and resuming are what
// make a job move at all.
constexpr std::uint32_t kAlwaysOn = 0b11;
constexpr unsigned kJobRows = kJobRowOps.size(), kEventKinds = 9;
static_assert(kJobRows <= 32, "the swarm keeps one bit per row of job_stimulus's table");

void StimulusGenerator::draw_swarm() {
  if (below(2) == 0) return;  // this case uses everything
  for (unsigned row = 0; row < kJobRows; ++row)
    if (below(2) == 0) rows_off_ |= 1u << row;
  rows_off_ &= ~kAlwaysOn;
  for (unsigned e = 0; e < kEventKinds; ++e)
    if (below(3) == 0) events_off_ |= 1u << e;
  if (events_off_ == (1u << kEventKinds) - 1) events_off_ = 0;
  advance_quarters_ = std::array<std::uint32_t, 3>{2, 4, 8}[below(3)];
}

std::optional<Stimulus> StimulusGenerator::next(const Belief& belief) {
  std::optional<Stimulus> s = draw(belief);
  if (s) fit(*s);
  return s;
}

void StimulusGenerator::fit(Stimulus& s) const {
  if (s.op == Op::Network && !options_.network_events) s = stim::advance(1);
  if (s.op == Op::Source && s.behaviour == Behaviour::Refused && !options_.refused_connections)
    s.behaviour = Behaviour::Reset;
  if (s.op == Op::Advance && options_.longest_advance > 0) {
    s.seconds = std::min(s.seconds, options_.longest_advance);
    s.seconds_max = std::min(s.seconds_max, options_.longest_advance);
  }
}

std::optional<Stimulus> StimulusGenerator::draw(const Belief& belief) {
  if (produced_ >= options_.max_steps) return std::nullopt;
  // A fragment in play goes on; otherwise now and then start one that fits the belief.
  if (auto s = from_plan(belief)) {
    ++produced_;
    return s;
  }
  // Half the time, aim at a (state, kind) pair the run still misses; otherwise a fragment now and
  // then, or the weighted pick.
  if (!options_.wanted_pairs.empty() && below(2) == 0) {
    if (auto s = aim(belief); s && model_.applicable(belief, *s)) {
      ++produced_;
      return s;
    }
  }
  if (below(6) == 0 && plan(belief))
    if (auto s = from_plan(belief)) {
      ++produced_;
      return s;
    }
  for (int attempt = 0; attempt < 64; ++attempt) {
    Stimulus s = pick(belief);
    if (model_.applicable(belief, s)) {
      ++produced_;
      return s;
    }
  }
  ++produced_;
  return stim::advance(1);
}

std::optional<Stimulus> StimulusGenerator::from_plan(const Belief& belief) {
  while (plan_at_ < plan_.size()) {
    const PlanStep step = plan_[plan_at_++];
    if (auto s = resolve(belief, step); s && model_.applicable(belief, *s)) return s;
  }
  plan_.clear();
  plan_at_ = 0;
  return std::nullopt;
}

std::optional<Stimulus> StimulusGenerator::resolve(const Belief& belief, const PlanStep& step) {
  const JobSlot& slot = belief.jobs[step.job];
  const std::uint16_t m = slot.live ? possible_states(slot) : 0;
  switch (step.kind) {
    case PlanStep::Kind::Fixed: return step.stimulus;
    case PlanStep::Kind::FailCurrent: {
      const auto src = current_source(slot);
      if (!src) return std::nullopt;
      if (is_local_source(*src)) return stim::source(*src, Behaviour::Missing);
      return stim::source(*src, step.stimulus.behaviour, step.stimulus.status);
    }
    case PlanStep::Kind::HealCurrent: {
      if (!belief.env.network_up) return stim::network(true);
      const auto src = current_source(slot);
      if (!src) return std::nullopt;
      const Behaviour healthy = is_local_source(*src) ? Behaviour::Present : Behaviour::Ok;
      if (belief.env.behaviour[*src] == healthy) return std::nullopt;
      return stim::source(*src, healthy);
    }
    case PlanStep::Kind::ResumeIfIdle:
      if (slot.live && slot.files > 0 && (has(m, JobState::Suspended) || has(m, JobState::Error)))
        return stim::call(Op::Resume, step.job);
      return std::nullopt;
    case PlanStep::Kind::ShortRetry:
      if (slot.live && longest_retry_delay(slot) > 10) return stim::set_seconds(Op::SetMinimumRetryDelay, step.job, 5);
      return std::nullopt;
    case PlanStep::Kind::PastRetry:
      if (!slot.live) return std::nullopt;
      return stim::advance(longest_retry_delay(slot) + 1);
    case PlanStep::Kind::LongerTimeout:
      if (!slot.live) return std::nullopt;
      return stim::set_seconds(Op::SetNoProgressTimeout, step.job, longest_retry_delay(slot) + 2);
    case PlanStep::Kind::PastTimeout: {
      if (!slot.live) return std::nullopt;
      std::uint32_t t = 0;
      for (const JobCandidate& c : slot.candidates) t = c.timeout > t ? c.timeout : t;
      return t < 100'000 ? std::optional<Stimulus>(stim::advance(t + 1)) : std::nullopt;
    }
    case PlanStep::Kind::Poke:
      if (!slot.live) return std::nullopt;
      if (!options_.wanted_pairs.empty())
        if (auto s = aim(belief); s && model_.applicable(belief, *s)) return s;
      return job_stimulus(belief, step.job);
    case PlanStep::Kind::ToTransfer:
      if (!slot.live || m == bit(JobState::Transferring)) return std::nullopt;
      return stim::advance(2);
  }
  return std::nullopt;
}

// The fragments, each chosen only where the belief says it can play out:
// - a job reading a multi-chunk file fails in mid-file and recovers: the error count is read while
//   it fails and again after it transfers once more (E-9), progress after the retry (P-1), and
//   GetError once it transferred again (E-2);
// - a failed job's error object is taken and read, the job then fails differently before it transfers
//   again, and the object is read once more (E-5 with I-2), beside a fresh object of the new error;
// - a job with a local-file source: the file goes missing and the error object is read (E-6, E-7);
// - a job is made to fail (unless its source already fails), its no-progress timeout is changed while
//   it fails to just above its retry delay, and time passes beyond it across the retries (ST-12, E-4);
// - a job is made to fail with a short retry delay, its source heals, the delay is lengthened while it
//   waits, and time passes beyond the old delay but not the new one (ST-12);
// - a failed job's error object is taken and the job released: the object outlives it (I-2);
// - a job about to start reads from a source that delays its headers: calls while it is CONNECTING;
// - a failed job: its error object is taken and every value read.
bool StimulusGenerator::plan(const Belief& belief) {
  using K = PlanStep::Kind;
  // Each fragment with a weight: the ones that reach deep states count more than the quick reads.
  std::vector<std::pair<int, std::vector<PlanStep>>> options;
  auto add = [&options](int weight, std::vector<PlanStep> steps) { options.emplace_back(weight, std::move(steps)); };
  // CONNECTING is short-lived: hold a job there only while the run still misses pairs in it.
  bool wants_connecting = false;
  {
    const std::size_t kinds = all_kinds(model_.config().profile).size();
    const auto connecting = static_cast<std::size_t>(JobState::Connecting);
    for (std::size_t p = connecting * kinds; p < (connecting + 1) * kinds && p < options_.wanted_pairs.size(); ++p)
      wants_connecting = wants_connecting || options_.wanted_pairs[p];
  }
  for (int j = 0; j < options_.jobs && j < kMaxJobs; ++j) {
    const JobSlot& slot = belief.jobs[j];
    if (!slot.live) continue;
    const std::uint16_t m = possible_states(slot);
    if (m == 0) continue;
    const auto src = current_source(slot);
    const int h = !slot.held[0] ? 0 : (!slot.held[1] ? 1 : static_cast<int>(below(kMaxHandlesPerJob)));
    const int other = 1 - h;
    const bool failed = (m & ~kErrorStates) == 0;
    // An error object call on an object kept across a retry (any answer but a crash once it is stale).
    auto object_call = [this] {
      static constexpr std::array<Op, 5> kCalls = {Op::ErrGetError, Op::ErrGetFile, Op::ErrGetProtocol,
                                                   Op::ErrGetErrorDescription, Op::ErrGetErrorContextDescription};
      return kCalls[below(kCalls.size())];
    };
    if (src && !is_local_source(*src) && chunks_of(*src) >= 2 && belief.env.network_up &&
        belief.env.behaviour[*src] == Behaviour::Ok && (m & ~kRunning) == 0) {
      const Behaviour failure = below(2) == 0 ? Behaviour::Reset : Behaviour::Refused;
      add(3,
          {dynamic(K::ShortRetry, j), dynamic(K::ToTransfer, j), dynamic(K::FailCurrent, j, stim::source(0, failure)),
           fixed(j, stim::advance(1)), fixed(j, stim::call(Op::GetErrorCount, j)),
           fixed(j, stim::with_handle(Op::GetError, j, h)), dynamic(K::HealCurrent, j), dynamic(K::ResumeIfIdle, j),
           dynamic(K::PastRetry, j), fixed(j, stim::call(Op::GetErrorCount, j)),
           fixed(j, stim::call(Op::GetProgress, j)), fixed(j, stim::with_handle(object_call(), j, h)),
           fixed(j, stim::advance(4)), fixed(j, stim::call(Op::GetProgress, j)),
           fixed(j, stim::call(Op::GetErrorCount, j)), fixed(j, stim::with_handle(Op::GetError, j, other))});
    }
    if (src && !is_local_source(*src) && failed) {
      // A failure other than the source's present one, so the new error differs from the held one.
      static constexpr std::array<std::pair<Behaviour, std::uint16_t>, 4> kFailures = {
          {{Behaviour::Refused, 0}, {Behaviour::Reset, 0}, {Behaviour::Http, 404}, {Behaviour::Http, 403}}};
      std::vector<std::pair<Behaviour, std::uint16_t>> different;
      for (const auto& f : kFailures)
        if (f.first != belief.env.behaviour[*src] ||
            (f.first == Behaviour::Http && f.second != belief.env.status[*src]))
          different.push_back(f);
      const auto f = different[below(static_cast<std::uint32_t>(different.size()))];
      add(3,
          {fixed(j, stim::with_handle(Op::GetError, j, h)), fixed(j, stim::with_handle(Op::ErrGetError, j, h)),
           dynamic(K::ShortRetry, j), dynamic(K::FailCurrent, j, stim::source(0, f.first, f.second)),
           dynamic(K::ResumeIfIdle, j), dynamic(K::PastRetry, j), fixed(j, stim::with_handle(Op::ErrGetError, j, h)),
           fixed(j, stim::with_handle(Op::GetError, j, other)), fixed(j, stim::with_handle(Op::ErrGetError, j, other)),
           fixed(j, stim::with_handle(Op::ErrGetError, j, h))});
    }
    if (uses_source(slot, kLocalSource) && (m & (kRunning | kErrorStates | bit(JobState::Suspended))) != 0) {
      add(1, {fixed(j, stim::source(kLocalSource, Behaviour::Missing)), dynamic(K::ResumeIfIdle, j),
              fixed(j, stim::advance(2)), fixed(j, stim::with_handle(Op::GetError, j, h)), fixed(j, stim::advance(4)),
              fixed(j, stim::with_handle(Op::GetError, j, h)), fixed(j, stim::with_handle(Op::ErrGetProtocol, j, h)),
              fixed(j, stim::with_handle(Op::ErrGetError, j, h)), fixed(j, stim::with_handle(Op::ErrGetFile, j, h))});
    }
    const bool failing_source = !belief.env.network_up || (src && belief.env.behaviour[*src] != Behaviour::Ok &&
                                                           belief.env.behaviour[*src] != Behaviour::Present);
    if (src && !is_local_source(*src) && slot.files > 0 &&
        (m & ~(kRunning | kErrorStates | bit(JobState::Suspended))) == 0) {
      // The timeout changes while the job is failing (made to fail first, unless it already is).
      std::vector<PlanStep> steps = {dynamic(K::ShortRetry, j)};
      if (!(failing_source && m == bit(JobState::TransientError))) {
        const Behaviour failure = below(2) == 0 ? Behaviour::Reset : Behaviour::Refused;
        steps.insert(steps.end(), {dynamic(K::FailCurrent, j, stim::source(0, failure)), dynamic(K::ResumeIfIdle, j),
                                   fixed(j, stim::advance(2))});
      }
      steps.insert(steps.end(),
                   {dynamic(K::LongerTimeout, j), dynamic(K::PastRetry, j), dynamic(K::PastTimeout, j),
                    fixed(j, stim::with_handle(Op::GetError, j, h)), fixed(j, stim::with_handle(Op::ErrGetError, j, h)),
                    fixed(j, stim::call(Op::GetErrorCount, j))});
      add(failing_source ? 3 : 1, std::move(steps));
    }
    if (src && !is_local_source(*src) && slot.files > 0 && belief.env.network_up &&
        (m & ~(kRunning | kErrorStates | bit(JobState::Suspended))) == 0) {
      // The retry delay changes while the job waits to retry, as the timeout does above: made to fail
      // with a short delay, its source healed, the delay lengthened, and time let pass past the old
      // delay but not the new one (ST-12: the retry waits for the delay in force).
      const Behaviour failure = below(2) == 0 ? Behaviour::Reset : Behaviour::Refused;
      add(1, {dynamic(K::ShortRetry, j), dynamic(K::FailCurrent, j, stim::source(0, failure)),
              dynamic(K::ResumeIfIdle, j), fixed(j, stim::advance(2)), dynamic(K::HealCurrent, j),
              fixed(j, stim::set_seconds(Op::SetMinimumRetryDelay, j, 20)), fixed(j, stim::advance(6)),
              fixed(j, stim::call(Op::GetProgress, j)), fixed(j, stim::advance(15))});
    }
    if (src && !is_local_source(*src) && belief.env.network_up &&
        (m & (kRunning | bit(JobState::Transferred) | bit(JobState::Cancelled) | bit(JobState::Acknowledged))) == 0) {
      add(wants_connecting ? 3 : 1, {fixed(j, stim::source(*src, Behaviour::DelayedHeaders)),
                                     dynamic(K::ResumeIfIdle, j), dynamic(K::ShortRetry, j), fixed(j, stim::advance(1)),
                                     dynamic(K::Poke, j), dynamic(K::Poke, j), dynamic(K::Poke, j)});
    }
    if (failed) {
      add(1, {fixed(j, stim::with_handle(Op::GetError, j, h)), fixed(j, stim::release_job(j)),
              fixed(j, stim::with_handle(object_call(), j, h)), fixed(j, stim::with_handle(object_call(), j, h))});
      add(1, {fixed(j, stim::with_handle(Op::GetError, j, h)), fixed(j, stim::with_handle(Op::ErrGetError, j, h)),
              fixed(j, stim::with_handle(Op::ErrGetFile, j, h)), fixed(j, stim::with_handle(Op::ErrGetProtocol, j, h)),
              fixed(j, stim::call(Op::GetErrorCount, j))});
    }
  }
  if (options.empty()) return false;
  int total = 0;
  for (const auto& o : options) total += o.first;
  int r = static_cast<int>(below(static_cast<std::uint32_t>(total)));
  std::size_t chosen = 0;
  while (r >= options[chosen].first) r -= options[chosen++].first;
  plan_ = std::move(options[chosen].second);
  plan_at_ = 0;
  return true;
}

std::optional<Stimulus> StimulusGenerator::aim(const Belief& belief) {
  const auto& kinds = all_kinds(model_.config().profile);
  std::vector<Stimulus>& now = aimed_;  // stimuli that apply a wanted pair right away
  now.clear();
  const bool wants_object_calls = wants_object_calls_;
  for (int j = 0; j < options_.jobs && j < kMaxJobs; ++j) {
    const JobSlot& slot = belief.jobs[j];
    const std::uint16_t m = slot.live ? possible_states(slot) : 0;
    if (m == 0 || (m & (m - 1)) != 0) continue;  // aim only where the job's state is known
    unsigned state = 0;
    while (!((m >> state) & 1u)) ++state;
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      const std::size_t pair = state * kinds.size() + k;
      if (pair >= options_.wanted_pairs.size() || !options_.wanted_pairs[pair]) continue;
      auto s = of_kind(belief, j, kinds[k]);
      if (s && model_.applicable(belief, *s)) now.push_back(*s);
    }
  }
  // Error-object calls in later states need an object taken while the job has an error: take one.
  if (wants_object_calls && below(2) == 0)
    for (int j = 0; j < options_.jobs && j < kMaxJobs; ++j) {
      const JobSlot& slot = belief.jobs[j];
      const std::uint16_t errors =
          (1u << static_cast<unsigned>(JobState::Error)) | (1u << static_cast<unsigned>(JobState::TransientError));
      if (slot.live && (possible_states(slot) & errors) && !(slot.held[0] && slot.held[1]))
        return stim::with_handle(Op::GetError, j, slot.held[0] ? 1 : 0);
    }
  if (!now.empty()) return now[below(static_cast<std::uint32_t>(now.size()))];
  return std::nullopt;
}

std::optional<Stimulus> StimulusGenerator::of_kind(const Belief& belief, int job, const StimulusKind& kind) {
  const JobSlot& slot = belief.jobs[job];
  const int h = slot.held[0] && slot.held[1] ? static_cast<int>(below(kMaxHandlesPerJob)) : (slot.held[1] ? 1 : 0);
  switch (row_of(kind.op).operand) {
    case OpOperand::Duration: return stim::advance(duration(belief));
    case OpOperand::UpDown: return stim::network(!belief.env.network_up);
    case OpOperand::SourceEvent: {
      const bool local = kind.behaviour == Behaviour::Present || kind.behaviour == Behaviour::Missing;
      const int src = local ? kLocalSource : static_cast<int>(below(kLocalSource));
      static constexpr std::array<std::uint16_t, 4> kStatus = {403, 404, 500, 503};
      return stim::source(src, kind.behaviour, kStatus[below(kStatus.size())]);
    }
    case OpOperand::Source: return stim::with_source(kind.op, job, static_cast<int>(below(kSourceCount)));
    case OpOperand::Handle:
      // A call that hands out an object may fill either slot; one on a held object names a held one.
      if (row_of(kind.op).role == OpRole::TakesObject)
        return stim::with_handle(kind.op, job, static_cast<int>(below(kMaxHandlesPerJob)));
      return stim::with_handle(kind.op, job, h);
    case OpOperand::RetryDelay:
      return stim::set_seconds(kind.op, job, std::array<std::uint32_t, 3>{1, 5, 10}[below(3)]);
    case OpOperand::Timeout: return stim::set_seconds(kind.op, job, std::array<std::uint32_t, 3>{0, 7, 20}[below(3)]);
    case OpOperand::None: break;
  }
  return stim::call(kind.op, job);
}

Stimulus StimulusGenerator::pick(const Belief& belief) {
  const int jobs = options_.jobs < 1 ? 1 : (options_.jobs > kMaxJobs ? kMaxJobs : options_.jobs);
  FewOf<int, kMaxJobs> live, empty;
  bool moving = false;  // some job may move while time passes
  for (int j = 0; j < jobs; ++j) {
    const JobSlot& slot = belief.jobs[j];
    if (!slot.live) {
      empty.push_back(j);
      continue;
    }
    live.push_back(j);
    const std::uint16_t m = possible_states(slot);
    if (has(m, JobState::Queued) || has(m, JobState::Connecting) || has(m, JobState::Transferring) ||
        has(m, JobState::TransientError))
      moving = true;
  }
  if (live.empty()) return stim::create_job(empty[below(static_cast<std::uint32_t>(empty.size()))]);
  const std::uint32_t roll = below(100);
  if (!empty.empty() && roll < 6) return stim::create_job(empty[below(static_cast<std::uint32_t>(empty.size()))]);
  // How often time passes, scaled by the swarm's factor (the environment's share follows it).
  const std::uint32_t advance = 6 + ((moving ? 26u : 8u) * advance_quarters_) / 4;
  if (roll < std::min(advance, 80u)) return stim::advance(duration(belief));
  if (roll < std::min(advance + 12, 90u)) return environment(belief);
  return job_stimulus(belief, live[below(static_cast<std::uint32_t>(live.size()))]);
}

std::uint32_t StimulusGenerator::duration(const Belief& belief) {
  static constexpr std::array<std::uint32_t, 4> kFixed = {1, 4, 5, 6};
  if (below(2) == 0) return kFixed[below(kFixed.size())];
  // A boundary of some live job's timers, or one second either side of it.
  // Also the time left until a running timer reaches its boundary: after the delay or the timeout
  // changed while the timer ran, that is where the old and the new boundary part.
  FewOf<std::uint32_t, 6 * kMaxJobs> bounds;
  for (const JobSlot& slot : belief.jobs) {
    if (!slot.live || slot.candidates.empty()) continue;
    const JobCandidate& c = slot.candidates[below(static_cast<std::uint32_t>(slot.candidates.size()))];
    bounds.push_back(c.retry_delay);
    if (c.timeout < 100'000)
      bounds.push_back(c.timeout);  // the 14-day default only rarely
    else if (below(8) == 0)
      bounds.push_back(c.timeout);
    // From either end of what the model knows of it: from the least time (then one second less is
    // surely before the boundary) and from the most (then one second more is surely past it).
    for (const std::int64_t elapsed : {c.retry_elapsed.lo, c.retry_elapsed.hi})
      if (c.state == JobState::TransientError && elapsed > 0 && elapsed < c.retry_delay)
        bounds.push_back(c.retry_delay - static_cast<std::uint32_t>(elapsed));
    if (c.no_progress_running && c.no_progress_elapsed.lo > 0 && c.no_progress_elapsed.lo < c.timeout &&
        c.timeout - c.no_progress_elapsed.lo < 100'000)
      bounds.push_back(c.timeout - static_cast<std::uint32_t>(c.no_progress_elapsed.lo));
  }
  if (bounds.empty()) return kFixed[below(kFixed.size())];
  const std::uint32_t b = bounds[below(static_cast<std::uint32_t>(bounds.size()))];
  const std::uint32_t d = b + below(3);  // b-1, b, b+1
  return d <= 1 ? 1 : d - 1;
}

Stimulus StimulusGenerator::environment(const Belief& belief) {
  if (!belief.env.network_up && below(2) == 0) return stim::network(true);
  const std::uint32_t r = below(20);
  if (r < 2) return stim::network(belief.env.network_up ? false : true);
  // Half the time a source some live job reads now: its events change what that job does.
  FewOf<int, kMaxJobs> in_use;
  for (const JobSlot& slot : belief.jobs)
    if (auto s = current_source(slot)) in_use.push_back(*s);
  const int src = !in_use.empty() && below(2) == 0 ? in_use[below(static_cast<std::uint32_t>(in_use.size()))]
                                                   : static_cast<int>(below(kSourceCount));
  if (is_local_source(src)) return stim::source(src, below(2) ? Behaviour::Present : Behaviour::Missing);
  static constexpr std::array<std::uint16_t, 4> kStatus = {403, 404, 500, 503};
  // The swarm's events only (an event left out is drawn again, a few times, then taken as it is).
  std::uint32_t e = below(kEventKinds);
  for (int tries = 0; tries < 8 && (events_off_ >> e & 1u); ++tries) e = below(kEventKinds);
  switch (e) {
    case 0:
    case 1: return stim::source(src, Behaviour::Ok);
    case 2: return stim::source(src, Behaviour::Slow);
    case 3: return stim::source(src, Behaviour::DelayedHeaders);
    case 4:
    case 5: return stim::source(src, Behaviour::Http, kStatus[below(kStatus.size())]);
    case 6: return stim::source(src, Behaviour::Refused);
    case 7: return stim::source(src, Behaviour::Reset);
    default: return stim::source(src, Behaviour::Stall);
  }
}

// A no-progress timeout worth trying: 0 (ST-13), below the retry delay (ST-14), or above it so that
// retries happen and the timeout still runs out (ST-12, E-4).
std::uint32_t StimulusGenerator::timeout_for(const JobSlot& slot) {
  const std::uint32_t delay = slot.candidates.empty() ? kDefaultRetryDelay : slot.candidates.front().retry_delay;
  return std::array<std::uint32_t, 5>{0, 2, delay + 2, delay + 2, 2 * delay}[below(5)];
}

// The call `op` on `job` with operands drawn as the generator likes them: retry delays around the 5 s
// minimum, timeouts from timeout_for, a handle slot that holds an object for calls on one.
Stimulus StimulusGenerator::call_on(Op op, const JobSlot& slot, int job, int any_h, int held_h) {
  switch (row_of(op).operand) {
    case OpOperand::Source: return stim::with_source(op, job, static_cast<int>(below(kSourceCount)));
    case OpOperand::Handle: return stim::with_handle(op, job, row_of(op).role == OpRole::TakesObject ? any_h : held_h);
    case OpOperand::RetryDelay:
      return stim::set_seconds(op, job, std::array<std::uint32_t, 5>{0, 1, 3, 5, 10}[below(5)]);
    case OpOperand::Timeout: return stim::set_seconds(op, job, timeout_for(slot));
    default: return stim::call(op, job);
  }
}

Stimulus StimulusGenerator::job_stimulus(const Belief& belief, int job) {
  const JobSlot& slot = belief.jobs[job];
  const std::uint16_t m = possible_states(slot);
  const bool failed = has(m, JobState::Error) || has(m, JobState::TransientError);
  const bool final = has(m, JobState::Cancelled) || has(m, JobState::Acknowledged);
  const bool idle = has(m, JobState::Suspended) || failed || has(m, JobState::Transferred);
  const bool held = slot.held[0] || slot.held[1];
  const int h = static_cast<int>(below(kMaxHandlesPerJob));
  const int held_h = slot.held[0] && slot.held[1] ? h : (slot.held[1] ? 1 : 0);
  // Each row weighs what the alphabet says, more where the job's state makes the call worth trying, and
  // nothing where it cannot mean anything.
  const auto weight = [&](Op op) {
    const OpRow& row = row_of(op);
    if ((row.role == OpRole::ObjectCall || row.role == OpRole::ReleasesObject) && !held) return 0;
    switch (op) {
      case Op::AddFile: return slot.files == 0 ? 30 : (slot.files < kMaxFilesPerJob ? row.weight : 0);
      case Op::Resume: return idle && slot.files > 0 ? 24 : row.weight;
      case Op::Cancel: return final ? 3 : row.weight;
      case Op::Complete: return has(m, JobState::Transferred) ? 8 : row.weight;
      case Op::GetError: return failed ? 16 : row.weight;
      // A short timeout on a failing job drives it to ERROR by the no-progress rule (ST-12, E-4).
      case Op::SetNoProgressTimeout: return has(m, JobState::TransientError) ? 10 : row.weight;
      case Op::GetErrorCount: return failed ? 6 : row.weight;
      case Op::ReleaseJob: return final ? 6 : row.weight;
      default: return row.weight;
    }
  };
  std::array<Weighted, kJobRows> table{};
  int total = 0;
  for (unsigned row = 0; row < kJobRows; ++row) {
    const Op op = kJobRowOps[row];
    table[row] = {row_on(row) ? weight(op) : 0, call_on(op, slot, job, h, held_h)};
    total += table[row].weight;
  }
  if (total == 0) return stim::call(Op::GetState, job);
  int r = static_cast<int>(below(static_cast<std::uint32_t>(total)));
  for (const Weighted& w : table) {
    if (r < w.weight) return w.stimulus;
    r -= w.weight;
  }
  return stim::call(Op::GetState, job);
}

}  // namespace bgc
