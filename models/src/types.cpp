#include "bgconform/types.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace bgc {
namespace {

// The rows of alphabet.def agree with themselves: a handle slot is exactly what the object calls name, and
// the environment's operands are its own.
constexpr bool rows_agree() {
  for (const OpRow& row : kAlphabet) {
    const bool object_role =
        row.role == OpRole::TakesObject || row.role == OpRole::ObjectCall || row.role == OpRole::ReleasesObject;
    const bool environment_operand =
        row.operand == OpOperand::SourceEvent || row.operand == OpOperand::UpDown || row.operand == OpOperand::Duration;
    if (object_role != (row.operand == OpOperand::Handle)) return false;
    if ((row.role == OpRole::Environment) != environment_operand) return false;
  }
  return true;
}
static_assert(rows_agree(), "alphabet.def: a row's role and operand disagree");

constexpr std::array<std::string_view, kBehaviourCount> kBehaviourNames = {
    "ok", "slow", "delayed-headers", "http", "refused", "reset", "stall", "present", "missing"};
constexpr std::array<std::string_view, 4> kProtocolNames = {"none", "http", "file", "other"};

// Splits a line into words separated by blanks, remembering each word's column.
struct Word {
  std::string_view text;
  int column;
};
std::vector<Word> split_words(std::string_view line) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) words.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return words;
}

bool parse_uint(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// "<letter><digits>" such as j0, src2, h1.
bool parse_tagged(std::string_view text, std::string_view tag, int max, std::uint8_t& out) {
  if (text.substr(0, tag.size()) != tag) return false;
  std::uint64_t v = 0;
  if (!parse_uint(text.substr(tag.size()), v) || v >= static_cast<std::uint64_t>(max)) return false;
  out = static_cast<std::uint8_t>(v);
  return true;
}

// "6s" -> 6
bool parse_seconds(std::string_view text, std::uint32_t& out) {
  if (text.size() < 2 || text.back() != 's') return false;
  std::uint64_t v = 0;
  if (!parse_uint(text.substr(0, text.size() - 1), v) || v > 0xFFFFFFFFull) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

template <class T>
Parsed<T> fail(std::string message, int column) {
  Parsed<T> p;
  // The message quotes the text at fault: a megabyte-long word of a broken file is cut, not echoed.
  constexpr std::size_t kLongest = 200;
  if (message.size() > kLongest) message = message.substr(0, kLongest) + "... (cut)";
  p.error = std::move(message);
  p.column = column;
  return p;
}

std::string seconds_text(std::uint32_t s) { return std::to_string(s) + "s"; }

}  // namespace

namespace stim {
Stimulus create_job(int job) { return call(Op::CreateJob, job); }
Stimulus release_job(int job) { return call(Op::ReleaseJob, job); }
Stimulus add_file(int job, int source) { return with_source(Op::AddFile, job, source); }
Stimulus with_source(Op op, int job, int source) {
  Stimulus s = call(op, job);
  s.index = static_cast<std::uint8_t>(source);
  return s;
}
Stimulus call(Op op, int job) {
  Stimulus s;
  s.op = op;
  s.job = static_cast<std::uint8_t>(job);
  return s;
}
Stimulus with_handle(Op op, int job, int handle) {
  Stimulus s = call(op, job);
  s.index = static_cast<std::uint8_t>(handle);
  return s;
}
Stimulus set_seconds(Op op, int job, std::uint32_t seconds) {
  Stimulus s = call(op, job);
  s.seconds = seconds;
  return s;
}
Stimulus source(int id, Behaviour b, int status) {
  Stimulus s;
  s.op = Op::Source;
  s.index = static_cast<std::uint8_t>(id);
  s.behaviour = b;
  s.status = static_cast<std::uint16_t>(b == Behaviour::Http ? status : 0);
  return s;
}
Stimulus network(bool up) {
  Stimulus s;
  s.op = Op::Network;
  s.index = up ? 1 : 0;
  return s;
}
Stimulus advance(std::uint32_t seconds) { return advance_between(seconds, seconds); }
Stimulus advance_between(std::uint32_t min_seconds, std::uint32_t max_seconds) {
  Stimulus s;
  s.op = Op::Advance;
  s.seconds = min_seconds;
  s.seconds_max = max_seconds;
  return s;
}
}  // namespace stim

std::vector<Stimulus> every_call(int job, const OperandValues& values) {
  std::vector<Stimulus> out;
  for (int i = 0; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    switch (row_of(op).operand) {
      case OpOperand::None: out.push_back(stim::call(op, job)); break;
      case OpOperand::Source:
        for (int src : values.sources) out.push_back(stim::with_source(op, job, src));
        break;
      case OpOperand::Handle:
        for (int h = 0; h < kMaxHandlesPerJob; ++h) out.push_back(stim::with_handle(op, job, h));
        break;
      case OpOperand::RetryDelay:
        for (auto d : values.retry_delays) out.push_back(stim::set_seconds(op, job, d));
        break;
      case OpOperand::Timeout:
        for (auto t : values.timeouts) out.push_back(stim::set_seconds(op, job, t));
        break;
      default: break;  // the environment: not a call
    }
  }
  return out;
}

std::string_view op_name(Op op) { return kAlphabet.at(static_cast<std::size_t>(op)).text; }
std::string_view behaviour_name(Behaviour b) { return kBehaviourNames.at(static_cast<std::size_t>(b)); }
std::string_view protocol_name(Protocol p) { return kProtocolNames.at(static_cast<std::size_t>(p)); }

namespace {
bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
}  // namespace

bool has_control_char(std::string_view text) { return std::any_of(text.begin(), text.end(), is_control); }

std::string one_line(std::string_view text) {
  std::string out(text);
  std::replace_if(out.begin(), out.end(), is_control, '?');
  return out;
}

std::string hresult_text(HRESULT h) {
  std::string_view known = hresult_name(h);
  if (!known.empty()) return std::string(known);
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(h));
  return buf;
}

