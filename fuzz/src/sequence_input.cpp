#include "sequence_input.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <random>

namespace bgc::fuzz {
namespace {

// The contract's durations and the boundaries (±1 s) of the retry delays and timeouts below.
constexpr std::array<std::uint32_t, 23> kDurations = {1,    2,     4,     5,     6,       9,       10,     11,
                                                      59,   60,    61,    599,   600,     601,     3599,   3600,
                                                      3601, 86399, 86400, 86401, 1209599, 1209600, 1209601};
constexpr std::array<std::uint32_t, 10> kTimeouts = {0, 1, 5, 6, 10, 60, 600, 3600, 86400, 1209600};
constexpr std::array<std::uint32_t, 9> kRetryDelays = {0, 1, 4, 5, 6, 10, 60, 600, 3600};
// The statuses the contract names (I-3) first, then some it does not: 408 and 429 (come back later),
// 416, and 1xx/3xx, which the model lets work or fail (a redirect the service may follow or refuse).
// The model and the reference once disagreed on the 3xx ones; fuzz/regressions/ keeps that case.
constexpr std::array<std::uint16_t, 19> kStatuses = {404, 403, 400, 401, 407, 414, 501, 505, 500, 502,
                                                     503, 504, 408, 416, 429, 100, 301, 302, 304};

constexpr std::array<Behaviour, 2> kLocalBehaviours = {Behaviour::Present, Behaviour::Missing};
constexpr std::array<Behaviour, 7> kHttpBehaviours = {Behaviour::Ok,   Behaviour::Slow,    Behaviour::DelayedHeaders,
                                                      Behaviour::Http, Behaviour::Refused, Behaviour::Reset,
                                                      Behaviour::Stall};

template <class T, std::size_t N>
std::uint8_t position(const std::array<T, N>& table, T value) {
  for (std::size_t i = 0; i < N; ++i)
    if (table[i] == value) return static_cast<std::uint8_t>(i);
  return 0;
}

// FuzzedDataProvider's ConsumeIntegralInRange for a range below 256: one byte from the end, modulo.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return size_ == 0; }
  std::uint32_t below(std::uint32_t n) {
    if (size_ == 0 || n <= 1) return 0;
    return data_[--size_] % n;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

template <class T, std::size_t N>
std::uint8_t nearest(const std::array<T, N>& table, std::uint64_t value) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < N; ++i) {
    const auto d = [&](std::size_t k) {
      return table[k] > value ? std::uint64_t(table[k]) - value : value - std::uint64_t(table[k]);
    };
    if (d(i) < d(best)) best = i;
  }
  return static_cast<std::uint8_t>(best);
}

}  // namespace

std::vector<Stimulus> decode_sequence(const std::uint8_t* data, std::size_t size, std::size_t max_stimuli) {
  Reader in(data, size);
  std::vector<Stimulus> out;
  while (!in.empty() && out.size() < max_stimuli) {
    const auto op = static_cast<Op>(in.below(kOpCount));
    Stimulus s;
    switch (row_of(op).operand) {
      case OpOperand::SourceEvent: {
        // The contract's alphabet: a local-file source is present or missing; an HTTP source answers
        // ok, slow, delayed headers, a status, refuses, resets or stalls.
        const int id = static_cast<int>(in.below(kSourceCount));
        const auto b = is_local_source(id) ? kLocalBehaviours[in.below(kLocalBehaviours.size())]
                                           : kHttpBehaviours[in.below(kHttpBehaviours.size())];
        s = stim::source(id, b, b == Behaviour::Http ? kStatuses[in.below(kStatuses.size())] : 0);
        break;
      }
      case OpOperand::UpDown: s = stim::network(in.below(2) == 1); break;
      case OpOperand::Duration: s = stim::advance(kDurations[in.below(kDurations.size())]); break;
      default: {
        const int job = static_cast<int>(in.below(kMaxJobs));
        switch (row_of(op).operand) {
          case OpOperand::Source: s = stim::with_source(op, job, static_cast<int>(in.below(kSourceCount))); break;
          case OpOperand::Handle: s = stim::with_handle(op, job, static_cast<int>(in.below(kMaxHandlesPerJob))); break;
          case OpOperand::RetryDelay:
            s = stim::set_seconds(op, job, kRetryDelays[in.below(kRetryDelays.size())]);
            break;
          case OpOperand::Timeout: s = stim::set_seconds(op, job, kTimeouts[in.below(kTimeouts.size())]); break;
          default: s = stim::call(op, job);
        }
      }
    }
    out.push_back(s);
  }
  return out;
}

