// Environment events: network loss and return (immediate), and time passing (Advance), when the
// service moves jobs on its own.
//
// Advance explores, per candidate, every way the job may move within the interval: the service
// chooses when to schedule, how long connecting takes and when a time slice ends, so most moves
// may happen at any moment. What the spec fixes is kept exact: progress no faster than the source
// serves chunks (ST-10), a retry no earlier than the minimum retry delay (ST-12), no TRANSIENT_ERROR
// past the no-progress timeout (ST-12, ST-13, ST-14), fatal answers to ERROR (ST-11). Times are
// intervals relative to the start of the Advance; states that differ only in their intervals are
// merged by taking the union, which keeps the exploration small and never rejects a possible path.
#include <algorithm>
#include <array>
#include <bit>

#include "bgconform/inline_list.h"
#include "model_internal.h"

namespace bgc::detail {
namespace {

constexpr std::int64_t kLongestChunk = 10;  // seconds per chunk from a slow source

Span hull(Span a, Span b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }

// How the source of the job's current file answers during this Advance.
struct SourceAnswer {
  bool works = false;  // serves chunks
  int seconds_per_chunk = 1;
  Cause cause = Cause::Any;    // when it fails
  bool may_error = false;      // the failure may put the job in ERROR
  bool may_transient = false;  // ... or in TRANSIENT_ERROR
  bool may_stall = false;      // the job may sit in its state for the whole interval
  std::uint16_t status = 0;
};

bool is_fatal_status(int status) {
  switch (status) {
    case 400:
    case 401:
    case 403:
    case 404:
    case 407:
    case 414:
    case 501:
    case 505: return true;
    default: return false;
  }
}

SourceAnswer classify(Ctx& ctx, Behaviour b, std::uint16_t status) {
  SourceAnswer a;
  a.status = status;
  switch (b) {
    case Behaviour::Ok:
    case Behaviour::DelayedHeaders: a.works = true; break;
    case Behaviour::Present:
      a.works = true;
      a.seconds_per_chunk = ctx.config.paced_local_file ? 1 : 0;
      break;
    case Behaviour::Slow:
      a.works = true;
      a.seconds_per_chunk = 10;
      break;
    case Behaviour::Http:
      if (a.status >= 200 && a.status < 300)
        a.works = true;
      else if (is_fatal_status(a.status)) {
        a.cause = Cause::FatalHttp;
        a.may_error = true;
      } else {
        a.cause = Cause::ServerHttp;
        a.may_transient = true;
        a.may_error = !(ctx.interp(InterpValue::I3_strict_5xx_transient) && a.status >= 500);
      }
      break;
    case Behaviour::Refused:
    case Behaviour::Reset:
      a.cause = Cause::Transport;
      a.may_transient = true;
      break;
    case Behaviour::Stall:
      a.cause = Cause::Stall;
      a.may_error = a.may_transient = a.may_stall = true;
      break;
    case Behaviour::Missing:
      a.cause = Cause::LocalMissing;
      a.may_error = true;
      break;
  }
  // With a rule switched off, the outcome it forbids is allowed too.
  if (a.cause == Cause::FatalHttp || a.cause == Cause::LocalMissing) {
    if (!ctx.on(RuleId::ST_11)) a.may_transient = true;
  } else if (a.may_transient && !a.may_error) {
    if (!ctx.on(RuleId::ST_12)) a.may_error = true;
  }
  return a;
}

struct Micro {
  JobCandidate c;
  std::int64_t credit = 0;  // at most this many seconds spent on the next chunk by time used.lo
  Span used;                // how much of the Advance has passed
  Span te_enter;            // when TRANSIENT_ERROR was entered (relative; negative = before the Advance)
  Span np_start;            // when the no-progress timer started (relative)
};

// Candidates with the same facts are one candidate whose bounds are the union of theirs.
bool same_facts(const JobFacts& a, const JobFacts& b) { return a == b; }

class AdvanceExplorer {
 public:
  AdvanceExplorer(Ctx& ctx, const Environment& env, const JobSlot& slot, std::int64_t d, std::uint16_t states)
      : ctx_(ctx), env_(env), slot_(slot), d_(d), states_(states) {}

