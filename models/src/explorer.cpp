#include "bgconform/explorer.h"

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <set>
#include <unordered_map>

namespace bgc {
namespace {

constexpr int kJob = 0;  // the explorer walks job slot 0

// Where a timer stands against its boundary: below, at, past, or possibly on both sides.
std::uint8_t region(Span s, std::int64_t boundary) {
  if (s.hi < boundary) return 0;
  if (s.lo == boundary && s.hi == boundary) return 1;
  if (s.lo > boundary) return 2;
  return 3;
}

// The abstract state of the contract's instance: what the explorer counts as one state. Made in a
// buffer on the stack: the explorer makes a key for each of its two million transitions.
using KeyBuffer = std::array<char, 64>;  // the puts below for up to 14 sources (the contract has 1)

std::size_t make_key(const Belief& b, const ExplorerInstance& inst, KeyBuffer& buf) {
  std::size_t n = 0;
  auto put = [&](std::uint64_t v) { buf.at(n++) = static_cast<char>(v & 0xFF); };
  for (int src : inst.sources) {
    // A source that delays its headers counts as an ok one: the model treats the two alike (both
    // work; how long connecting takes is the implementation's choice either way), so a target steered
    // with delayed headers (the bench's tours do, to make a fast target linger in CONNECTING) is still
    // in a state of the instance. The contract's instance never sets one itself.
    const Behaviour behaviour =
        b.env.behaviour[src] == Behaviour::DelayedHeaders ? Behaviour::Ok : b.env.behaviour[src];
    put(static_cast<std::uint8_t>(behaviour));
    put(b.env.status[src] & 0xFF);
    put(b.env.status[src] >> 8);
  }
  put(b.env.network_up);
  const JobSlot& slot = b.jobs[kJob];
  put(slot.live);
  put(slot.files);
  for (int f = 0; f < slot.files; ++f) put(slot.sources[f]);
  put(int{slot.held[0]} + int{slot.held[1]});
  if (slot.candidates.empty()) return n;
  const JobCandidate& c = slot.candidates.front();
  if (slot.live) {
    put(static_cast<std::uint8_t>(c.state));
    put(c.files_done);
    put(c.chunks);
    put(c.retry_delay & 0xFF);
    put(c.retry_delay >> 8);
    put(c.timeout & 0xFF);
    put((c.timeout >> 8) & 0xFF);
    put(c.timeout >> 16);
    put(c.has_record);
    if (c.has_record) {
      put(static_cast<std::uint8_t>(c.record.cause));
      put(c.record.observed);
    }
    put(c.state == JobState::TransientError ? region(c.retry_elapsed, c.retry_delay) : 9);
    put(c.no_progress_running ? region(c.no_progress_elapsed, c.timeout) : 9);
    put(c.no_progress_optional);
  }
  // Held objects count, as the contract's instance has it: how many, and how many still bound.
  int fresh = 0;
  for (int h = 0; h < kMaxHandlesPerJob; ++h)
    if (slot.held[h] && !c.handles[h].stale) ++fresh;
  put(fresh);
  return n;
}

void abstract_key(const Belief& b, const ExplorerInstance& inst, std::string& k) {
  KeyBuffer buf;
  k.assign(buf.data(), make_key(b, inst, buf));
}

std::string abstract_key(const Belief& b, const ExplorerInstance& inst) {
  std::string k;
  abstract_key(b, inst, k);
  return k;
}

std::string invariant_problem(const Belief& b, const JobModel& model) {
  const JobSlot& slot = b.jobs[kJob];
  if (!slot.live || slot.candidates.empty()) return {};
  const JobCandidate& c = slot.candidates.front();
  if (c.has_record && (c.state == JobState::Transferring || c.state == JobState::Transferred))
    return "an error record in " + std::string(short_name(c.state)) + " (entering TRANSFERRING must discard it)";
  if (is_error_state(c.state) && !c.has_record) return "no error record in " + std::string(short_name(c.state));
  if (c.files_done > slot.files) return "more files transferred than added";
  if (model.config().profile == Profile::Do && c.state == JobState::Connecting) return "CONNECTING in do";
  return {};
}

}  // namespace

ExplorerInstance ExplorerInstance::contract() {
  ExplorerInstance i;
  i.source_events = {stim::source(0, Behaviour::Ok), stim::source(0, Behaviour::Http, 404),
                     stim::source(0, Behaviour::Refused)};
  return i;
}

Explorer::Explorer(const JobModel& model, ExplorerInstance instance) : model_(model), instance_(std::move(instance)) {}

std::string Explorer::key(const Belief& b, const ExplorerInstance& instance) { return abstract_key(b, instance); }

std::uint32_t Explorer::intern(const Stimulus& s) {
  // stimuli_for() lists the stimuli in the same order at every node: look right after the last one first.
  const std::size_t count = stimuli_.size();
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t i = (intern_hint_ + k) % count;
    if (stimuli_[i] == s) {
      intern_hint_ = i + 1;
      return static_cast<std::uint32_t>(i);
    }
  }
  stimuli_.push_back(s);
  intern_hint_ = 0;
  return static_cast<std::uint32_t>(count);
}

