#include "bgconform/shortest.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "bgconform/explorer.h"
#include "bgconform/interrupt.h"

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

// What a breadth-first search looks for: candidates run by `runner`, shorter than `shorter_than` steps,
// and the first one that `met` accepts ends the search. A candidate that fails any other way is not
// extended (a case past a deviation is not the one looked for).
struct Goal {
  Runner runner;
  std::size_t shorter_than = SIZE_MAX;
  std::function<bool(const CaseResult&)> met;
  // A candidate that crashes or hangs ends the search (each hanging one would cost the call timeout).
  bool stop_at_crash = false;
};

struct Found {
  std::optional<CaseResult> found;
  std::size_t nodes = 0;
  bool complete = false;  // the search ended within its bounds: nothing shorter meets the goal
};

// Breadth-first over stimulus sequences, each run on the target from a fresh service: the first
// candidate that meets the goal ends the search. Bounded by candidates run and by time; `complete` when
// neither bound ended it.
Found breadth_first(Target& target, const JobModel& model, const ShortestOptions& options, const SearchSpace& space,
                    const Goal& goal) {
  Found out;
  const bool timed = options.max_time.count() > 0;
  const auto deadline = std::chrono::steady_clock::now() + options.max_time;

  // Runs a candidate; `final_belief` is what the model believes after it when it passes.
  auto run = [&](const std::vector<Stimulus>& seq, std::optional<Belief>& final_belief) {
    std::size_t i = 0;
    final_belief.reset();
    CaseResult r = goal.runner.run_case(target, model, [&](const Belief& b) -> std::optional<Stimulus> {
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
    if (node.seq.size() + 1 >= goal.shorter_than) break;
    space.moves(node.belief, moves);
    for (const Stimulus& s : moves) {
      if (!model.applicable(node.belief, s)) continue;
      if (out.nodes >= options.max_nodes || (timed && std::chrono::steady_clock::now() > deadline)) return out;
      std::vector<Stimulus> seq = node.seq;
      seq.push_back(s);
      std::optional<Belief> after;
      CaseResult r = run(seq, after);
      if (r.trace.size() < goal.shorter_than && goal.met(r)) {
        out.found = std::move(r);
        out.complete = true;  // breadth-first: nothing shorter in this space
        return out;
      }
      if (interrupted() || (goal.stop_at_crash && (r.status == CaseStatus::Crash || r.status == CaseStatus::Timeout)))
        return out;
      if (r.failed()) continue;
      if (after && space.remember(*after)) frontier.push_back({std::move(seq), std::move(*after)});
    }
  }
  out.complete = true;
  return out;
}

// The search for a shorter case that fails the way `failing` does.
ShortestResult shorter_failing(Target& target, const JobModel& model, const CaseResult& failing,
                               const ShortestOptions& options, const SearchSpace& space) {
  Goal goal;
  goal.shorter_than = failing.trace.size();
  goal.met = [&](const CaseResult& r) {
    return r.failed() && fails_the_same_way(r, failing) &&
           (r.status != CaseStatus::Violation || options.known.covers(r.rule, r.where) == failing.known);
  };
  Found f = breadth_first(target, model, options, space, goal);
  ShortestResult out;
  out.shortest = f.found ? std::move(*f.found) : failing;
  if (f.found) out.shortest.known = failing.known;  // the search's own Runner knows no ledger
  out.before = failing.trace.size();
  out.nodes = f.nodes;
  out.complete = f.complete;
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
  return shorter_failing(target, model, failing, options, space);
}

namespace {

// The explorer's moves as a search space: from each belief, the stimuli the explorer tries there
// (Explorer::stimuli_for), none letting more than `longest` seconds pass; `first`, when given, is tried
// first wherever `first_where` allows. Sequences are merged when their beliefs are one state of the
// explorer. A search for a failing step may also skip the moves that the model says can only lead to
// states already seen (`prune`: a run is the search's whole cost, half a millisecond in a child process,
// and most calls at most states only ask); a search for a step that merely asks may not.
class ExplorerSpace {
 public:
  ExplorerSpace(const JobModel& model, std::uint64_t longest)
      : model_(model), instance_(ExplorerInstance::contract()), explorer_(model, instance_), longest_(longest) {}

  SearchSpace space(bool prune, std::optional<Stimulus> first = std::nullopt,
                    std::function<bool(const Belief&)> first_where = {}) {
    SearchSpace out;
    out.moves = [this, prune, first, first_where](const Belief& b, std::vector<Stimulus>& moves) {
      explorer_.stimuli_for(b, moves);
      std::erase_if(moves, [&](const Stimulus& s) {
        return (first && s == *first) || (s.op == Op::Advance && std::max(s.seconds, s.seconds_max) > longest_) ||
               (prune && leads_nowhere_new(b, s));
      });
      if (first && (!first_where || first_where(b))) moves.insert(moves.begin(), *first);
    };
    out.remember = [this](const Belief& b) { return seen_.insert(Explorer::key(b, instance_)).second; };
    return out;
  }

 private:
  bool leads_nowhere_new(const Belief& b, const Stimulus& s) {
    for (const Belief& next : model_.successors(b, s, pool_))
      if (!seen_.contains(Explorer::key(next, instance_))) return false;
    return true;
  }
  const JobModel& model_;
  const ExplorerInstance instance_;
  const Explorer explorer_;
  const std::uint64_t longest_;
  std::set<std::string> seen_;
  std::vector<Belief> pool_;
};

}  // namespace

ShortestResult shortest_through_explorer(Target& target, const JobModel& model, const CaseResult& failing,
                                         const ShortestOptions& options) {
  if (failing.status != CaseStatus::Violation || failing.trace.size() <= 1) return as_it_is(failing);
  const Stimulus last = on_explorer_slot(failing.trace.back().step.stimulus);
  // The state the failing step found its job in: the sweep of the step before it.
  std::optional<JobState> found_in;
  const Stimulus& failing_stimulus = failing.trace.back().step.stimulus;
  if (failing.trace.size() >= 2 && !is_environment(failing_stimulus.op))
    for (const Step& q : failing.trace[failing.trace.size() - 2].sweep)
      if (q.stimulus.job == failing_stimulus.job && q.observation.outcome == Outcome::Answered &&
          hr::succeeded(q.observation.hr))
        found_in = q.observation.state;
  // A target's cost grows with the time it lives through (the reference failing every 5 s through the
  // explorer's two weeks of no-progress timeout takes 70 ms a run): no move lets more time pass than
  // the whole failing case did, which keeps every candidate about as cheap as the case. The failing
  // stimulus goes first (a node where it fails ends the search soonest), where the job may be in the
  // state the failing step found it in.
  ExplorerSpace explorer(model, seconds_passing(failing.applied()));
  return shorter_failing(target, model, failing, options, explorer.space(true, last, [found_in](const Belief& b) {
    return !found_in || (possible_states(b.jobs[0]) & (1u << static_cast<unsigned>(*found_in))) != 0;
  }));
}

std::optional<std::vector<Stimulus>> shortest_to_discriminate(Target& target, const JobModel& model, RuleId rule,
                                                              const ShortestOptions& options) {
  RuleBits wanted;
  wanted.set(static_cast<std::size_t>(rule));
  Goal goal;
  goal.runner = Runner{}.seeking(wanted, kProbeEveryStep);
  goal.met = [&](const CaseResult& r) { return r.discriminated.test(static_cast<std::size_t>(rule)); };
  goal.stop_at_crash = true;
  ExplorerSpace explorer(model, kLongestDirectedWait);
  Found f = breadth_first(target, model, options, explorer.space(false), goal);
  if (!f.found) return std::nullopt;
  return f.found->applied();
}

}  // namespace bgc
