#!/usr/bin/env python3
"""A fork bomb in a plugin ends at the host's process limit (issue 26): the call hangs with the limit
reached, the run ends with exit 3 naming the limit in its output and report.json, and nothing of the
bomb is left on the machine (no process of it, no cgroup). Skipped (77) where no pids cgroup can be made
(bgconform says the host runs without a process limit; the plugin then stops at 2000 processes).

  fork_bomb_check.py BGCONFORM FORK_BOMB_PLUGIN WORK_DIR"""
import glob
import json
import os
import shutil
import subprocess
import sys

from check_support import fail, scaled


def processes_of(plugin):
    """The pids whose command line names the plugin's absolute path (the host and each process the bomb
    made), this check's own aside. The whole path, so that another build's run of the same plugin (a
    second CI on the machine) is not taken for this one's."""
    found = []
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        if cmdline.split("/")[2] in (str(os.getpid()), str(os.getppid())):
            continue
        try:
            with open(cmdline, "rb") as f:
                if plugin.encode() in f.read():
                    found.append(cmdline.split("/")[2])
        except OSError:
            pass
    return found


def main():
    bgconform, plugin, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    reports = os.path.join(work, "reports")
    run = subprocess.Popen([bgconform, "run", "--target", "plugin:" + plugin, "--cases", "3", "--call-timeout",
                            str(scaled(2)), "--host-processes", "32", "--report-dir", reports],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = run.communicate(timeout=scaled(600))
    if "runs without a process limit" in err:
        print("SKIP: no pids cgroup here: " + err.strip())
        sys.exit(77)
    if run.returncode != 3:
        fail(f"exit {run.returncode}, expected 3 (the bomb's call hangs at the limit)\n{out[-3000:]}{err[-2000:]}")
    said = "the process limit was reached (32 processes and threads at once, --host-processes)"
    if said not in out:
        fail("the output does not name the process limit:\n" + out[-3000:])
    report = json.load(open(os.path.join(reports, "report.json")))
    if said not in json.dumps(report):
        fail("report.json does not name the process limit")
    left = processes_of(os.path.abspath(plugin))
    if left:
        fail("processes of the bomb outlived the run: " + ", ".join(left))
    cgroups = glob.glob(f"/sys/fs/cgroup/**/bgconform-host-{run.pid}-*", recursive=True)
    if cgroups:
        fail("the run's cgroups are still there: " + ", ".join(cgroups))
    print("PASS: the fork bomb ended at the process limit, named in the output and report.json; nothing of it is left")


if __name__ == "__main__":
    main()
