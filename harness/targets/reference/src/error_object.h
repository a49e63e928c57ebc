// What IBackgroundCopyError reports: one error the job ran into.
//
// An ErrorObject never changes after it is made. When the job runs into another error it makes a new
// object, and when it starts transferring again it drops its reference. A client that took a
// reference with GetError keeps its own (shared ownership = COM reference counting), so what it
// holds is a snapshot that stays valid and unchanged for as long as it holds it — even after the
// job moved on, was released by the client, or was cancelled.
#pragma once

#include <memory>

#include "bgconform/constants.h"
#include "bgconform/types.h"

namespace bgc::reference {

struct ErrorObject {
  ErrorContext context = ErrorContext::None;
  HRESULT code = hr::kS_OK;
  int file = -1;                       // index of the file in its job, -1 when no file is involved
  Protocol protocol = Protocol::None;  // the protocol of that file

  // GetFile and GetProtocol answer only for errors about a local or remote file (spec E-6, E-7).
  bool names_file() const {
    return file >= 0 && (context == ErrorContext::LocalFile || context == ErrorContext::RemoteFile);
  }
};

using ErrorRef = std::shared_ptr<const ErrorObject>;

}  // namespace bgc::reference
