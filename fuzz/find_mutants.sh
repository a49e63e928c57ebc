#!/usr/bin/env bash
# The mutant catalogue against job_sequence_fuzzer: every mutant (harness/sdk/mutants/mutants.def)
# must be found within a fixed number of runs from a fixed seed, starting from the seed corpus of the
# mutant's profile (the model's transition tour, BUILD_DIR/fuzz/seeds/) with the fuzzer's dictionary,
# with the model-coverage counters on; per mutant the runs and seconds to the finding are printed. The
# tour applies every reachable (state, stimulus kind) pair once, and every other run of the fuzzer
# (the smoke, ClusterFuzzLite) starts from it; from an empty corpus the fuzzer spent its runs rebuilding
# it, and error-count-per-attempt (E-9) was not found within the cap (fuzz/README.md). With --compare each mutant is fuzzed again with the counters off (same seed,
# same runs, same everything else) and both figures are printed with their ratio: the benchmark of the
# model-coverage feedback (a printed figure, not an assertion; seconds depend on the machine's load).
#   fuzz/find_mutants.sh BUILD_DIR [--compare] [--runs N] [--seed S] [MUTANT...]
# A find is any verdict failure (the fuzzer aborts), a crash (ASan, or a signal) or a hang (-timeout);
# a rule other than the catalogue's expected one is marked with "*". A verdict failure counts only if
# the reference passes its replay file: else it is a disagreement of the model and the reference, not
# the mutant's (printed as "ref-fails" with the replay file kept in BUILD_DIR/fuzz-findings/, and
# counted as a miss). The plugins load into the fuzzer's process, so a crash
# or hang is libFuzzer's (the isolated host, --isolate=1, would make them verdicts at a cost in speed).
# Exit 1 if a mutant was not found with the counters on.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:?usage: find_mutants.sh BUILD_DIR [--compare] [--runs N] [--seed S] [MUTANT...]}" && pwd)"
shift
compare=0 runs=200000 seed=1 only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --compare) compare=1 ;;
    --runs) runs="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    *) only+=("$1") ;;
  esac
  shift
