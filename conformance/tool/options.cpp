#include "options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <set>
#include <sstream>

#include "bgconform/plugin_target.h"
#include "target_factory.h"

namespace bgc::tool {

void ModelOptions::add_to(CLI::App& app, bool with_rule_switches) {
  profile_option =
      app.add_option("--profile", profile, "Interface family: bits (BITS, qmgr.dll) or do (Delivery Optimization)")
          ->check(CLI::IsMember({"bits", "do"}))
          ->capture_default_str();
  if (!with_rule_switches) return;
  app.add_option("--interpretation", interpretations,
                 "Pick an interpretation where the documentation is silent, e.g. I-1=either (see 'bgconform rules')")
      ->type_name("I-n=VALUE");
  app.add_option("--disable-rule", disabled_rules, "Switch a rule's check off, e.g. E-2 (a negative control)")
      ->type_name("ID");
}

ModelConfig ModelOptions::config() const {
  ModelConfig c;
  c.profile = *parse_profile(profile);
  apply_switches(c);
  return c;
}

void ModelOptions::apply_switches(ModelConfig& c) const {
  std::set<std::string> given;  // a second value for one interpretation would silently win
  for (const std::string& assignment : interpretations) {
    if (std::string error = c.interpretations.set(assignment); !error.empty())
      throw CLI::ValidationError("--interpretation", error);
    if (const std::string id = assignment.substr(0, assignment.find('=')); !given.insert(id).second)
      throw CLI::ValidationError("--interpretation", id + " is given twice");
  }
  for (const std::string& id : disabled_rules) {
    auto rule = parse_rule_id(id);
    if (!rule)
      throw CLI::ValidationError("--disable-rule",
                                 "'" + id + "' is not a rule the model checks (see 'bgconform rules')");
    c.rules = c.rules.without(*rule);
  }
}

ModelConfig ModelOptions::config_for(const std::string& target) const {
  if (target.rfind("com:", 0) != 0 || (profile_option != nullptr && profile_option->count() > 0)) return config();
  ModelOptions implied = *this;
  if (parse_profile(target.substr(4))) implied.profile = target.substr(4);
  return implied.config();
}

namespace {
// Seconds within [lo, hi] (lo_open: above lo), or why not. NaN fails every comparison, so the check is
// written to let only a number in range through.
std::string seconds_within(const std::string& text, double lo, double hi, bool lo_open, const std::string& range) {
  double seconds = 0;
  try {
    std::size_t used = 0;
    seconds = std::stod(text, &used);
    if (used != text.size()) return "'" + text + "' is not a number of seconds";
  } catch (const std::exception&) {
    return "'" + text + "' is not a number of seconds";
  }
  if (!((lo_open ? seconds > lo : seconds >= lo) && seconds <= hi)) return "'" + text + "' is not " + range;
  return {};
}

// A whole number in [1, most], or why not.
template <class N>
std::string count_within(const std::string& text, N most, const std::string& most_text) {
  N n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > most)
    return "'" + text + "' is not a whole number from 1 to " + most_text;
  return {};
}
}  // namespace

const CLI::Validator& call_timeout_range() {
  // A call timeout becomes whole milliseconds (and nanoseconds in the host's clock arithmetic): a day
  // at most keeps that in range, and a millisecond at least keeps it from rounding to nothing.
  static const CLI::Validator check(
      [](std::string& text) { return seconds_within(text, 0.001, 86400, false, "between 0.001 and 86400 seconds"); },
      "SECONDS in [0.001, 86400]");
  return check;
}

const CLI::Validator& positive_count() {
  // CLI::PositiveNumber names its upper bound as a 300-digit number.
  static const CLI::Validator check(
      [](std::string& text) {
        return count_within(text, std::numeric_limits<int>::max(), std::to_string(std::numeric_limits<int>::max()));
      },
      "N >= 1");
  return check;
}

