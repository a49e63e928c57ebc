#!/usr/bin/env python3
"""The plugin host's limits (issue 26, README "What the isolation protects against"): bgconform-host runs a
library with a clean environment, in a private working directory, with no core files, no new privileges,
and limits on memory, CPU time per case and file size; a library past a limit ends as a crash that says
which limit, and the run ends with exit 3 and its reports.

  host_limits_check.py BGCONFORM PROBE_PLUGIN LEAK_PLUGIN SPIN_PLUGIN WORK_DIR SANITIZED

PROBE_PLUGIN writes what it was given to $BGC_PROBE_FILE; LEAK_PLUGIN takes 64 MiB per CreateJob; SPIN_PLUGIN
spins in AddFile. SANITIZED (1 in an AddressSanitizer build): the host cannot limit its
address space (ASan reserves terabytes), so the memory checks are skipped, said so."""
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile

from check_support import fail

GIB, MIB = 1 << 30, 1 << 20


def run(args, env=None, timeout=900):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)


def probe(bgconform, plugin, work, extra, env_extra=None):
    """What the probe plugin saw, as {key: [values]}."""
    out = os.path.join(work, "probe.txt")
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, BGC_PROBE_FILE=out, BGC_TEST_SECRET="hunter2", **(env_extra or {}))
    r = run([bgconform, "run", "--target", "plugin:" + plugin, "--cases", "1", "--host-env", "BGC_PROBE_FILE"] + extra,
            env=env)
    if not os.path.exists(out):
        fail("the probe plugin wrote nothing (exit %d):\n%s%s" % (r.returncode, r.stdout, r.stderr))
    seen = {}
    for line in open(out):
        key, _, value = line.rstrip("\n").partition(" ")
        seen.setdefault(key, []).append(value)
    return seen


