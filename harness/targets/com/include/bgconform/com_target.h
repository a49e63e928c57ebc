// ComTarget: a real BITS or Delivery Optimization service through the COM agent
// (harness/targets/com/agent/, a Windows program built with MinGW), run here under Wine with a private
// prefix, or on Windows itself when bgconform runs inside WSL (ComOptions::host). The agent speaks the isolated host's
// line protocol (isolated_target.h); the environment stimuli never reach it: Source events script the loopback origin
// server (and the local-file source's file), Advance waits in real time, Network events are not-supported (a service
// cannot be made to see a network loss from here). The target moves on its own, so the Runner checks it asynchronously
// (runner.h, RealTimeOptions).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bgconform/target.h"

namespace bgc {

class IsolatedTarget;
namespace com {
class AgentHost;
class OriginServer;
}  // namespace com

struct ComOptions {
  std::string agent_path;     // empty: $BGCONFORM_COM_AGENT, else the agent beside bgconform (own_parts.h)
  std::string host = "auto";  // where the agent runs: "wine", "windows" (from inside WSL) or "auto"
  std::string wine_prefix;    // wine: empty: a private prefix made for this run and removed at its end
  std::string work_dir;       // the run's files; empty: $TMPDIR (wine), /mnt/c/Users/Public (windows)
  std::chrono::milliseconds call_timeout{10000};
  std::chrono::milliseconds start_timeout{120000};  // Wine starts its services on the first call
};

class ComTarget : public Target {
 public:
  // Starts the agent's host (a Wine prefix, or nothing on Windows), the origin server and the agent for
  // `profile`; nullptr and a one-line reason (no Wine, not inside WSL, no agent, the class is not
  // registered, ...) when it cannot.
  static std::unique_ptr<ComTarget> launch(Profile profile, const ComOptions& options, std::string& error);
  ~ComTarget() override;

  Capabilities capabilities() const override { return capabilities_; }
  void reset(Profile profile) override;
  Observation apply(const Stimulus& s) override;
  std::string name() const override { return name_; }

 private:
  ComTarget() = default;
  // Declared in the order they start; they stop in reverse (the agent first, its host last).
  std::unique_ptr<com::AgentHost> host_;
  std::string run_dir_;  // the agent's copy, the local-file source and the downloads, removed at the end
  std::unique_ptr<com::OriginServer> origin_;
  std::unique_ptr<IsolatedTarget> agent_;
  Capabilities capabilities_;
  std::string name_;
};

// Where the agent is looked for when ComOptions::agent_path is empty.
std::string default_com_agent_path();

}  // namespace bgc
