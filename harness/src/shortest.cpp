#include "bgconform/shortest.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "bgconform/explorer.h"

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

// A candidate sequence and the model's belief after it (narrowed by the target's own answers).
struct Node {
  std::vector<Stimulus> seq;
  Belief belief;
};

// Where a breadth-first search may go from a node: the stimuli to try, and whether a belief reached is
// new (a sequence that ends in one seen before is not extended).
struct SearchSpace {
  std::function<void(const Belief&, std::vector<Stimulus>&)> moves;
  std::function<bool(const Belief&)> remember;
};

// Breadth-first over stimulus sequences, each run on the target from a fresh service: the first
// candidate that fails the same way as `failing` in fewer steps ends the search (nothing shorter is
// left). Bounded by candidates run and by time; `complete` when neither bound ended it.
ShortestResult breadth_first(Target& target, const JobModel& model, const CaseResult& failing,
                             const ShortestOptions& options, const SearchSpace& space) {
  ShortestResult out;
  out.shortest = failing;
  out.before = failing.trace.size();
  const bool timed = options.max_time.count() > 0;
  const auto deadline = std::chrono::steady_clock::now() + options.max_time;

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

  std::deque<Node> frontier;
  frontier.push_back({{}, model.initial()});
  space.remember(frontier.front().belief);
  std::vector<Stimulus> moves;
  while (!frontier.empty()) {
    Node node = std::move(frontier.front());
    frontier.pop_front();
    // Only sequences shorter than the best known failing case are worth extending.
    if (node.seq.size() + 1 >= out.shortest.trace.size()) break;
    space.moves(node.belief, moves);
    for (const Stimulus& s : moves) {
      if (!model.applicable(node.belief, s)) continue;
      if (out.nodes >= options.max_nodes || (timed && std::chrono::steady_clock::now() > deadline)) return out;
      std::vector<Stimulus> seq = node.seq;
      seq.push_back(s);
      std::optional<Belief> after;
      CaseResult r = run(seq, after);
      if (r.failed()) {
        if (fails_the_same_way(r, failing) && r.trace.size() < out.shortest.trace.size() &&
            (r.status != CaseStatus::Violation || options.known.covers(r.rule, r.where) == failing.known)) {
          out.shortest = std::move(r);
          out.shortest.known = failing.known;  // the search's own Runner knows no ledger
          out.complete = true;  // breadth-first: nothing shorter in this space
          return out;
        }
        continue;  // fails another way: not this counterexample
      }
      if (after && space.remember(*after)) frontier.push_back({std::move(seq), std::move(*after)});
    }
  }
  out.complete = true;
  return out;
}

// The failing step's stimulus as the explorer's walk makes its own: on job slot 0, from source 0.
Stimulus on_explorer_slot(Stimulus s) {
  if (!is_environment(s.op)) s.job = 0;
  if (s.op == Op::AddFile || (s.op == Op::Source && !is_local_source(s.index))) s.index = 0;
  return s;
}

// A case nothing is searched for: it stays as it is, and the search is complete.
ShortestResult as_it_is(const CaseResult& failing) {
  ShortestResult out;
  out.shortest = failing;
  out.before = failing.trace.size();
  out.complete = true;
  return out;
}

std::uint64_t seconds_passing(std::span<const Stimulus> seq) {
  std::uint64_t total = 0;
  for (const Stimulus& s : seq)
    if (s.op == Op::Advance) total += std::max(s.seconds, s.seconds_max);
  return total;
}

}  // namespace

ShortestResult shortest_counterexample(Target& target, const JobModel& model, const CaseResult& failing,
                                       const ShortestOptions& options, std::span<const Stimulus> more) {
  if (!failing.failed() || failing.trace.size() <= 1) return as_it_is(failing);
  // The alphabet: the distinct stimuli of the failing case, in order of first use, then `more`.
  std::vector<Stimulus> alphabet;
  for (const TracedStep& t : failing.trace)
    if (std::find(alphabet.begin(), alphabet.end(), t.step.stimulus) == alphabet.end())
      alphabet.push_back(t.step.stimulus);
  for (const Stimulus& s : more)
    if (std::find(alphabet.begin(), alphabet.end(), s) == alphabet.end()) alphabet.push_back(s);

  // Sequences are merged when the model believes exactly the same after them.
  std::unordered_map<std::size_t, std::vector<std::size_t>> seen_index;  // hash → indices in `seen`
  std::vector<Belief> seen;
  SearchSpace space;
  space.moves = [&](const Belief&, std::vector<Stimulus>& out) { out = alphabet; };
  space.remember = [&](const Belief& b) {
    auto& bucket = seen_index[belief_hash(b)];
    for (std::size_t k : bucket)
      if (same_belief(seen[k], b)) return false;
    bucket.push_back(seen.size());
    seen.push_back(b);
    return true;
  };
  return breadth_first(target, model, failing, options, space);
}

ShortestResult shortest_through_explorer(Target& target, const JobModel& model, const CaseResult& failing,
                                         const ShortestOptions& options) {
  if (failing.status != CaseStatus::Violation || failing.trace.size() <= 1) return as_it_is(failing);
  const ExplorerInstance instance = ExplorerInstance::contract();
  const Explorer explorer(model, instance);
  const Stimulus last = on_explorer_slot(failing.trace.back().step.stimulus);
  // A target's cost grows with the time it lives through (the reference failing every 5 s through the
  // explorer's two weeks of no-progress timeout takes 70 ms a run): no move lets more time pass than
  // the whole failing case did, which keeps every candidate about as cheap as the case.
  const std::uint64_t longest = seconds_passing(failing.applied());
  // The state the failing step found its job in: the sweep of the step before it.
  std::optional<JobState> found_in;
  const Stimulus& failing_stimulus = failing.trace.back().step.stimulus;
  if (failing.trace.size() >= 2 && !is_environment(failing_stimulus.op))
    for (const Step& q : failing.trace[failing.trace.size() - 2].sweep)
      if (q.stimulus.job == failing_stimulus.job && q.observation.outcome == Outcome::Answered &&
          hr::succeeded(q.observation.hr))
        found_in = q.observation.state;
  std::set<std::string> seen;
  std::vector<Belief> pool;
  // A move the model says can only lead to states already seen is not run (a run is the search's
  // whole cost: half a millisecond in a child process): most calls at most states only ask.
  const auto leads_nowhere_new = [&](const Belief& b, const Stimulus& s) {
    for (const Belief& next : model.successors(b, s, pool))
      if (!seen.contains(Explorer::key(next, instance))) return false;
    return true;
  };
  SearchSpace space;
  space.moves = [&](const Belief& b, std::vector<Stimulus>& out) {
    explorer.stimuli_for(b, out);
    std::erase_if(out, [&](const Stimulus& s) {
      return s == last || (s.op == Op::Advance && std::max(s.seconds, s.seconds_max) > longest) ||
             leads_nowhere_new(b, s);
    });
    // The failing stimulus first (a node where it fails ends the search soonest), where the job may be
    // in the state the failing step found it in.
    if (!found_in || (possible_states(b.jobs[0]) & (1u << static_cast<unsigned>(*found_in))) != 0)
      out.insert(out.begin(), last);
  };
  space.remember = [&](const Belief& b) { return seen.insert(Explorer::key(b, instance)).second; };
  return breadth_first(target, model, failing, options, space);
}

}  // namespace bgc