std::string to_string(const Stimulus& s) {
  std::string out(op_name(s.op));
  switch (row_of(s.op).operand) {
    case OpOperand::SourceEvent:
      out += " src" + std::to_string(s.index) + " ";
      out += behaviour_name(s.behaviour);
      if (s.behaviour == Behaviour::Http) out += "(" + std::to_string(s.status) + ")";
      return out;
    case OpOperand::UpDown: return out + (s.index ? " up" : " down");
    case OpOperand::Duration:
      out += " " + seconds_text(s.seconds);
      if (s.seconds_max != s.seconds) out += ".." + seconds_text(s.seconds_max);
      return out;
    case OpOperand::None: return out + " j" + std::to_string(s.job);
    case OpOperand::Source: return out + " j" + std::to_string(s.job) + " src" + std::to_string(s.index);
    case OpOperand::Handle: return out + " j" + std::to_string(s.job) + " h" + std::to_string(s.index);
    case OpOperand::RetryDelay:
    case OpOperand::Timeout: return out + " j" + std::to_string(s.job) + " " + seconds_text(s.seconds);
  }
  return out;
}

Observation out_of_range(OddAnswer what, HRESULT answered, std::uint32_t number) {
  Observation o;
  o.hr = hr::kOutOfRange;
  o.odd = what;
  o.odd_hr = answered;
  o.value = number;
  return o;
}

namespace {

constexpr std::string_view kOutOfRangeMark = " (out of range)";

std::string odd_text(const Observation& o, Op op) {
  std::string out = hresult_text(o.odd_hr);
  switch (o.odd) {
    case OddAnswer::State: out += " state=" + std::to_string(o.value); break;
    case OddAnswer::Context: out += " context=" + std::to_string(o.value) + " code=" + hresult_text(o.code); break;
    case OddAnswer::NoObject: out += op == Op::CreateJob ? " job=NULL" : " object=NULL"; break;
    case OddAnswer::ForeignFile: out += " file=foreign"; break;
    case OddAnswer::None: break;
  }
  return out + std::string(kOutOfRangeMark);
}

}  // namespace

