#!/usr/bin/env python3
"""Ctrl-C during `bgconform run --target com:bits` takes down what the run set up: its private Wine
prefix (some 700 MB in $TMPDIR), the prefix's wineboot log, the run's work directory and every Wine
process of the prefix - whether the signal comes while the prefix is being made or while cases run.

  interrupt_check.py BGCONFORM WORK_DIR

Each phase runs bgconform with TMPDIR=WORK_DIR/tmp, sends SIGINT at its moment, and checks exit 2, the
message, and that nothing named bgconform-* is left in that TMPDIR nor any process running in the prefix."""
import os
import shutil
import signal
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from check_support import fail, scaled  # noqa: E402


def wine_processes(prefix):
    """Live processes whose environment names `prefix` as their WINEPREFIX."""
    needle = b"WINEPREFIX=" + prefix.encode()
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue  # ended; only its parent's reaping is left
            with open(f"/proc/{pid}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(int(pid))
        except (OSError, IndexError):
            continue
    return found


def wait_for(condition, seconds, what):
    # Polled often: the signal should come as close as it can to the moment, and a Ctrl-C in the first
    # instants of the set-up (wineboot just started, its wineserver not yet up) is the hard case.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.01)
    fail(f"{what} did not happen within {seconds} s")


def phase(bgconform, work, name, ready, expected):
    """Starts a run, sends SIGINT once `ready(tmp, reports)` holds, and checks what is left."""
    tmp, reports = os.path.join(work, name, "tmp"), os.path.join(work, name, "reports")
    shutil.rmtree(os.path.join(work, name), ignore_errors=True)
    os.makedirs(tmp)
    env = dict(os.environ, TMPDIR=tmp)
    run = subprocess.Popen([bgconform, "run", "--target", "com:bits", "--report-dir", reports], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    prefixes = wait_for(lambda: [e for e in os.listdir(tmp) if e.startswith("bgconform-wine-") and "." not in e],
                        60, f"{name}: a private Wine prefix in {tmp}")
    prefix = os.path.join(tmp, prefixes[0])
    wait_for(lambda: ready(prefix, reports), 120, f"{name}: the moment to interrupt")
    run.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        output, _ = run.communicate(timeout=scaled(60))
    except subprocess.TimeoutExpired:
        run.kill()
        fail(f"{name}: still running 60 s after SIGINT")
    print(f"--- {name}: exit {run.returncode} {time.monotonic() - sent:.1f} s after SIGINT\n{output}")
    if run.returncode != 2:
        fail(f"{name}: exit {run.returncode}, expected 2")
    if expected not in output:
        fail(f"{name}: no '{expected}' in the output")
    left = [e for e in os.listdir(tmp) if e.startswith("bgconform-")]
    if left:
        fail(f"{name}: left in TMPDIR: {left}")
    # Wine's own processes end with the prefix's wineserver -k; give the last of them a moment.
    deadline = time.monotonic() + scaled(10)
    while wine_processes(prefix) and time.monotonic() < deadline:
        time.sleep(0.2)
    if wine_processes(prefix):
        fail(f"{name}: Wine processes of the prefix still run: {wine_processes(prefix)}")


def main():
    bgconform, work = sys.argv[1:3]
    # While wineboot makes the prefix (the run has not started: no process of it has answered yet).
    phase(bgconform, work, "during-setup", lambda prefix, reports: os.path.exists(prefix + ".wineboot.log"),
          "interrupted while")
    # While cases run: the first case's reports are written.
    phase(bgconform, work, "during-cases", lambda prefix, reports: os.path.exists(os.path.join(reports, "report.json")),
          "interrupted after")
    print("PASS")


if __name__ == "__main__":
    main()