std::vector<std::uint8_t> encode_sequence(const std::vector<Stimulus>& stimuli) {
  std::vector<std::uint8_t> bytes;  // in the order the decoder reads them
  for (const Stimulus& s : stimuli) {
    bytes.push_back(static_cast<std::uint8_t>(s.op));
    switch (row_of(s.op).operand) {
      case OpOperand::SourceEvent:
        bytes.push_back(s.index);
        bytes.push_back(is_local_source(s.index) ? position(kLocalBehaviours, s.behaviour)
                                                 : position(kHttpBehaviours, s.behaviour));
        if (s.behaviour == Behaviour::Http) bytes.push_back(nearest(kStatuses, s.status));
        break;
      case OpOperand::UpDown: bytes.push_back(s.index ? 1 : 0); break;
      case OpOperand::Duration: bytes.push_back(nearest(kDurations, s.seconds)); break;
      case OpOperand::None: bytes.push_back(s.job); break;
      case OpOperand::Source:
      case OpOperand::Handle:
        bytes.push_back(s.job);
        bytes.push_back(s.index);
        break;
      case OpOperand::RetryDelay:
        bytes.push_back(s.job);
        bytes.push_back(nearest(kRetryDelays, s.seconds));
        break;
      case OpOperand::Timeout:
        bytes.push_back(s.job);
        bytes.push_back(nearest(kTimeouts, s.seconds));
        break;
    }
  }
  std::reverse(bytes.begin(), bytes.end());  // the decoder reads from the end
  return bytes;
}

