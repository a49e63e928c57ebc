#include "com.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "bgconform/interrupt.h"
#include "target_factory.h"
#include "command.h"

namespace bgc::bench {

ComFigures measure_com(const std::string& plain_client, int calls) {
  ComFigures f;
  f.calls = calls;
  if (plain_client.empty() || !std::filesystem::exists(plain_client)) {
    f.error = "the MinGW-built programs are missing (g++-mingw-w64-x86-64)";
    return f;
  }
  // One prefix for both, kept by ComTarget (a given --wine-prefix), removed here afterwards.
  const std::string prefix =
      (std::filesystem::temp_directory_path() /
       ("bgconform-bench-wine-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count())))
          .string();
  {
    TargetOptions options;
    options.wine_prefix = prefix;
    std::string error;
    std::unique_ptr<Target> t = make_target("com:bits", Profile::Bits, options, error);
    if (!t) {
      f.error = error;
    } else {
      t->reset(Profile::Bits);
      t->apply(stim::create_job(0));
      t->apply(stim::call(Op::GetState, 0));  // the first call sets up the proxy
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < calls && !interrupted(); ++i) t->apply(stim::call(Op::GetState, 0));
      f.agent_ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / calls;
    }
  }
  if (f.error.empty() && !interrupted()) {
    const std::string out =
        output_of("WINEPREFIX='" + prefix + "' WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=' wine '" +
                  plain_client + "' " + std::to_string(calls) + " 2>/dev/null");
    if (std::sscanf(out.c_str(), "ns_per_call %lf", &f.plain_ns) != 1) f.error = "the plain client said: " + out;
  }
  std::system(("WINEPREFIX='" + prefix + "' wineserver -k 2>/dev/null; rm -rf '" + prefix + "'").c_str());
  return f;
}

}  // namespace bgc::bench