done
fuzzer="$build/fuzz/job_sequence_fuzzer"
mutants="$build/harness/sdk/mutants"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One run: prints "found|missed|ref-fails RULE RUNS SECONDS".
fuzz_one() {  # name profile coverage
  local corpus="$work/corpus-$1-$3" log="$work/log-$1-$3" replays="$work/replays-$1-$3"
  mkdir -p "$corpus" "$replays"
  cp "$build/fuzz/seeds/job_sequence_fuzzer/$2"-* "$corpus/" || return 1
  local start end
  start=$(date +%s.%N)
  (cd "$work" && BGC_FUZZ_REPLAY_DIR="$replays" \
     "$fuzzer" --target="plugin:$mutants/libbgc_mutant_$1.so" --profile="$2" --model-coverage="$3" \
     "$corpus" -seed="$seed" -runs="$runs" -max_len=256 -timeout=3 -rss_limit_mb=4096 -print_final_stats=1 \
     -dict="$build/fuzz/seeds/job_sequence_fuzzer.dict" -artifact_prefix="$work/" \
     >"$log" 2>&1)
  local rc=$?
  end=$(date +%s.%N)
  local n rule
  n=$(grep -oE 'number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  [ -n "$n" ] || n=$(grep -oE 'after [0-9]+ executions' "$log" | grep -oE '[0-9]+' | tail -1)
  rule=$(grep -oE '==== bgconform: [A-Za-z0-9-]+' "$log" | awk '{print $3}' | tail -1)
  if [ -z "$rule" ]; then
    if grep -q "ERROR: libFuzzer: timeout" "$log"; then rule=timeout
    elif grep -qE "ERROR: AddressSanitizer|ERROR: libFuzzer: deadly signal|runtime error" "$log"; then rule=crash
    fi
  fi
  local replay ref_rc=0
  replay=$(find "$replays" -name 'replay-*' | head -1)
  if [ $rc -ne 0 ] && [ -n "$replay" ]; then
    (cd "$work" && "$fuzzer" --input-format=replay --target=reference "$replay" >"$log.reference" 2>&1)
    ref_rc=$?
  fi
  if [ $ref_rc -ne 0 ]; then
    mkdir -p "$build/fuzz-findings"
    cp "$replay" "$build/fuzz-findings/reference-fails-$1-$(basename "$replay")"
    printf 'ref-fails %s %s %.1f\n' "$rule" "${n:-?}" "$(echo "$end - $start" | bc)"
  elif [ $rc -ne 0 ] && [ -n "$rule" ]; then
    printf 'found %s %s %.1f\n' "$rule" "${n:-?}" "$(echo "$end - $start" | bc)"
  else
    printf 'missed - %s %.1f\n' "${n:-$runs}" "$(echo "$end - $start" | bc)"
  fi
}

printf '%-38s %-8s %-8s | %-32s' mutant expected profile "with model coverage"
[ $compare -eq 1 ] && printf ' | %-32s | %s' "without" "without/with runs"
printf '\n'
missed=0 missed_without=0 total_with=0 total_without=0 t_with=0 t_without=0 count=0
start=$(date +%s)
while IFS= read -r row; do
  name=$(sed -E 's/^MUTANT\([A-Za-z0-9]+, "([a-z0-9-]+)".*/\1/' <<<"$row")
  expected=$(sed -E 's/^MUTANT\([A-Za-z0-9]+, "[a-z0-9-]+", "([^"]+)".*/\1/' <<<"$row")
  profile=$(sed -E 's/^MUTANT\([A-Za-z0-9]+, "[a-z0-9-]+", "[^"]+", "([a-z]+)".*/\1/' <<<"$row")
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then continue; fi
  count=$((count + 1))
  read -r status rule n secs < <(fuzz_one "$name" "$profile" 1)
  mark=" "; [ "$status" = found ] && [ "$rule" != "$expected" ] && mark="*"
  printf '%-38s %-8s %-8s | %-6s %-7s %8s runs %6ss' "$name" "$expected" "$profile" "$status" "$rule$mark" "$n" "$secs"
  [ "$status" = found ] || missed=$((missed + 1))
  total_with=$((total_with + n)); t_with=$(echo "$t_with + $secs" | bc)
  if [ $compare -eq 1 ]; then
    read -r status2 rule2 n2 secs2 < <(fuzz_one "$name" "$profile" 0)
    mark=" "; [ "$status2" = found ] && [ "$rule2" != "$expected" ] && mark="*"
    printf ' | %-6s %-7s %8s runs %6ss' "$status2" "$rule2$mark" "$n2" "$secs2"
    [ "$status2" = found ] || missed_without=$((missed_without + 1))
    total_without=$((total_without + n2)); t_without=$(echo "$t_without + $secs2" | bc)
    # A miss counts as the cap: the ratio is then a lower bound (">=").
    ratio=$(printf '%.1f' "$(echo "scale=3; $n2 / ($n + 0.0001)" | bc)")  # bc writes .9, not 0.9
    if [ "$status2" != found ]; then printf ' | >=%sx' "$ratio"; else printf ' | %sx' "$ratio"; fi
  fi
  printf '\n'
done < <(grep -E '^MUTANT\(' "$here/../harness/sdk/mutants/mutants.def")

echo "with model coverage: found $((count - missed)) of $count, $total_with runs, $(printf "%.1f" "$t_with")s in all (a miss counts as $runs runs)"
if [ $compare -eq 1 ]; then
  echo "without model coverage: found $((count - missed_without)) of $count, $total_without runs, $(printf "%.1f" "$t_without")s in all"
  echo "runs without / runs with, summed: $(printf '%.2f' "$(echo "scale=3; $total_without / ($total_with + 0.0001)" | bc)")x (a lower bound while misses count as the cap)"
fi
echo "find_mutants: $(( $(date +%s) - start ))s (seed $seed, at most $runs runs per mutant and mode)"
if [ $missed -ne 0 ]; then
  echo "find_mutants: FAILED: $missed mutant(s) not found within $runs runs from seed $seed with model coverage" >&2
  exit 1
fi
echo "find_mutants: every mutant listed found within $runs runs from seed $seed"
