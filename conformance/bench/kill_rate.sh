#!/usr/bin/env bash
# The kill rate of a mutant catalogue over several seeds: `bgconform mutants` once per seed (one run at
# a time), then per mutant on how many seeds it was killed for its rule, and the catalogue's rate
# (kills / (mutants x seeds)). One seed says little: a generator change is judged by the rate over
# seeds nobody tuned to, measured the same way before and after (bench-results/deep-mutants-before.md).
#
#   conformance/bench/kill_rate.sh BUILD_DIR MANIFEST SEEDS [-- extra bgconform mutants options]
#     SEEDS: a range "101..110" or a list "101,105,109"
#   e.g. conformance/bench/kill_rate.sh build harness/sdk/mutants/deep_mutants.def 101..110
#
# Environment: KILL_RATE_REPORTS=DIR keeps each seed's mutants.json/.md in DIR/<catalogue>-<seed>
# (default: a temporary directory, removed at the end). Needs jq.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
build=$1 manifest=$2 seed_spec=$3
shift 3
[ "${1:-}" = "--" ] && shift
extra=("$@")

bgconform="$build/bgconform"
plugins="$build/harness/sdk/mutants"
[ -x "$bgconform" ] || { echo "kill_rate: no $bgconform (build the bgconform target)" >&2; exit 2; }
[ -d "$plugins" ] || { echo "kill_rate: no $plugins (build the bgc_mutant_* targets)" >&2; exit 2; }
[ -f "$manifest" ] || { echo "kill_rate: no manifest $manifest" >&2; exit 2; }
command -v jq >/dev/null || { echo "kill_rate: needs jq" >&2; exit 2; }

case "$seed_spec" in
  *..*) seeds=$(seq "${seed_spec%%..*}" "${seed_spec##*..}") ;;
  *) seeds=$(tr ',' ' ' <<<"$seed_spec") ;;
esac

catalogue=$(basename "$manifest" .def)
if [ -n "${KILL_RATE_REPORTS:-}" ]; then
  reports=$KILL_RATE_REPORTS
  mkdir -p "$reports"
else
  reports=$(mktemp -d)
  trap 'rm -rf "$reports"' EXIT
fi

# One run per seed, in turn: the runs time themselves, and the machine may be shared.
nseeds=0
for seed in $seeds; do
  dir="$reports/$catalogue-$seed"
  # Exit 1 means "not all killed", which is what is being measured; 2 (a plugin could not run) is not.
  status=0
  "$bgconform" mutants "$plugins" --manifest "$manifest" --seed "$seed" --report-dir "$dir" "${extra[@]}" \
    >"$dir.log" 2>&1 || status=$?
  if [ "$status" -gt 1 ] || [ ! -f "$dir/mutants.json" ]; then
    echo "kill_rate: seed $seed: bgconform mutants failed (exit $status); see $dir.log" >&2
    cat "$dir.log" >&2
    exit 2
  fi
  nseeds=$((nseeds + 1))
done

# Per mutant, in catalogue order: how many seeds killed it for its rule, and over the seeds that did, the
# median time to the first failure with it and the median length of its counterexample.
jq -rs --argjson n "$nseeds" --arg catalogue "$catalogue" --arg seeds "$seed_spec" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[(length - 1) / 2]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def shown: if . == null then "-" else (. * 1000 | round / 1000 | tostring) end;
  (.[0].mutants | map({name, expected})) as $rows
  | [ .[].mutants[] ] as $all
  | ($rows | map(. as $r | [ $all[] | select(.name == $r.name and .killed) ] as $k
      | $r + {kills: ($k | length),
              seconds: ([ $k[].first_failure_seconds | select(. != null) ] | median),
              steps: ([ $k[].counterexample_steps | select(. != null) ] | median)})) as $table
  | ($table | map(.kills) | add) as $kills
  | "| mutant | expected rule | killed on seeds | median time to first failure (s) | median counterexample steps |",
    "|---|---|---|---|---|",
    ($table[] | "| \(.name) | \(.expected) | \(.kills) of \($n) | \(.seconds | shown) | \(.steps | shown) |"),
    "",
    "\($catalogue): \($kills) kills of \($table | length) mutants x \($n) seeds = \(($kills * 1000 / (($table | length) * $n)) | round / 10) %; killed on every seed: \([ $table[] | select(.kills == $n) ] | length) of \($table | length); never killed: \([ $table[] | select(.kills == 0) ] | length) (seeds \($seeds)); median time to first failure \([ $table[].seconds | select(. != null) ] | median | shown) s, median counterexample \([ $table[].steps | select(. != null) ] | median | shown) steps"
' "$reports"/"$catalogue"-*/mutants.json
