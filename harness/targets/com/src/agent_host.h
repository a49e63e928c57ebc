// Where the COM agent runs, and how that side names the harness's files.
//   wine     any Linux: `wine bgconform-com-agent.exe` in a Wine prefix (wine_prefix.h), against Wine's
//            own BITS; the harness's files are on Wine's drive Z:.
//   windows  bgconform inside WSL on a Windows machine: the agent is started directly (WSL runs
//            Windows programs from Linux), against Microsoft's BITS or DO. The files the service reads
//            and writes must be on a Windows drive (WSL mounts C: at /mnt/c), named as `wslpath -w`
//            names them; the origin server on 127.0.0.1 is reached from Windows through WSL (WSL 1
//            shares the network, WSL 2 forwards localhost).
//   auto     windows inside WSL, wine elsewhere.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bgc::com {

enum class AgentHostKind { Auto, Wine, Windows };

std::optional<AgentHostKind> parse_agent_host(std::string_view text);  // "auto" | "wine" | "windows"

// Whether a kernel release string is WSL's ("5.15.90.1-microsoft-standard-WSL2", "4.4.0-19041-Microsoft").
bool is_wsl_kernel(std::string_view osrelease);
// Whether this process runs inside WSL.
bool running_in_wsl();

struct AgentHostOptions {
  AgentHostKind kind = AgentHostKind::Auto;
  std::string wine_prefix;  // wine: a prefix to use and keep; empty: a private one, removed afterwards
  std::string work_dir;     // where the run's files go; empty: $TMPDIR (wine), /mnt/c/Users/Public (windows)
};

class AgentHost {
 public:
  // nullptr and a one-line reason when this side cannot be had here (no Wine, not inside WSL, ...).
  static std::unique_ptr<AgentHost> create(const AgentHostOptions& options, std::string& error);
  virtual ~AgentHost() = default;

  virtual std::string name() const = 0;  // "wine" or "windows"
  // The command line that starts `program` (a path in this file system) with `arguments`: the
  // launcher's words, then the program and its arguments.
  std::vector<std::string> command(const std::string& program, const std::vector<std::string>& arguments) const;
  virtual std::vector<std::string> launcher() const = 0;  // {"wine"}, or nothing on Windows
  // NAME=VALUE pairs for the agent's environment.
  virtual std::vector<std::string> environment() const = 0;
  // The directory under which the run makes its own directory (the service must reach it).
  virtual std::string work_root() const = 0;
  // How a Windows program names `path` (an existing absolute path here); empty and `error` if it can't.
  virtual std::string windows_path(const std::string& path, std::string& error) const = 0;
  // Before the agent starts again after it crashed or hung. A call that never returned may have left
  // the service stuck, and a new agent's first call would wait on it too (the run would stop, its
  // start timed out): under Wine the prefix's wineserver is stopped, and the services with it, so the
  // next agent starts them afresh. On Windows nothing: the machine's services are not the run's.
  virtual void before_agent_restart() {}
};

}  // namespace bgc::com