void Explorer::stimuli_for(const Belief& b, std::vector<Stimulus>& out) const {
  out.clear();
  const JobSlot& slot = b.jobs[kJob];
  auto add = [&](const Stimulus& s) {
    if (model_.applicable(b, s)) out.push_back(s);
  };
  add(stim::create_job(kJob));
  auto add_calls = [&](Op op) {
    if (row_of(op).coverage == OpCoverage::NotCounted || is_environment(op)) return;
    switch (row_of(op).operand) {
      case OpOperand::Source:
        if (slot.files < instance_.files_per_job)
          for (int src : instance_.sources) add(stim::with_source(op, kJob, src));
        break;
      case OpOperand::Handle:
        for (int h = 0; h < kMaxHandlesPerJob; ++h) add(stim::with_handle(op, kJob, h));
        break;
      case OpOperand::RetryDelay:
        for (auto d : instance_.retry_delays) add(stim::set_seconds(op, kJob, d));
        break;
      case OpOperand::Timeout:
        for (auto t : instance_.timeouts) add(stim::set_seconds(op, kJob, t));
        break;
      default: add(stim::call(op, kJob));
    }
  };
  if (instance_.job_ops.empty())
    for (int i = 0; i < kOpCount; ++i) add_calls(static_cast<Op>(i));
  else
    for (Op op : instance_.job_ops) add_calls(op);
  for (const Stimulus& s : instance_.source_events) add(s);
  if (instance_.network_events) {
    add(stim::network(false));
    add(stim::network(true));
  }
  std::vector<std::uint32_t> durations = instance_.durations;
  if (slot.live && !slot.candidates.empty() && !instance_.retry_delays.empty()) {
    const JobCandidate& c = slot.candidates.front();
    for (std::int64_t base : {std::int64_t{c.retry_delay}, std::int64_t{c.timeout}})
      for (std::int64_t d = base - 1; d <= base + 1; ++d)
        if (d >= 1) durations.push_back(static_cast<std::uint32_t>(d));
  }
  std::sort(durations.begin(), durations.end());
  durations.erase(std::unique(durations.begin(), durations.end()), durations.end());
  for (auto d : durations) add(stim::advance(d));
}

