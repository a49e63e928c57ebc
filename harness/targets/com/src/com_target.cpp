// ComTarget (com_target.h): the agent on its host (agent_host.h), the origin server, the local-file source.
#include "bgconform/com_target.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "bgconform/isolated_target.h"
#include "bgconform/own_parts.h"
#include "bgconform/plugin_target.h"
#include "agent_host.h"
#include "origin_server.h"

namespace bgc {

namespace fs = std::filesystem;

namespace {

Observation with_outcome(Outcome o) {
  Observation obs;
  obs.outcome = o;
  return obs;
}

fs::path local_file(const std::string& run_dir) { return fs::path(run_dir) / "local" / "src3.bin"; }

void write_local_file(const std::string& run_dir) {
  std::ofstream(local_file(run_dir), std::ios::binary) << com::source_content(kLocalSource);
}

}  // namespace

std::string default_com_agent_path() { return own_part_path("bgconform-com-agent.exe", "BGCONFORM_COM_AGENT"); }

std::unique_ptr<ComTarget> ComTarget::launch(Profile profile, const ComOptions& options, std::string& error) {
  const std::string agent = options.agent_path.empty() ? default_com_agent_path() : options.agent_path;
  if (!fs::exists(agent)) {
    error = "the COM agent '" + agent +
            "' is missing: build it with MinGW (apt-get install g++-mingw-w64-x86-64, then rebuild) or set "
            "BGCONFORM_COM_AGENT";
    return nullptr;
  }
  const auto host_kind = com::parse_agent_host(options.host);
  if (!host_kind) {
    error = "unknown agent host '" + options.host + "': use wine, windows or auto";
    return nullptr;
  }
  std::unique_ptr<ComTarget> t(new ComTarget());
  t->host_ = com::AgentHost::create({*host_kind, options.wine_prefix, options.work_dir}, error);
  if (!t->host_) return nullptr;
  std::string dir = (fs::path(t->host_->work_root()) / "bgconform-com-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) {
    error = "cannot create a directory for the downloads in " + t->host_->work_root() + ": " + std::strerror(errno);
    return nullptr;
  }
  t->run_dir_ = dir;
  const fs::path run_dir(dir);
  fs::create_directories(run_dir / "local");
  fs::create_directories(run_dir / "dest");
  write_local_file(dir);
  // The agent runs from the run's directory: on Windows that is a Windows drive, where a program
  // started from WSL can always be run (a file inside WSL's own disk cannot be, under WSL 1).
  const fs::path program = run_dir / fs::path(agent).filename();
  std::error_code copy_error;
  fs::copy_file(agent, program, copy_error);
  if (copy_error) {
    error = "cannot copy the agent to " + program.string() + ": " + copy_error.message();
    return nullptr;
  }
  // One name from the host (under WSL that runs wslpath), the two folders inside it.
  const std::string windows_dir = t->host_->windows_path(dir, error);
  if (windows_dir.empty()) return nullptr;
  const std::string local_dir = windows_dir + "\\local", dest_dir = windows_dir + "\\dest";
  t->origin_ = com::OriginServer::start(error);
  if (!t->origin_) return nullptr;

  IsolatedOptions agent_options;
  agent_options.command =
      t->host_->command(program.string(), {std::string(bgc::name(profile)), "--origin", t->origin_->base_url(),
                                           "--local-dir", local_dir, "--dest-dir", dest_dir});
  agent_options.environment = t->host_->environment();
  agent_options.working_dir = dir;
  agent_options.call_timeout = options.call_timeout;
  agent_options.start_timeout = options.start_timeout;
  agent_options.before_restart = [host = t->host_.get()] { host->before_agent_restart(); };  // host_ outlives agent_
  t->agent_ = IsolatedTarget::launch(program.string(), agent_options, error);
  if (!t->agent_) return nullptr;
  t->capabilities_ = t->agent_->capabilities();
  t->capabilities_.deterministic = false;
  t->capabilities_.virtual_clock = false;
  t->capabilities_.network_events = false;
  t->capabilities_.refused_connections = false;
  t->capabilities_.paced_local_file = false;  // the service reads the run's real file
  t->name_ = t->agent_->name();
  if (t->name_.rfind("isolated:", 0) == 0) t->name_ = t->name_.substr(9);
  t->name_ += " (" + t->host_->name() + ")";
  return t;
}

ComTarget::~ComTarget() {
  agent_.reset();   // cancels its jobs and exits
  origin_.reset();  // ends requests still waiting
  if (!run_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(run_dir_, ec);
  }
  // host_ goes last: under Wine its wineserver is stopped and a prefix made for this run removed.
}

void ComTarget::reset(Profile profile) {
  origin_->reset();
  write_local_file(run_dir_);
  agent_->reset(profile);
}

Observation ComTarget::apply(const Stimulus& s) {
  switch (s.op) {
    case Op::Source:
      if (is_local_source(s.index)) {
        std::error_code ec;
        if (s.behaviour == Behaviour::Missing)
          fs::remove(local_file(run_dir_), ec);
        else
          write_local_file(run_dir_);
      } else if (s.behaviour == Behaviour::Refused) {
        return with_outcome(Outcome::NotSupported);
      } else {
        origin_->set(s.index, s.behaviour, s.status);
      }
      return Observation{};
    case Op::Network: return with_outcome(Outcome::NotSupported);
    case Op::Advance:
      // Time passes for real; the Runner measures how much and tells the model.
      std::this_thread::sleep_for(std::chrono::seconds(s.seconds));
      return Observation{};
    default: return agent_->apply(s);
  }
}

}  // namespace bgc
