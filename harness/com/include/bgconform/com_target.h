// ComTarget: a real BITS or Delivery Optimization service through the COM agent
// (harness/com-agent/, a Windows program built with MinGW), run here under Wine with a private
// prefix. The agent speaks the isolated host's line protocol (isolated_target.h); the environment
// stimuli never reach it: Source events script the loopback origin server (and the local-file
// source's file), Advance waits in real time, Network events are not-supported (a service cannot be
// made to see a network loss from here). The target moves on its own, so the Runner checks it
// asynchronously (runner.h, RealTimeOptions).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bgconform/target.h"

namespace bgc {

class IsolatedTarget;
namespace com {
class OriginServer;
class WinePrefix;
}  // namespace com

struct ComOptions {
  std::string agent_path;   // empty: $BGCONFORM_COM_AGENT, else the agent built with this harness
  std::string wine_prefix;  // empty: a private prefix made for this run and removed at its end
  std::chrono::milliseconds call_timeout{10000};
  std::chrono::milliseconds start_timeout{120000};  // Wine starts its services on the first call
};

class ComTarget : public Target {
 public:
  // Starts the prefix, the origin server and the agent for `profile`; nullptr and a one-line reason
  // (no Wine, no agent, the class is not registered, ...) when it cannot.
  static std::unique_ptr<ComTarget> launch(Profile profile, const ComOptions& options, std::string& error);
  ~ComTarget() override;

  Capabilities capabilities() const override { return capabilities_; }
  void reset(Profile profile) override;
  Observation apply(const Stimulus& s) override;
  std::string name() const override { return name_; }

 private:
  ComTarget() = default;
  // Declared in the order they start; they stop in reverse (the agent first, the prefix last).
  std::unique_ptr<com::WinePrefix> prefix_;
  std::string run_dir_;  // the local-file source and the downloads, removed at the end
  std::unique_ptr<com::OriginServer> origin_;
  std::unique_ptr<IsolatedTarget> agent_;
  Capabilities capabilities_;
  std::string name_;
};

// Where the agent is looked for when ComOptions::agent_path is empty.
std::string default_com_agent_path();

}  // namespace bgc
