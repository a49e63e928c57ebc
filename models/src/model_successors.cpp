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
  o.value = s.op == Op::GetMinimumRetryDelay ? x.next.retry_delay
            : s.op == Op::GetNoProgressTimeout ? x.next.timeout
                                               : x.next.errors_lo;
  o.files_total = slot.files;
  o.files_transferred = x.next.files_done;
  o.bytes_total = kSizeUnknown;
  if (s.op == Op::GetError) {
    const JobCandidate& c = x.next;
    const bool available = c.has_record && !is_final(c.state) &&
                           (is_error_state(c.state) || ctx.interp(Interp::I1, "until-transferring"));
    o.hr = available ? hr::kS_OK : ctx.codes().error_info_unavailable;
    o.handle = available;
  }
  return o;
}

}  // namespace

std::vector<Belief> JobModel::successors(const Belief& b, const Stimulus& s) const {
  RuleBits scratch;
  Ctx ctx{config_, config_.rules, scratch};
  std::vector<Belief> out;
  if (s.op == Op::Source) {
    Belief n = b;
    apply_source(n, s);
    out.push_back(std::move(n));
    return out;
  }
  if (s.op == Op::Network || s.op == Op::Advance) {
    Belief base = b;
    if (s.op == Op::Network) {
      if (b.env.network_up == (s.index != 0)) return {b};  // only a change is a loss or a reconnection
      base.env.network_up = s.index != 0;
    }
    std::array<std::vector<JobCandidate>, kMaxJobs> next;
    for (int j = 0; j < kMaxJobs; ++j) {
      const JobSlot& slot = b.jobs[j];
      if (!slot.live) continue;
      for (const JobCandidate& c : slot.candidates) {
        if (s.op == Op::Network) detail::network_successors(ctx, slot, c, base.env.network_up, next[j]);
        else detail::advance_successors(ctx, b.env, slot, c, std::max(s.seconds, s.seconds_max), next[j]);
      }
    }
    // The product over the live slots, one candidate each.
    out.push_back(base);
    for (int j = 0; j < kMaxJobs; ++j) {
      if (!b.jobs[j].live) continue;
      std::vector<Belief> grown;
      for (const Belief& partial : out)
        for (const JobCandidate& c : next[j]) {
          Belief n = partial;
          n.jobs[j].candidates = {c};
          grown.push_back(std::move(n));
        }
      out = std::move(grown);
    }
    // ST-9, I-12: in bits, one background job connects or transfers at a time.
    if (config_.profile == Profile::Bits) {
      std::erase_if(out, [](const Belief& x) {
        int active = 0;
        for (const JobSlot& slot : x.jobs)
          if (slot.live && (possible_states(slot) & ((1u << 1) | (1u << 2)))) ++active;
        return active > 1;
      });
    }
    return out;
  }
  const JobSlot& slot = b.jobs[s.job];
  for (const JobCandidate& c : slot.candidates) {
    std::vector<detail::Successor> succ;
    detail::call_successors(ctx, slot, c, s, succ);
    for (detail::Successor& x : succ) {
      Observation o = expected_answer(ctx, slot, x, s);
      RuleId ignored;
      if (!detail::observe(ctx, slot, x, s, o, ignored)) continue;
      Belief n = b;
      n.jobs[s.job].candidates = {x.next};
      detail::update_slot(n.jobs[s.job], s, o);
      out.push_back(std::move(n));
    }
  }
  return out;
}

}  // namespace bgc