  void run(const JobCandidate& c, std::vector<JobCandidate>& out) {
    seen_.clear();
    work_.clear();
    serial_ = c.next_serial;
    Micro m{c,
            c.chunk_credit,
            {0, 0},
            {-c.retry_elapsed.hi, -c.retry_elapsed.lo},
            {-c.no_progress_elapsed.hi, -c.no_progress_elapsed.lo}};
    push(m);
    while (!work_.empty()) {
      const std::size_t i = work_.back();
      work_.pop_back();
      // `x` refers into `seen_`, which must not move while x is expanded: with room for the most
      // micro-states one expansion makes, it does not (a copy of each one was a fifth of an Advance;
      // a wrong bound shows as a use after free under ASan). A successor with x's own facts widens x
      // in place mid-expansion, which only explores within the union a re-expansion would reach anyway.
      if (seen_.capacity() - seen_.size() < kMostPushes) seen_.reserve(2 * seen_.capacity() + kMostPushes);
      const Micro& x = seen_[i];
      finish(x, out);
      expand(x);
    }
  }

 private:
  void push(const Micro& m) {
    if (m.used.lo > d_) return;
    const Span used{m.used.lo, std::min(m.used.hi, d_)};
    for (std::size_t i = 0; i < seen_.size(); ++i) {
      Micro& s = seen_[i];
      if (!same_facts(s.c, m.c)) continue;
      // The same facts: one micro-state whose bounds are the union; explored again only if they grew.
      // Every bound is widened (no short-circuit): `grew` says whether any of them did.
      bool grew = widen(s.used, used);
      grew |= widen(s.te_enter, m.te_enter);
      grew |= widen(s.np_start, m.np_start);
      if (m.credit > s.credit) s.credit = m.credit, grew = true;
      if (m.c.errors_lo < s.c.errors_lo) s.c.errors_lo = m.c.errors_lo, grew = true;
      if (m.c.errors_hi > s.c.errors_hi) s.c.errors_hi = m.c.errors_hi, grew = true;
      if (grew) work_.push_back(i);
      return;
    }
    seen_.push_back(m);
    seen_.back().used = used;
    work_.push_back(seen_.size() - 1);
  }

  // Makes `a` the union of `a` and `b`; true when it grew.
  static bool widen(Span& a, Span b) {
    const Span u = hull(a, b);
    if (u == a) return false;
    a = u;
    return true;
  }

  // The job stays in its state until the end of the Advance.
  void finish(const Micro& m, std::vector<JobCandidate>& out) {
    if (!has_state(states_, m.c.state)) return;
    JobCandidate c = m.c;
    // Time spent transferring without finishing a chunk counts toward the next chunk (ST-10).
    const std::int64_t credit = m.credit + (c.state == JobState::Transferring ? d_ - m.used.lo : 0);
    c.chunk_credit = static_cast<std::uint8_t>(std::min<std::int64_t>(credit, kLongestChunk));
    // ST-13/ST-14 decide where new errors go; a job already waiting in TRANSIENT_ERROR leaves it by
    // the no-progress timeout (below), a retry, or reconnection.
    if (c.state == JobState::TransientError)
      c.retry_elapsed = {std::max<std::int64_t>(0, d_ - m.te_enter.hi), d_ - m.te_enter.lo};
    if (c.no_progress_running) {
      c.no_progress_elapsed = {std::max<std::int64_t>(0, d_ - m.np_start.hi), d_ - m.np_start.lo};
      if (c.no_progress_optional) c.no_progress_elapsed.lo = 0;
      // ST-12: a job past its no-progress timeout is no longer in TRANSIENT_ERROR (with a timeout of
      // 0 that is ST-13's "every error goes to ERROR").
      const RuleId rule = c.timeout == 0 ? RuleId::ST_13 : RuleId::ST_12;
      if (c.state == JobState::TransientError && ctx_.on(rule)) {
        if (c.no_progress_elapsed.lo > c.timeout) {
          ctx_.rule_out(JobState::TransientError, rule);
          return;
        }
        c.no_progress_elapsed.hi = std::min<std::int64_t>(c.no_progress_elapsed.hi, c.timeout);
      }
    }
    add_candidate(out, c);
  }

