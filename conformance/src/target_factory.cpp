#include "target_factory.h"

#include <algorithm>

#ifdef BGC_HAVE_COM
#include "bgconform/com_target.h"
#endif
#include "bgconform/fault_target.h"
#include "bgconform/isolated_target.h"
#include "bgconform/plugin_target.h"
#include "bgconform/reference_target.h"

namespace bgc {

namespace {
constexpr std::string_view kFaultPrefix = "reference+fault:";
}  // namespace

const FaultInfo* fault_of(std::string_view spec) {
  return spec.substr(0, kFaultPrefix.size()) == kFaultPrefix ? find_fault(spec.substr(kFaultPrefix.size())) : nullptr;
}

std::unique_ptr<Target> make_target(std::string_view spec, Profile profile, const TargetOptions& options,
                                    std::string& error) {
  if (spec == "reference") return std::make_unique<ReferenceTarget>(profile);
  if (spec.substr(0, kFaultPrefix.size()) == kFaultPrefix) {
    if (const FaultInfo* f = fault_of(spec)) return std::make_unique<FaultTarget>(f->fault, profile);
    error = "unknown fault '" + std::string(spec.substr(kFaultPrefix.size())) + "' (see 'bgconform faults')";
    return nullptr;
  }
  if (is_plugin_spec(spec)) {
    const std::string path(spec.substr(kPluginPrefix.size()));
    if (path.empty()) {
      error = "plugin: needs the path of a shared library, e.g. plugin:./libmyservice.so";
      return nullptr;
    }
    if (!options.isolate) return PluginTarget::load(path, error);
    IsolatedOptions isolated;
    isolated.call_timeout = options.call_timeout;
    isolated.host_path = options.host_path;
    isolated.limits = options.host_limits;
    return IsolatedTarget::launch(path, isolated, error);
  }
  constexpr std::string_view com_prefix = "com:";
  if (spec.substr(0, com_prefix.size()) == com_prefix) {
    const auto service = parse_profile(spec.substr(com_prefix.size()));
    if (!service) {
      error = "unknown service '" + std::string(spec.substr(com_prefix.size())) + "': use com:bits or com:do";
      return nullptr;
    }
    if (*service != profile) {
      error = std::string(spec) + " runs in profile " + std::string(name(*service)) + ": add --profile " +
              std::string(name(*service));
      return nullptr;
    }
#ifdef BGC_HAVE_COM
    ComOptions com;
    com.agent_path = options.com_agent;
    com.host = options.com_host;
    com.wine_prefix = options.wine_prefix;
    com.work_dir = options.com_work_dir;
    com.call_timeout = std::max(options.call_timeout, std::chrono::milliseconds(10000));
    com.start_timeout = options.com_start_timeout;
    return ComTarget::launch(profile, com, error);
#else
    error = "this bgconform was built without the com: targets (install libcpp-httplib-dev and rebuild)";
    return nullptr;
#endif
  }
  error = "unknown target '" + std::string(spec) +
          "': use reference, reference+fault:NAME, plugin:PATH, com:bits or com:do";
  return nullptr;
}

}  // namespace bgc
