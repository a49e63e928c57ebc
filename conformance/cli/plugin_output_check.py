#!/usr/bin/env python3
"""What a plugin prints is a fact of its findings (issue 26): it reaches report.json, report.html and
junit.xml's system-out (the last 64 KiB of the failing case, saying how much was left out before), and
never bgconform's own output.

  plugin_output_check.py BGCONFORM FLOOD_PLUGIN WORK_DIR"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

from check_support import fail


def main():
    bgconform, plugin, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    reports = os.path.join(work, "reports")
    run = subprocess.run([bgconform, "run", "--target", "plugin:" + plugin, "--cases", "1", "--report-dir", reports],
                         capture_output=True, text=True, timeout=900)
    if run.returncode != 1:
        fail("exit %d, expected 1 (the plugin's jobs never leave SUSPENDED)\n%s%s" % (run.returncode, run.stdout, run.stderr))
    if "of the flood" in run.stderr or run.stdout.count("of the flood") > 5:
        fail("the plugin's output reached bgconform's own:\n" + run.stdout[-2000:] + run.stderr[-2000:])
    if "create_job: the flood ends" not in run.stdout:
        fail("the summary's step table does not show the output's last lines:\n" + run.stdout)
    report = json.load(open(os.path.join(reports, "report.json")))
    outputs = [c["output"] for c in report["counterexamples"]]
    if not outputs or not all(o for o in outputs):
        fail("a counterexample without the plugin's output: %r" % [len(o) for o in outputs])
    for o in outputs:
        if not o.rstrip().endswith("create_job: the flood ends"):
            fail("the output does not end with the plugin's last line: ..." + o[-200:])
        if not o.startswith("[the first ") or "bytes are left out]" not in o.splitlines()[0]:
            fail("256 KiB printed, but the output does not say what was left out: " + o[:200])
        if len(o) > 64 * 1024 + 100:
            fail("the output is %d bytes, more than the last 64 KiB" % len(o))
    junit = ET.parse(os.path.join(reports, "junit.xml")).getroot()
    system_outs = [e.text or "" for e in junit.iter("system-out")]
    if not any("create_job: the flood ends" in t for t in system_outs):
        fail("junit.xml has no system-out with the plugin's output")
    html = open(os.path.join(reports, "report.html")).read()
    if '<details class="output">' not in html or "create_job: the flood ends" not in html:
        fail("report.html does not show the plugin's output")
    print("PASS: the plugin's output is in report.json, report.html and junit.xml, not in bgconform's")


if __name__ == "__main__":
    main()