void Explorer::run() {
  const Profile profile = model_.config().profile;
  const std::size_t kinds = all_kinds(profile).size();
  pairs_.assign(kJobStateCount * kinds, false);
  triples_.assign(kJobStateCount * kinds * kJobStateCount, false);
  auto& index = index_;
  index.clear();
  Belief start = model_.initial();
  // The explorer walks slot 0 alone: the other slots hold no candidate, so a belief copies one set.
  for (int j = 0; j < kMaxJobs; ++j)
    if (j != kJob) start.jobs[j].candidates.clear();
  nodes_.push_back(start);
  edges_.emplace_back();
  index.emplace(abstract_key(start, instance_), 0);
  std::set<std::string> problems;
  std::string key;
  std::vector<Stimulus> stimuli;  // a node's stimuli, reused
  std::vector<Belief> pool;       // successors, reused
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    const Belief here = nodes_[n];
    if (auto p = invariant_problem(here, model_); !p.empty()) problems.insert(p);
    const JobSlot& slot = here.jobs[kJob];
    const bool live = slot.live && !slot.candidates.empty();
    const JobState state = live ? slot.candidates.front().state : JobState::Suspended;
    stimuli_for(here, stimuli);
    for (const Stimulus& s : stimuli) {
      const std::uint32_t sid = intern(s);
      const int k = kind_index(profile, kind_of(s));
      if (live && k >= 0) pairs_[static_cast<std::size_t>(state) * kinds + k] = true;
      for (Belief& next : model_.successors(here, s, pool)) {
        abstract_key(next, instance_, key);
        auto it = index.find(std::string_view(key));
        if (it == index.end()) {
          it = index.emplace(key, static_cast<std::uint32_t>(nodes_.size())).first;
          nodes_.push_back(std::move(next));
          edges_.emplace_back();
        }
        const Belief& to = nodes_[it->second];
        // A node has some forty edges: a look along them is cheaper than a set.
        std::vector<Edge>& out = edges_[n];
        if (std::none_of(out.begin(), out.end(),
                         [&](const Edge& e) { return e.to == it->second && e.stimulus == sid; }))
          out.push_back({it->second, sid});
        const JobSlot& to_slot = to.jobs[kJob];
        if (live && k >= 0 && to_slot.live && !to_slot.candidates.empty()) {
          const JobState after = to_slot.candidates.front().state;
          triples_[(static_cast<std::size_t>(state) * kinds + k) * kJobStateCount + static_cast<std::size_t>(after)] =
              true;
          if (is_final(state) && after != state)
            problems.insert("a final state was left: " + std::string(short_name(state)) + " -> " +
                            std::string(short_name(after)));
        }
      }
    }
  }
  stats_ = {};
  stats_.states = nodes_.size();
  for (const auto& e : edges_) stats_.transitions += e.size();
  stats_.pairs = static_cast<std::size_t>(std::count(pairs_.begin(), pairs_.end(), true));
  stats_.triples = static_cast<std::size_t>(std::count(triples_.begin(), triples_.end(), true));
  for (int s = 0; s < kJobStateCount; ++s)
    for (std::size_t k = 0; k < kinds; ++k)
      if (pairs_[s * kinds + k]) {
        ++stats_.job_states;
        break;
      }
  stats_.invariant_failures.assign(problems.begin(), problems.end());
}

std::string Explorer::dot() const {
  const Profile profile = model_.config().profile;
  const auto kinds = all_kinds(profile);
  std::string out = "digraph bg_job_state {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  for (int s = 0; s < kJobStateCount; ++s) {
    bool reachable = false;
    for (std::size_t k = 0; k < kinds.size(); ++k) reachable = reachable || pairs_[s * kinds.size() + k];
    if (reachable) out += "  " + std::string(short_name(static_cast<JobState>(s))) + ";\n";
  }
  for (int from = 0; from < kJobStateCount; ++from)
    for (int to = 0; to < kJobStateCount; ++to) {
      if (from == to) continue;
      std::string label;
      for (std::size_t k = 0; k < kinds.size(); ++k)
        if (triples_[(from * kinds.size() + k) * kJobStateCount + to])
          label += (label.empty() ? "" : "\\n") + to_string(kinds[k]);
      if (!label.empty())
        out += "  " + std::string(short_name(static_cast<JobState>(from))) + " -> " +
               std::string(short_name(static_cast<JobState>(to))) + " [label=\"" + label + "\"];\n";
    }
  return out + "}\n";
}

