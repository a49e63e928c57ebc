// AgentHost (agent_host.h): Wine here, Windows itself from inside WSL.
#include "agent_host.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "wine_prefix.h"

namespace bgc::com {

namespace fs = std::filesystem;

std::optional<AgentHostKind> parse_agent_host(std::string_view text) {
  if (text == "auto") return AgentHostKind::Auto;
  if (text == "wine") return AgentHostKind::Wine;
  if (text == "windows") return AgentHostKind::Windows;
  return std::nullopt;
}

bool is_wsl_kernel(std::string_view osrelease) {
  std::string lower(osrelease);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("microsoft") != std::string::npos;
}

namespace {

std::string read_first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

class WineHost : public AgentHost {
 public:
  WineHost(std::unique_ptr<WinePrefix> prefix, std::string work_root)
      : prefix_(std::move(prefix)), work_root_(std::move(work_root)) {}
  std::string name() const override { return "wine"; }
  std::vector<std::string> launcher() const override { return {"wine"}; }
  std::vector<std::string> environment() const override { return prefix_->environment(); }
  std::string work_root() const override { return work_root_; }
  void before_agent_restart() override { prefix_->stop_server(); }
  // Wine shows the Unix root as drive Z:.
  std::string windows_path(const std::string& path, std::string&) const override {
    std::string s = "Z:" + path;
    std::replace(s.begin(), s.end(), '/', '\\');
    return s;
  }

 private:
  std::unique_ptr<WinePrefix> prefix_;
  std::string work_root_;
};

class WindowsHost : public AgentHost {
 public:
  explicit WindowsHost(std::string work_root) : work_root_(std::move(work_root)) {}
  std::string name() const override { return "windows"; }
  // WSL starts a Windows program like any other: its own path is the command.
  std::vector<std::string> launcher() const override { return {}; }
  std::vector<std::string> environment() const override { return {}; }
  std::string work_root() const override { return work_root_; }
  // wslpath knows WSL's mount table (the drive root may be configured elsewhere than /mnt).
  std::string windows_path(const std::string& path, std::string& error) const override {
    std::string out = (fs::temp_directory_path() / "bgconform-wslpath-XXXXXX").string();
    const int fd = ::mkstemp(out.data());
    if (fd < 0) {
      error = "cannot create a temporary file for wslpath";
      return {};
    }
    ::close(fd);
    const int status = run_program({"wslpath", "-w", path}, {}, out, 30, error);
    std::string windows = read_first_line(out);
    std::error_code ec;
    fs::remove(out, ec);
    if (status != 0 || windows.empty() || windows.rfind("\\\\", 0) == 0) {
      // A \\wsl$\... name is a Linux file seen over the network: the service cannot be relied on to
      // reach it (and WSL 1 has none).
      if (error.empty())
        error = "'" + path + "' is not on a Windows drive (wslpath -w gave '" + windows +
                "'): give --com-work-dir a directory under /mnt/c (or another drive)";
      return {};
    }
    return windows;
  }

 private:
  std::string work_root_;
};

std::unique_ptr<AgentHost> make_wine_host(const AgentHostOptions& options, std::string& error) {
  auto prefix = WinePrefix::create(options.wine_prefix, error);
  if (!prefix) return nullptr;
  const std::string root =
      fs::absolute(options.work_dir.empty() ? fs::temp_directory_path() : fs::path(options.work_dir)).string();
  return std::make_unique<WineHost>(std::move(prefix), root);
}

std::unique_ptr<AgentHost> make_windows_host(const AgentHostOptions& options, std::string& error) {
  if (!running_in_wsl()) {
    error =
        "--com-host windows starts the agent directly, which works only inside WSL on a Windows machine "
        "(this is '" +
        read_first_line("/proc/sys/kernel/osrelease") + "'): here use --com-host wine";
    return nullptr;
  }
  if (!options.wine_prefix.empty()) {
    error = "--wine-prefix is for --com-host wine; on Windows the agent talks to the machine's own services";
    return nullptr;
  }
  if (!in_path("wslpath")) {
    error = "wslpath is missing: it comes with WSL and names Linux paths for Windows programs";
    return nullptr;
  }
  const std::string root = options.work_dir.empty() ? "/mnt/c/Users/Public" : options.work_dir;
  if (::access(root.c_str(), W_OK) != 0) {
    error = "cannot write to '" + root + "': give --com-work-dir a writable directory on a Windows drive (/mnt/c/...)";
    return nullptr;
  }
  return std::make_unique<WindowsHost>(fs::absolute(root).string());
}

}  // namespace

bool running_in_wsl() {
  const char* distro = std::getenv("WSL_DISTRO_NAME");
  return (distro != nullptr && *distro != '\0') || is_wsl_kernel(read_first_line("/proc/sys/kernel/osrelease"));
}

std::vector<std::string> AgentHost::command(const std::string& program,
                                            const std::vector<std::string>& arguments) const {
  std::vector<std::string> words = launcher();
  words.push_back(program);
  words.insert(words.end(), arguments.begin(), arguments.end());
  return words;
}

std::unique_ptr<AgentHost> AgentHost::create(const AgentHostOptions& options, std::string& error) {
  AgentHostKind kind = options.kind;
  if (kind == AgentHostKind::Auto) kind = running_in_wsl() ? AgentHostKind::Windows : AgentHostKind::Wine;
  if (kind == AgentHostKind::Windows) return make_windows_host(options, error);
  return make_wine_host(options, error);
}

}  // namespace bgc::com
