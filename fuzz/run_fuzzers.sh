#!/usr/bin/env bash
# The fuzz smoke (./quickstart.sh fuzz, CI). For each fuzzer: first its seed corpus (from the model's
# tour, real ledgers and reports) and its saved regressions (fuzz/regressions/<fuzzer>/) are replayed
# once, then it fuzzes the reference for SECONDS from them; exec/s is printed (a figure, not an
# assertion). job_sequence_fuzzer also replays the regression replay files (fuzz/regressions/*.replay)
# with --input-format=replay, and fuzzes again under the other interpretations the reference must pass
# (fuzz/reference-passes.interpretations). Then job_sequence_fuzzer must find every mutant of the catalogue from a
# fixed seed within a fixed number of runs (find_mutants.sh, with the model-coverage counters), and the
# same search without the counters is printed beside it.
#   fuzz/run_fuzzers.sh BUILD_DIR [SECONDS per fuzzer, default 30]
# Fails (exit 1) when a replay fails, when a fuzzer finds anything against the reference, or when a
# mutant is not found. Whatever a fuzzer found is kept in BUILD_DIR/fuzz-findings/.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS]}" && pwd)"
seconds="${2:-30}"
fuzzers=(job_sequence_fuzzer replay_file_fuzzer text_form_fuzzer host_protocol_fuzzer config_fuzzer ledger_fuzzer
         report_fuzzer trace_fuzzer)
# Every mutant of the catalogue, as issue 5 asks (from the tour seeds most are found while the seeds
# replay; the whole catalogue takes under a minute here).
smoke_runs=200000
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
findings="$build/fuzz-findings"
mkdir -p "$findings"
start=$(date +%s)
fail=0

# The libFuzzer flags of a fuzzer's .options file ([libfuzzer] section) and its dictionary.
options() {
  local fuzzer=$1 k v
  [ -f "$here/$fuzzer.options" ] || return 0
  while IFS='=' read -r k v; do
    k="${k// /}"; v="${v// /}"
    case "$k" in
      ''|\[*|\#*) ;;
      dict) if [ -f "$here/$v" ]; then echo "-dict=$here/$v"; else echo "-dict=$build/fuzz/seeds/$v"; fi ;;
      *) echo "-$k=$v" ;;
    esac
  done < "$here/$fuzzer.options"
}

# Prints what went wrong in a fuzzer's log: our own report if there is one, else libFuzzer's and the
# sanitizers' error, else the log's end (a dictionary it cannot read, an unknown flag, ...).
show_failure() {
  local log=$1
  if grep -qE '==== bgconform|ERROR:|_fuzzer: ' "$log"; then
    sed -n '/==== bgconform/,$p;/ERROR:/,$p;/_fuzzer: /p' "$log" | head -80
  else
    tail -20 "$log"
  fi
}