namespace {

using Rng = std::minstd_rand;

std::size_t pick(Rng& rng, std::size_t n) {
  return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

// A stimulus drawn as the decoder would read it from random bytes: every op, then its operands.
Stimulus random_stimulus(Rng& rng) {
  std::array<std::uint8_t, 4> bytes{};
  for (auto& b : bytes) b = static_cast<std::uint8_t>(pick(rng, 256));
  return decode_sequence(bytes.data(), bytes.size(), 1).front();
}

// The same op with one operand drawn again.
Stimulus vary_operand(Rng& rng, const Stimulus& s) {
  std::vector<std::uint8_t> bytes = encode_sequence({s});
  if (bytes.size() > 1) bytes[pick(rng, bytes.size() - 1)] = static_cast<std::uint8_t>(pick(rng, 256));  // not the op
  const std::vector<Stimulus> again = decode_sequence(bytes.data(), bytes.size(), 1);
  return again.empty() ? s : again.front();
}

// Another op that reads the same operands (a job alone; a job and a handle), the operands kept:
// Error.GetFile j0 h0 becomes Error.GetProtocol j0 h0. A random replacement rarely hits the job and the
// handle an input holds an object of (protocol-always-http, E-7, needs exactly that call).
Stimulus other_op(Rng& rng, const Stimulus& s) {
  const auto shape = [](Op op) { return static_cast<int>(row_of(op).operand); };
  std::vector<Op> same;
  for (int o = 0; o < kOpCount; ++o)
    if (static_cast<Op>(o) != s.op && shape(static_cast<Op>(o)) == shape(s.op)) same.push_back(static_cast<Op>(o));
  if (same.empty()) return vary_operand(rng, s);
  std::vector<std::uint8_t> bytes = encode_sequence({s});
  bytes.back() = static_cast<std::uint8_t>(same[pick(rng, same.size())]);  // the op: read first, so last
  return decode_sequence(bytes.data(), bytes.size(), 1).front();
}

// Writes `seq` (as many stimuli as fit) into `out`; returns the size.
std::size_t write(std::vector<Stimulus> seq, std::uint8_t* out, std::size_t max_size) {
  std::vector<std::uint8_t> bytes = encode_sequence(seq);
  while (bytes.size() > max_size && !seq.empty()) {
    seq.pop_back();
    bytes = encode_sequence(seq);
  }
  if (bytes.size() > max_size) return 0;
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return bytes.size();
}

}  // namespace

std::size_t mutate_sequence(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed,
                            ByteMutator byte_mutate) {
  Rng rng(seed);
  std::vector<Stimulus> seq = decode_sequence(data, size);
  const std::size_t n = seq.size();
  const auto at = [&](std::size_t count) { return static_cast<std::ptrdiff_t>(pick(rng, count)); };
  switch (pick(rng, 9)) {
    case 0:  // insert a random stimulus
      if (n < kMaxSequence) seq.insert(seq.begin() + at(n + 1), random_stimulus(rng));
      break;
    case 1:  // erase one
      if (n > 0) seq.erase(seq.begin() + at(n));
      break;
    case 2:  // replace one
      if (n > 0)
        seq[pick(rng, n)] = random_stimulus(rng);
      else
        seq.push_back(random_stimulus(rng));
      break;
    case 3:  // one operand drawn again
      if (n > 0) {
        const std::size_t i = pick(rng, n);
        seq[i] = vary_operand(rng, seq[i]);
      }
      break;
    case 4:  // duplicate one to another place
      if (n > 0 && n < kMaxSequence) {
        const Stimulus s = seq[pick(rng, n)];
        seq.insert(seq.begin() + at(n + 1), s);
      }
      break;
    case 5:  // move a block of up to 4 stimuli
      if (n > 1) {
        const std::size_t from = pick(rng, n);
        const std::size_t len = 1 + pick(rng, std::min<std::size_t>(4, n - from));
        std::vector<Stimulus> block(seq.begin() + static_cast<std::ptrdiff_t>(from),
                                    seq.begin() + static_cast<std::ptrdiff_t>(from + len));
        seq.erase(seq.begin() + static_cast<std::ptrdiff_t>(from),
                  seq.begin() + static_cast<std::ptrdiff_t>(from + len));
        seq.insert(seq.begin() + at(seq.size() + 1), block.begin(), block.end());
      }
      break;
    case 6:  // swap two
      if (n > 1) std::swap(seq[pick(rng, n)], seq[pick(rng, n)]);
      break;
    case 7:  // another op on the same operands
      if (n > 0) {
        const std::size_t i = pick(rng, n);
        seq[i] = other_op(rng, seq[i]);
      }
      break;
    default:  // libFuzzer's byte mutations (and the dictionary)
      if (byte_mutate) return byte_mutate(data, size, max_size);
      if (n < kMaxSequence) seq.push_back(random_stimulus(rng));
  }
  return write(std::move(seq), data, max_size);
}

std::size_t cross_over_sequences(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b, std::size_t b_size,
                                 std::uint8_t* out, std::size_t max_out, unsigned seed) {
  Rng rng(seed);
  const std::vector<Stimulus> x = decode_sequence(a, a_size);
  const std::vector<Stimulus> y = decode_sequence(b, b_size);
  std::vector<Stimulus> seq(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(pick(rng, x.size() + 1)));
  seq.insert(seq.end(), y.begin() + static_cast<std::ptrdiff_t>(pick(rng, y.size() + 1)), y.end());
  if (seq.size() > kMaxSequence) seq.resize(kMaxSequence);
  return write(std::move(seq), out, max_out);
}

}  // namespace bgc::fuzz
