#include "tour.h"

namespace bgc {

// The tour follows job 0, as the explorer's instance does.
constexpr int kTourJob = 0;

std::optional<Stimulus> steer(const JobModel& model, const Belief& b, const Stimulus& next,
                              std::optional<JobState> expected) {
  if (next.op != Op::Advance || !expected) return std::nullopt;
  const Behaviour wanted = expected == JobState::Connecting ? Behaviour::DelayedHeaders : Behaviour::Ok;
  const JobSlot& slot = b.jobs[kTourJob];
  for (int f = 0; f < slot.files; ++f) {
    const int src = slot.sources[static_cast<std::size_t>(f)];
    const Behaviour now = b.env.behaviour[static_cast<std::size_t>(src)];
    if (now == wanted || (now != Behaviour::Ok && now != Behaviour::DelayedHeaders)) continue;
    const Stimulus s = stim::source(src, wanted);
    if (model.applicable(b, s)) return s;
  }
  return std::nullopt;
}

AdaptiveTour::AdaptiveTour(const JobModel& model, const Explorer& explorer, int max_steps)
    : model_(model), explorer_(explorer), max_steps_(max_steps) {
  aimed_.assign(explorer.reachable_pairs().size(), false);
  tries_.assign(aimed_.size(), 0);
}

void AdaptiveTour::begin_case() {
  produced_ = 0;
  previous_.reset();
}

std::optional<Stimulus> AdaptiveTour::next(const Belief& b) {
  // Learning is per explorer state and stimulus, so a path behind an outcome the target never takes
  // is found only after the others from each state on the way were tried: against the reference the
  // last pair, a held error object in TRANSFERRED, took about 130 aimed steps (the model's shortest ways
  // there go through a queued job with the network down, which the reference fails at once); a pair
  // is given up after this many.
  constexpr int kPatience = 8 * 40;
  if (previous_) explorer_.learn(taken_, previous_->first, previous_->second, b);
  if (produced_ >= max_steps_) return std::nullopt;
  const std::optional<Explorer::TourStep> step = explorer_.toward_uncovered(b, aimed_, &taken_);
  if (!step) return std::nullopt;
  if (++tries_[step->pair] > kPatience) aimed_[step->pair] = true;
  const Stimulus s = steer(model_, b, step->next, step->expected).value_or(step->next);
  // Applying a stimulus covers its pair in every state the job may be in, whatever the outcome.
  const std::size_t kinds = all_kinds(model_.config().profile).size();
  const std::uint16_t states = b.jobs[kTourJob].live ? possible_states(b.jobs[kTourJob]) : 0;
  if (const int k = kind_index(model_.config().profile, kind_of(s)); k >= 0)
    for (int st = 0; st < kJobStateCount; ++st)
      if ((states >> st) & 1u) aimed_[static_cast<std::size_t>(st) * kinds + static_cast<std::size_t>(k)] = true;
  ++produced_;
  previous_.emplace(b, s);
  return s;
}

}  // namespace bgc
