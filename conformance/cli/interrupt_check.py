#!/usr/bin/env python3
"""Ctrl-C during `bgconform run` (interrupt.h, README "Exit codes"): the run stops at the next stimulus,
writes the reports of the cases so far, takes down what it started, and exits 2.

  interrupt_check.py BGCONFORM TARGET REPORT_DIR [HANG_MARKER]

Starts a run far too long to finish, lets it get going, sends SIGINT, and checks the exit code, the
message, report.json (the cases that ran, not finished) and that no process of the run is left (an
isolated plugin's host is a child of its own process group, so the terminal's Ctrl-C never reaches it:
the harness must end it).

With HANG_MARKER, TARGET is a plugin that hangs in a call after creating that file: the signal comes
while the run waits on the hung call under a call timeout of 10 minutes, and the run must still stop
within seconds, without taking the call it gave up for a hang."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from check_support import fail, scaled


def hosts_of(parent, plugin):
    """The bgconform-host processes serving `plugin` (argv: the host, its limits, then the library's
    absolute path) whose parent is `parent` (other tests may run hosts of the same plugin at the same time)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and len(argv) >= 2 and argv[0].endswith(b"bgconform-host") and \
                [a for a in argv if a][-1] == os.path.abspath(plugin).encode():
            found.append(int(pid))
    return found


def still_a_host(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")[0].endswith(b"bgconform-host")
    except OSError:
        return False


def main():
    bgconform, target, report_dir = sys.argv[1:4]
    marker = sys.argv[4] if len(sys.argv) > 4 else None
    shutil.rmtree(report_dir, ignore_errors=True)
    cases = 100_000_000
    command = [bgconform, "run", "--target", target, "--cases", str(cases), "--report-dir", report_dir]
    env = dict(os.environ)
    if marker:
        if os.path.exists(marker):
            os.remove(marker)
        command += ["--call-timeout", "600", "--host-env", "BGC_HANG_MARKER"]
        env["BGC_HANG_MARKER"] = marker
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # Cases are running once the first report is on disk (written every half second as the run goes);
    # the run waits on a hung call once the plugin has made the marker.
    report = os.path.join(report_dir, "report.json")
    awaited = marker or report
    deadline = time.monotonic() + scaled(120)
    while not os.path.exists(awaited) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    if run.poll() is not None:
        fail(f"the run ended before the signal (exit {run.returncode}):\n{run.stderr.read()}")
    if not os.path.exists(awaited):
        run.kill()
        fail(f"no {awaited} within 120 s of the start")
    plugin = target[len("plugin:"):] if target.startswith("plugin:") else None
    hosts = hosts_of(run.pid, plugin) if plugin else []
    if plugin and not hosts:
        run.kill()  # not left running after the test
        fail("no bgconform-host of the run is serving the plugin: the check below would prove nothing")
    run.send_signal(signal.SIGINT)
    patience = 20 if marker else 60  # a hung call is given up at once: 20 s is a loaded machine's margin
    try:
        out, err = run.communicate(timeout=patience)
    except subprocess.TimeoutExpired:
        run.kill()
        fail(f"the run did not stop within {patience} s of SIGINT")
    print(out + err)
    if run.returncode != 2:
        fail(f"exit {run.returncode}, expected 2")
    if f"interrupted after " not in err or f" of {cases} cases; the reports hold what ran" not in err:
        fail("no 'interrupted after N of M cases' message")
    with open(report) as f:
        report = json.load(f)
    if report["finished"]:
        fail("report.json says the run finished")
    if not report.get("interrupted"):
        fail("report.json does not say the run was interrupted")
    reports_dir = report_dir
    summary = open(os.path.join(reports_dir, "summary.md")).read()
    if "**Incomplete:**" not in summary or "interrupted" not in summary:
        fail("summary.md does not say the run was interrupted")
    junit = open(os.path.join(reports_dir, "junit.xml")).read()
    if 'name="run-incomplete"' not in junit or "interrupted" not in junit:
        fail("junit.xml has no error saying the run was interrupted")
    if not (0 if marker else 1) <= report["cases"]["run"] < cases:
        fail(f"report.json: {report['cases']['run']} cases run")
    if marker and (report["crash"] is not None or report["outcome"] in ("timeout", "crash")):
        fail("the call given up at the interrupt was reported as a hang or crash")
    if f"{report['cases']['run']} of {cases}" not in err:
        fail("the message and report.json disagree on the cases run")
    if plugin:
        left = [pid for pid in hosts if still_a_host(pid)]
        if left:
            fail(f"processes of the run are left: {left}")
    print(f"interrupted after {report['cases']['run']} cases: exit 2, report.json written, nothing left running")


if __name__ == "__main__":
    main()
