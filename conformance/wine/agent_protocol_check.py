#!/usr/bin/env python3
"""The COM agent on its own under Wine (issue 7: its argument handling and its line protocol, as
harness/targets/com/agent/README.md documents them), without bgconform in between.

  agent_protocol_check.py AGENT_EXE [BGCONFORM]   (WINEPREFIX and the other Wine variables from the environment)

With BGCONFORM, the agent's --record trace of a session driven by hand is checked too (bgconform check).

Each case starts `wine AGENT ARGS`, feeds it lines, and compares the exit status and the protocol lines
on stdout with what the README promises."""
import os
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from check_support import scaled  # noqa: E402

ORIGIN = ["--origin", "http://127.0.0.1:9/", "--local-dir", "Z:\\tmp", "--dest-dir", "Z:\\tmp"]
failures = []


def agent(exe, args, lines=""):
    """Runs the agent once; once more after restarting Wine when it gives no answer in time. On a busy
    machine Wine itself has stalled starting a program (an answer the agent gives in a second took over
    120 s); an agent that hangs does so again, and the case fails."""
    for attempt in (1, 2):
        try:
            run = subprocess.run(["wine", exe] + args, input=lines, capture_output=True, text=True,
                                 timeout=scaled(120))
            return run.returncode, run.stdout.splitlines(), run.stderr
        except subprocess.TimeoutExpired:
            if attempt == 2:
                raise
            print(f"note: 'wine {os.path.basename(exe)} {' '.join(args)}' gave no answer within {scaled(120):.0f} s: "
                  "Wine is stopped (wineserver -k) and the case runs once more")
            subprocess.run(["wineserver", "-k"], capture_output=True, timeout=scaled(60))


def expect(name, exe, args, status, stdout_lines, lines="", stderr_has=None, more_lines=False):
    """stdout must be lines starting with `stdout_lines`, one each; with more_lines, others may follow."""
    code, out, err = agent(exe, args, lines)
    problems = []
    if code != status:
        problems.append(f"exit {code}, expected {status}")
    count_ok = len(out) >= len(stdout_lines) if more_lines else len(out) == len(stdout_lines)
    if not count_ok or any(not got.startswith(want) for got, want in zip(out, stdout_lines)):
        problems.append("stdout:\n    " + "\n    ".join(out) + "\n  expected lines starting:\n    " +
                        "\n    ".join(stdout_lines))
    if stderr_has and stderr_has not in err:
        problems.append(f"stderr lacks {stderr_has!r}:\n{err}")
    print(("ok   " if not problems else "FAIL ") + name)
    for p in problems:
        print("  " + p)
    if problems:
        failures.append(name)


def recorded(exe, bgconform):
    """--record: a session driven by hand (two cases) is a trace bgconform check accepts, with what it answered."""
    with tempfile.TemporaryDirectory() as work:
        trace = os.path.join(work, "session.trace")
        expect("--record: the session as a trace", exe, ["bits", "--record", trace] + ORIGIN, 0,
               ["ready bits real com:bits", "ok", "S_OK state=SUSPENDED", "S_OK state=SUSPENDED", "BG_E_EMPTY",
                "ok", "S_OK state=SUSPENDED", "S_OK state=SUSPENDED"],
               lines="reset bits\nCreateJob j0\nGetState j0\nResume j0\nreset bits\nCreateJob j1\nGetState j1\nquit\n")
        text = open(trace).read() if os.path.exists(trace) else ""
        check = subprocess.run([bgconform, "check", trace, "--allow-not-exercised"], capture_output=True, text=True)
        problems = []
        if "case 1\n" not in text or "Resume j0 -> BG_E_EMPTY" not in text:
            problems.append("the trace lacks the session's cases or answers:\n" + text)
        if check.returncode != 0 or "\nconformant\n" not in check.stdout:
            problems.append(f"bgconform check exited {check.returncode}:\n{check.stdout}{check.stderr}")
        print(("ok   " if not problems else "FAIL ") + "--record: bgconform check accepts the trace")
        for p in problems:
            print("  " + p)
        if problems:
            failures.append("--record")
    expect("--record to a file that cannot be written", exe, ["bits", "--record", "Z:\\no\\such\\dir\\t.trace"] + ORIGIN, 2,
           ["load-error --record: cannot write"])


def main():
    exe = sys.argv[1]
    expect("no arguments: usage, exit 2", exe, [], 2, ["load-error missing the profile (bits or do)"],
           stderr_has="usage: bgconform-com-agent.exe <bits|do>")
    expect("--help: usage on stdout, exit 0", exe, ["--help"], 0, ["usage: bgconform-com-agent.exe"], more_lines=True)
    expect("an unknown profile", exe, ["xp"] + ORIGIN, 2, ["load-error unknown profile 'xp' (bits or do)"])
    expect("an unknown option", exe, ["bits", "--frob", "1"] + ORIGIN, 2, ["load-error unknown option '--frob'"])
    expect("a missing --dest-dir", exe, ["bits"] + ORIGIN[:4], 2, ["load-error "])
    expect("do under Wine: no Delivery Optimization", exe, ["do"] + ORIGIN, 2,
           ["load-error CoCreateInstance(CLSID_DeliveryOptimization) failed: 0x80040154"])
    expect("a coclass nobody registered", exe, ["bits", "--clsid", "{00000000-1111-2222-3333-444444444444}"] + ORIGIN,
           2, ["load-error CoCreateInstance("])
    expect("the protocol: ready, reset, errors, stimuli, quit", exe, ["bits"] + ORIGIN, 0,
           ["ready bits real com:bits",
            "ok",                                           # reset bits
            "error this agent was started for 'bits'",      # reset do
            "error unknown profile 'xp'",                    # reset xp
            "error unknown stimulus 'Frobnicate'",
            "S_OK state=SUSPENDED",                          # CreateJob j0
            "S_OK state=SUSPENDED",                          # GetState j0
            "BG_E_EMPTY",                                    # Resume j0 with no file (ST-3)
            "ok"],                                           # reset bits: the job is gone
           lines="reset bits\nreset do\nreset xp\nFrobnicate j0\nCreateJob j0\nGetState j0\nResume j0\nreset bits\nquit\n")
    expect("end of input ends the agent like quit", exe, ["bits"] + ORIGIN, 0,
           ["ready bits real com:bits", "S_OK state=SUSPENDED"], lines="CreateJob j0\n")
    if len(sys.argv) > 2:
        recorded(exe, sys.argv[2])
    if failures:
        print(f"{len(failures)} of the agent's cases failed")
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    finally:  # the prefix's Wine goes with the check: the next test that uses the prefix starts it afresh
        subprocess.run(["wineserver", "-k"], capture_output=True, timeout=scaled(60))
