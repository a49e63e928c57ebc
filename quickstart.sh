#!/usr/bin/env bash
# Set up, build and run bgconform on Debian 12.
#   ./quickstart.sh run    install what is missing, build into build/, run conformance against the
#                          built-in reference service (profile bits), reports in ./bgconform-report/
#   ./quickstart.sh test   install what is missing, build into build/, run the whole suite (CTest)
#   ./quickstart.sh fuzz   build the libFuzzer targets into build-fuzz/ (clang, ASan+UBSan); each replays
#                          its seeds and regressions, then fuzzes the reference for BGC_FUZZ_SECONDS
#                          (default 30), printing exec/s; then every mutant the sequence fuzzer must find
#   ./quickstart.sh fuzz-mutants   the same search for every mutant, with and without the model-coverage
#                          feedback: runs and seconds to each finding, and their ratio
#   ./quickstart.sh asan   the whole suite built with ASan+UBSan into build-asan/
#   ./quickstart.sh bench  build, then the benchmarks (conformance/bench/): one table on screen, and
#                          bench-results/bench.md, bench.json, coverage.svg
#   ./quickstart.sh windows [bits|do]   inside WSL on a Windows machine: build bgconform and the COM
#                          agent, then run against Microsoft's own BITS (default) or Delivery Optimization,
#                          reports in ./bgconform-report/windows-<service>/
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the build needs (find_package finds them; nothing is downloaded by CMake). `run` installs
# only what the tool needs (GoogleTest too: the default preset configures the suites, and builds none of them).
TOOL_PACKAGES=(cmake g++ make libgtest-dev libgmock-dev librapidcheck-dev nlohmann-json3-dev libcli11-dev libfmt-dev
               pkgconf libcpp-httplib-dev)
PACKAGES=("${TOOL_PACKAGES[@]}")
# The fuzz targets: clang's libFuzzer.
PACKAGES+=(clang libclang-rt-14-dev llvm)
# The report checks (reports/tests): JSON Schema validation, the JUnit XSD, report.html in headless Chromium.
PACKAGES+=(python3 python3-jsonschema libxml2-utils chromium)
# The real services (com:bits, com:do): the loopback origin server, the COM agent's cross compiler,
# and Wine to run Wine's own BITS (qmgr.dll) here.
PACKAGES+=(g++-mingw-w64-x86-64 wine wine64)
# The source checks: the house format (.clang-format).
PACKAGES+=(clang-format)
# fuzz/find_mutants.sh times and compares its runs with bc.
PACKAGES+=(bc)
# The benchmarks (conformance/bench): Google Benchmark, and Hypothesis for the peer it is compared with.
PACKAGES+=(libbenchmark-dev python3-hypothesis)
# conformance/bench/kill_rate.sh reads the mutants' matrices with jq.
PACKAGES+=(jq)

# `windows` builds only the tool and the agent, so it installs only what they need (no Wine: the
# agent talks to Windows' own services; no browser or benchmarks).
WINDOWS_PACKAGES=("${TOOL_PACKAGES[@]}" g++-mingw-w64-x86-64)

usage() {
  echo "usage: ./quickstart.sh run|test|fuzz|fuzz-mutants|asan|bench|windows [bits|do]" >&2
  exit 2
}

install_missing() {  # [PACKAGE...]: default, all of PACKAGES
  local wanted=("$@") missing=()
  [ ${#wanted[@]} -gt 0 ] || wanted=("${PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "quickstart: installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "quickstart: need root (or sudo) to install ${missing[*]}" >&2; exit 2; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {  # [TARGET...]: default, everything (the suites, benchmarks, the COM agent)
  cmake --preset default >/dev/null
  cmake --build --preset default -j "$(nproc)" ${1:+--target "$@"}
}

[ $# -eq 1 ] || { [ $# -eq 2 ] && [ "$1" = windows ]; } || usage
case "$1" in
  run)
    # Only the tool and its plugin host: the first result in minutes on a fresh machine.
    install_missing "${TOOL_PACKAGES[@]}"
    build bgconform bgconform-host
    ./build/bgconform run --target reference --report-dir bgconform-report
    ;;
  test)
    install_missing
    build
    ctest --preset default -j 2
    ;;
  fuzz)
    install_missing
    start=$(date +%s)
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -j "$(nproc)"
    echo "quickstart: fuzz build took $(( $(date +%s) - start ))s"
    fuzz/run_fuzzers.sh build-fuzz "${BGC_FUZZ_SECONDS:-30}"
    ;;
  fuzz-mutants)
    install_missing
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -j "$(nproc)"
    fuzz/find_mutants.sh build-fuzz --compare
    ;;
  asan)
    install_missing
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$(nproc)"
    # The per-mutant command-line runs (and the installed example project) drive the same code as the
    # default pass; under the sanitizers they would only repeat it several times slower. So does the
    # run against Wine's BITS and its replays (the real-time Runner has its own quick tests here), the
    # report checks that make several whole runs to merge, gate, repeat them or compare them with the golden
    # reports (the report code has its unit tests here; a crash under ASan is its report, not a signal), and the fault runs with their rule switched off (every failing fault run here
    # switches each rule off in turn to name the broken one). That saves about two minutes of
    # `.ci/run` (its goal is 30 minutes on 2 cores). The preset builds no benchmarks (BGC_BENCH).
    ctest --preset asan -j 2 -E '^(mutant\.|examples\.vendor_project|cli\.com_(bits|replay)_|cli\.com_(agent_protocol|windows_host_emulated)$|reports\.(shards_merge|ledger_gate|same_seed_same_report|golden\..*)$|conformance\.Faults/FaultTest\.SurvivesWithItsRuleSwitchedOff/)'
    ;;
  bench)
    install_missing
    build
    ./build/bgconform-bench --out bench-results
    ;;
  windows)
    service="${2:-bits}"
    case "$service" in bits|do) ;; *) usage ;; esac
    if [ -z "${WSL_DISTRO_NAME:-}" ] && ! grep -qi microsoft /proc/sys/kernel/osrelease 2>/dev/null; then
      echo "quickstart: 'windows' runs inside WSL on a Windows machine (here: use './quickstart.sh test', which runs Wine's BITS)" >&2
      exit 2
    fi
    install_missing "${WINDOWS_PACKAGES[@]}"
    build bgconform bgconform-host bgconform_com_agent
    # Exit 1 when the service deviates from the spec: the report says where.
    ./build/bgconform run --target "com:$service" --com-host windows --report-dir "bgconform-report/windows-$service"
    ;;
  *) usage ;;
esac
