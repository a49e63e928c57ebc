#include "bgconform/shortest.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>

namespace bgc {

bool fails_the_same_way(const CaseResult& a, const CaseResult& b) {
  if (a.status != b.status) return false;
  return a.status != CaseStatus::Violation || a.rule == b.rule;
}

namespace {

// Belief equality and a hash, for merging sequences that lead to the same belief.
bool same_belief(const Belief& a, const Belief& b) {
  if (a.env.behaviour != b.env.behaviour || a.env.status != b.env.status || a.env.network_up != b.env.network_up)
    return false;
  for (int j = 0; j < kMaxJobs; ++j) {
    const JobSlot& x = a.jobs[j];
    const JobSlot& y = b.jobs[j];
    if (x.live != y.live || x.files != y.files || x.sources != y.sources || x.held != y.held ||
        x.candidates != y.candidates)
      return false;
  }
  return true;
}

std::size_t belief_hash(const Belief& b) {
  std::size_t h = b.env.network_up ? 1 : 0;
  auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
  for (int s = 0; s < kSourceCount; ++s) mix(static_cast<std::size_t>(b.env.behaviour[s]) * 1000 + b.env.status[s]);
  for (const JobSlot& slot : b.jobs) {
    mix(slot.live);
    mix(slot.files);
    mix(slot.held[0] * 2 + slot.held[1]);
    mix(slot.candidates.size());
    for (const JobCandidate& c : slot.candidates) {
      mix(static_cast<std::size_t>(c.state));
      mix(c.files_done * 16 + c.chunks);
      mix(static_cast<std::size_t>(c.retry_elapsed.lo) ^ static_cast<std::size_t>(c.no_progress_elapsed.hi));
      mix(c.has_record);
    }
  }
  return h;
}

}  // namespace

ShortestResult shortest_counterexample(Target& target, const JobModel& model, const CaseResult& failing,
                                       const ShortestOptions& options, std::span<const Stimulus> more) {
  ShortestResult out;
  out.shortest = failing;
  out.before = failing.trace.size();
  if (!failing.failed() || failing.trace.size() <= 1) {
    out.complete = true;
    return out;
  }
  const auto deadline = std::chrono::steady_clock::now() + options.max_time;

  // The alphabet: the distinct stimuli of the failing case, in order of first use.
  std::vector<Stimulus> alphabet;
  for (const TracedStep& t : failing.trace)
    if (std::find(alphabet.begin(), alphabet.end(), t.step.stimulus) == alphabet.end())
      alphabet.push_back(t.step.stimulus);
  for (const Stimulus& s : more)
    if (std::find(alphabet.begin(), alphabet.end(), s) == alphabet.end()) alphabet.push_back(s);

  // Runs a candidate; `final_belief` is what the model believes after it when it passes.
  auto run = [&](const std::vector<Stimulus>& seq, std::optional<Belief>& final_belief) {
    std::size_t i = 0;
    final_belief.reset();
    CaseResult r = Runner{}.run_case(target, model, [&](const Belief& b) -> std::optional<Stimulus> {
      if (i < seq.size()) return seq[i++];
      final_belief = b;
      return std::nullopt;
    });
    ++out.nodes;
    return r;
  };

  struct Node {
    std::vector<Stimulus> seq;
    Belief belief;
  };
  std::deque<Node> frontier;
  frontier.push_back({{}, model.initial()});
  std::unordered_map<std::size_t, std::vector<std::size_t>> seen_index;  // hash → indices in `seen`
  std::vector<Belief> seen;
  auto remember = [&](const Belief& b) {
    auto& bucket = seen_index[belief_hash(b)];
    for (std::size_t k : bucket)
      if (same_belief(seen[k], b)) return false;
    bucket.push_back(seen.size());
    seen.push_back(b);
    return true;
  };
  remember(frontier.front().belief);

  while (!frontier.empty()) {
    Node node = std::move(frontier.front());
    frontier.pop_front();
    // Only sequences shorter than the best known failing case are worth extending.
    if (node.seq.size() + 1 >= out.shortest.trace.size()) break;
    for (const Stimulus& s : alphabet) {
      if (!model.applicable(node.belief, s)) continue;
      if (out.nodes >= options.max_nodes || std::chrono::steady_clock::now() > deadline) return out;
      std::vector<Stimulus> seq = node.seq;
      seq.push_back(s);
      std::optional<Belief> after;
      CaseResult r = run(seq, after);
      if (r.failed()) {
        if (fails_the_same_way(r, failing) && r.trace.size() < out.shortest.trace.size()) {
          out.shortest = std::move(r);
          out.complete = true;  // breadth-first: nothing shorter in this alphabet
          return out;
        }
        continue;  // fails another way: not this counterexample
      }
      if (after && remember(*after)) frontier.push_back({std::move(seq), std::move(*after)});
    }
  }
  out.complete = true;
  return out;
}

}  // namespace bgc
