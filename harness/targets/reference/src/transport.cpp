#include "transport.h"

namespace bgc::reference {

Transport::Transport() {
  // Initially every source serves its file; the local source's file is present.
  sources_[kLocalSource].behaviour = Behaviour::Present;
}

void Transport::set_source(int source, Behaviour behaviour, int status) {
  if (source < 0 || source >= kSourceCount) return;  // no such source: nothing to change
  sources_[static_cast<std::size_t>(source)] = SourceState{behaviour, status};
}

Seconds Transport::connect_seconds(int source) const {
  if (source < 0 || source >= kSourceCount) return kConnectSeconds;
  return sources_[static_cast<std::size_t>(source)].behaviour == Behaviour::DelayedHeaders ? kDelayedHeadersSeconds
                                                                                           : kConnectSeconds;
}

Seconds Transport::chunk_seconds(int source) const {
  if (source < 0 || source >= kSourceCount) return kChunkSeconds;
  return sources_[static_cast<std::size_t>(source)].behaviour == Behaviour::Slow ? kSlowChunkSeconds : kChunkSeconds;
}

Reply Transport::answer(int source) const {
  if (source < 0 || source >= kSourceCount) return Reply{ReplyKind::Refused, 0};  // nobody listens there
  const SourceState& s = sources_[static_cast<std::size_t>(source)];
  switch (s.behaviour) {
    case Behaviour::Ok:
    case Behaviour::Slow:
    case Behaviour::DelayedHeaders:
    case Behaviour::Present: return Reply{ReplyKind::Data, 0};
    case Behaviour::Http:
      // A success or redirect status still ends in data: the client follows redirects itself.
      if (s.status < 400) return Reply{ReplyKind::Data, 0};
      return Reply{ReplyKind::HttpStatus, s.status};
    case Behaviour::Refused: return Reply{ReplyKind::Refused, 0};
    case Behaviour::Reset: return Reply{ReplyKind::Reset, 0};
    case Behaviour::Stall: return Reply{ReplyKind::Silence, 0};
    case Behaviour::Missing:
      // A local file that is not there; a web server with a missing file says so with a 404.
      if (is_local_source(source)) return Reply{ReplyKind::NoSuchFile, 0};
      return Reply{ReplyKind::HttpStatus, 404};
  }
  return Reply{ReplyKind::Refused, 0};
}

}  // namespace bgc::reference
