// Every way a library can be unusable is a load error with one message that names the problem.
#include <gtest/gtest.h>

#include "bgconform/constants.h"
#include "bgconform/isolated_target.h"
#include "bgconform/plugin_target.h"
#include "bgconform/vendor_abi.h"

namespace bgc {
namespace {

// The installed C header's numbers are the model's: each BGC_<name> is the code the model knows as
// <name>, and the states and contexts are the model's enumerations.
TEST(VendorCodes, AreTheModelsNumbers) {
#define BGC_CODE(n) \
  std::pair<std::string_view, HRESULT> { std::string_view(#n).substr(4), n }
  const std::pair<std::string_view, HRESULT> codes[] = {BGC_CODE(BGC_S_OK),
                                                        BGC_CODE(BGC_S_FALSE),
                                                        BGC_CODE(BGC_E_NOTIMPL),
                                                        BGC_CODE(BGC_E_NOINTERFACE),
                                                        BGC_CODE(BGC_E_ACCESSDENIED),
                                                        BGC_CODE(BGC_E_OUTOFMEMORY),
                                                        BGC_CODE(BGC_E_INVALIDARG),
                                                        BGC_CODE(BGC_ERROR_RESOURCE_LANG_NOT_FOUND),
                                                        BGC_CODE(BGC_BG_S_PARTIAL_COMPLETE),
                                                        BGC_CODE(BGC_BG_S_UNABLE_TO_DELETE_FILES),
                                                        BGC_CODE(BGC_BG_E_NOT_FOUND),
                                                        BGC_CODE(BGC_BG_E_INVALID_STATE),
                                                        BGC_CODE(BGC_BG_E_EMPTY),
                                                        BGC_CODE(BGC_BG_E_FILE_NOT_AVAILABLE),
                                                        BGC_CODE(BGC_BG_E_PROTOCOL_NOT_AVAILABLE),
                                                        BGC_CODE(BGC_BG_E_ERROR_INFORMATION_UNAVAILABLE),
                                                        BGC_CODE(BGC_BG_E_NETWORK_DISCONNECTED),
                                                        BGC_CODE(BGC_BG_E_NO_PROGRESS),
                                                        BGC_CODE(BGC_DO_E_DOWNLOAD_NO_PROGRESS),
                                                        BGC_CODE(BGC_DO_E_JOB_NOT_FOUND),
                                                        BGC_CODE(BGC_DO_E_JOB_EMPTY),
                                                        BGC_CODE(BGC_DO_E_FILE_NOT_AVAILABLE),
                                                        BGC_CODE(BGC_DO_E_INVALID_STATE),
                                                        BGC_CODE(BGC_DO_E_ERROR_INFORMATION_UNAVAILABLE),
                                                        BGC_CODE(BGC_DO_E_BLOCKED_BY_NO_NETWORK)};
#undef BGC_CODE
  for (const auto& [name, value] : codes) EXPECT_EQ(hresult_from_name(name), std::optional<HRESULT>(value)) << name;
  EXPECT_EQ(BGC_BG_E_HTTP_ERROR(404), hr::http_error(404));
  EXPECT_EQ(BGC_STATE_CANCELLED + 1, kJobStateCount);
  EXPECT_EQ(static_cast<JobState>(BGC_STATE_TRANSIENT_ERROR), JobState::TransientError);
  EXPECT_EQ(BGC_CONTEXT_SERVER_CERTIFICATE_CALLBACK + 1, kErrorContextCount);
  EXPECT_EQ(static_cast<ErrorContext>(BGC_CONTEXT_REMOTE_FILE), ErrorContext::RemoteFile);
}

std::string load_error(const std::string& path) {
  std::string error;
  auto t = PluginTarget::load(path, error);
  EXPECT_FALSE(t) << path << " loaded";
  return error;
}

TEST(Loader, MissingFile) {
  EXPECT_EQ(load_error("/nonexistent/libnothing.so"), "plugin '/nonexistent/libnothing.so': no such file");
}

TEST(Loader, TextFileIsNotALibrary) {
  EXPECT_NE(load_error(BGC_BAD_TEXT).find("not a loadable shared library"), std::string::npos);
}

TEST(Loader, NoEntryPoint) {
  EXPECT_NE(load_error(BGC_BAD_NO_ENTRY).find("does not export the entry point bgc_vendor_entry"), std::string::npos);
}

TEST(Loader, EntryRefusesTheVersion) {
  EXPECT_NE(load_error(BGC_BAD_REFUSES).find("does not support ABI version 1"), std::string::npos);
}

TEST(Loader, WrongAbiVersion) {
  EXPECT_NE(load_error(BGC_BAD_ABI_VERSION).find("unsupported ABI version 99 (the harness speaks version 1)"),
            std::string::npos);
}

TEST(Loader, ShortTable) {
  EXPECT_NE(load_error(BGC_BAD_SHORT_TABLE).find("function table too short"), std::string::npos);
}

TEST(Loader, NullRequiredFunction) {
  EXPECT_NE(load_error(BGC_BAD_NULL_REQUIRED).find("required function 'resume' is NULL"), std::string::npos);
}

TEST(Loader, ValidMinimalTableLoadsAndOptionalCallsAreNotSupported) {
  std::string error;
  auto t = PluginTarget::load(BGC_GOOD_SMALL, error);
  ASSERT_TRUE(t) << error;
  t->reset(Profile::Bits);
  EXPECT_EQ(to_string(t->apply(stim::create_job(0)), Op::CreateJob), "S_OK state=SUSPENDED");
  EXPECT_EQ(t->apply(stim::call(Op::Suspend, 0)).outcome, Outcome::NotSupported);
  EXPECT_EQ(t->apply(stim::with_handle(Op::GetError, 0, 0)).outcome, Outcome::NotSupported);
  EXPECT_FALSE(t->capabilities().virtual_clock);     // no run_until
  EXPECT_THROW(t->reset(Profile::Do), PluginError);  // offers bits only
}

TEST(Loader, IsolatedHostReportsTheLoadError) {
  std::string error;
  IsolatedOptions options;
  options.host_path = BGC_HOST;
  auto t = IsolatedTarget::launch(BGC_BAD_NULL_REQUIRED, options, error);
  EXPECT_FALSE(t);
  EXPECT_NE(error.find("required function 'resume' is NULL"), std::string::npos) << error;
  t = IsolatedTarget::launch("/nonexistent/libnothing.so", options, error);
  EXPECT_FALSE(t);
  EXPECT_EQ(error, "plugin '/nonexistent/libnothing.so': no such file");
}

TEST(Loader, MissingHostIsAClearError) {
  std::string error;
  IsolatedOptions options;
  options.host_path = "/nonexistent/bgconform-host";
  EXPECT_FALSE(IsolatedTarget::launch(BGC_GOOD_SMALL, options, error));
  EXPECT_NE(error.find("/nonexistent/bgconform-host"), std::string::npos) << error;
}

}  // namespace
}  // namespace bgc