std::string to_string(const Observation& o, Op op) {
  switch (o.outcome) {
    case Outcome::Crashed: return "crash";
    case Outcome::TimedOut: return "timeout";
    case Outcome::NotSupported: return "not-supported";
    case Outcome::Answered: break;
  }
  if (o.hr == hr::kOutOfRange && o.odd != OddAnswer::None) return odd_text(o, op);
  std::string out = hresult_text(o.hr);
  switch (row_of(op).answer) {
    case OpAnswer::State:
      if (hr::succeeded(o.hr)) out += " state=" + std::string(short_name(o.state));
      break;
    case OpAnswer::Handle: out += o.handle ? " handle" : " null"; break;
    case OpAnswer::ErrorValues:
      if (hr::succeeded(o.hr))
        out += " context=" + std::string(short_name(o.context)) + " code=" + hresult_text(o.code);
      break;
    case OpAnswer::File: out += o.file < 0 ? std::string(" file=null") : " file=" + std::to_string(o.file); break;
    case OpAnswer::Protocol: out += " protocol=" + std::string(protocol_name(o.protocol)); break;
    case OpAnswer::Value:
      if (hr::succeeded(o.hr)) out += " value=" + std::to_string(o.value);
      break;
    case OpAnswer::Progress:
      if (hr::succeeded(o.hr)) {
        out += " files=" + std::to_string(o.files_transferred) + "/" + std::to_string(o.files_total);
        out += " bytes=" + std::to_string(o.bytes_transferred) + "/" +
               (o.bytes_total == kSizeUnknown ? std::string("unknown") : std::to_string(o.bytes_total));
      }
      break;
    case OpAnswer::None: break;
  }
  return out;
}

Parsed<HRESULT> parse_hresult(std::string_view text) {
  Parsed<HRESULT> p;
  if (text.substr(0, 2) == "0x" || text.substr(0, 2) == "0X") {
    std::uint32_t v = 0;
    auto digits = text.substr(2);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, 16);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
      return fail<HRESULT>("'" + std::string(text) + "' is not a hexadecimal HRESULT", 1);
    p.value = static_cast<HRESULT>(v);
    return p;
  }
  if (auto known = hresult_from_name(text)) {
    p.value = *known;
    return p;
  }
  if (text.substr(0, 16) == "BG_E_HTTP_ERROR_") {
    std::uint64_t status = 0;
    if (parse_uint(text.substr(16), status) && status >= 100 && status <= 599) {
      p.value = hr::http_error(static_cast<int>(status));
      return p;
    }
  }
  return fail<HRESULT>(
      "unknown HRESULT '" + std::string(text) + "' (write a known name or 0x followed by 8 hex digits)", 1);
}

