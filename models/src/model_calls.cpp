// Client calls: their immediate effects (a call changes a job only as documented; the job moves
// on its own only while time passes) and the checks on what they answer.
#include <algorithm>
#include <optional>

#include "model_internal.h"

namespace bgc::detail {
namespace {

bool all_files_done(const JobSlot& slot, const JobCandidate& c) { return slot.files > 0 && c.files_done >= slot.files; }

// The call leaves the job (with `files` added) in `state`, by `rule`; with the rule switched off any
// state may follow. `next` by reference and changed in place in `out`: a candidate is some 150 bytes,
// and this runs for every call the Runner checks.
void emit(Ctx& ctx, std::uint8_t files, std::vector<Successor>& out, const JobCandidate& before,
          const JobCandidate& next, JobState state, RuleId rule, Expect expect) {
  ctx.call_rule = rule;
  if (ctx.on(rule)) {
    Successor& x = out.emplace_back(next, before.state, expect);
    x.next.state = state;
    if (state == JobState::Transferring && before.state != JobState::Transferring) enter_transferring(x.next);
    return;
  }
  in_any_state(next, files, [&](const JobCandidate& n) { out.emplace_back(n, before.state, expect); });
}

Expect invalid_state(Ctx& ctx, RuleId rule) { return Expect::one_of(rule, {ctx.codes().invalid_state}); }

void resume(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, std::vector<Successor>& out) {
  const JobState s = c.state;
  if (is_final(s)) {
    emit(ctx, slot.files, out, c, c, s, RuleId::ST_23, invalid_state(ctx, RuleId::ST_6));
    return;
  }
  const Expect ok = Expect::one_of(RuleId::M_5, {hr::kS_OK});
  if (slot.files == 0) {
    // ST-3: no files, the empty code, and the job stays where it is (I-9 in do).
    Expect empty = ctx.bits() ? Expect::one_of(RuleId::ST_3, {hr::kBG_E_EMPTY})
                              : Expect::one_of(RuleId::ST_3, {hr::kDO_E_JOB_EMPTY, hr::kBG_E_EMPTY});
    emit(ctx, slot.files, out, c, c, s, RuleId::ST_3, empty);
    return;
  }
  if (s == JobState::Queued || s == JobState::Connecting || s == JobState::Transferring) {
    emit(ctx, slot.files, out, c, c, s, RuleId::ST_5, ok);  // ST-5, I-11
    return;
  }
  // I-5: in do, Resume may go straight to TRANSFERRING.
  auto queue = [&](RuleId rule) {
    emit(ctx, slot.files, out, c, c, JobState::Queued, rule, ok);
    if (!ctx.bits() && ctx.on(RuleId::D_8)) emit(ctx, slot.files, out, c, c, JobState::Transferring, rule, ok);
  };
  if (all_files_done(slot, c)) {
    // I-6: nothing left to transfer: the empty code, or S_OK and the job is (or becomes) TRANSFERRED.
    Expect empty = Expect::one_of(RuleId::M_5, {ctx.codes().empty, hr::kBG_E_EMPTY});
    emit(ctx, slot.files, out, c, c, s, RuleId::ST_24, empty);
    if (ctx.interp(InterpValue::I6_empty_or_stay) || !ctx.on(RuleId::M_5)) {
      JobCandidate done = c;
      if (s != JobState::Transferred) enter_transferring(done);  // finished: its error is history
      emit(ctx, slot.files, out, c, done, JobState::Transferred, RuleId::ST_24, ok);
      if (s != JobState::Transferred) queue(RuleId::ST_2);
    }
    return;
  }
  if (s == JobState::Suspended)
    queue(RuleId::ST_2);
  else if (is_error_state(s))
    queue(RuleId::ST_4);
  else
    queue(RuleId::ST_24);  // TRANSFERRED with a file added later
}

void suspend(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, std::vector<Successor>& out) {
  if (is_final(c.state)) {
    emit(ctx, slot.files, out, c, c, c.state, RuleId::ST_23, invalid_state(ctx, RuleId::M_4));
    return;
  }
  emit(ctx, slot.files, out, c, c, JobState::Suspended, RuleId::ST_7, Expect::one_of(RuleId::M_4, {hr::kS_OK}));
}

void cancel(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, std::vector<Successor>& out) {
  if (is_final(c.state)) {
    emit(ctx, slot.files, out, c, c, c.state, RuleId::ST_23, invalid_state(ctx, RuleId::M_6));
    return;
  }
  Expect e = !ctx.bits() ? Expect::one_of(RuleId::M_6, {hr::kS_OK})
             : ctx.interp(InterpValue::I13_either)
                 ? Expect::anything()
                 : Expect::one_of(RuleId::M_6, {hr::kS_OK, hr::kBG_S_UNABLE_TO_DELETE_FILES});
  emit(ctx, slot.files, out, c, c, JobState::Cancelled, RuleId::ST_22, e);
}

void complete(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, std::vector<Successor>& out) {
  if (is_final(c.state)) {
    emit(ctx, slot.files, out, c, c, c.state, RuleId::ST_23, invalid_state(ctx, RuleId::M_7));
    return;
  }
  Expect e;
  if (!ctx.bits()) {
    e = Expect::one_of(RuleId::M_7, {hr::kS_OK});  // I-8 in do (D-7)
  } else if (ctx.interp(InterpValue::I8_either)) {
    e = Expect::one_of(RuleId::M_7, {hr::kS_OK, hr::kBG_S_PARTIAL_COMPLETE, hr::kBG_S_UNABLE_TO_DELETE_FILES});
  } else if (slot.files > 0 && c.files_done >= slot.files) {
    e = Expect::one_of(RuleId::M_7, {hr::kS_OK, hr::kBG_S_UNABLE_TO_DELETE_FILES});
  } else if (c.files_done > 0) {
    e = Expect::one_of(RuleId::M_7, {hr::kBG_S_PARTIAL_COMPLETE, hr::kBG_S_UNABLE_TO_DELETE_FILES});
  } else {
    e = Expect::one_of(RuleId::M_7, {hr::kS_OK, hr::kBG_S_PARTIAL_COMPLETE, hr::kBG_S_UNABLE_TO_DELETE_FILES});
  }
  emit(ctx, slot.files, out, c, c, JobState::Acknowledged, RuleId::ST_19, e);
}

void add_file(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, std::vector<Successor>& out) {
  const RuleId rule = ctx.bits() ? RuleId::M_2 : RuleId::M_34;
  Expect e = !is_final(c.state)                   ? Expect::one_of(rule, {hr::kS_OK})
             : ctx.interp(InterpValue::I7_either) ? Expect::anything()
                                                  : invalid_state(ctx, rule);
  // ST-24: a file added to a TRANSFERRED or ERROR job leaves the state alone until Resume.
  emit(ctx, slot.files, out, c, c, c.state, RuleId::ST_24, e);
}

void set_timer(Ctx& ctx, const JobCandidate& c, const Stimulus& s, std::vector<Successor>& out) {
  const bool retry = s.op == Op::SetMinimumRetryDelay;
  const RuleId rule = retry ? RuleId::M_25 : RuleId::M_27;
  if (is_final(c.state)) {
    out.emplace_back(c, c.state, invalid_state(ctx, rule));
    return;
  }
  JobCandidate n = c;
  if (retry)
    n.retry_delay = std::max(s.seconds, kMinRetryDelay);  // M-25 clamps at 5 s
  else
    n.timeout = s.seconds;
  out.emplace_back(n, c.state, Expect::one_of(rule, {hr::kS_OK}));
}

}  // namespace

void call_successors(Ctx& ctx, const JobSlot& slot, const JobCandidate& c, const Stimulus& s,
                     std::vector<Successor>& out) {
  switch (s.op) {
    case Op::CreateJob: {
      JobCandidate fresh;
      fresh.handles = c.handles;  // objects held from an earlier job in this slot stay held, judged as
                                  // its release left them (ReleaseJob)
      fresh.next_serial = c.next_serial;
      fresh.timeout = ctx.bits() ? kDefaultNoProgressTimeoutBits : kDoNoProgressTimeoutLow;
      // The new job has no files (not those of the job the slot had before).
      emit(ctx, 0, out, c, fresh, JobState::Suspended, RuleId::ST_1, Expect::one_of(RuleId::ST_1, {hr::kS_OK}));
      if (!ctx.bits()) {  // I-16: a do job's default timeout is 3,600 s or 86,400 s
        fresh.timeout = kDoNoProgressTimeoutHigh;
        emit(ctx, 0, out, c, fresh, JobState::Suspended, RuleId::ST_1, Expect::one_of(RuleId::ST_1, {hr::kS_OK}));
      }
      return;
    }
    case Op::ReleaseJob: {
      // The job keeps running unseen (vendor_abi.h). One that only a call moves on can never transfer
      // again: its held objects stay bound (E-3). Any other may transfer unseen: stale (I-2).
      JobCandidate n = c;
      const bool waits_for_a_call = c.state == JobState::Error || c.state == JobState::Suspended || is_final(c.state);
      for (auto& h : n.handles) {
        if (h.detached) continue;
        if (waits_for_a_call && !h.stale)
          h.detached = true;
        else
          h.stale = true;
      }
      out.emplace_back(n, c.state, Expect::anything());
      return;
    }
    case Op::AddFile: return add_file(ctx, slot, c, out);
    case Op::Resume: return resume(ctx, slot, c, out);
    case Op::Suspend: return suspend(ctx, slot, c, out);
    case Op::Cancel: return cancel(ctx, slot, c, out);
    case Op::Complete: return complete(ctx, slot, c, out);
    case Op::GetState: out.emplace_back(c, c.state, Expect::one_of(RuleId::M_12, {hr::kS_OK})); return;
    case Op::SetMinimumRetryDelay:
    case Op::SetNoProgressTimeout: return set_timer(ctx, c, s, out);
    case Op::GetMinimumRetryDelay: out.emplace_back(c, c.state, Expect::one_of(RuleId::M_26, {hr::kS_OK})); return;
    case Op::GetNoProgressTimeout: out.emplace_back(c, c.state, Expect::one_of(RuleId::M_28, {hr::kS_OK})); return;
    case Op::GetProgress: out.emplace_back(c, c.state, Expect::one_of(RuleId::M_10, {hr::kS_OK})); return;
    case Op::GetErrorCount: out.emplace_back(c, c.state, Expect::one_of(RuleId::M_29, {hr::kS_OK})); return;
    case Op::GetError:
    case Op::ErrGetError:
    case Op::ErrGetFile:
    case Op::ErrGetProtocol:
    case Op::ErrGetErrorDescription:
    case Op::ErrGetErrorContextDescription:
    case Op::ReleaseError:
      out.emplace_back(c, c.state, Expect::anything());  // judged in observe()
      return;
    case Op::Source:
    case Op::Network:
    case Op::Advance: break;
  }
  out.emplace_back(c, c.state, Expect::anything());
}

// ---- Error values (I-3, E-11) ---------------------------------------------------------------

bool context_allowed(Ctx& ctx, const ErrorRecord& r, ErrorContext c) {
  using EC = ErrorContext;
  if (r.cause == Cause::Any) return true;
  if (!ctx.bits()) {
    // E-11: DO reports REMOTE_FILE for an HTTP 403 and NONE (or REMOTE_FILE) otherwise.
    if (!ctx.on(RuleId::E_11)) return true;
    if (r.cause == Cause::FatalHttp && r.status == 403) return c == EC::RemoteFile;
    return c == EC::None || c == EC::RemoteFile;
  }
  if (!ctx.on(RuleId::E_5)) return true;
  switch (r.cause) {
    case Cause::FatalHttp: return c == EC::RemoteFile;
    case Cause::Transport:
    case Cause::ServerHttp:
    case Cause::Stall: return c == EC::GeneralTransport || c == EC::RemoteFile || c == EC::Unknown;
    case Cause::LocalMissing: return c == EC::LocalFile || c == EC::RemoteFile;
    case Cause::Network:
    case Cause::NoProgress:
    case Cause::Any: return true;
  }
  return true;
}

bool code_allowed(Ctx& ctx, const ErrorRecord& r, HRESULT code) {
  if (r.cause == Cause::NoProgress) {
    // E-4: after the no-progress timeout, the last transient code or BG_E_NO_PROGRESS.
    if (!ctx.on(RuleId::E_4)) return true;
    if (code == hr::kBG_E_NO_PROGRESS || (!ctx.bits() && code == hr::kDO_E_DOWNLOAD_NO_PROGRESS)) return true;
    return r.previous_known ? code == r.previous_code : hr::failed(code);
  }
  if (!ctx.on(RuleId::E_5)) return true;
  if (!hr::failed(code)) return false;  // an error object reports a failure code
  switch (r.cause) {
    case Cause::FatalHttp: return !ctx.bits() || code == hr::http_error(r.status);
    case Cause::Network:
      return !ctx.on(RuleId::ST_15) || code == hr::kBG_E_NETWORK_DISCONNECTED ||
             (!ctx.bits() && code == hr::kDO_E_BLOCKED_BY_NO_NETWORK);
    default: return true;
  }
}

std::string allowed_error_values(Ctx& ctx, const ErrorRecord& r) {
  std::string contexts;
  int count = 0;
  for (int c = 0; c < kErrorContextCount; ++c)
    if (context_allowed(ctx, r, static_cast<ErrorContext>(c))) {
      contexts += (contexts.empty() ? "" : "|") + std::string(short_name(static_cast<ErrorContext>(c)));
      ++count;
    }
  if (count == kErrorContextCount) contexts = "any";
  // The codes, asked of code_allowed itself so that the words cannot drift from the check: two unrelated
  // failure codes both allowed is "any failure code"; otherwise the named ones it allows.
  constexpr HRESULT kUnrelated[] = {static_cast<HRESULT>(0x80004005), static_cast<HRESULT>(0x80070002)};
  std::string codes;
  if (code_allowed(ctx, r, kUnrelated[0]) && code_allowed(ctx, r, kUnrelated[1])) {
    codes = "any failure code";
  } else {
    const HRESULT named[] = {hr::http_error(r.status), hr::kBG_E_NETWORK_DISCONNECTED, hr::kDO_E_BLOCKED_BY_NO_NETWORK,
                             hr::kBG_E_NO_PROGRESS,    hr::kDO_E_DOWNLOAD_NO_PROGRESS, r.previous_code};
    std::vector<HRESULT> listed;
    for (HRESULT h : named)
      if (hr::failed(h) && code_allowed(ctx, r, h) && std::find(listed.begin(), listed.end(), h) == listed.end()) {
        listed.push_back(h);
        codes += (codes.empty() ? "" : "|") + hresult_text(h);
      }
    if (codes.empty()) codes = "none";
  }
  return "context=" + contexts + " code=" + codes;
}

namespace {

bool is_file_context(ErrorContext c) { return c == ErrorContext::LocalFile || c == ErrorContext::RemoteFile; }

// E-6 (and I-4 in do): may an error of this record answer GetFile with a file (true) or without (false)?
bool file_answer_allowed(Ctx& ctx, const ErrorRecord& r, bool has_file) {
  if (!ctx.on(RuleId::E_6)) return true;
  if (!ctx.bits() && ctx.interp(InterpValue::I4_default) && !(r.cause == Cause::FatalHttp && r.status == 403))
    return true;  // I-4: a file or DO_E_FILE_NOT_AVAILABLE
  if (r.observed) return has_file == is_file_context(r.context);
  for (int c = 0; c < kErrorContextCount; ++c)
    if (context_allowed(ctx, r, static_cast<ErrorContext>(c)) &&
        is_file_context(static_cast<ErrorContext>(c)) == has_file)
      return true;
  return false;
}

// Which Error.GetFile answers a held object of this record may give (E-6): a file (its own, or any for
// an object the model did not expect) and/or none (the not-available code). The judge and the
// failure's description both read it.
struct FileAnswers {
  bool file = true, none = true;
};
FileAnswers file_answers(Ctx& ctx, const ErrorRecord& r) {
  FileAnswers a;
  if (r.cause != Cause::Any) {
    a.file = file_answer_allowed(ctx, r, true);
    a.none = file_answer_allowed(ctx, r, false);
  }
  if (r.file_answer != kFileUnknown) {  // the object answers as it did before
    a.file = a.file && r.file_answer >= 0;
    a.none = a.none && r.file_answer < 0;
  }
  return a;
}

// The protocol Error.GetProtocol must name for an error about the file's source (E-7); none when the
// error is not about it (network loss, no progress) and http or file may be named.
std::optional<Protocol> source_protocol(const ErrorRecord& r) {
  const bool about_file = r.cause == Cause::FatalHttp || r.cause == Cause::ServerHttp || r.cause == Cause::Transport ||
                          r.cause == Cause::Stall || r.cause == Cause::LocalMissing;
  if (!about_file) return std::nullopt;
  return is_local_source(r.source) ? Protocol::File : Protocol::Http;
}

// Copies what was learnt about a snapshot to the job's record and to other objects of the same error.
void share(JobCandidate& c, const ErrorRecord& learnt) {
  if (c.has_record && c.record.serial == learnt.serial) c.record = learnt;
  for (auto& h : c.handles)
    if (h.snapshot.serial == learnt.serial) h.snapshot = learnt;
}

bool fail(RuleId& broken, RuleId r) {
  broken = r;
  return false;
}

// Is a held object still bound to its values (I-2)?
bool judged_object(Ctx& ctx, const HeldError& h) {
  if (ctx.interp(InterpValue::I2_either)) return false;
  if (ctx.interp(InterpValue::I2_snapshot)) return true;
  return !h.stale;
}

// What GetError may answer for a job in candidate c (E-1, E-2, E-3, I-1): the judge below and the
// failure's description read it from here, so they cannot disagree.
enum class ErrorAnswer : std::uint8_t { NoObject, Object, Either };
ErrorAnswer get_error_answer(Ctx& ctx, const JobCandidate& c) {
  const bool strict = ctx.interp(InterpValue::I1_only_in_error_states);
  if (is_final(c.state) && !strict) return ErrorAnswer::Either;  // not judged in CANCELLED/ACKNOWLEDGED
  const bool in_error = is_error_state(c.state);
  if (!c.has_record || (!in_error && strict)) return ErrorAnswer::NoObject;
  if (in_error || ctx.interp(InterpValue::I1_until_transferring)) return ErrorAnswer::Object;
  return ErrorAnswer::Either;
}

bool observe_get_error(Ctx& ctx, Successor& s, const Stimulus& st, const Observation& o, RuleId& broken) {
  JobCandidate& c = s.next;
  const bool success = hr::succeeded(o.hr) && o.handle;
  switch (get_error_answer(ctx, c)) {
    case ErrorAnswer::NoObject: {
      // E-1: no error object exists (E-2 when the last one went away as the job transferred);
      // E-2/M-13: the call says so with the unavailable code.
      const RuleId lifetime = c.record_discarded ? RuleId::E_2 : RuleId::E_1;
      if (ctx.breaks(lifetime, success)) return fail(broken, lifetime);
      if (ctx.breaks(RuleId::E_2, hr::succeeded(o.hr) && !o.handle)) return fail(broken, RuleId::E_2);  // S_OK, NULL
      if (ctx.breaks(RuleId::M_13, !success && o.hr != ctx.codes().error_info_unavailable))
        return fail(broken, RuleId::M_13);
      break;
    }
    case ErrorAnswer::Object: {
      // In ERROR/TRANSIENT_ERROR the object exists (E-2); after leaving them it stays until TRANSFERRING (E-3).
      const RuleId rule = is_error_state(c.state) ? RuleId::E_2 : RuleId::E_3;
      if (ctx.breaks(rule, !success)) return fail(broken, rule);
      // The rule is off (a known deviation gone past, a negative control) and the target has no
      // object: the model follows it, or the same missing object would break E-3 after Resume.
      if (!success) c.has_record = false;
      break;
    }
    case ErrorAnswer::Either: break;
  }
  if (success) {
    HeldError h;
    if (c.has_record)
      h.snapshot = c.record;
    else {
      h.snapshot.cause = Cause::Any;  // an object the model did not expect (a switched-off rule)
      h.snapshot.serial = c.next_serial++;
    }
    c.handles[st.index] = h;
  }
  return true;
}

bool observe_error_get_error(Ctx& ctx, Successor& s, const Stimulus& st, const Observation& o, RuleId& broken) {
  JobCandidate& c = s.next;
  HeldError& h = c.handles[st.index];
  if (!judged_object(ctx, h)) return true;
  if (hr::failed(o.hr)) return ctx.on(RuleId::E_5) ? fail(broken, RuleId::E_5) : true;
  ErrorRecord& r = h.snapshot;
  if (r.observed) {
    // I-1/I-2: the same error keeps its context and code.
    if (ctx.breaks(RuleId::E_5, o.context != r.context || o.code != r.code)) return fail(broken, RuleId::E_5);
    return true;
  }
  if (!context_allowed(ctx, r, o.context)) return fail(broken, ctx.bits() ? RuleId::E_5 : RuleId::E_11);
  if (!code_allowed(ctx, r, o.code)) return fail(broken, r.cause == Cause::NoProgress ? RuleId::E_4 : RuleId::E_5);
  if (r.file_answer != kFileUnknown && ctx.on(RuleId::E_6) && (ctx.bits() || !ctx.interp(InterpValue::I4_default)) &&
      (r.file_answer >= 0) != is_file_context(o.context))
    return fail(broken, RuleId::E_6);
  r.observed = true;
  r.context = o.context;
  r.code = o.code;
  share(c, r);
  return true;
}

bool observe_error_get_file(Ctx& ctx, Successor& s, const Stimulus& st, const Observation& o, RuleId& broken) {
  JobCandidate& c = s.next;
  HeldError& h = c.handles[st.index];
  if (!judged_object(ctx, h)) return true;
  ErrorRecord& r = h.snapshot;
  const bool has_file = hr::succeeded(o.hr) && o.file >= 0;
  if (ctx.on(RuleId::E_6)) {
    if (hr::succeeded(o.hr) && o.file < 0) return fail(broken, RuleId::E_6);  // S_OK with NULL
    if (hr::failed(o.hr) && (o.hr != ctx.codes().file_not_available || o.file >= 0)) return fail(broken, RuleId::E_6);
    if (has_file && r.cause != Cause::Any && o.file != r.file) return fail(broken, RuleId::E_6);
    const FileAnswers allowed = file_answers(ctx, r);
    if (!(has_file ? allowed.file : allowed.none)) return fail(broken, RuleId::E_6);
  }
  r.file_answer = has_file ? static_cast<std::int8_t>(o.file) : std::int8_t{-1};
  share(c, r);
  return true;
}

bool observe_error_get_protocol(Ctx& ctx, Successor& s, const Stimulus& st, const Observation& o, RuleId& broken) {
  const HeldError& h = s.next.handles[st.index];
  if (!judged_object(ctx, h) || !ctx.on(RuleId::E_7)) return true;
  const ErrorRecord& r = h.snapshot;
  if (o.hr == hr::kBG_E_PROTOCOL_NOT_AVAILABLE) return o.protocol == Protocol::None ? true : fail(broken, RuleId::E_7);
  if (o.hr != hr::kS_OK) return fail(broken, RuleId::E_7);
  if (o.protocol != Protocol::Http && o.protocol != Protocol::File) return fail(broken, RuleId::E_7);
  const std::optional<Protocol> must = source_protocol(r);
  if (must && o.protocol != *must) return fail(broken, RuleId::E_7);
  return true;
}

bool observe_description(Ctx& ctx, Successor& s, const Stimulus& st, const Observation& o, RuleId& broken) {
  if (!judged_object(ctx, s.next.handles[st.index]) || !ctx.on(RuleId::E_8)) return true;
  if (o.hr == hr::kS_OK || o.hr == hr::kE_OUTOFMEMORY || o.hr == hr::kRESOURCE_LANG_NOT_FOUND) return true;
  return fail(broken, RuleId::E_8);
}

// The size of the job's files together (every file is 1-3 chunks, by its source).
std::uint64_t job_bytes(const JobSlot& slot) {
  std::uint64_t total = 0;
  for (int f = 0; f < slot.files; ++f) total += std::uint64_t{kChunkBytes} * chunks_of(slot.sources[f]);
  return total;
}

bool observe_progress(Ctx& ctx, const JobSlot& slot, Successor& s, const Observation& o, RuleId& broken) {
  const JobCandidate& c = s.next;
  if (is_final(c.state) || !ctx.on(RuleId::P_1)) return true;  // Cancel and Complete remove the files
  if (o.files_total != slot.files || o.files_transferred != c.files_done) return fail(broken, RuleId::P_1);
  const std::uint64_t total = job_bytes(slot);
  // No more bytes than the sources serve, whether the total is known or not.
  if (o.bytes_transferred > total) return fail(broken, RuleId::P_1);
  if (o.bytes_total != kSizeUnknown && o.bytes_total != total) return fail(broken, RuleId::P_1);
  // I-18: once every file is transferred each size was learnt: the total is known and all of it is here.
  const bool all_here = slot.files > 0 && c.files_done >= slot.files;
  if (all_here && ctx.interp(InterpValue::I18_known_after_transfer) &&
      (o.bytes_total != total || o.bytes_transferred != total))
    return fail(broken, RuleId::P_1);
  return true;
}

}  // namespace

bool observe(Ctx& ctx, const JobSlot& slot, Successor& s, const Stimulus& st, const Observation& o, RuleId& broken) {
  // ST-8: outside the final states the state-changing methods are allowed.
  const bool state_changing =
      st.op == Op::Resume || st.op == Op::Suspend || st.op == Op::Cancel || st.op == Op::Complete;
  if (state_changing && !is_final(s.before) && ctx.breaks(RuleId::ST_8, o.hr == ctx.codes().invalid_state))
    return fail(broken, RuleId::ST_8);
  if (s.expect.kind != Expect::Kind::Anything && ctx.breaks(s.expect.rule, !s.expect.allows(o.hr)))
    return fail(broken, s.expect.rule);
  JobCandidate& c = s.next;
  switch (st.op) {
    case Op::GetState:
      if (hr::succeeded(o.hr) && o.state != c.state) {
        const RuleId ruled_out =
            st.job < kMaxJobs ? ctx.ruled_out[st.job][static_cast<std::size_t>(o.state)] : RuleId::ST_9;
        const RuleId rule = st.job == ctx.call_job      ? ctx.call_rule
                            : ruled_out != RuleId::ST_9 ? ruled_out
                                                        : ctx.unexpected_state;
        if (ctx.breaks(rule, true)) return fail(broken, rule);
        // That rule off: the job may have moved, to whatever state it is seen in - entering it as a move
        // would (TRANSFERRING discards the error; an error state unexplained has an error of any values).
        c.state = o.state;
        if (c.state == JobState::Transferring) enter_transferring(c);
        if (is_error_state(c.state) && !c.has_record) {
          c.has_record = true;
          c.record = make_record(c, Cause::Any, c.files_done, 0, 0);
          c.record.serial = c.next_serial++;
        }
      }
      return true;
    case Op::GetError: return observe_get_error(ctx, s, st, o, broken);
    case Op::ErrGetError: return observe_error_get_error(ctx, s, st, o, broken);
    case Op::ErrGetFile: return observe_error_get_file(ctx, s, st, o, broken);
    case Op::ErrGetProtocol: return observe_error_get_protocol(ctx, s, st, o, broken);
    case Op::ErrGetErrorDescription:
    case Op::ErrGetErrorContextDescription: return observe_description(ctx, s, st, o, broken);
    case Op::GetMinimumRetryDelay:
      if (hr::succeeded(o.hr) && ctx.breaks(RuleId::M_25, o.value != c.retry_delay)) return fail(broken, RuleId::M_25);
      return true;
    case Op::GetNoProgressTimeout:
      if (hr::succeeded(o.hr) && ctx.breaks(RuleId::M_27, o.value != c.timeout)) return fail(broken, RuleId::M_27);
      return true;
    case Op::GetProgress: return hr::failed(o.hr) || observe_progress(ctx, slot, s, o, broken);
    case Op::GetErrorCount:
      if (hr::failed(o.hr)) return true;
      if (ctx.breaks(RuleId::E_9, o.value < c.errors_lo || o.value > c.errors_hi)) return fail(broken, RuleId::E_9);
      c.errors_lo = c.errors_hi = o.value;
      return true;
    default: return true;
  }
}

void update_slot(JobSlot& slot, const Stimulus& st, const Observation& o) {
  switch (st.op) {
    case Op::CreateJob:
      slot.live = true;
      slot.files = 0;
      return;
    case Op::ReleaseJob: slot.live = false; return;
    case Op::AddFile:
      if (hr::succeeded(o.hr) && slot.files < kMaxFilesPerJob) slot.sources[slot.files++] = st.index;
      return;
    case Op::GetError:  // a failed GetError leaves the client's slot as it was
      if (hr::succeeded(o.hr) && o.handle) slot.held[st.index] = true;
      return;
    case Op::ReleaseError: slot.held[st.index] = false; return;
    default: return;
  }
}

std::string describe_allowed(Ctx& ctx, const JobSlot& slot, const std::vector<Successor>& succ, const Stimulus& s) {
  std::string codes, states, extra;
  std::uint16_t state_mask = 0;
  bool any_code = false;
  std::vector<HRESULT> seen;
  for (const Successor& x : succ) {
    state_mask |= state_bit(x.next.state);
    if (x.expect.kind == Expect::Kind::Anything) any_code = true;
    for (std::uint8_t i = 0; i < x.expect.count; ++i)
      if (std::find(seen.begin(), seen.end(), x.expect.codes[i]) == seen.end()) seen.push_back(x.expect.codes[i]);
  }
  for (HRESULT h : seen) codes += (codes.empty() ? "" : " or ") + hresult_text(h);
  for (int i = 0; i < kJobStateCount; ++i)
    if (state_mask & (1u << i))
      states += (states.empty() ? "" : "|") + std::string(short_name(static_cast<JobState>(i)));
  std::string out = any_code || codes.empty() ? std::string("any HRESULT") : codes;
  if (s.op == Op::GetState) return out + ", state " + states;
  if (s.op == Op::GetProgress && !succ.empty()) {
    std::uint16_t done_mask = 0;
    for (const Successor& x : succ) done_mask |= static_cast<std::uint16_t>(1u << x.next.files_done);
    std::string done;
    for (int n = 0; n <= kMaxFilesPerJob; ++n)
      if (done_mask & (1u << n)) done += (done.empty() ? "" : "|") + std::to_string(n);
    const std::string total = std::to_string(job_bytes(slot));
    const bool all_here = slot.files > 0 && done_mask == (1u << slot.files) && ctx.on(RuleId::P_1) &&
                          ctx.interp(InterpValue::I18_known_after_transfer);
    if (all_here)
      return out + ", files " + done + "/" + std::to_string(slot.files) + ", bytes " + total + " of " + total +
             " (I-18)";
    return out + ", files " + done + "/" + std::to_string(slot.files) + ", bytes at most " + total + " of " + total +
           " (or the size not known yet)";
  }
  if (s.op == Op::GetErrorCount && !succ.empty()) {
    const auto& c = succ.front().next;
    return out + ", count " + std::to_string(c.errors_lo) + ".." +
           (c.errors_hi == kManyErrors ? std::string("any") : std::to_string(c.errors_hi));
  }
  if (s.op == Op::GetError && !succ.empty()) {
    bool with = false, without = false;
    for (const Successor& x : succ) {
      const ErrorAnswer a = get_error_answer(ctx, x.next);
      with |= a != ErrorAnswer::NoObject;
      without |= a != ErrorAnswer::Object;
    }
    return std::string(with && without
                           ? "an error object or " + hresult_text(codes_for(ctx.config.profile).error_info_unavailable)
                       : with ? "S_OK with the job's error object"
                              : hresult_text(codes_for(ctx.config.profile).error_info_unavailable) +
                                    " (no error object)") +
           ", job " + states;
  }
  if (s.op == Op::ErrGetError && !succ.empty()) {
    const ErrorRecord& r = succ.front().next.handles[s.index].snapshot;
    if (r.observed) return "S_OK context=" + std::string(short_name(r.context)) + " code=" + hresult_text(r.code);
    return "S_OK " + allowed_error_values(ctx, r);  // not seen yet: any its cause allows (E-5)
  }
  if (s.op == Op::ErrGetFile && !succ.empty()) {
    const ErrorRecord& r = succ.front().next.handles[s.index].snapshot;
    const FileAnswers a = file_answers(ctx, r);
    const std::string file =
        "S_OK with " + (r.cause == Cause::Any ? std::string("a file") : "file " + std::to_string(r.file));
    const std::string none = hresult_text(ctx.codes().file_not_available) + " (no file)";
    if (a.file && a.none) return file + " or " + none;
    if (a.file || a.none) return a.file ? file : none;
    return "no answer: the object's earlier answers contradict each other";
  }
  if (s.op == Op::ErrGetProtocol && !succ.empty()) {
    const std::optional<Protocol> must = source_protocol(succ.front().next.handles[s.index].snapshot);
    return "S_OK protocol=" + (must ? std::string(protocol_name(*must)) : std::string("http or file")) + ", or " +
           hresult_text(hr::kBG_E_PROTOCOL_NOT_AVAILABLE) + " (protocol none)";
  }
  if ((s.op == Op::ErrGetErrorDescription || s.op == Op::ErrGetErrorContextDescription) && !succ.empty())
    return "S_OK with a description, " + hresult_text(hr::kE_OUTOFMEMORY) + " or " +
           hresult_text(hr::kRESOURCE_LANG_NOT_FOUND);
  // The value the job holds (M-25, M-27), not only the HRESULT: a wrong value with S_OK reads otherwise
  // as if S_OK itself had been refused.
  if ((s.op == Op::GetMinimumRetryDelay || s.op == Op::GetNoProgressTimeout) && !succ.empty()) {
    std::string values;
    for (const Successor& x : succ) {
      const std::string v = std::to_string(s.op == Op::GetMinimumRetryDelay ? x.next.retry_delay : x.next.timeout);
      if (values.find(v) == std::string::npos) values += (values.empty() ? "" : "|") + v;
    }
    return out + ", value " + values;
  }
  return out;
}

}  // namespace bgc::detail