const CLI::Validator& positive_count64() {
  static const CLI::Validator check(
      [](std::string& text) { return count_within<std::uint64_t>(text, 1'000'000'000'000'000ull, "10^15"); }, "N >= 1");
  return check;
}

const CLI::Validator& positive_seconds() {
  static const CLI::Validator check(
      [](std::string& text) { return seconds_within(text, 0, 1e9, true, "a number of seconds above 0"); },
      "SECONDS > 0");
  return check;
}

const CLI::Validator& digits_only() {
  static const CLI::Validator check(
      [](std::string& text) -> std::string {
        const bool digits =
            !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        return digits ? std::string() : "'" + text + "' is not a whole number";
      },
      "N");
  return check;
}

namespace {
// --target: a name, not empty and on one line.
const CLI::Validator& target_spec() {
  static const CLI::Validator check(
      [](std::string& text) -> std::string {
        // Empty stands for the command's default inside (options.h); given on the command line it is a
        // mistake, such as an unset shell variable, not a request for the default.
        if (text.empty()) return "needs a target, e.g. reference or plugin:PATH";
        // The target is written into replay files and reproduce commands, one line each.
        if (has_control_char(text)) return "a target name with a control character (a newline?) in it";
        return {};
      },
      "TARGET");
  return check;
}
}  // namespace

void TargetCli::add_to(CLI::App& app, const std::string& default_help) {
  app.add_option("--target", target,
                 "reference, reference+fault:NAME (see 'bgconform faults'), plugin:PATH (a vendor library), or "
                 "com:bits / com:do (the real service through the COM agent: under Wine, or on Windows from "
                 "inside WSL). " +
                     default_help)
      ->check(target_spec());
  app.add_flag("--isolate,!--no-isolate", isolate,
               "Run a plugin in a child host process, so a crash or hang is a finding (default), or in-process. The "
               "host is the bgconform-host beside bgconform, or $BGCONFORM_HOST")
      ->default_str("--isolate");
  app.add_option("--host-memory", host_limits.memory_mib,
                 "Isolated plugins: the address space the host may use, in MiB (0: no limit); a library past it "
                 "ends as a crash, 'memory limit'")
      ->capture_default_str()
      ->check(digits_only());
  app.add_option("--host-cpu", host_limits.cpu_seconds_per_case,
                 "Isolated plugins: CPU seconds the host may use in one case, its threads included (0: no limit)")
      ->capture_default_str()
      ->check(digits_only());
  app.add_option("--host-file-size", host_limits.file_size_mib,
                 "Isolated plugins: the largest file the host may write, in MiB (0: no limit)")
      ->capture_default_str()
      ->check(digits_only());
  app.add_option("--host-processes", host_limits.processes,
                 "Isolated plugins: processes and threads the host and all it starts may have at once (a pids "
                 "cgroup, where bgconform may make one; 0: no limit); a fork bomb ends there, as a finding")
      ->capture_default_str()
      ->check(digits_only());
  app.add_option("--host-env", host_limits.pass_environment,
                 "Isolated plugins: pass this environment variable to the host too (it gets only PATH, HOME, LANG, "
                 "LC_ALL, TZ, TMPDIR, LD_LIBRARY_PATH and *SAN_OPTIONS otherwise)")
      ->type_name("NAME");
  app.add_option("--host-user", host_limits.user,
                 "Isolated plugins: run the host as this user (bgconform must run as root; the library and its "
                 "directories must be readable by that user)")
      ->type_name("NAME");
  app.add_option("--call-timeout", call_timeout,
                 "Seconds one call of an isolated plugin may take before it counts as hung (while a hang is shrunk, "
                 "and after one is confirmed, a call 50 times slower than any answer before counts as the same hang)")
      ->capture_default_str()
      ->check(call_timeout_range());
  app.add_option("--com-agent", com_agent,
                 "com: targets: the agent program (default: $BGCONFORM_COM_AGENT, else the "
                 "bgconform-com-agent.exe beside bgconform)");
  app.add_option("--com-host", com_host,
                 "com: targets: where the agent runs - wine (Wine's own BITS), windows (Microsoft's BITS/DO: "
                 "bgconform inside WSL starts the agent on the Windows side) or auto (windows inside WSL, else "
                 "wine)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "wine", "windows"}));
  app.add_option("--wine-prefix", wine_prefix,
                 "com: targets under Wine: a Wine prefix to use and keep; the run stops whatever Wine runs in it at "
                 "its start and its end (default: a private one made for the run and removed)");
  app.add_option("--start-timeout", com_start_timeout,
                 "com: targets: seconds the agent may take to start and answer its first call (Wine starts its "
                 "services then; on a busy machine that takes longer)")
      ->capture_default_str()
      ->check(call_timeout_range());
  app.add_option("--com-work-dir", com_work_dir,
                 "com: targets: where the run's downloads and local source go (default: $TMPDIR under Wine, "
                 "/mnt/c/Users/Public on Windows; the service must be able to reach it)");
}

TargetOptions TargetCli::options() const {
  TargetOptions o;
  o.isolate = isolate;
  o.call_timeout = std::chrono::milliseconds(static_cast<long long>(call_timeout * 1000.0));
  o.com_agent = com_agent;
  o.com_host = com_host;
  o.wine_prefix = wine_prefix;
  o.com_work_dir = com_work_dir;
  o.com_start_timeout = std::chrono::milliseconds(static_cast<long long>(com_start_timeout * 1000.0));
  o.host_limits = host_limits;
  return o;
}

std::unique_ptr<Target> TargetCli::make(const std::string& spec, Profile profile) const {
  // A library in this process that crashes is the target's crash (exit 3, said so), not the harness's.
  if (!isolate && is_plugin_spec(spec)) PluginTarget::report_crashes_in_calls(kExitCrash);
  std::string error;
  std::unique_ptr<Target> t = make_target(spec, profile, options(), error);
  if (!t) throw CLI::ValidationError("--target", error);
  const auto caps = t->capabilities();
  if (std::find(caps.profiles.begin(), caps.profiles.end(), profile) == caps.profiles.end())
    throw CLI::ValidationError("--profile", spec + " does not run in profile " + std::string(name(profile)));
  return t;
}

RcParams rc_params_from_environment() {
  RcParams p;
  const char* text = std::getenv("RC_PARAMS");
  if (text == nullptr) return p;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    const auto eq = word.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key != "seed" && key != "max_success" && key != "max_size") continue;  // others are RapidCheck's own
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || (key != "seed" && (n == 0 || n > 1'000'000))) {
      p.error = "'" + word + "' is not a usable " + key;
      return p;
    }
    if (key == "seed")
      p.seed = n;
    else if (key == "max_success")
      p.max_success = static_cast<int>(n);
    else
      p.max_size = static_cast<int>(n);
  }
  return p;
}

}  // namespace bgc::tool
