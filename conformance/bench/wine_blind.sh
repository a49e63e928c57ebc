#!/usr/bin/env bash
# What a blind run finds against Wine's qmgr.dll: `bgconform run --target com:bits` without a ledger, at
# the default amounts for a real-time target, once per seed; per run, the rules it found failing and which
# of the Wine ledger's rules (conformance/wine/wine-qmgr-ledger.json) are among them - every one that is
# not marked intermittent should be. One run at a time (real time: a busy machine stretches the service's
# timing).
#
#   conformance/bench/wine_blind.sh BGCONFORM SEEDS [-- extra bgconform run options]
#     SEEDS: a range "1..3" or a list "1,2,3"
#   e.g. conformance/bench/wine_blind.sh build/bgconform 1..3
#
# Environment: WINE_BLIND_REPORTS=DIR keeps each run's reports in DIR/seed-<N> (default: a temporary
# directory, removed at the end). Needs jq, Wine and the COM agent (./quickstart.sh test builds them).
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
bgconform=$1 seed_spec=$2
shift 2
[ "${1:-}" = "--" ] && shift
extra=("$@")
here=$(cd "$(dirname "$0")" && pwd)
ledger="$here/../wine/wine-qmgr-ledger.json"
command -v jq >/dev/null || { echo "wine_blind: needs jq" >&2; exit 2; }
[ -x "$bgconform" ] || { echo "wine_blind: no $bgconform" >&2; exit 2; }

case "$seed_spec" in
  *..*) seeds=$(seq "${seed_spec%%..*}" "${seed_spec##*..}") ;;
  *) seeds=$(tr ',' ' ' <<<"$seed_spec") ;;
esac
if [ -n "${WINE_BLIND_REPORTS:-}" ]; then
  reports=$WINE_BLIND_REPORTS
  mkdir -p "$reports"
else
  reports=$(mktemp -d)
  trap 'rm -rf "$reports"' EXIT
fi

required=$(jq -r '[.known_deviations[] | select(.intermittent != true) | .rule] | join(" ")' "$ledger")
listed=$(jq -r '[.known_deviations[].rule] | join(" ")' "$ledger")
echo "| seed | cases | seconds | rules found failing | the ledger's rules found | not intermittent, missed |"
echo "|---|---|---|---|---|---|"
for seed in $seeds; do
  dir="$reports/seed-$seed"
  status=0
  "$bgconform" run --target com:bits --seed "$seed" --report-dir "$dir" "${extra[@]}" >"$dir.log" 2>&1 || status=$?
  if [ "$status" -eq 2 ] || [ ! -f "$dir/report.json" ]; then
    echo "wine_blind: seed $seed: the run could not finish (exit $status); see $dir.log" >&2
    tail -5 "$dir.log" >&2
    continue
  fi
  found=$(jq -r '[.counterexamples[].rule] | join(" ")' "$dir/report.json")
  in_ledger="" missed=""
  for r in $listed; do [[ " $found " == *" $r "* ]] && in_ledger+="$r "; done
  for r in $required; do [[ " $found " == *" $r "* ]] || missed+="$r "; done
  echo "| $seed | $(jq '.cases.run' "$dir/report.json") | $(jq '.seconds | floor' "$dir/report.json") | $found | ${in_ledger% } | ${missed:-none} |"
done
