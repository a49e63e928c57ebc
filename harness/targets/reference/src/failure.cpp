#include "failure.h"

namespace bgc::reference {
namespace {

// A status the server will answer the same way next time: the request itself is wrong (4xx), or the
// server can never serve it (501 Not Implemented, 505 HTTP Version Not Supported). 408 and 429 only
// ask the client to come back later, and any other 5xx is a server having a bad moment.
bool status_is_permanent(int status) {
  if (status == 408 || status == 429) return false;
  if (status >= 400 && status < 500) return true;
  if (status == 501 || status == 505) return true;
  if (status >= 500 && status < 600) return false;
  return true;  // not HTTP at all: retrying will not make it so
}

// DO supports only contexts NONE and REMOTE_FILE, and names the remote file for an HTTP 403 only
// (E-11).
ErrorContext as_reported(ErrorContext context, bool http_403, const ProfilePolicy& policy) {
  if (!policy.only_403_names_remote_file) return context;
  return http_403 ? ErrorContext::RemoteFile : ErrorContext::None;
}

}  // namespace

Failure failure_from_reply(const Reply& reply, const ProfilePolicy& policy) {
  Failure f;
  switch (reply.kind) {
    case ReplyKind::HttpStatus:
      f.fatal = status_is_permanent(reply.status);
      f.code = hr::http_error(reply.status);
      f.context = as_reported(ErrorContext::RemoteFile, reply.status == 403, policy);
      break;
    case ReplyKind::Refused:
      f.code = kCannotConnect;
      f.context = as_reported(ErrorContext::GeneralTransport, false, policy);
      break;
    case ReplyKind::Reset:
      f.code = kConnectionReset;
      f.context = as_reported(ErrorContext::GeneralTransport, false, policy);
      break;
    case ReplyKind::NoSuchFile:
      f.fatal = true;  // the file will not appear by itself; the user has to fix and Resume
      f.code = kFileNotFound;
      f.context = as_reported(ErrorContext::LocalFile, false, policy);
      break;
    case ReplyKind::Data:
    case ReplyKind::Silence: return stalled_exchange(policy);  // not failures by themselves; callers do not pass them
  }
  f.involves_file = true;
  return f;
}

Failure stalled_exchange(const ProfilePolicy& policy) {
  Failure f;
  f.code = kTimedOut;
  f.context = as_reported(ErrorContext::GeneralTransport, false, policy);
  f.involves_file = true;
  return f;
}

Failure network_lost(const ProfilePolicy& policy) {
  Failure f;
  f.code = policy.network_lost;
  f.context = as_reported(ErrorContext::GeneralTransport, false, policy);
  f.counted = false;
  f.awaits_network = true;
  return f;
}

}  // namespace bgc::reference
