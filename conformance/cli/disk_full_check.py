#!/usr/bin/env python3
"""A report directory whose disk fills up during the run (issue 26): the run goes on, and at its end
summary.md, junit.xml (an error testcase) and report.json say the reports are incomplete and why;
the exit is 2 and stderr says so. The disk is a small tmpfs in a mount namespace of its own (unshare):
room for the space bgconform keeps in reserve and a little more, so report.html cannot be written
while the run goes on.

  disk_full_check.py BGCONFORM WORK_DIR
Exit 77 (skipped) where no mount namespace can be made."""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

from check_support import fail

RESERVE = 2 << 20  # SpaceReserve::kBytes (conformance/tool/commands.h)


def main():
    bgconform, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    disk, kept = os.path.join(work, "disk"), os.path.join(work, "kept")
    os.makedirs(disk)
    reports = os.path.join(disk, "reports")
    size = RESERVE + 56 * 1024
    script = ("mount -t tmpfs -o size=%d tmpfs '%s' || exit 77; '%s' run --target reference+fault:suspend-ignored "
              "--cases 50 --allow-not-exercised --report-dir '%s'; rc=$?; cp -r '%s' '%s'; exit $rc"
              % (size, disk, bgconform, reports, reports, kept))
    run = subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c", script],
                         capture_output=True, text=True, timeout=900)
    if run.returncode == 77 or (run.returncode != 2 and "unshare" in run.stderr and not os.path.isdir(kept)):
        print("SKIP: no mount namespace here: " + run.stderr.strip())
        sys.exit(77)
    if run.returncode != 2:
        fail("exit %d, expected 2 (the reports are incomplete)\n%s%s" % (run.returncode, run.stdout, run.stderr))
    if "incomplete" not in run.stderr:
        fail("stderr does not say the reports are incomplete:\n" + run.stderr)
    why = "could not all be written"
    summary = open(os.path.join(kept, "summary.md")).read()
    if "**Incomplete:**" not in summary or why not in summary:
        fail("summary.md does not say it is incomplete and why:\n" + summary[:1500])
    suite = ET.parse(os.path.join(kept, "junit.xml")).getroot()
    errors = [e for t in suite.iter("testcase") if t.get("name") == "run-incomplete" for e in t.iter("error")]
    if not errors or why not in errors[0].get("message", ""):
        fail("junit.xml has no run-incomplete error saying why")
    report = json.load(open(os.path.join(kept, "report.json")))
    if not report.get("reports_incomplete"):
        fail("report.json does not say the reports are incomplete")
    if os.path.exists(os.path.join(kept, ".bgconform.reserve")):
        fail("the reserve was left behind in the report directory")
    print("PASS: a full disk leaves summary.md, junit.xml and report.json saying they are incomplete: "
          + report["reports_incomplete"])


if __name__ == "__main__":
    main()
