#!/usr/bin/env python3
"""The react-at-once plugin is conformant, and it does react at once (README, "Time and movement").

A service may move at the instant of a Source or Network event (the harness runs it up to the present
right after one): the plugin whose scheduler does so must pass, and its recorded trace must show such
moves - a job seen in another state right after an environment event, other than the network's own
(loss: TRANSIENT_ERROR, or ERROR under a no-progress timeout of 0; reconnection: QUEUED) - where the reference, which waits for time, shows none.
Usage: react_at_once_check.py BGCONFORM REACTING_PLUGIN REFERENCE_PLUGIN WORK_DIR
"""
import os
import subprocess
import sys


def zero_time_moves(trace):
    """Environment events after which a job is seen in another state than the network event itself explains."""
    moves, before, after_event, last = 0, {}, False, None
    for line in open(trace):
        line = line.rstrip("\n")
        if line.startswith("case "):
            before, last = {}, None
            continue
        if line.startswith("sweep GetState j"):
            job, state = line.split()[2], line.rsplit("state=", 1)[-1]
            if after_event and job in before and before[job] != state:
                network_own = last == "Network down" and state in ("TRANSIENT_ERROR", "ERROR") or \
                    last == "Network up" and state == "QUEUED"
                moves += 0 if network_own else 1
            before[job] = state
            continue
        if " -> " in line and not line.startswith(("#", "trace-format")):
            stimulus = line.split(" -> ")[0]
            after_event = stimulus.startswith(("Source ", "Network "))
            last = stimulus
    return moves


def main():
    tool, reacting, reference, work = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    failures = []
    for profile in ("bits", "do"):
        counts = {}
        for name, plugin in (("reacting", reacting), ("reference", reference)):
            trace = os.path.join(work, f"{name}-{profile}.trace")
            p = subprocess.run([tool, "run", "--target", "plugin:" + plugin, "--profile", profile, "--cases", "400",
                                "--record", trace], capture_output=True, text=True)
            if p.returncode != 0:
                failures.append(f"{name} ({profile}) is not conformant (exit {p.returncode}):\n{p.stdout}{p.stderr}")
            counts[name] = zero_time_moves(trace)
        print(f"{profile}: moves at the instant of an environment event: reacting {counts['reacting']}, "
              f"reference {counts['reference']}")
        if counts["reacting"] == 0:
            failures.append(f"{profile}: the reacting plugin never moved at an environment event: it tests nothing")
        if counts["reference"] != 0:
            failures.append(f"{profile}: the reference moved at an environment event: it does not wait for time")
    if failures:
        print("\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
