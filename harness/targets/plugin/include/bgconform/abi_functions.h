// The vendor table's functions by number (vendor_abi.h), so that a crash or a hang can name the one
// the library was in. PluginTarget notes the number before each call in a byte the isolated host
// shares with its fork server and with the harness (a byte per call: the note must cost nothing).
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

namespace bgc::vendor {

// An X-macro list, laid out by hand as a table.
// clang-format off
#define BGC_ABI_FUNCTIONS(X)                                                                                        \
  X(create_manager) X(destroy_manager) X(run_until) X(create_job) X(release_job) X(add_file) X(resume) X(suspend)   \
  X(cancel) X(complete) X(get_state) X(get_error) X(get_progress) X(get_error_count) X(set_no_progress_timeout)     \
  X(get_no_progress_timeout) X(set_minimum_retry_delay) X(get_minimum_retry_delay) X(error_get_error)              \
  X(error_get_file) X(error_get_protocol) X(error_get_error_description) X(error_get_error_context_description)    \
  X(release_error)
// clang-format on

enum class AbiFunction : std::uint8_t {
  none,  // between calls: the library runs only in threads of its own
#define BGC_ABI_ENUM(name) name,
  BGC_ABI_FUNCTIONS(BGC_ABI_ENUM)
#undef BGC_ABI_ENUM
};

// "resume", "create_manager", ...; empty for none (and for a byte that is no function's).
constexpr std::string_view abi_function_name(std::uint8_t f) {
  constexpr std::string_view kNames[] = {"",
#define BGC_ABI_NAME(name) #name,
                                         BGC_ABI_FUNCTIONS(BGC_ABI_NAME)
#undef BGC_ABI_NAME
  };
  return f < std::size(kNames) ? kNames[f] : std::string_view();
}

// Where PluginTarget notes the function it calls: its own byte unless the isolated host gives one in
// shared memory (before loading the library).
void note_calls_in(std::atomic<std::uint8_t>* slot);
std::atomic<std::uint8_t>& calls_noted();

}  // namespace bgc::vendor