  void expand(const Micro& m) {
    switch (m.c.state) {
      case JobState::Queued: return queued(m);
      case JobState::Connecting: return connecting(m);
      case JobState::Transferring: return transferring(m);
      case JobState::TransientError: return transient(m);
      default: return;
    }
  }

  // A move that may happen at any moment from now on; whatever request was in flight is over.
  Micro at_any_time(const Micro& m, JobState s) const {
    Micro n = m;
    n.c.state = s;
    n.c.in_flight = false;
    n.used.hi = d_;
    return n;
  }

  // The answers now and those of a request in flight (an unnamed status perhaps also as data): a list
  // on the stack.
  static constexpr std::size_t kMostAnswers = 2 + kBehaviourCount + 2;  // an unnamed HTTP status counts twice; I-17
  // What one expansion pushes at most: two per answer (transferring, attempt), and a few moves besides.
  static constexpr std::size_t kMostPushes = 2 * kMostAnswers + 4;
  using Answers = InlineList<SourceAnswer, kMostAnswers>;

  // How the current file's source may answer: as it does now, or as it did for a request in flight.
  Answers answers(const Micro& m) const {
    const int source = slot_.sources[m.c.files_done];
    Answers out;
    add_answers(env_.behaviour[source], env_.status[source], out);
    for (unsigned bits = m.c.in_flight; bits != 0; bits &= bits - 1)
      add_answers(static_cast<Behaviour>(std::countr_zero(bits)), m.c.in_flight_status, out);
    // I-17: a real network may fail a transfer the harness did not script a failure for; it reads as a
    // reset connection does (transient, a transport error).
    if (ctx_.config.unscripted_transient_errors()) out.push_back(classify(ctx_, Behaviour::Reset, 0));
    return out;
  }

  // A status the spec does not name (1xx, 3xx: a redirect the service may follow or refuse) may be
  // taken as data or as a failure.
  void add_answers(Behaviour b, std::uint16_t status, Answers& out) const {
    out.push_back(classify(ctx_, b, status));
    const bool unnamed = b == Behaviour::Http && status < 400 && !(status >= 200 && status < 300);
    if (unnamed) out.push_back(classify(ctx_, Behaviour::Ok, 200));
  }

  bool all_done(const JobCandidate& c) const { return c.files_done >= slot_.files; }

  void queued(const Micro& m) {
    if (!env_.network_up) network_lost(m);
    if (all_done(m.c)) {  // nothing left to transfer (Resume of a finished job): TRANSFERRED
      Micro n = at_any_time(m, JobState::Transferred);
      enter_transferring(n.c);
      push(n);
      return;
    }
    if (!env_.network_up) return;
    const bool connecting_state = ctx_.bits() || !ctx_.on(RuleId::D_8);
    if (connecting_state) push(at_any_time(m, JobState::Connecting));
    if (!ctx_.bits()) {
      // do has no CONNECTING state (D-8): the service connects while QUEUED or already TRANSFERRING.
      Micro n = at_any_time(m, JobState::Transferring);
      enter_transferring(n.c);
      push(n);
      attempt(m);
    }
  }

  void connecting(const Micro& m) {
    push(at_any_time(m, JobState::Queued));  // the time slice ends before the connection is made (ST-9)
    if (!env_.network_up) return network_lost(m);
    if (all_done(m.c)) {
      Micro n = at_any_time(m, JobState::Transferred);
      enter_transferring(n.c);
      push(n);
      return;
    }
    attempt(m);
  }

  // The service talks to the source of the current file: it starts transferring, or fails.
  void attempt(const Micro& m) {
    for (const SourceAnswer& a : answers(m)) {
      if (a.works) {
        Micro n = at_any_time(m, JobState::Transferring);
        if (m.c.state != JobState::Transferring) enter_transferring(n.c);
        push(n);
      } else {
        fault(m, a);
      }
    }
  }

