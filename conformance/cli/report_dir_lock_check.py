#!/usr/bin/env python3
"""One run per report directory (issue 26): while a run writes its reports into DIR, a second run given
the same DIR exits 2 naming the first (its pid); once the first is gone, a run
takes the directory over, also from a lock file a killed run left behind.

  report_dir_lock_check.py BGCONFORM WORK_DIR"""
import os
import shutil
import signal
import subprocess
import sys
import time
from check_support import fail, scaled


def main():
    bgconform, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    reports = os.path.join(work, "reports")
    lock = os.path.join(reports, ".bgconform.lock")
    first = subprocess.Popen([bgconform, "run", "--target", "reference", "--cases", "100000000", "--report-dir", reports],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # Ready when the first run has written its name into the lock (before its first case).
        deadline = time.monotonic() + scaled(120)
        while not (os.path.exists(lock) and open(lock).read().startswith("pid ")):
            if first.poll() is not None:
                fail("the first run ended before taking the directory: " + first.stderr.read().decode())
            if time.monotonic() > deadline:
                fail("the first run never took the report directory")
            time.sleep(0.05)
        second = subprocess.run([bgconform, "run", "--target", "reference", "--cases", "1", "--report-dir", reports],
                                capture_output=True, text=True, timeout=600)
        if second.returncode != 2:
            fail("a second run in the same directory: exit %d, expected 2\n%s%s" % (second.returncode, second.stdout, second.stderr))
        expected = "is in use by another bgconform run (pid %d, started " % first.pid
        if expected not in second.stderr:
            fail("the refusal does not name the first run (%r):\n%s" % (expected, second.stderr))
        print("a second run while the first writes: refused, naming pid %d" % first.pid)
    finally:
        first.send_signal(signal.SIGINT)
        try:
            first.wait(timeout=600)
        except subprocess.TimeoutExpired:
            first.kill()
            fail("the first run did not stop on SIGINT")
    # The first run is gone, its lock file left as it was: the next run takes the directory over.
    with open(lock, "w") as f:
        f.write("pid 999999999, started 2000-01-01T00:00:00Z\n")
    third = subprocess.Popen([bgconform, "run", "--target", "reference", "--cases", "3", "--allow-not-exercised",
                              "--report-dir", reports], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = third.communicate(timeout=600)
    if third.returncode != 0:
        fail("a run after the first ended: exit %d\n%s%s" % (third.returncode, out, err))
    if not open(lock).read().startswith("pid %d, " % third.pid):
        fail("the lock does not name the run that took it over: " + open(lock).read())
    print("a lock left by a run that is gone: taken over")
    shutil.rmtree(work, ignore_errors=True)
    print("PASS")


if __name__ == "__main__":
    main()
