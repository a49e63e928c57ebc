#!/usr/bin/env python3
"""Checks a report against the ledger it ran with: every ledgered rule must still be found
(outcome known-deviation), except those marked intermittent (a real service's timing, or the sequences
the seed makes, decide whether a run reaches them; the replay tests in wine/replays show each of them
but ST-2, ST-4 and ST-24, which only a poll at the right moment sees). A ledgered rule that passed is an
unexpected pass (bgconform already exits 1 for it); one that was not exercised means the run no longer
reaches the deviation, and the ledger can no longer vouch for it. Usage: check_ledger_found.py LEDGER REPORT_JSON"""
import json
import sys


def main(ledger_path, report_path):
    ledger = json.load(open(ledger_path, encoding="utf-8"))
    report = json.load(open(report_path, encoding="utf-8"))
    outcomes = {r["id"]: r["outcome"] for r in report["rules"]}
    missing = []
    for entry in ledger["known_deviations"]:
        outcome = outcomes.get(entry["rule"], "unknown rule")
        note = ""
        if outcome != "known-deviation":
            if entry.get("intermittent"):
                note = " [intermittent: not reached this run; its replay test, where it has one, shows it]"
            else:
                missing.append(f"{entry['rule']} ({outcome})")
        print(f"{entry['rule']:6} {outcome:16} {entry['why']}{note}")
    print(f"run: {report['cases']['run']} cases, {report['steps']} steps, {report['seconds']:.1f} s, outcome {report['outcome']}")
    if missing:
        print("ledgered deviations not found this run: " + ", ".join(missing), file=sys.stderr)
        return 1
    print("every ledgered deviation that is not intermittent was found")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
