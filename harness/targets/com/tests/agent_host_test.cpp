// The agent's host (agent_host.h): telling WSL apart, and the names its two sides give the run's files.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "agent_host.h"

namespace bgc::com {
namespace {

namespace fs = std::filesystem;

TEST(AgentHost, ParsesTheThreeHosts) {
  EXPECT_EQ(parse_agent_host("auto"), AgentHostKind::Auto);
  EXPECT_EQ(parse_agent_host("wine"), AgentHostKind::Wine);
  EXPECT_EQ(parse_agent_host("windows"), AgentHostKind::Windows);
  EXPECT_FALSE(parse_agent_host("Windows"));
  EXPECT_FALSE(parse_agent_host(""));
}

TEST(AgentHost, KnowsWslKernelsByTheirRelease) {
  EXPECT_TRUE(is_wsl_kernel("5.15.153.1-microsoft-standard-WSL2"));  // WSL 2
  EXPECT_TRUE(is_wsl_kernel("4.4.0-19041-Microsoft"));               // WSL 1
  EXPECT_FALSE(is_wsl_kernel("6.1.0-27-amd64"));                     // Debian 12
  EXPECT_FALSE(is_wsl_kernel(""));
}

// A directory with a stand-in for WSL's wslpath that prints what the test wants, first in PATH, and
// WSL_DISTRO_NAME set: what the Windows side needs to be made here. Restores both afterwards.
class EmulatedWsl : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bgc-agent-host-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    old_path_ = std::getenv("PATH");
    ::setenv("PATH", (dir_.string() + ":" + old_path_).c_str(), 1);
    ::setenv("WSL_DISTRO_NAME", "bgconform-test", 1);
  }
  void TearDown() override {
    ::setenv("PATH", old_path_.c_str(), 1);
    ::unsetenv("WSL_DISTRO_NAME");
    fs::remove_all(dir_);
  }
  void wslpath_answers(const std::string& text) {
    const fs::path script = dir_ / "wslpath";
    std::ofstream(script) << "#!/bin/sh\nprintf '%s\\n' '" << text << "'\n";
    fs::permissions(script, fs::perms::owner_all);
  }
  fs::path dir_;
  std::string old_path_;
};

TEST_F(EmulatedWsl, StartsTheAgentItselfWithFilesOnAWindowsDrive) {
  wslpath_answers("C:\\Users\\Public\\run\\dest");
  std::string error;
  auto host = AgentHost::create({AgentHostKind::Auto, "", dir_.string()}, error);
  ASSERT_TRUE(host) << error;
  EXPECT_EQ(host->name(), "windows");
  EXPECT_EQ(host->work_root(), dir_.string());
  EXPECT_EQ(host->command("/mnt/c/run/agent.exe", {"bits", "--origin", "http://127.0.0.1:1/"}),
            (std::vector<std::string>{"/mnt/c/run/agent.exe", "bits", "--origin", "http://127.0.0.1:1/"}));
  EXPECT_TRUE(host->environment().empty());
  EXPECT_EQ(host->windows_path(dir_.string(), error), "C:\\Users\\Public\\run\\dest");
}

TEST_F(EmulatedWsl, RefusesFilesInsideWslsOwnDisk) {
  wslpath_answers("\\\\wsl.localhost\\Debian\\tmp\\run");
  std::string error;
  auto host = AgentHost::create({AgentHostKind::Windows, "", dir_.string()}, error);
  ASSERT_TRUE(host) << error;
  EXPECT_EQ(host->windows_path(dir_.string(), error), "");
  EXPECT_NE(error.find("not on a Windows drive"), std::string::npos) << error;
  EXPECT_NE(error.find("--com-work-dir"), std::string::npos) << error;
}

TEST_F(EmulatedWsl, SaysWhatIsMissing) {
  std::string error;
  EXPECT_FALSE(AgentHost::create({AgentHostKind::Windows, "/some/prefix", dir_.string()}, error));
  EXPECT_NE(error.find("--wine-prefix is for --com-host wine"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(AgentHost::create({AgentHostKind::Windows, "", dir_.string()}, error));  // no wslpath yet
  EXPECT_NE(error.find("wslpath is missing"), std::string::npos) << error;
  wslpath_answers("C:\\x");
  error.clear();
  EXPECT_FALSE(AgentHost::create({AgentHostKind::Windows, "", (dir_ / "absent").string()}, error));
  EXPECT_NE(error.find("cannot write to"), std::string::npos) << error;
}

}  // namespace
}  // namespace bgc::com