# Fuzzes FUZZER from its corpus for $seconds against the reference, with the flags after NOTE, and
# prints one line (NOTE at its end): runs and exec/s, or what it found.
fuzz_for() {
  local fuzzer=$1 name=$2 note=$3 status runs eps
  shift 3
  local log="$work/$name.log"
  if (cd "$work" && "$build/fuzz/$fuzzer" "$@" -max_total_time="$seconds" "$work/$fuzzer" >"$log" 2>&1); then
    status=ok
  else
    status=FAILED; fail=1
    echo "fuzz: $fuzzer found something against the reference ($note; kept in $findings/):"
    show_failure "$log"
  fi
  runs=$(grep -oE 'number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  eps=$(grep -oE 'average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  printf 'fuzz: %-22s %-6s %8s exec/s %10s runs in %ss; %s\n' "$fuzzer" "$status" "${eps:-?}" "${runs:-?}" \
    "$seconds" "$note"
}

for fuzzer in "${fuzzers[@]}"; do
  corpus="$work/$fuzzer"
  mkdir -p "$corpus"
  cp -r "$build/fuzz/seeds/$fuzzer/." "$corpus/"
  if [ -d "$here/regressions/$fuzzer" ]; then cp -r "$here/regressions/$fuzzer/." "$corpus/"; fi
  inputs=$(find "$corpus" -type f | wc -l)
  mapfile -t flags < <(options "$fuzzer")
  flags+=(-seed=1 -print_final_stats=1 -artifact_prefix="$findings/$fuzzer-")

  # 1. Replay: every seed and regression once (-runs=0 runs the initial corpus and stops).
  log="$work/$fuzzer.replay.log"
  if (cd "$work" && "$build/fuzz/$fuzzer" "${flags[@]}" -runs=0 "$corpus" >"$log" 2>&1); then
    replay="replayed $inputs inputs"
  else
    replay="REPLAY FAILED"; fail=1
    echo "fuzz: $fuzzer: replaying its seeds and regressions failed:"
    show_failure "$log"
  fi
  if [ "$fuzzer" = job_sequence_fuzzer ]; then
    # The regression replay files, as `bgconform replay` runs them; "# expect exit N" (default 0).
    n=0
    for file in "$here"/regressions/*.replay; do
      [ -f "$file" ] || continue
      expect=$(sed -nE 's/^# expect exit ([0-9]+).*/\1/p' "$file" | head -1)
      target=$(sed -nE 's/^target (.*)$/\1/p' "$file" | head -1)
      (cd "$work" && "$build/fuzz/$fuzzer" --input-format=replay --target="${target:-reference}" "$file" \
         >"$work/regression.log" 2>&1)
      rc=$?
      if { [ "${expect:-0}" = 0 ] && [ $rc -eq 0 ]; } || { [ "${expect:-0}" != 0 ] && [ $rc -ne 0 ]; }; then
        n=$((n + 1))
      else
        replay="REPLAY FAILED"; fail=1
        echo "fuzz: regression $(basename "$file") exited $rc, expected ${expect:-0}:"
        show_failure "$work/regression.log"
      fi
    done
    replay="$replay, $n regression replay files"
    # The hang mutant under --isolate=1 and the shipped -timeout: a timeout verdict with its shortest
    # replay file, not libFuzzer's alarm while it shrinks (fuzz/README.md).
    hang_dir="$work/hang"
    mkdir -p "$hang_dir"
    (cd "$work" && BGC_FUZZ_REPLAY_DIR="$hang_dir" "$build/fuzz/$fuzzer" "${flags[@]}" --isolate=1 --input-format=replay \
       --target="plugin:$build/harness/sdk/mutants/libbgc_mutant_hang-in-cancel.so" \
       "$here/tests/data/hang-in-cancel.replay" >"$work/hang.log" 2>&1)
    if grep -q '==== bgconform: timeout' "$work/hang.log" && [ -f "$hang_dir/replay-timeout.txt" ] &&
       ! grep -q 'ALARM' "$work/hang.log"; then
      replay="$replay, the hang mutant shrunk to a timeout replay"
    else
      replay="$replay, HANG NOT REPORTED"; fail=1
      echo "fuzz: the hang mutant under --isolate=1 did not end as a timeout with its replay file:"
      tail -30 "$work/hang.log"
    fi
  fi

  # 2. Fuzzing from them for $seconds against the reference.
  fuzz_for "$fuzzer" "$fuzzer" "$replay" "${flags[@]}"
done

# The sequence fuzzer once more, its corpus grown, judging under the alternative interpretations the
# reference must pass too (fuzz/reference-passes.interpretations).
others=$(grep '^I-' "$here/reference-passes.interpretations" | paste -sd, -)
mapfile -t flags < <(options job_sequence_fuzzer)
fuzz_for job_sequence_fuzzer job_sequence_fuzzer.interpretations "under $others" "${flags[@]}" -seed=1 \
  -print_final_stats=1 -artifact_prefix="$findings/job_sequence_fuzzer-interpretations-" --interpretation="$others"

# --compare: the same search without the model-coverage counters too, so the log shows what the
# feedback is worth (a figure; only the runs with the counters must find every mutant).
echo "fuzz: job_sequence_fuzzer must find every mutant of the catalogue within $smoke_runs runs from seed 1:"
"$here/find_mutants.sh" "$build" --compare --runs "$smoke_runs" || fail=1

echo "fuzz: smoke took $(( $(date +%s) - start ))s ($seconds s per fuzzer)"
if [ $fail -ne 0 ]; then
  echo "fuzz: FAILED (inputs that failed are in $findings/; fuzz/README.md says how to turn one into a replay file)" >&2
fi
exit $fail
