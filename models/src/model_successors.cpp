// JobModel::successors: every way a stimulus may play out, for the explorer. Each possibility
// becomes its own belief, as if the target had answered what that possibility expects.
#include "bgconform/model.h"
#include "model_internal.h"

namespace bgc {
namespace {

using detail::Ctx;

// The answer a possibility expects, so that the model's own bookkeeping (files added, objects held)
// follows it.
Observation expected_answer(Ctx& ctx, const JobSlot& slot, const detail::Successor& x, const Stimulus& s) {
  Observation o;
  o.hr = x.expect.count > 0 ? x.expect.codes[0] : hr::kS_OK;
  o.state = x.next.state;
  o.value = s.op == Op::GetMinimumRetryDelay   ? x.next.retry_delay
            : s.op == Op::GetNoProgressTimeout ? x.next.timeout
                                               : x.next.errors_lo;
  o.files_total = slot.files;
  o.files_transferred = x.next.files_done;
  o.bytes_total = kSizeUnknown;
  if (s.op == Op::GetError) {
    const JobCandidate& c = x.next;
    const bool available = c.has_record && !is_final(c.state) &&
                           (is_error_state(c.state) || ctx.interp(InterpValue::I1_until_transferring));
    o.hr = available ? hr::kS_OK : ctx.codes().error_info_unavailable;
    o.handle = available;
  }
  return o;
}

}  // namespace

std::span<Belief> JobModel::successors(const Belief& b, const Stimulus& s, std::vector<Belief>& pool) const {
  RuleBits scratch;
  Ctx ctx{config_, config_.rules, scratch};
  // The successors are the pool's first `count` beliefs, each assigned from `b` (an assignment keeps
  // the candidate sets' storage: the explorer asks two million times, and allocates almost never).
  std::size_t count = 0;
  const auto emit = [&](const Belief& from) -> Belief& {
    if (count == pool.size()) pool.emplace_back();
    Belief& n = pool[count++];
    n = from;
    return n;
  };
  // The explorer plans with the moves a service makes while time passes: a service may also react at
  // once to a Source or Network change (model.cpp, react_at_once), but a plan that counted on it would
  // fail against every service that waits for time, the usual kind.
  if (s.op == Op::Source) {
    apply_source(emit(b), s);
    return {pool.data(), count};
  }
  if (s.op == Op::Network || s.op == Op::Advance) {
    Environment env = b.env;
    if (s.op == Op::Network) {
      if (b.env.network_up == (s.index != 0)) {  // only a change is a loss or a reconnection
        emit(b);
        return {pool.data(), count};
      }
      env.network_up = s.index != 0;
    }
    thread_local std::array<std::vector<JobCandidate>, kMaxJobs> next;
    std::size_t product = 1;
    for (int j = 0; j < kMaxJobs; ++j) {
      const JobSlot& slot = b.jobs[j];
      next[j].clear();
      if (!slot.live) continue;
      for (const JobCandidate& c : slot.candidates) {
        if (s.op == Op::Network)
          detail::network_successors(ctx, slot, c, env.network_up, next[j]);
        else
          detail::advance_successors(ctx, b.env, slot, c, std::max(s.seconds, s.seconds_max), next[j]);
      }
      product *= next[j].size();
    }
    // The product over the live slots, one candidate each: combination i picks, in each live slot,
    // the candidate its digit names (slot by slot, a digit in base that slot's count).
    for (std::size_t i = 0; i < product; ++i) {
      std::size_t rest = i;
      int active = 0;  // jobs that may be CONNECTING or TRANSFERRING
      std::array<const JobCandidate*, kMaxJobs> pick{};
      for (int j = 0; j < kMaxJobs; ++j) {
        if (!b.jobs[j].live) continue;
        pick[j] = &next[j][rest % next[j].size()];
        rest /= next[j].size();
        if (pick[j]->state == JobState::Connecting || pick[j]->state == JobState::Transferring) ++active;
      }
      // ST-9, I-12: in bits, one background job connects or transfers at a time.
      if (config_.profile == Profile::Bits && active > 1) continue;
      Belief& n = emit(b);
      n.env = env;
      for (int j = 0; j < kMaxJobs; ++j)
        if (pick[j]) n.jobs[j].candidates.assign(1, *pick[j]);
    }
    return {pool.data(), count};
  }
  const JobSlot& slot = b.jobs[s.job];
  thread_local std::vector<detail::Successor> succ;
  succ.clear();
  for (const JobCandidate& c : slot.candidates) detail::call_successors(ctx, slot, c, s, succ);
  for (detail::Successor& x : succ) {
    Observation o = expected_answer(ctx, slot, x, s);
    RuleId ignored;
    if (!detail::observe(ctx, slot, x, s, o, ignored)) continue;
    Belief& n = emit(b);
    n.jobs[s.job].candidates.assign(1, x.next);
    detail::update_slot(n.jobs[s.job], s, o);
  }
  return {pool.data(), count};
}

std::vector<Belief> JobModel::successors(const Belief& b, const Stimulus& s) const {
  std::vector<Belief> pool;
  const std::size_t count = successors(b, s, pool).size();
  pool.resize(count);
  return pool;
}

}  // namespace bgc
