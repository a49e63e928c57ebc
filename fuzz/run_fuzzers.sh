#!/usr/bin/env bash
# Runs every fuzzer for a bounded time against the reference, starting from its seed corpus (from the
# model's tour) and its saved regressions, and prints exec/s for each (a figure, not an assertion);
# then job_sequence_fuzzer against a few mutants, each of which it must find from a fixed seed.
#   fuzz/run_fuzzers.sh BUILD_DIR [SECONDS per fuzzer, default 30]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS]}" && pwd)"
seconds="${2:-30}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail=0
for fuzzer in job_sequence_fuzzer replay_file_fuzzer text_form_fuzzer host_protocol_fuzzer config_fuzzer; do
  corpus="$work/$fuzzer"
  mkdir -p "$corpus"
  cp -r "$build/fuzz/seeds/$fuzzer/." "$corpus/"
  [ -d "$here/regressions/$fuzzer" ] && cp -r "$here/regressions/$fuzzer/." "$corpus/"
  flags=(-max_total_time="$seconds" -seed=1 -print_final_stats=1 -timeout=10)
  # The .options file's [libfuzzer] settings, and the dictionary.
  if [ -f "$here/$fuzzer.options" ]; then
    while IFS='=' read -r k v; do
      k="${k// /}"; v="${v// /}"
      case "$k" in ''|\[*|\#*) ;; dict) if [ -f "$here/$v" ]; then flags+=(-dict="$here/$v"); else flags+=(-dict="$build/fuzz/seeds/$v"); fi ;; *) flags+=("-$k=$v") ;; esac
    done < "$here/$fuzzer.options"
  fi
  log="$work/$fuzzer.log"
  if (cd "$work" && "$build/fuzz/$fuzzer" "$corpus" "${flags[@]}" >"$log" 2>&1); then
    status=ok
  else
    status=FAILED; fail=1
    sed -n '/==== bgconform/,$p;/ERROR:/,$p' "$log" | head -60
  fi
  runs=$(grep -oE 'number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  eps=$(grep -oE 'average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  printf 'fuzz: %-22s %-6s %8s exec/s  %9s runs in %ss (seeds and regressions replayed first)\n' \
    "$fuzzer" "$status" "$eps" "$runs" "$seconds"
done
# A few mutants the sequence fuzzer must find (the whole catalogue: fuzz/find_mutants.sh).
"$here/find_mutants.sh" "$build" --runs 200000 resume-empty-succeeds suspend-ignored-while-running \
  no-progress-never-fires crash-after-release hang-in-cancel || fail=1
exit $fail