Parsed<Stimulus> parse_stimulus(std::string_view line) {
  auto words = split_words(line);
  if (words.empty()) return fail<Stimulus>("empty line: expected a stimulus such as 'Resume j0'", 1);
  Parsed<Stimulus> p;
  Stimulus& s = p.value;
  const Word& head = words[0];
  bool found = false;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    if (kAlphabet[i].text == head.text) {
      s.op = static_cast<Op>(i);
      found = true;
    }
  if (!found) return fail<Stimulus>("unknown stimulus '" + std::string(head.text) + "'", head.column);

  auto expect_count = [&](std::size_t n, std::string_view usage) -> Parsed<Stimulus> {
    if (words.size() < n)
      return fail<Stimulus>("missing argument: expected '" + std::string(usage) + "'",
                            static_cast<int>(line.size()) + 1);
    return fail<Stimulus>("unexpected '" + std::string(words[n].text) + "': expected '" + std::string(usage) + "'",
                          words[n].column);
  };

  switch (row_of(s.op).operand) {
    case OpOperand::SourceEvent: {
      if (words.size() != 3) return expect_count(3, "Source src<0-3> <behaviour>");
      if (!parse_tagged(words[1].text, "src", kSourceCount, s.index))
        return fail<Stimulus>("expected a source id src0..src3, got '" + std::string(words[1].text) + "'",
                              words[1].column);
      std::string_view b = words[2].text;
      if (b.substr(0, 5) == "http(" && b.back() == ')') {
        std::uint64_t status = 0;
        if (!parse_uint(b.substr(5, b.size() - 6), status) || status < 100 || status > 599)
          return fail<Stimulus>("expected an HTTP status 100-599 in '" + std::string(b) + "'", words[2].column + 5);
        s.behaviour = Behaviour::Http;
        s.status = static_cast<std::uint16_t>(status);
        return p;
      }
      for (std::size_t i = 0; i < kBehaviourNames.size(); ++i)
        if (kBehaviourNames[i] == b && static_cast<Behaviour>(i) != Behaviour::Http) {
          s.behaviour = static_cast<Behaviour>(i);
          return p;
        }
      return fail<Stimulus>("unknown source behaviour '" + std::string(b) +
                                "' (ok, slow, delayed-headers, http(N), refused, reset, stall, present, missing)",
                            words[2].column);
    }
    case OpOperand::UpDown:
      if (words.size() != 2) return expect_count(2, std::string(head.text) + " up|down");
      if (words[1].text == "up")
        s.index = 1;
      else if (words[1].text == "down")
        s.index = 0;
      else
        return fail<Stimulus>("expected 'up' or 'down', got '" + std::string(words[1].text) + "'", words[1].column);
      return p;
    case OpOperand::Duration: {
      if (words.size() != 2) {
        const std::string op(head.text);
        return expect_count(2, op + " <N>s or " + op + " <N>s..<M>s");
      }
      std::string_view t = words[1].text;
      auto dots = t.find("..");
      if (dots == std::string_view::npos) {
        if (!parse_seconds(t, s.seconds))
          return fail<Stimulus>("expected a duration such as 6s, got '" + std::string(t) + "'", words[1].column);
        s.seconds_max = s.seconds;
      } else if (!parse_seconds(t.substr(0, dots), s.seconds) || !parse_seconds(t.substr(dots + 2), s.seconds_max) ||
                 s.seconds_max < s.seconds) {
        return fail<Stimulus>("expected an interval such as 1s..3s, got '" + std::string(t) + "'", words[1].column);
      }
      return p;
    }
    default: break;
  }

  // Job calls: "<Op> j<slot> [src<id> | h<handle> | <N>s]"
  if (words.size() < 2) return expect_count(2, std::string(head.text) + " j<0-2> ...");
  if (!parse_tagged(words[1].text, "j", kMaxJobs, s.job))
    return fail<Stimulus>("expected a job slot j0..j2, got '" + std::string(words[1].text) + "'", words[1].column);
  const OpOperand operand = row_of(s.op).operand;
  const std::size_t want = operand == OpOperand::None ? 2 : 3;
  if (operand == OpOperand::Source) {
    if (words.size() < 3) return expect_count(3, std::string(head.text) + " j<0-2> src<0-3>");
    if (!parse_tagged(words[2].text, "src", kSourceCount, s.index))
      return fail<Stimulus>("expected a source id src0..src3, got '" + std::string(words[2].text) + "'",
                            words[2].column);
  } else if (operand == OpOperand::Handle) {
    if (words.size() < 3) return expect_count(3, std::string(head.text) + " j<0-2> h<0-1>");
    if (!parse_tagged(words[2].text, "h", kMaxHandlesPerJob, s.index))
      return fail<Stimulus>("expected a handle slot h0..h1, got '" + std::string(words[2].text) + "'", words[2].column);
  } else if (operand == OpOperand::RetryDelay || operand == OpOperand::Timeout) {
    if (words.size() < 3) return expect_count(3, std::string(head.text) + " j<0-2> <N>s");
    if (!parse_seconds(words[2].text, s.seconds))
      return fail<Stimulus>("expected a duration such as 5s, got '" + std::string(words[2].text) + "'",
                            words[2].column);
  }
  if (words.size() != want) return expect_count(want, std::string(head.text) + " j<0-2>" + (want == 3 ? " ..." : ""));
  return p;
}

namespace {

// The words of an out-of-range answer after its code (odd_text); false when they are none.
bool parse_odd(const std::vector<Word>& words, Observation& o) {
  if (words.size() < 2) return false;
  const std::string_view w = words[1].text;
  std::uint64_t n = 0;
  if (words.size() == 2 && (w == "job=NULL" || w == "object=NULL"))
    o.odd = OddAnswer::NoObject;
  else if (words.size() == 2 && w == "file=foreign")
    o.odd = OddAnswer::ForeignFile;
  else if (words.size() == 2 && w.substr(0, 6) == "state=" && parse_uint(w.substr(6), n) && n <= 0xFFFFFFFFull)
    o.odd = OddAnswer::State;
  else if (words.size() == 3 && w.substr(0, 8) == "context=" && parse_uint(w.substr(8), n) && n <= 0xFFFFFFFFull &&
           words[2].text.substr(0, 5) == "code=") {
    auto code = parse_hresult(words[2].text.substr(5));
    if (!code) return false;
    o.odd = OddAnswer::Context;
    o.code = code.value;
  } else {
    return false;
  }
  o.value = static_cast<std::uint32_t>(n);
  return true;
}

}  // namespace

