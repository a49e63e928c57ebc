// Trace files: what a target answered, case by case, for `bgconform check` (reports.h, TraceFile).
#include <charconv>
#include <set>

#include "bgconform/reports.h"

namespace bgc {

namespace {

constexpr std::string_view kArrow = " -> ";

// "12.000345": whole microseconds, written and read back exactly.
void put_time(std::string& out, std::int64_t us) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(us / 1000000),
                              static_cast<long long>(us % 1000000));
  out.append(buf, static_cast<std::size_t>(n));
}

bool read_time(std::string_view text, std::int64_t& us) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::int64_t seconds = 0;
  if (whole.empty() || whole.size() > 9) return false;
  if (std::from_chars(whole.data(), whole.data() + whole.size(), seconds).ptr != whole.data() + whole.size())
    return false;
  std::int64_t fraction = 0;
  if (dot != std::string_view::npos) {
    const std::string_view digits = text.substr(dot + 1);
    if (digits.empty() || digits.size() > 6) return false;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      fraction = fraction * 10 + (c - '0');
    }
    for (std::size_t k = digits.size(); k < 6; ++k) fraction *= 10;
  }
  us = seconds * 1000000 + fraction;
  return true;
}

void put_step(std::string& out, const Step& s, std::string_view prefix) {
  out += prefix;
  out += to_string(s.stimulus);
  out += kArrow;
  out += to_string(s.observation, s.stimulus.op);
  out += '\n';
}

}  // namespace

std::string render_trace_header(const TraceFile& f) {
  std::string out = "# bgconform trace: a header, then each case's steps with what the target answered\n";
  out += "trace-format " + std::to_string(kTraceFormatVersion) + "\n";
  out += "profile " + std::string(name(f.profile)) + "\n";
  for (int i = 0; i < kInterpCount; ++i) {
    const auto id = static_cast<Interp>(i);
    out += "interpretation " + std::string(interp_info(id).id) + "=" + std::string(f.interpretations.value(id)) + "\n";
  }
  out += std::string("clock ") + (f.real_time ? "real-time" : "virtual") + "\n";
  out += "seed " + std::to_string(f.seed) + "\n";
  if (!f.target.empty()) out += "target " + one_line(f.target) + "\n";
  return out;
}

std::string render_trace_case(const RecordedCase& c, bool real_time) {
  std::string out = "case " + std::to_string(c.index) + "\n";
  for (const TracedStep& t : c.steps) {
    if (real_time) {
      out += '@';
      put_time(out, t.called_us);
      out += "..";
      put_time(out, t.returned_us);
      out += ' ';
    }
    put_step(out, t.step, t.poll ? "poll " : "");
    for (const Step& q : t.sweep) put_step(out, q, "sweep ");
  }
  return out;
}

std::string render_trace(const TraceFile& f) {
  std::string out = render_trace_header(f);
  for (const RecordedCase& c : f.cases) out += render_trace_case(c, f.real_time);
  return out;
}