def main():
    bgconform, probe_plugin, leak_plugin, spin_plugin, work, sanitized = sys.argv[1:7]
    sanitized = sanitized in ("1", "ON", "TRUE", "YES")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chdir(work)

    # The environment: the defaults and what --host-env names; not the harness's secrets.
    seen = probe(bgconform, probe_plugin, work, [])
    names = {e.split("=", 1)[0] for e in seen.get("env", [])}
    if "BGC_TEST_SECRET" in names:
        fail("the host got a variable it was not given: BGC_TEST_SECRET")
    for needed in ("PATH", "BGC_PROBE_FILE"):
        if needed not in names:
            fail("the host lacks %s: %s" % (needed, sorted(names)))
    # A private working directory, gone after the run.
    cwd = seen["cwd"][0]
    if os.path.realpath(cwd) == os.path.realpath(work) or "bgconform-host-" not in cwd:
        fail("the host did not work in a directory of its own: " + cwd)
    if os.path.exists(cwd):
        fail("the host's working directory outlived the run: " + cwd)
    # Limits, no core files, no new privileges.
    if seen["core"] != ["0"] or seen["no_new_privs"] != ["1"]:
        fail("core files or privileges not forbidden: core %s, no_new_privs %s" % (seen["core"], seen["no_new_privs"]))
    if int(seen["fsize"][0]) != GIB:
        fail("the default file size limit is not 1 GiB: " + seen["fsize"][0])
    if sanitized:
        print("address space: not limited in a sanitizer build (said so in README); memory checks skipped")
    else:
        if int(seen["as"][0]) != 4 * GIB:
            fail("the default address space limit is not 4 GiB: " + seen["as"][0])
        if int(probe(bgconform, probe_plugin, work, ["--host-memory", "512"])["as"][0]) != 512 * MIB:
            fail("--host-memory 512 is not 512 MiB")
    print("clean environment, private directory, limits, no core files, no_new_privs: ok")
    passed = probe(bgconform, probe_plugin, work, ["--host-env", "BGC_TEST_SECRET"])
    if "BGC_TEST_SECRET=hunter2" not in passed.get("env", []):
        fail("--host-env BGC_TEST_SECRET did not pass it on")
    print("--host-env passes a variable on: ok")

    # A leak ends as a crash for the memory limit, with its reports; the machine is unharmed. From the
    # plugin's first failure on each case runs in a process of its own, so the leak must pass the limit
    # within a case: 64 MiB a CreateJob passes 128 MiB at a case's second job.
    if not sanitized:
        reports = os.path.join(work, "leak")
        r = run([bgconform, "run", "--target", "plugin:" + leak_plugin, "--cases", "3", "--host-memory", "128",
                 "--report-dir", reports])
        if r.returncode != 3:
            fail("a leaking plugin: exit %d, expected 3\n%s%s" % (r.returncode, r.stdout, r.stderr))
        crash = json.load(open(os.path.join(reports, "report.json")))["crash"]
        if not crash or "memory limit" not in crash.get("failure", ""):
            fail("report.json does not say the memory limit ended it: %r" % crash)
        if "memory limit" not in open(os.path.join(reports, "summary.md")).read():
            fail("summary.md does not say the memory limit ended it")
        print("a leaking plugin: crash, 'memory limit' (%s)" % crash["failure"])

    # A call that spins: the case's CPU time runs out long before the wall-clock call timeout.
    replay = os.path.join(work, "spin.replay")
    with open(replay, "w") as f:
        f.write("format 1\nprofile bits\nseed 1\nrule crash\nsteps\nCreateJob j0\nAddFile j0 src0\n")
    r = run([bgconform, "replay", replay, "--target", "plugin:" + spin_plugin, "--host-cpu", "2", "--call-timeout", "120"])
    if r.returncode != 3 or "CPU time limit" not in r.stdout:
        fail("a spinning plugin: exit %d, expected 3 (a crash) with 'CPU time limit'\n%s%s"
             % (r.returncode, r.stdout, r.stderr))
    print("a call that spins: crash, 'CPU time limit', before the call timeout")

    # --host-user: as root only (CI runs as root).
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        # The build tree may sit where nobody cannot reach (a clone in a 0700 mktemp directory): the
        # plugin goes to a directory of the test's own that nobody can read, and writes beside it.
        shared = tempfile.mkdtemp(prefix="bgconform-host-user-", dir="/tmp")
        try:
            os.chmod(shared, 0o777)
            readable = os.path.join(shared, os.path.basename(probe_plugin))
            shutil.copy(probe_plugin, readable)
            os.chmod(readable, 0o755)
            out = os.path.join(shared, "probe.txt")
            env = dict(os.environ, BGC_PROBE_FILE=out)
            r = run([bgconform, "run", "--target", "plugin:" + readable, "--cases", "1", "--host-env", "BGC_PROBE_FILE",
                     "--host-user", "nobody"], env=env)
            if not os.path.exists(out) or os.stat(out).st_uid != nobody.pw_uid:
                fail("--host-user nobody: the host did not run as nobody (exit %d)\n%s%s" % (r.returncode, r.stdout, r.stderr))
        finally:
            shutil.rmtree(shared, ignore_errors=True)
        hidden = os.path.join(work, "private")
        os.makedirs(hidden)
        os.chmod(hidden, 0o700)
        copy = os.path.join(hidden, os.path.basename(probe_plugin))
        shutil.copy(probe_plugin, copy)
        r = run([bgconform, "run", "--target", "plugin:" + copy, "--cases", "1", "--host-user", "nobody"])
        if r.returncode != 2 or "is not readable by that user" not in r.stderr:
            fail("--host-user with a plugin nobody cannot read: exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        print("--host-user nobody: runs as nobody; an unreadable plugin is named: ok")
    else:
        print("--host-user: not checked (needs root)")
    os.chdir("/")
    shutil.rmtree(work, ignore_errors=True)
    print("PASS")


if __name__ == "__main__":
    main()