Parsed<Observation> parse_observation(std::string_view line) {
  if (line.size() > kOutOfRangeMark.size() && line.substr(line.size() - kOutOfRangeMark.size()) == kOutOfRangeMark) {
    const std::string_view kept = line.substr(0, line.size() - kOutOfRangeMark.size());
    const auto words = split_words(kept);
    Parsed<Observation> p;
    auto code = words.empty() ? fail<HRESULT>("", 1) : parse_hresult(words[0].text);
    if (!code || !parse_odd(words, p.value))
      return fail<Observation>("expected an out-of-range answer such as 'S_OK state=42 (out of range)'", 1);
    p.value.hr = hr::kOutOfRange;
    p.value.odd_hr = code.value;
    return p;
  }
  auto words = split_words(line);
  if (words.empty()) return fail<Observation>("empty line: expected an observation such as 'S_OK state=QUEUED'", 1);
  Parsed<Observation> p;
  Observation& o = p.value;
  if (words[0].text == "crash" || words[0].text == "timeout" || words[0].text == "not-supported") {
    o.outcome = words[0].text == "crash"     ? Outcome::Crashed
                : words[0].text == "timeout" ? Outcome::TimedOut
                                             : Outcome::NotSupported;
    if (words.size() > 1)
      return fail<Observation>("nothing may follow '" + std::string(words[0].text) + "'", words[1].column);
    return p;
  }
  auto code = parse_hresult(words[0].text);
  if (!code) return fail<Observation>(code.error, words[0].column);
  o.hr = code.value;
  for (std::size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i].text;
    int col = words[i].column;
    if (w == "handle") {
      o.handle = true;
      continue;
    }
    if (w == "null") {
      o.handle = false;
      continue;
    }
    auto eq = w.find('=');
    if (eq == std::string_view::npos) return fail<Observation>("expected key=value, got '" + std::string(w) + "'", col);
    std::string_view key = w.substr(0, eq), val = w.substr(eq + 1);
    int vcol = col + static_cast<int>(eq) + 1;
    std::uint64_t n = 0;
    if (key == "state") {
      auto st = parse_job_state(val);
      if (!st) return fail<Observation>("unknown job state '" + std::string(val) + "'", vcol);
      o.state = *st;
    } else if (key == "context") {
      auto c = parse_error_context(val);
      if (!c) return fail<Observation>("unknown error context '" + std::string(val) + "'", vcol);
      o.context = *c;
    } else if (key == "code") {
      auto c = parse_hresult(val);
      if (!c) return fail<Observation>(c.error, vcol);
      o.code = c.value;
    } else if (key == "file") {
      if (val == "null")
        o.file = -1;
      else if (parse_uint(val, n) && n < kMaxFilesPerJob)
        o.file = static_cast<std::int8_t>(n);
      else
        return fail<Observation>("expected file=0, file=1 or file=null", vcol);
    } else if (key == "protocol") {
      bool ok = false;
      for (std::size_t k = 0; k < kProtocolNames.size(); ++k)
        if (kProtocolNames[k] == val) {
          o.protocol = static_cast<Protocol>(k);
          ok = true;
        }
      if (!ok) return fail<Observation>("unknown protocol '" + std::string(val) + "' (none, http, file, other)", vcol);
    } else if (key == "value") {
      if (!parse_uint(val, n) || n > 0xFFFFFFFFull) return fail<Observation>("expected a number after value=", vcol);
      o.value = static_cast<std::uint32_t>(n);
    } else if (key == "files" || key == "bytes") {
      auto slash = val.find('/');
      std::uint64_t a = 0, b = 0;
      bool unknown_total = key == "bytes" && slash != std::string_view::npos && val.substr(slash + 1) == "unknown";
      if (slash == std::string_view::npos || !parse_uint(val.substr(0, slash), a) ||
          (!unknown_total && !parse_uint(val.substr(slash + 1), b)))
        return fail<Observation>("expected " + std::string(key) + "=<done>/<total>", vcol);
      if (key == "files") {
        o.files_transferred = static_cast<std::uint32_t>(a);
        o.files_total = static_cast<std::uint32_t>(b);
      } else {
        o.bytes_transferred = a;
        o.bytes_total = unknown_total ? kSizeUnknown : b;
      }
    } else {
      return fail<Observation>("unknown key '" + std::string(key) + "'", col);
    }
  }
  return p;
}

}  // namespace bgc
