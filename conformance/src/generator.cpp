#include "generator.h"

#include <array>
#include <vector>

namespace bgc {
namespace {

struct Weighted {
  int weight;
  Stimulus stimulus;
};

bool has(std::uint16_t mask, JobState s) { return (mask >> static_cast<unsigned>(s)) & 1u; }

}  // namespace

StimulusGenerator::StimulusGenerator(const JobModel& model, GeneratorOptions options, RandomBits random)
    : model_(model), options_(options), random_(std::move(random)) {}

std::optional<Stimulus> StimulusGenerator::next(const Belief& belief) {
  if (produced_ >= options_.max_steps) return std::nullopt;
  // Half the time, aim at a (state, kind) pair the run still misses; otherwise the weighted pick.
  if (!options_.wanted_pairs.empty() && below(2) == 0) {
    if (auto s = aim(belief); s && model_.applicable(belief, *s)) {
      ++produced_;
      return s;
    }
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

std::optional<Stimulus> StimulusGenerator::aim(const Belief& belief) {
  const auto kinds = all_kinds(model_.config().profile);
  std::vector<Stimulus> now;    // stimuli that apply a wanted pair right away
  bool wants_object_calls = false;  // some wanted pair is an error-object call (in any state)
  for (std::size_t p = 0; p < options_.wanted_pairs.size(); ++p) {
    const Op op = kinds[p % kinds.size()].op;
    if (options_.wanted_pairs[p] && (is_error_object_call(op) || op == Op::ReleaseError)) wants_object_calls = true;
  }
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
      const std::uint16_t errors = (1u << static_cast<unsigned>(JobState::Error)) |
                                   (1u << static_cast<unsigned>(JobState::TransientError));
      if (slot.live && (possible_states(slot) & errors) && !(slot.held[0] && slot.held[1]))
        return stim::with_handle(Op::GetError, j, slot.held[0] ? 1 : 0);
    }
  if (!now.empty()) return now[below(static_cast<std::uint32_t>(now.size()))];
  return std::nullopt;
}

std::optional<Stimulus> StimulusGenerator::of_kind(const Belief& belief, int job, const StimulusKind& kind) {
  const JobSlot& slot = belief.jobs[job];
  const int h = slot.held[0] && slot.held[1] ? static_cast<int>(below(kMaxHandlesPerJob)) : (slot.held[1] ? 1 : 0);
  switch (kind.op) {
    case Op::Advance: return stim::advance(duration(belief));
    case Op::Network: return stim::network(!belief.env.network_up);
    case Op::Source: {
      const bool local = kind.behaviour == Behaviour::Present || kind.behaviour == Behaviour::Missing;
      const int src = local ? kLocalSource : static_cast<int>(below(kLocalSource));
      static constexpr std::array<std::uint16_t, 4> kStatus = {403, 404, 500, 503};
      return stim::source(src, kind.behaviour, kStatus[below(kStatus.size())]);
    }
    case Op::AddFile: return stim::add_file(job, static_cast<int>(below(kSourceCount)));
    case Op::GetError: return stim::with_handle(Op::GetError, job, static_cast<int>(below(kMaxHandlesPerJob)));
    case Op::SetMinimumRetryDelay:
      return stim::set_seconds(kind.op, job, std::array<std::uint32_t, 3>{1, 5, 10}[below(3)]);
    case Op::SetNoProgressTimeout:
      return stim::set_seconds(kind.op, job, std::array<std::uint32_t, 3>{0, 7, 20}[below(3)]);
    default:
      if (takes_handle(kind.op)) return stim::with_handle(kind.op, job, h);
      return stim::call(kind.op, job);
  }
}

Stimulus StimulusGenerator::pick(const Belief& belief) {
  const int jobs = options_.jobs < 1 ? 1 : (options_.jobs > kMaxJobs ? kMaxJobs : options_.jobs);
  std::vector<int> live, empty;
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
  if (roll < (moving ? 32u : 14u)) return stim::advance(duration(belief));
  if (roll < (moving ? 44u : 26u)) return environment(belief);
  return job_stimulus(belief, live[below(static_cast<std::uint32_t>(live.size()))]);
}

std::uint32_t StimulusGenerator::duration(const Belief& belief) {
  static constexpr std::array<std::uint32_t, 4> kFixed = {1, 4, 5, 6};
  if (below(2) == 0) return kFixed[below(kFixed.size())];
  // A boundary of some live job's timers, or one second either side of it.
  std::vector<std::uint32_t> bounds;
  for (const JobSlot& slot : belief.jobs) {
    if (!slot.live || slot.candidates.empty()) continue;
    const JobCandidate& c = slot.candidates[below(static_cast<std::uint32_t>(slot.candidates.size()))];
    bounds.push_back(c.retry_delay);
    if (c.timeout < 100'000) bounds.push_back(c.timeout);  // the 14-day default only rarely
    else if (below(8) == 0) bounds.push_back(c.timeout);
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
  const int src = static_cast<int>(below(kSourceCount));
  if (is_local_source(src)) return stim::source(src, below(2) ? Behaviour::Present : Behaviour::Missing);
  static constexpr std::array<std::uint16_t, 4> kStatus = {403, 404, 500, 503};
  switch (below(9)) {
    case 0: case 1: return stim::source(src, Behaviour::Ok);
    case 2: return stim::source(src, Behaviour::Slow);
    case 3: return stim::source(src, Behaviour::DelayedHeaders);
    case 4: case 5: return stim::source(src, Behaviour::Http, kStatus[below(kStatus.size())]);
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

Stimulus StimulusGenerator::job_stimulus(const Belief& belief, int job) {
  const JobSlot& slot = belief.jobs[job];
  const std::uint16_t m = possible_states(slot);
  const bool failed = has(m, JobState::Error) || has(m, JobState::TransientError);
  const bool final = has(m, JobState::Cancelled) || has(m, JobState::Acknowledged);
  const bool idle = has(m, JobState::Suspended) || failed || has(m, JobState::Transferred);
  const int held = static_cast<int>(slot.held[0]) + static_cast<int>(slot.held[1]);
  const int h = static_cast<int>(below(kMaxHandlesPerJob));
  const int held_h = slot.held[0] && slot.held[1] ? h : (slot.held[1] ? 1 : 0);
  const std::array<Weighted, 21> table = {{
      {slot.files == 0 ? 30 : (slot.files < kMaxFilesPerJob ? 6 : 0), stim::add_file(job, static_cast<int>(below(kSourceCount)))},
      {idle && slot.files > 0 ? 24 : 3, stim::call(Op::Resume, job)},
      {4, stim::call(Op::Suspend, job)},
      {final ? 3 : 2, stim::call(Op::Cancel, job)},
      {has(m, JobState::Transferred) ? 8 : 2, stim::call(Op::Complete, job)},
      {3, stim::call(Op::GetState, job)},
      {failed ? 16 : 4, stim::with_handle(Op::GetError, job, h)},
      {held ? 8 : 0, stim::with_handle(Op::ErrGetError, job, held_h)},
      {held ? 4 : 0, stim::with_handle(Op::ErrGetFile, job, held_h)},
      {held ? 2 : 0, stim::with_handle(Op::ErrGetProtocol, job, held_h)},
      {held ? 1 : 0, stim::with_handle(Op::ErrGetErrorDescription, job, held_h)},
      {held ? 1 : 0, stim::with_handle(Op::ErrGetErrorContextDescription, job, held_h)},
      {held ? 3 : 0, stim::with_handle(Op::ReleaseError, job, held_h)},
      {3, stim::set_seconds(Op::SetMinimumRetryDelay, job, std::array<std::uint32_t, 5>{0, 1, 3, 5, 10}[below(5)])},
      {2, stim::call(Op::GetMinimumRetryDelay, job)},
      // A short timeout on a failing job drives it to ERROR by the no-progress rule (ST-12, E-4).
      {has(m, JobState::TransientError) ? 10 : 4, stim::set_seconds(Op::SetNoProgressTimeout, job, timeout_for(slot))},
      {2, stim::call(Op::GetNoProgressTimeout, job)},
      {2, stim::call(Op::GetProgress, job)},
      {failed ? 6 : 2, stim::call(Op::GetErrorCount, job)},
      {final ? 6 : 1, stim::release_job(job)},
      {0, stim::call(Op::GetState, job)},
  }};
  int total = 0;
  for (const Weighted& w : table) total += w.weight;
  int r = static_cast<int>(below(static_cast<std::uint32_t>(total)));
  for (const Weighted& w : table) {
    if (r < w.weight) return w.stimulus;
    r -= w.weight;
  }
  return stim::call(Op::GetState, job);
}

}  // namespace bgc
