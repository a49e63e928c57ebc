#include "sequence_input.h"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace bgc::fuzz {
namespace {

// The contract's durations and the boundaries (±1 s) of the retry delays and timeouts below.
constexpr std::array<std::uint32_t, 21> kDurations = {1,    2,    4,    5,     6,       9,       10,
                                                      11,   59,   60,   61,    599,     600,     601,
                                                      3599, 3600, 3601, 86400, 1209599, 1209600, 1209601};
constexpr std::array<std::uint32_t, 10> kTimeouts = {0, 1, 5, 6, 10, 60, 600, 3600, 86400, 1209600};
constexpr std::array<std::uint32_t, 9> kRetryDelays = {0, 1, 4, 5, 6, 10, 60, 600, 3600};
// The statuses the contract names (I-3). Others (3xx, 416) are left out: the contract does not say what
// they mean, and the model and the reference disagree on them (a 301 transfers in the reference).
constexpr std::array<std::uint16_t, 12> kStatuses = {404, 403, 400, 401, 407, 414,
                                                     501, 505, 500, 502, 503, 504};

constexpr std::array<Behaviour, 2> kLocalBehaviours = {Behaviour::Present, Behaviour::Missing};
constexpr std::array<Behaviour, 7> kHttpBehaviours = {Behaviour::Ok,      Behaviour::Slow,  Behaviour::DelayedHeaders,
                                                      Behaviour::Http,    Behaviour::Refused, Behaviour::Reset,
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
    switch (op) {
      case Op::Source: {
        // The contract's alphabet: a local-file source is present or missing; an HTTP source answers
        // ok, slow, delayed headers, a status, refuses, resets or stalls.
        const int id = static_cast<int>(in.below(kSourceCount));
        const auto b = is_local_source(id) ? kLocalBehaviours[in.below(kLocalBehaviours.size())]
                                           : kHttpBehaviours[in.below(kHttpBehaviours.size())];
        s = stim::source(id, b, b == Behaviour::Http ? kStatuses[in.below(kStatuses.size())] : 0);
        break;
      }
      case Op::Network: s = stim::network(in.below(2) == 1); break;
      case Op::Advance: s = stim::advance(kDurations[in.below(kDurations.size())]); break;
      default: {
        const int job = static_cast<int>(in.below(kMaxJobs));
        if (op == Op::AddFile) s = stim::add_file(job, static_cast<int>(in.below(kSourceCount)));
        else if (takes_handle(op)) s = stim::with_handle(op, job, static_cast<int>(in.below(kMaxHandlesPerJob)));
        else if (op == Op::SetMinimumRetryDelay) s = stim::set_seconds(op, job, kRetryDelays[in.below(kRetryDelays.size())]);
        else if (op == Op::SetNoProgressTimeout) s = stim::set_seconds(op, job, kTimeouts[in.below(kTimeouts.size())]);
        else if (op == Op::CreateJob) s = stim::create_job(job);
        else if (op == Op::ReleaseJob) s = stim::release_job(job);
        else s = stim::call(op, job);
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
    switch (s.op) {
      case Op::Source:
        bytes.push_back(s.index);
        bytes.push_back(is_local_source(s.index) ? position(kLocalBehaviours, s.behaviour)
                                                 : position(kHttpBehaviours, s.behaviour));
        if (s.behaviour == Behaviour::Http) bytes.push_back(nearest(kStatuses, s.status));
        break;
      case Op::Network: bytes.push_back(s.index ? 1 : 0); break;
      case Op::Advance: bytes.push_back(nearest(kDurations, s.seconds)); break;
      default:
        bytes.push_back(s.job);
        if (s.op == Op::AddFile || takes_handle(s.op)) bytes.push_back(s.index);
        else if (s.op == Op::SetMinimumRetryDelay) bytes.push_back(nearest(kRetryDelays, s.seconds));
        else if (s.op == Op::SetNoProgressTimeout) bytes.push_back(nearest(kTimeouts, s.seconds));
    }
  }
  std::reverse(bytes.begin(), bytes.end());  // the decoder reads from the end
  return bytes;
}

}  // namespace bgc::fuzz