  void fault(const Micro& m, const SourceAnswer& a) {
    const bool from_transfer = m.c.state == JobState::Transferring;
    const bool fatal_due = errors_are_fatal(ctx_, m.c);
    const bool may_error = a.may_error || fatal_due || m.c.timeout == 0;
    const bool may_transient = a.may_transient && !fatal_due;
    const std::uint8_t file = m.c.files_done;
    const std::uint8_t source = slot_.sources[file];
    Micro base = at_any_time(m, m.c.state);
    // E-9: a failure while TRANSFERRING counts (I-15), and so does each failed retry - an attempt made
    // after a transient error with no progress since (the no-progress period runs; a network loss alone
    // may not have started it, and is no failure that counts).
    const bool retry = m.c.no_progress_running && !m.c.no_progress_optional;
    if (from_transfer || retry) base.c.errors_lo = std::min(base.c.errors_lo + 1, kManyErrors);
    base.c.errors_hi = kManyErrors;
    if (may_error) {
      Micro n = base;
      n.c.state = JobState::Error;
      n.c.has_record = true;
      n.c.record = record(n.c, a.cause, file, source, a.status);
      n.c.no_progress_running = n.c.no_progress_optional = false;
      push(n);
    }
    if (may_transient) {
      Micro n = base;
      to_transient(n, record(n.c, a.cause, file, source, a.status));
      push(n);
    }
  }

  void to_transient(Micro& n, const ErrorRecord& r) {
    n.c.state = JobState::TransientError;
    n.c.has_record = true;
    n.c.record = r;
    n.te_enter = {n.used.lo, d_};
    const bool starts = r.cause != Cause::Network;  // network loss may or may not start it (I-10)
    if (!n.c.no_progress_running) {
      n.c.no_progress_running = true;
      n.c.no_progress_optional = !starts;
      n.np_start = {n.used.lo, d_};
    } else if (n.c.no_progress_optional && starts) {
      n.c.no_progress_optional = false;
      n.np_start.hi = d_;
    }
  }

  // I-10: a job that tries to run while the network is down may go to TRANSIENT_ERROR.
  void network_lost(const Micro& m) {
    Micro n = at_any_time(m, m.c.state);
    if (errors_are_fatal(ctx_, m.c)) {
      n.c.state = JobState::Error;
      n.c.has_record = true;
      n.c.record = record(n.c, Cause::Network, m.c.files_done, 0, 0);
      n.c.no_progress_running = n.c.no_progress_optional = false;
      push(n);
      return;
    }
    to_transient(n, record(n.c, Cause::Network, m.c.files_done, 0, 0));
    push(n);
  }

  void transferring(const Micro& m) {
    if (!env_.network_up) return network_lost(m);
    if (all_done(m.c)) {
      push(at_any_time(m, JobState::Transferred));
      return;
    }
    push(at_any_time(m, JobState::Queued));  // the time slice ends
    const int source = slot_.sources[m.c.files_done];
    for (const SourceAnswer& a : answers(m)) {
      if (!a.works) {
        fault(m, a);
        continue;
      }
      // One more chunk, no sooner than the source serves it (ST-10); time already spent on it counts.
      Micro n = m;
      const std::int64_t needed = std::max<std::int64_t>(0, a.seconds_per_chunk - m.credit);
      n.used = {m.used.lo + (ctx_.on(RuleId::ST_10) ? needed : 0), d_};
      n.credit = 0;
      n.c.in_flight = false;
      n.c.no_progress_running = n.c.no_progress_optional = false;  // progress resets the timer (ST-12)
      if (++n.c.chunks >= chunks_of(source)) {
        n.c.chunks = 0;
        ++n.c.files_done;
        if (all_done(n.c))
          n.c.state = JobState::Transferred;
        else if (ctx_.bits())
          push(at_any_time(n, JobState::Connecting));  // the next file may need a new connection
      }
      push(n);
    }
  }

