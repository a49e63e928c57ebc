// report.html's BG_JOB_STATE diagram: inline SVG laid out by hand for the nine states (the life cycle
// left to right, the errors below, SUSPENDED and CANCELLED above), so the renderer stays pure and its
// output is the same on every machine (no Graphviz at run time).
//
// Readable without hovering (a CI artifact is looked at, not explored): every drawn transition carries
// a label with its stimulus kinds, placed where it covers no other label or state, or, where no such
// place is left, the transition's number in the table below the diagram. The three methods that lead
// to one state from (nearly) every other - Cancel, Complete, Suspend - would be 20 crossing arrows;
// each is drawn as one labelled arrow into its state, "Cancel from 7 states", the table listing them.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "bgconform/stimulus_kind.h"
#include "bgconform/reports.h"
#include "detail.h"

namespace bgc::detail {
namespace {

struct Pos {
  double x, y;
};
struct Box {
  double x0, y0, x1, y1;
  bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

constexpr double kWidth = 1240, kHeight = 780;
constexpr double kRx = 80, kRy = 22;
constexpr double kCharWidth = 7.0;  // a generous width of one 11 px DejaVu Sans character
constexpr double kLabelHeight = 16;
// Indexed by JobState.
constexpr Pos kPos[kJobStateCount] = {
    {130, 330},   // QUEUED
    {400, 330},   // CONNECTING
    {670, 330},   // TRANSFERRING
    {130, 100},   // SUSPENDED
    {840, 640},   // ERROR
    {330, 640},   // TRANSIENT_ERROR
    {920, 330},   // TRANSFERRED
    {1120, 330},  // ACKNOWLEDGED
    {1120, 100},  // CANCELLED
};
// The states one method leads to from nearly every other, drawn as one arrow each (a bundle), and
// where the bundle's label sits relative to its state (above, or below for ACKNOWLEDGED).
struct Bundle {
  JobState to;
  Op op;
  double dy;
};
constexpr Bundle kBundles[] = {
    {JobState::Suspended, Op::Suspend, -62},
    {JobState::Cancelled, Op::Cancel, -62},
    {JobState::Acknowledged, Op::Complete, 62},
};

Box text_box(Pos centre, std::size_t chars) {
  const double w = kCharWidth * static_cast<double>(chars) + 8;
  return {centre.x - w / 2, centre.y - kLabelHeight / 2, centre.x + w / 2, centre.y + kLabelHeight / 2};
}

// A box moved sideways into the picture, when it would stick out of it.
Box within_picture(Box b) {
  const double shift = b.x1 > kWidth - 4 ? kWidth - 4 - b.x1 : b.x0 < 4 ? 4 - b.x0 : 0;
  return {b.x0 + shift, b.y0, b.x1 + shift, b.y1};
}

// The point where the ray from the centre of a state's ellipse towards (dx, dy) leaves it.
Pos on_ellipse(Pos c, double dx, double dy) {
  const double t = 1.0 / std::sqrt((dx * dx) / (kRx * kRx) + (dy * dy) / (kRy * kRy));
  return {c.x + dx * t, c.y + dy * t};
}

enum class EdgeClass { Model, Visited, Known, Failing };
const char* class_name(EdgeClass c) {
  switch (c) {
    case EdgeClass::Model: return "model";
    case EdgeClass::Visited: return "visited";
    case EdgeClass::Known: return "known";
    case EdgeClass::Failing: return "failing";
  }
  return "model";
}
const char* class_words(EdgeClass c) {
  switch (c) {
    case EdgeClass::Model: return "allowed by the model, not visited";
    case EdgeClass::Visited: return "visited";
    case EdgeClass::Known: return "known deviation";
    case EdgeClass::Failing: return "new failure";
  }
  return "";
}

struct Edge {
  bool model = false, visited = false;
  std::set<std::string> kinds;     // the stimulus kinds seen on it (run) or allowed (model)
  std::set<Op> ops;                // their calls
  std::set<std::string> findings;  // labels of the counterexamples that failed on it ("E-2")
  bool failing = false, known = false;
  EdgeClass cls() const {
    return failing ? EdgeClass::Failing : known ? EdgeClass::Known : visited ? EdgeClass::Visited : EdgeClass::Model;
  }
};
using Edges = std::map<std::pair<int, int>, Edge>;

struct Marks {
  Edges edges;
  std::set<int> failing_states, known_states;
};

// The job's state before and after a counterexample's failing step (when the trace shows them): the
// transition marked, or the state when the step changed none.
void mark_counterexample(const Counterexample& c, Marks& m) {
  if (c.failed_step >= c.trace.size()) return;
  const TracedStep& t = c.trace[c.failed_step];
  int job = t.step.stimulus.job;
  if (c.failed_at > 0 && static_cast<std::size_t>(c.failed_at) <= t.sweep.size())
    job = t.sweep[static_cast<std::size_t>(c.failed_at) - 1].stimulus.job;
  auto state_in = [&](std::span<const Step> sweep) -> int {
    for (const Step& q : sweep)
      if (q.stimulus.job == job && q.observation.outcome == Outcome::Answered && hr::succeeded(q.observation.hr))
        return static_cast<int>(q.observation.state);
    return -1;
  };
  const bool known = c.status == CaseStatus::Violation && c.known;
  // Before: the state the job was last seen in (a released job is in no sweep since).
  int before = -1;
  for (std::size_t i = c.failed_step; i > 0 && before < 0; --i) before = state_in(c.trace[i - 1].sweep);
  const int after = state_in(t.sweep);
  if (before >= 0 && after >= 0 && before != after) {
    Edge& e = m.edges[{before, after}];
    (known ? e.known : e.failing) = true;
    e.kinds.insert(to_string(kind_of(t.step.stimulus)));
    e.ops.insert(t.step.stimulus.op);
    e.findings.insert(counterexample_label(c));
  } else if (const int s = before >= 0 ? before : after; s >= 0) {
    (known ? m.known_states : m.failing_states).insert(s);
  }
}

Marks collect(const RunResult& r) {
  Marks m;
  const auto& kinds = all_kinds(r.settings.model.profile);
  const std::size_t K = kinds.size();
  auto scan = [&](const std::vector<bool>& bits, bool model) {
    for (std::size_t i = 0; i < bits.size(); ++i) {
      if (!bits[i]) continue;
      const int to = static_cast<int>(i % kJobStateCount);
      const std::size_t pair = i / kJobStateCount;
      const int from = static_cast<int>(pair / K);
      if (from == to || from >= kJobStateCount) continue;
      Edge& e = m.edges[{from, to}];
      (model ? e.model : e.visited) = true;
      e.kinds.insert(to_string(kinds[pair % K]));
      e.ops.insert(kinds[pair % K].op);
    }
  };
  scan(r.reachable_triples, true);
  scan(r.coverage.triples, false);
  for (const Counterexample& c : r.counterexamples) mark_counterexample(c, m);
  if (r.crash) mark_counterexample(*r.crash, m);
  return m;
}

const Bundle* bundle_of(const std::pair<int, int>& ft, const Edge& e) {
  if (e.failing || e.known) return nullptr;  // a finding is always drawn on its own
  for (const Bundle& b : kBundles)
    if (ft.second == static_cast<int>(b.to) && e.ops.size() == 1 && *e.ops.begin() == b.op) return &b;
  return nullptr;
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string edge_text(const Edge& e) {
  std::string out = joined(e.kinds);
  if (!e.findings.empty()) out += " (" + joined(e.findings) + ")";
  return out;
}

// Places labels where they cover nothing placed before them.
class Placer {
 public:
  explicit Placer(std::vector<Box> obstacles) : taken_(std::move(obstacles)) {}
  bool free(const Box& b) const {
    if (b.x0 < 2 || b.y0 < 2 || b.x1 > kWidth - 2 || b.y1 > kHeight - 2) return false;
    return std::none_of(taken_.begin(), taken_.end(), [&](const Box& t) { return t.overlaps(grown(b)); });
  }
  void take(const Box& b) { taken_.push_back(b); }

 private:
  static Box grown(const Box& b) { return {b.x0 - 2, b.y0 - 2, b.x1 + 2, b.y1 + 2}; }
  std::vector<Box> taken_;
};

void label(std::ostringstream& o, const Box& b, const std::string& text, const char* cls, const std::string& link) {
  o << "<g class=\"label " << cls << "\">";
  if (!link.empty()) o << "<a href=\"" << link << "\">";
  o << "<rect x=\"" << one_decimal(b.x0) << "\" y=\"" << one_decimal(b.y0) << "\" width=\"" << one_decimal(b.x1 - b.x0)
    << "\" height=\"" << one_decimal(b.y1 - b.y0) << "\" rx=\"3\"/><text x=\"" << one_decimal((b.x0 + b.x1) / 2)
    << "\" y=\"" << one_decimal(b.y1 - 4.5) << "\">" << xml_escape(text) << "</text>";
  if (!link.empty()) o << "</a>";
  o << "</g>\n";
}

void arrow(std::ostringstream& o, Pos p, Pos ctl, Pos q, EdgeClass c, const std::string& title) {
  o << "<path class=\"edge " << class_name(c) << "\" d=\"M" << one_decimal(p.x) << "," << one_decimal(p.y) << " Q"
    << one_decimal(ctl.x) << "," << one_decimal(ctl.y) << " " << one_decimal(q.x) << "," << one_decimal(q.y)
    << "\" marker-end=\"url(#arrow-" << class_name(c) << ")\"><title>" << xml_escape(title) << "</title></path>\n";
}

std::string transition_name(const std::pair<int, int>& ft) {
  return std::string(short_name(static_cast<JobState>(ft.first))) + " -> " +
         std::string(short_name(static_cast<JobState>(ft.second)));
}

// The legend, inside the picture (a screenshot or the SVG alone keeps it); its samples are marked
// "sample" apart from the diagram's own transitions and states.
void legend(std::ostringstream& o) {
  struct Item {
    const char* kind;  // "edge" or "node"
    const char* cls;
    const char* text;
  };
  constexpr Item kRows[2][4] = {
      {{"edge", "visited", "transition the run visited"},
       {"edge", "model", "allowed by the model, not visited"},
       {"edge", "failing", "new failure"},
       {"edge", "known", "known deviation (in the ledger)"}},
      {{"node", "visited", "state observed in the run"},
       {"node", "", "state not observed"},
       {"node", "visited failing", "state of a new failure"},
       {"node", "visited known", "state of a known deviation"}},
  };
  for (int row = 0; row < 2; ++row) {
    double x = 20;
    const double y = kHeight - 46 + row * 26;
    for (const Item& it : kRows[row]) {
      if (std::string_view(it.kind) == "edge") {
        o << "<path class=\"sample edge " << it.cls << "\" d=\"M" << one_decimal(x) << "," << one_decimal(y) << " L"
          << one_decimal(x + 34) << "," << one_decimal(y) << "\"/>";
      } else {
        o << "<g class=\"sample node " << it.cls << "\"><ellipse cx=\"" << one_decimal(x + 17) << "\" cy=\""
          << one_decimal(y) << "\" rx=\"16\" ry=\"8\"/></g>";
      }
      o << "<text class=\"legend-text\" x=\"" << one_decimal(x + 42) << "\" y=\"" << one_decimal(y + 4) << "\">"
        << it.text << "</text>\n";
      x += 42 + kCharWidth * static_cast<double>(std::string_view(it.text).size()) + 28;
    }
  }
}

}  // namespace

std::string state_diagram(const RunResult& r, std::string& transitions_table) {
  const Marks m = collect(r);
  const bool do_profile = r.settings.model.profile == Profile::Do;
  auto drawn = [&](int s) { return !(do_profile && static_cast<JobState>(s) == JobState::Connecting); };

  std::vector<Box> obstacles;
  for (int s = 0; s < kJobStateCount; ++s)
    if (drawn(s)) obstacles.push_back({kPos[s].x - kRx, kPos[s].y - kRy, kPos[s].x + kRx, kPos[s].y + kRy});
  obstacles.push_back({0, kHeight - 60, kWidth, kHeight});  // the legend
  Placer placer(std::move(obstacles));

  std::ostringstream paths, labels, table;
  // The transitions' numbers are their rows in the table (from, to order).
  std::map<std::pair<int, int>, int> number;
  for (const auto& [ft, e] : m.edges) number.emplace(ft, static_cast<int>(number.size()) + 1);

  // Bundles first (their labels have fixed places), then findings, visited, the rest: the most
  // telling transitions get the best places.
  for (const Bundle& b : kBundles) {
    std::vector<std::string> from;
    int visited = 0;
    for (const auto& [ft, e] : m.edges)
      if (bundle_of(ft, e) == &b) {
        from.push_back(std::string(short_name(static_cast<JobState>(ft.first))));
        visited += e.visited ? 1 : 0;
      }
    if (from.empty()) continue;
    const Pos s = kPos[static_cast<int>(b.to)];
    const std::string text =
        std::string(op_name(b.op)) + " from " + std::to_string(from.size()) + " states (" +
        (visited == static_cast<int>(from.size()) ? std::string("all visited") : std::to_string(visited) + " visited") +
        ")";
    const Box box = within_picture(text_box({s.x, s.y + b.dy}, text.size()));
    const double edge_y = b.dy < 0 ? box.y1 : box.y0;
    const Pos p{s.x, edge_y}, q{s.x, s.y + (b.dy < 0 ? -kRy : kRy)};
    std::string title = std::string(op_name(b.op)) + " -> " + std::string(short_name(b.to)) + " from ";
    for (std::size_t i = 0; i < from.size(); ++i) title += (i ? ", " : "") + from[i];
    const EdgeClass c = visited > 0 ? EdgeClass::Visited : EdgeClass::Model;
    arrow(paths, p, {(p.x + q.x) / 2, (p.y + q.y) / 2}, q, c, title);
    placer.take(box);
    label(labels, box, text, class_name(c), "#transitions");
  }
  std::vector<std::pair<std::pair<int, int>, const Edge*>> order;
  for (const auto& [ft, e] : m.edges)
    if (!bundle_of(ft, e) && drawn(ft.first) && drawn(ft.second)) order.push_back({ft, &e});
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second->cls() > b.second->cls(); });
  for (const auto& [ft, e] : order) {
    const Pos a = kPos[ft.first], b = kPos[ft.second];
    const double dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    // Bend every transition to its left, more for long ones, so A->B and B->A never overlap.
    const double bend = 24 + 0.14 * len;
    const Pos ctl{(a.x + b.x) / 2 - dy / len * bend, (a.y + b.y) / 2 + dx / len * bend};
    const Pos p = on_ellipse(a, ctl.x - a.x, ctl.y - a.y), q = on_ellipse(b, ctl.x - b.x, ctl.y - b.y);
    const EdgeClass c = e->cls();
    arrow(paths, p, ctl, q, c, transition_name(ft) + " (" + class_words(c) + "): " + edge_text(*e));

    auto at = [&](double t) {
      return Pos{(1 - t) * (1 - t) * p.x + 2 * t * (1 - t) * ctl.x + t * t * q.x,
                 (1 - t) * (1 - t) * p.y + 2 * t * (1 - t) * ctl.y + t * t * q.y};
    };
    // Along the curve from its middle outwards, first the words, then (no room for them) the
    // transition's number, which the table explains.
    auto place = [&](const std::string& text) -> std::optional<Box> {
      for (int k = 0; k <= 18; ++k) {
        const double t = 0.5 + (k % 2 ? 1 : -1) * 0.04 * ((k + 1) / 2);
        if (const Box box = text_box(at(t), text.size()); placer.free(box)) return box;
      }
      return std::nullopt;
    };
    std::string text = edge_text(*e);
    std::optional<Box> placed = place(text);
    if (!placed) placed = place(text = std::to_string(number.at(ft)));
    if (!placed) continue;  // the title and the table still name it
    placer.take(*placed);
    label(labels, *placed, text, class_name(c), "#transition-" + std::to_string(number.at(ft)));
  }

