// A private Wine prefix for the COM agent: created on demand (`wineboot -i`, no display needed) in a
// directory of its own, and taken down afterwards (`wineserver -k` for that prefix only, then the
// directory, when this object made it). Nothing outside the prefix and its own wineserver is touched.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace bgc::com {

class WinePrefix {
 public:
  // `dir` empty: a fresh directory under $TMPDIR, removed afterwards. Otherwise that directory is used
  // (and kept), and wineboot runs only if it is not a prefix yet. nullptr and the reason on failure.
  static std::unique_ptr<WinePrefix> create(const std::string& dir, std::string& error);
  ~WinePrefix();
  WinePrefix(const WinePrefix&) = delete;
  WinePrefix& operator=(const WinePrefix&) = delete;

  const std::string& path() const { return path_; }
  // NAME=VALUE pairs for every Wine process of this prefix: the prefix, quiet debug output, and no
  // offer to install Mono or Gecko (the agent needs neither).
  std::vector<std::string> environment() const;
  // Stops the prefix's wineserver and every Wine process of the prefix with it (`wineserver -k`, then
  // SIGKILL for any Wine process still running with this prefix); the next Wine program of the prefix
  // starts them afresh.
  void stop_server() const;

 private:
  WinePrefix(std::string path, bool owned) : path_(std::move(path)), owned_(owned) {}
  std::string path_;
  bool owned_ = false;
};

// Whether Ctrl-C (interrupt.h) ends a program run_program waits for: set-up steps yes, clean-up no.
enum class OnInterrupt { Stop, Finish };

// Runs a program with extra environment, its output to `log`, for at most `timeout_seconds`.
// Returns its exit status, or -1 (and `error`) when it could not start, did not finish, or was stopped.
int run_program(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                const std::string& log, int timeout_seconds, std::string& error,
                OnInterrupt on_interrupt = OnInterrupt::Finish);

// Whether `program` is found in PATH.
bool in_path(const std::string& program);

}  // namespace bgc::com