  void transient(const Micro& m) {
    // The no-progress timeout expires: ERROR (ST-12, E-4).
    if (m.c.no_progress_running) {
      // At exactly the timeout the service may already have given up (or not yet): both are allowed.
      const std::int64_t deadline = m.np_start.lo + m.c.timeout;
      if (deadline <= d_) {
        Micro n = m;
        n.used = {std::max(m.used.lo, deadline), d_};
        n.c.state = JobState::Error;
        ErrorRecord previous = m.c.record;
        n.c.record = record(n.c, Cause::NoProgress, previous.file, previous.source, previous.status);
        n.c.record.previous_known = previous.observed;
        n.c.record.previous_code = previous.code;
        n.c.no_progress_running = n.c.no_progress_optional = false;
        n.c.errors_hi = kManyErrors;
        push(n);
      }
    }
    if (!env_.network_up) return;  // no retries while the network is down (ST-15)
    // A retry: no earlier than the minimum retry delay in bits (ST-12); any time in do (I-16).
    std::int64_t earliest = m.used.lo;
    if (ctx_.bits() && ctx_.on(RuleId::ST_12)) earliest = std::max(earliest, m.te_enter.lo + m.c.retry_delay);
    if (earliest <= d_) {
      Micro n = m;
      n.c.state = JobState::Queued;
      n.used = {earliest, d_};
      n.c.errors_hi = kManyErrors;  // failed retries count (E-9)
      push(n);
    }
  }

  // Errors made within one Advance share one serial: nothing can observe them apart, and the
  // exploration must not count retries as new states.
  ErrorRecord record(JobCandidate& c, Cause cause, std::uint8_t file, std::uint8_t source, std::uint16_t status) const {
    ErrorRecord r = make_record(c, cause, file, source, status);
    r.serial = serial_;
    c.next_serial = static_cast<std::uint16_t>(serial_ + 1);
    return r;
  }