std::vector<std::vector<Stimulus>> Explorer::tour(int max_steps) const {
  std::vector<std::vector<Stimulus>> out;
  for (TourSequence& t : planned_tour(max_steps)) out.push_back(std::move(t.stimuli));
  return out;
}

std::vector<Explorer::TourSequence> Explorer::planned_tour(int max_steps) const {
  if (nodes_.empty()) return {};  // run() first: there is nothing explored to tour
  const Profile profile = model_.config().profile;
  const std::size_t kinds = all_kinds(profile).size();
  std::vector<bool> covered(pairs_.size(), false);
  auto pair_of = [&](std::uint32_t node, std::uint32_t sid) -> long {
    const JobSlot& slot = nodes_[node].jobs[kJob];
    const int k = kind_index(profile, kind_of(stimuli_[sid]));
    if (!slot.live || slot.candidates.empty() || k < 0) return -1;
    return static_cast<long>(static_cast<std::size_t>(slot.candidates.front().state) * kinds + k);
  };
  auto uncovered_at = [&](std::uint32_t node) -> long {
    for (const Edge& e : edges_[node])
      if (long p = pair_of(node, e.stimulus); p >= 0 && !covered[p]) return static_cast<long>(e.stimulus);
    return -1;
  };
  auto state_at = [&](std::uint32_t node) -> std::optional<JobState> {
    const JobSlot& slot = nodes_[node].jobs[kJob];
    if (!slot.live || slot.candidates.empty()) return std::nullopt;
    return slot.candidates.front().state;
  };
  std::vector<TourSequence> tours;
  TourSequence seq;
  std::uint32_t cur = 0;
  for (;;) {
    // Breadth-first to the nearest node where an uncovered pair can be applied.
    std::vector<std::int64_t> parent(nodes_.size(), -1), via(nodes_.size(), -1);
    std::deque<std::uint32_t> queue{cur};
    parent[cur] = cur;
    long target = -1, stimulus = -1;
    while (!queue.empty() && target < 0) {
      std::uint32_t n = queue.front();
      queue.pop_front();
      if (long s = uncovered_at(n); s >= 0) {
        target = n;
        stimulus = s;
        break;
      }
      for (const Edge& e : edges_[n])
        if (parent[e.to] < 0) {
          parent[e.to] = n;
          via[e.to] = e.stimulus;
          queue.push_back(e.to);
        }
    }
    if (target < 0) {
      if (cur == 0) break;  // nothing uncovered is reachable at all
      if (!seq.stimuli.empty()) tours.push_back(std::move(seq));
      seq = {};
      cur = 0;
      continue;
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> path;  // (node, stimulus)
    for (std::uint32_t n = static_cast<std::uint32_t>(target); n != cur; n = static_cast<std::uint32_t>(parent[n]))
      path.push_back({static_cast<std::uint32_t>(parent[n]), static_cast<std::uint32_t>(via[n])});
    std::reverse(path.begin(), path.end());
    path.push_back({static_cast<std::uint32_t>(target), static_cast<std::uint32_t>(stimulus)});
    if (!seq.stimuli.empty() && static_cast<int>(seq.stimuli.size() + path.size()) > max_steps) {
      tours.push_back(std::move(seq));
      seq = {};
      cur = 0;
      continue;
    }
    // Follow one of the last stimulus's outcomes.
    std::uint32_t after = static_cast<std::uint32_t>(target);
    for (const Edge& e : edges_[target])
      if (e.stimulus == static_cast<std::uint32_t>(stimulus)) {
        after = e.to;
        break;
      }
    for (std::size_t i = 0; i < path.size(); ++i) {
      const auto [node, sid] = path[i];
      if (long p = pair_of(node, sid); p >= 0) covered[p] = true;
      seq.stimuli.push_back(stimuli_[sid]);
      seq.expected.push_back(state_at(i + 1 < path.size() ? path[i + 1].first : after));
    }
    cur = after;
  }
  if (!seq.stimuli.empty()) tours.push_back(std::move(seq));
  return tours;
}

}  // namespace bgc