std::optional<TraceFile> parse_trace(std::string_view text, std::string& error) {
  TraceFile f;
  int format = 0;
  bool clock_given = false;
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  int number = 0;
  auto fail = [&](const std::string& what) -> std::optional<TraceFile> {
    error = "line " + std::to_string(number) + ": " +
            one_line(what.size() > 200 ? what.substr(0, 200) + "... (cut)" : what);
    return std::nullopt;
  };
  std::set<std::string> given;  // header keys read so far
  bool in_cases = false;
  std::set<std::uint64_t> indexes;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") + 1 - first);
    const auto space = line.find(' ');
    const std::string_view key = line.substr(0, space);
    const std::string_view value = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    if (key == "case") {
      if (format == 0) return fail("the header has no 'trace-format' line before the first case");
      if (!clock_given) return fail("the header has no 'clock' line (virtual or real-time) before the first case");
      std::uint64_t index = 0;
      if (value.empty() ||
          std::from_chars(value.data(), value.data() + value.size(), index).ptr != value.data() + value.size())
        return fail("expected 'case N' (the case's index, a number), got '" + std::string(line) + "'");
      if (!indexes.insert(index).second) return fail("a second 'case " + std::string(value) + "'");
      f.cases.emplace_back().index = index;
      in_cases = true;
      continue;
    }
    if (in_cases) {
      RecordedCase& c = f.cases.back();
      std::string_view rest = line;
      std::int64_t called = 0, returned = 0;
      if (rest[0] == '@') {
        if (!f.real_time)
          return fail("a time (@...) in a trace on the virtual clock: times belong to 'clock real-time'");
        const auto sp = rest.find(' ');
        const std::string_view times = rest.substr(1, sp == std::string_view::npos ? std::string_view::npos : sp - 1);
        const auto dots = times.find("..");
        if (dots == std::string_view::npos || !read_time(times.substr(0, dots), called) ||
            !read_time(times.substr(dots + 2), returned) || returned < called)
          return fail("expected '@CALLED..RETURNED' in seconds since the case began (e.g. @1.250..1.262), got '@" +
                      std::string(times) + "'");
        if (!c.steps.empty() && called < c.steps.back().called_us)
          return fail("the call at @" + std::string(times) + " was made before the line above it");
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      } else if (f.real_time) {
        return fail("expected '@CALLED..RETURNED' first: every line of a real-time trace says when its call was made");
      }
      bool poll = false, sweep = false;
      if (rest.starts_with("poll ")) {
        if (!f.real_time) return fail("'poll' in a trace on the virtual clock (its steps have a sweep instead)");
        poll = true;
        rest.remove_prefix(5);
      } else if (rest.starts_with("sweep ")) {
        if (f.real_time)
          return fail("'sweep' in a real-time trace (its observations are polls: '@... poll GetState j0 -> ...')");
        if (c.steps.empty()) return fail("a sweep before the case's first stimulus");
        sweep = true;
        rest.remove_prefix(6);
      }
      const auto arrow = rest.find(kArrow);
      if (arrow == std::string_view::npos)
        return fail("expected 'STIMULUS -> ANSWER' (e.g. 'Resume j0 -> S_OK'), got '" + std::string(line) + "'");
      const Parsed<Stimulus> s = parse_stimulus(rest.substr(0, arrow));
      if (!s) return fail("the stimulus: " + s.error);
      const Parsed<Observation> o = parse_observation(rest.substr(arrow + kArrow.size()));
      if (!o) return fail("the answer: " + o.error);
      if ((poll || sweep) && s.value.op != Op::GetState)
        return fail(std::string(poll ? "a poll" : "a sweep") + " is a GetState, not '" + to_string(s.value) + "'");
      if (sweep) {
        TracedStep& t = c.steps.back();
        if (t.sweep.size() >= kMaxJobs) return fail("more sweep lines than job slots after one step");
        for (const Step& q : t.sweep)
          if (q.stimulus == s.value) return fail("a second sweep line for " + to_string(s.value));
        t.sweep.push_back({s.value, o.value});
        continue;
      }
      TracedStep& t = c.steps.emplace_back();
      t.step = {s.value, o.value};
      t.poll = poll;
      t.called_us = called;
      t.returned_us = returned;
      c.lines.push_back(number);
      continue;
    }
    // The header: one line per key (one per interpretation).
    const std::string once =
        key == "interpretation" ? "interpretation " + std::string(value.substr(0, value.find('='))) : std::string(key);
    if (!given.insert(once).second) return fail("a second '" + once + "' line");
    if (key == "trace-format") {
      if (value != std::to_string(kTraceFormatVersion))
        return fail("trace-format '" + std::string(value) + "' is not supported (this bgconform reads trace-format " +
                    std::to_string(kTraceFormatVersion) + ")");
      format = kTraceFormatVersion;
    } else if (key == "format" || key == "steps" || key == "rule") {
      return fail("this is a replay file (stimuli only), not a trace: run it with 'bgconform replay'");
    } else if (key == "profile") {
      const auto p = parse_profile(value);
      if (!p) return fail("unknown profile '" + std::string(value) + "' (bits or do)");
      f.profile = *p;
    } else if (key == "interpretation") {
      if (std::string e = f.interpretations.set(value); !e.empty()) return fail(e);
    } else if (key == "clock") {
      if (value != "virtual" && value != "real-time")
        return fail("clock '" + std::string(value) +
                    "': expected 'virtual' (a sweep after each step) or 'real-time' "
                    "(timed calls and polls)");
      f.real_time = value == "real-time";
      clock_given = true;
    } else if (key == "target") {
      f.target = one_line(value);  // as it is written back: a control character is shown as '?'
    } else if (key == "seed") {
      if (value.empty() ||
          std::from_chars(value.data(), value.data() + value.size(), f.seed).ptr != value.data() + value.size())
        return fail("seed '" + std::string(value) + "' is not a number");
    } else {
      return fail("unknown header line '" + std::string(key) +
                  "' (expected trace-format, profile, interpretation, clock, seed, target, or 'case N')");
    }
  }
  ++number;
  if (f.cases.empty()) return fail("no 'case N' line: a trace without cases checks nothing");
  for (const RecordedCase& c : f.cases)
    if (c.steps.empty()) {
      error = "case " + std::to_string(c.index) + " has no steps";
      return std::nullopt;
    }
  return f;
}

}  // namespace bgc