  Ctx& ctx_;
  const Environment& env_;
  std::uint16_t serial_ = 0;
  const JobSlot& slot_;
  std::int64_t d_;
  std::uint16_t states_;
  // Scratch lists shared by the explorers of one thread (they never nest): they keep their capacity.
  static thread_local std::vector<Micro> seen_;
  static thread_local std::vector<std::size_t> work_;
};

thread_local std::vector<Micro> AdvanceExplorer::seen_;
thread_local std::vector<std::size_t> AdvanceExplorer::work_;

bool moves_on_its_own(JobState s) {
  return s == JobState::Queued || s == JobState::Connecting || s == JobState::Transferring ||
         s == JobState::TransientError;
}

}  // namespace

bool errors_are_fatal(Ctx& ctx, const JobCandidate& c) {
  if (c.timeout == 0 && ctx.on(RuleId::ST_13)) return true;
  return ctx.bits() && c.timeout > 0 && c.retry_delay > c.timeout && ctx.on(RuleId::ST_14);
}

ErrorRecord make_record(JobCandidate& c, Cause cause, std::uint8_t file, std::uint8_t source, std::uint16_t status) {
  ErrorRecord r;
  r.cause = cause;
  r.file = file;
  r.source = source;
  r.status = status;
  r.serial = c.next_serial++;
  c.record_discarded = false;
  return r;
}

void enter_transferring(JobCandidate& c) {
  if (c.has_record) c.record_discarded = true;
  c.has_record = false;
  for (auto& h : c.handles)
    if (!h.detached) h.stale = true;  // a released job's objects are not this job's
}

void network_successors(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, bool up, std::vector<JobCandidate>& out) {
  const bool either = ctx.interp(InterpValue::I10_either) || !ctx.on(RuleId::ST_15);
  if (up) {
    // ST-15: reconnection re-queues every TRANSIENT_ERROR job, whatever its error.
    if (c.state == JobState::TransientError) {
      JobCandidate n = c;
      n.state = JobState::Queued;
      add_candidate(out, n);
      if (either) add_candidate(out, c);
    } else {
      add_candidate(out, c);
    }
    return;
  }
  if (is_final(c.state)) {
    add_candidate(out, c);
    return;
  }
  // ST-15, I-10: QUEUED and TRANSFERRING jobs must go to TRANSIENT_ERROR; others may.
  const bool must = c.state == JobState::Queued || c.state == JobState::Transferring;
  if (!must || either) add_candidate(out, c);
  JobCandidate n = c;
  n.has_record = true;
  n.record = make_record(n, Cause::Network, c.files_done < slot.files ? c.files_done : 0, 0, 0);
  if (errors_are_fatal(ctx, c)) {  // ST-13 and ST-14 take precedence over I-10
    n.state = JobState::Error;
    n.no_progress_running = n.no_progress_optional = false;
    add_candidate(out, n);
    return;
  }
  // A no-progress timeout that has run out by now sends this error to ERROR (ST-12); one that may
  // have run out allows both.
  const bool timed_out = c.no_progress_running && c.no_progress_elapsed.hi >= c.timeout;
  const bool surely = timed_out && !c.no_progress_optional && c.no_progress_elapsed.lo > c.timeout;
  if (timed_out) {
    JobCandidate e = n;
    e.state = JobState::Error;
    e.record.cause = Cause::NoProgress;
    e.record.previous_known = false;
    e.no_progress_running = e.no_progress_optional = false;
    add_candidate(out, e);
  }
  if (surely && ctx.on(RuleId::ST_12)) return;
  n.state = JobState::TransientError;
  n.retry_elapsed = {0, 0};
  if (!n.no_progress_running) {
    n.no_progress_running = n.no_progress_optional = true;
    n.no_progress_elapsed = {0, 0};
  }
  add_candidate(out, n);
}

namespace {
bool is_scheduled(JobState s) {
  return s == JobState::Queued || s == JobState::Connecting || s == JobState::Transferring;
}
}  // namespace

void advance_successors(Ctx& ctx, const Environment& env, const JobSlot& slot, const JobCandidate& c,
                        std::uint32_t seconds, std::vector<JobCandidate>& out, std::uint16_t states) {
  const std::int64_t d = seconds;
  const auto add = [&](const JobCandidate& n) {
    if (has_state(states, n.state)) add_candidate(out, n);
  };
  // ST-9 off: the scheduler's moves are free - a job queued, connecting or transferring may be in any of
  // those states at any time (entering TRANSFERRING as a move would), or TRANSFERRED (what a service
  // that ends a turn early means by it: in_any_state). What other rules say of the job
  // (a suspended job waits, a failure's state, a retry's delay, a timeout) still holds.
  if (!ctx.on(RuleId::ST_9) && is_scheduled(c.state))
    in_any_state(c, slot.files, [&](JobCandidate n) {
      if (!is_scheduled(n.state) && n.state != JobState::Transferred) return;
      if (n.state != c.state && (n.state == JobState::Transferring || n.state == JobState::Transferred) &&
          c.state != JobState::Transferring)
        enter_transferring(n);
      add(n);
    });
  if (!moves_on_its_own(c.state) || slot.files == 0) {
    // SUSPENDED, ERROR, TRANSFERRED and the final states wait for a call (ST-7, ST-23). A running
    // no-progress timer may or may not count while the job is suspended.
    JobCandidate n = c;
    if (n.no_progress_running) n.no_progress_elapsed.hi += d;
    if (!ctx.on(RuleId::ST_23) && is_final(c.state)) return in_any_state(n, slot.files, add);
    add(n);
    return;
  }
  AdvanceExplorer(ctx, env, slot, d, states).run(c, out);
}

void source_changed(const JobSlot& slot, JobCandidate& c, int source, Behaviour old, std::uint16_t old_status) {
  const bool requesting = c.state == JobState::Connecting || c.state == JobState::Transferring;
  if (!requesting || c.files_done >= slot.files || slot.sources[c.files_done] != source) return;
  c.in_flight = static_cast<std::uint16_t>(c.in_flight | (1U << static_cast<unsigned>(old)));
  if (old == Behaviour::Http) c.in_flight_status = old_status;
}

void add_candidate(std::vector<JobCandidate>& set, const JobCandidate& c) {
  for (JobCandidate& x : set) {
    if (!same_facts(x, c)) continue;
    x.retry_elapsed = hull(x.retry_elapsed, c.retry_elapsed);
    x.no_progress_elapsed = hull(x.no_progress_elapsed, c.no_progress_elapsed);
    x.errors_lo = std::min(x.errors_lo, c.errors_lo);
    x.errors_hi = std::max(x.errors_hi, c.errors_hi);
    x.chunk_credit = std::max(x.chunk_credit, c.chunk_credit);
    return;
  }
  set.push_back(c);
}

}  // namespace bgc::detail