namespace bgc {

namespace {
std::uint64_t taken_key(std::uint32_t node, std::uint32_t stimulus) { return std::uint64_t{node} << 32 | stimulus; }
}  // namespace

void Explorer::learn(Taken& taken, const Belief& before, const Stimulus& s, const Belief& after) const {
  const auto from = index_.find(abstract_key(before, instance_));
  const auto to = index_.find(abstract_key(after, instance_));
  const auto sid = std::find(stimuli_.begin(), stimuli_.end(), s);
  if (from == index_.end() || to == index_.end() || sid == stimuli_.end()) return;
  // How long a job has been connecting is not in the state (the model leaves it to the implementation),
  // so time passing in CONNECTING leads on or not by something no state here holds: an outcome seen
  // once says nothing about the next, and learning it would block the other for good.
  const JobSlot& slot = before.jobs[kJob];
  if (s.op == Op::Advance && slot.live && !slot.candidates.empty() &&
      slot.candidates.front().state == JobState::Connecting)
    return;
  std::vector<std::uint32_t>& seen =
      taken.next[taken_key(from->second, static_cast<std::uint32_t>(sid - stimuli_.begin()))];
  if (std::find(seen.begin(), seen.end(), to->second) == seen.end()) seen.push_back(to->second);
}

std::optional<Explorer::TourStep> Explorer::toward_uncovered(const Belief& belief, const std::vector<bool>& covered,
                                                             const Taken* taken) const {
  const auto at = index_.find(abstract_key(belief, instance_));
  if (at == index_.end()) return std::nullopt;
  const Profile profile = model_.config().profile;
  const std::size_t kinds = all_kinds(profile).size();
  std::size_t pair = 0;
  auto uncovered = [&](std::uint32_t node, std::uint32_t sid) {
    const JobSlot& slot = nodes_[node].jobs[kJob];
    const int k = kind_index(profile, kind_of(stimuli_[sid]));
    if (!slot.live || slot.candidates.empty() || k < 0) return false;
    pair = static_cast<std::size_t>(slot.candidates.front().state) * kinds + static_cast<std::size_t>(k);
    return pair < covered.size() && !covered[pair];
  };
  // Breadth-first; `first` is the first edge on the way from the start to each node.
  constexpr Edge kNone{std::numeric_limits<std::uint32_t>::max(), 0};
  std::vector<Edge> first(nodes_.size(), kNone);
  std::deque<std::uint32_t> queue{at->second};
  first[at->second] = {at->second, 0};
  while (!queue.empty()) {
    const std::uint32_t n = queue.front();
    queue.pop_front();
    for (const Edge& e : edges_[n]) {
      const Edge via = n == at->second ? e : first[n];
      if (uncovered(n, e.stimulus)) {
        if (n == at->second) return TourStep{stimuli_[e.stimulus], pair, std::nullopt};  // any outcome covers it
        const JobSlot& then = nodes_[via.to].jobs[kJob];
        std::optional<JobState> expected;
        if (then.live && !then.candidates.empty()) expected = then.candidates.front().state;
        return TourStep{stimuli_[via.stimulus], pair, expected};
      }
      // Applying the stimulus covers its pair whatever the outcome; the way on follows the target's.
      if (taken) {
        const auto seen = taken->next.find(taken_key(n, e.stimulus));
        if (seen != taken->next.end() &&
            std::find(seen->second.begin(), seen->second.end(), e.to) == seen->second.end())
          continue;
      }
      if (first[e.to].to == kNone.to) {
        first[e.to] = via;
        queue.push_back(e.to);
      }
    }
  }
  return std::nullopt;
}

}  // namespace bgc
