#!/usr/bin/env python3
"""A run's recorded trace checks to the run's verdict (bgconform run --record, bgconform check).

For a conformant target and two faults: the exit codes agree, and so does every rule's outcome in
report.json; the ledger is honoured by check as by run.
Usage: record_check.py BGCONFORM DATA_DIR WORK_DIR
"""
import json
import os
import subprocess
import sys


def run(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def outcomes(report_dir):
    with open(os.path.join(report_dir, "report.json")) as f:
        report = json.load(f)
    return {r["id"]: r["outcome"] for r in report["rules"]}, report


def main():
    tool, data, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    failures = []
    for target, ledger in [("reference", None), ("reference+fault:keep-error-after-transfer", None),
                           ("reference+fault:suspend-ignored", None),
                           ("reference+fault:suspend-ignored", os.path.join(data, "ledger-st7.json"))]:
        name = target.replace("+fault:", "-") + ("-ledger" if ledger else "")
        trace = os.path.join(work, name + ".trace")
        extra = ["--ledger", ledger] if ledger else []
        ran, ran_out = run(tool, "run", "--target", target, "--cases", "300", "--record", trace,
                           "--report-dir", os.path.join(work, name + "-run"), *extra)
        checked, checked_out = run(tool, "check", trace, "--report-dir", os.path.join(work, name + "-check"), *extra)
        if ran not in (0, 1):
            failures.append(f"{name}: run exited {ran}:\n{ran_out}")
            continue
        if checked != ran:
            failures.append(f"{name}: run exited {ran}, check of its trace {checked}:\n{checked_out}")
        live, _ = outcomes(os.path.join(work, name + "-run"))
        again, report = outcomes(os.path.join(work, name + "-check"))
        differ = {k: (live[k], again.get(k)) for k in live if live[k] != again.get(k)}
        if differ:
            failures.append(f"{name}: rule outcomes differ (run, check): {differ}")
        if "bgconform check " not in checked_out and ran == 1:
            failures.append(f"{name}: the check's failures do not say how to reproduce them:\n{checked_out}")
        print(f"{name}: run {ran}, check {checked}, {sum(1 for v in again.values() if v == 'fail')} failing rules")
    if failures:
        print("\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
