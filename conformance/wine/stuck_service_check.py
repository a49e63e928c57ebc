#!/usr/bin/env python3
"""A service that stops answering under Wine (com_target.h, agent_host.h): the hung call is a finding, and
the run goes on to its last case with a fresh service instead of stopping INCOMPLETE.

  stuck_service_check.py BGCONFORM WINE_PREFIX REPORT_DIR

Starts `bgconform run --target com:bits` on the prefix, waits until the agent has answered its first call
(the run's "bgconform run: target" line, printed once the target is up) and the svchost.exe that hosts
Wine's BITS (qmgr.dll) is there, and freezes it (SIGSTOP): the agent's next call into BITS never returns, as when
Wine's qmgr itself hangs. The harness kills the agent after the call timeout; a new agent's first call
would wait on the frozen service in turn (the run stopped: "'wine' did not start"), unless the prefix's
wineserver, and with it the service, was stopped before the restart. Checks exit 3 (the hang found),
report.json finished with the hang in it, and that the frozen process is gone."""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from check_support import fail, scaled  # noqa: E402

CASES = 2


def bits_service(prefix):
    """The pid of the prefix's svchost.exe with qmgr.dll loaded, or None."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"svchost.exe" not in f.read():
                    continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                if f"WINEPREFIX={prefix}".encode() not in f.read().split(b"\0"):
                    continue
            with open(f"/proc/{pid}/maps") as f:
                if "/qmgr.dll" in f.read():
                    return int(pid)
        except OSError:
            continue
    return None


def main():
    bgconform, prefix, report_dir = sys.argv[1:4]
    prefix = os.path.abspath(prefix)
    shutil.rmtree(report_dir, ignore_errors=True)
    command = [bgconform, "run", "--target", "com:bits", "--cases", str(CASES), "--wine-prefix", prefix,
               "--report-dir", report_dir, "--start-timeout", str(scaled(120))]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []

    def read_output():
        for line in run.stdout:
            lines.append(line)

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    # Frozen before the agent's first answer, the service would be a start that never ends (exit 2),
    # not a hang in a case: wait for the target to be up (a busy machine takes its time), then for BITS.
    deadline = time.monotonic() + scaled(180)
    service = None
    while service is None and run.poll() is None and time.monotonic() < deadline:
        if any(line.startswith("bgconform run: target") for line in list(lines)):
            service = bits_service(prefix)
        time.sleep(0.2)
    if service is None:
        run.kill()
        reader.join(timeout=10)
        fail(f"the target did not come up with an svchost.exe with qmgr.dll in {prefix} (run "
             f"{'ended' if run.poll() is not None else 'still going'}):\n" + "".join(lines)[-3000:])
    time.sleep(1)  # the case is under way
    os.kill(service, signal.SIGSTOP)
    try:
        run.wait(timeout=scaled(400))
    except subprocess.TimeoutExpired:
        run.kill()
        os.kill(service, signal.SIGKILL)
        fail("the run did not end within %d s of the service's freeze" % scaled(400))
    reader.join(timeout=10)
    out = "".join(lines)
    print(out)
    try:
        with open(f"/proc/{service}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        state = None  # gone, with the wineserver that served it
    if state not in (None, "Z"):  # a zombie is dead, waiting for its parent to notice
        os.kill(service, signal.SIGKILL)
        fail(f"the frozen service (pid {service}, state {state}) is still there: nothing stopped it")
    if run.returncode != 3:
        fail(f"exit {run.returncode}, expected 3 (a hang found, the run finished)")
    with open(os.path.join(report_dir, "report.json")) as f:
        report = json.load(f)
    if not report["finished"] or report["cases"]["run"] != CASES:
        fail(f"report.json: finished {report['finished']}, {report['cases']['run']} of {CASES} cases run")
    if report["crash"] is None or report["crash"]["status"] != "timeout":
        fail("report.json has no hang (a timeout) in it")
    print(f"the frozen service was a hang, the run went on with a fresh one: {CASES} of {CASES} cases, exit 3")


if __name__ == "__main__":
    main()