  std::ostringstream o;
  o << "<svg id=\"state-diagram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << kWidth << " " << kHeight
    << "\" width=\"" << kWidth << "\" height=\"" << kHeight << "\" role=\"img\" aria-label=\"BG_JOB_STATE diagram\">\n"
    << "<defs>";
  for (const EdgeClass c : {EdgeClass::Model, EdgeClass::Visited, EdgeClass::Known, EdgeClass::Failing})
    o << "<marker id=\"arrow-" << class_name(c) << "\" class=\"" << class_name(c)
      << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
         "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker>";
  o << "</defs>\n" << paths.str();
  for (int s = 0; s < kJobStateCount; ++s) {
    if (!drawn(s)) continue;
    const bool visited = (r.coverage.states >> s) & 1u;
    const bool failing = m.failing_states.count(s) > 0, known = !failing && m.known_states.count(s) > 0;
    const std::string nm(short_name(static_cast<JobState>(s)));
    o << "<g class=\"node" << (visited ? " visited" : "") << (failing ? " failing" : "") << (known ? " known" : "")
      << "\" data-state=\"" << nm << "\"><title>" << nm << (visited ? " (observed)" : " (not observed)")
      << (failing ? ", a new failure"
          : known ? ", a known deviation"
                  : "")
      << "</title><ellipse cx=\"" << one_decimal(kPos[s].x) << "\" cy=\"" << one_decimal(kPos[s].y) << "\" rx=\"" << kRx
      << "\" ry=\"" << kRy << "\"/><text x=\"" << one_decimal(kPos[s].x) << "\" y=\"" << one_decimal(kPos[s].y + 4)
      << "\">" << nm << "</text></g>\n";
  }
  o << labels.str();
  legend(o);
  o << "</svg>\n";

  table << "<table id=\"transitions\">\n<tr><th>#</th><th>from</th><th>to</th><th>stimulus kinds</th>"
           "<th>in this run</th></tr>\n";
  for (const auto& [ft, e] : m.edges) {
    const EdgeClass c = e.cls();
    table << "<tr id=\"transition-" << number.at(ft) << "\" class=\"t-" << class_name(c) << "\"><td>" << number.at(ft)
          << "</td><td>" << short_name(static_cast<JobState>(ft.first)) << "</td><td>"
          << short_name(static_cast<JobState>(ft.second)) << "</td><td>" << xml_escape(joined(e.kinds)) << "</td><td>"
          << class_words(c);
    for (const std::string& f : e.findings) table << " <a href=\"#cex-" << f << "\">" << f << "</a>";
    table << "</td></tr>\n";
  }
  table << "</table>\n";
  transitions_table = table.str();
  return o.str();
}

}  // namespace bgc::detail
