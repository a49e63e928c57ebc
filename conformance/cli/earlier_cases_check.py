#!/usr/bin/env python3
"""A failure that depends on earlier cases reproduces from its replay file (issue 26, item 5): the fault
crashes after 100 jobs in one process, so the case that crashes does not crash alone. The run reports it
as depending on earlier cases and attaches the earlier cases it needs; `bgconform replay` runs them
first, in one fresh process, and the crash comes again (exit 3); without them the same steps pass.

  earlier_cases_check.py BGCONFORM FAULT_PLUGIN WORK_DIR"""
import os
import re
import shutil
import subprocess
import sys

from check_support import fail, scaled


def run(cmd, expect, what):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=scaled(600))
    if p.returncode != expect:
        fail(f"{what}: exit {p.returncode}, expected {expect}\n{p.stdout[-3000:]}{p.stderr[-2000:]}")
    return p


def main():
    bgconform, plugin, work = sys.argv[1:4]
    target = "plugin:" + plugin
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    reports = os.path.join(work, "reports")
    p = run([bgconform, "run", "--cases", "200", "--target", target, "--report-dir", reports], 3, "the run")
    m = re.search(r"it depends on earlier cases: .*its replay file runs the (\d+) earlier cases it needs first", p.stdout)
    if not m:
        fail("the crash is not reported as depending on earlier cases with them attached:\n" + p.stdout[-3000:])
    replay = os.path.join(reports, "replay-crash.txt")
    text = open(replay).read()
    earlier = text.count("\nearlier-case ")
    if "\nformat 2\n" not in text or earlier != int(m.group(1)):
        fail(f"{replay} holds {earlier} earlier cases (format 2 expected), the run said {m.group(1)}:\n{text[:1500]}")

    p = run([bgconform, "replay", replay, "--target", target], 3, "the replay with its earlier cases")
    if f"after {earlier} earlier cases in the same process" not in p.stdout or "still fails: the target crashes" not in p.stdout:
        fail("the replay does not say it ran the earlier cases and crashed again:\n" + p.stdout[-2000:])

    # The same steps without the earlier cases pass: they are what the crash depends on.
    header, steps = text.split("\n# the cases the failure depends on", 1)[0], text[text.index("\nsteps\n"):]
    alone = os.path.join(work, "alone.replay")
    with open(alone, "w") as f:
        f.write(header.replace("\nformat 2\n", "\nformat 1\n") + steps)
    run([bgconform, "replay", alone, "--target", target], 0, "the failing case alone")
    print(f"PASS: the crash needs {earlier} earlier cases; its replay file runs them and crashes again; alone it passes")


if __name__ == "__main__":
    main()
