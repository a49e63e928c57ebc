#!/usr/bin/env python3
"""A fixed-seed run writes the reports kept in reports/tests/golden/NAME, byte for byte, timings aside.

  golden_check.py BGCONFORM GOLDEN_DIR OUT_DIR EXIT RUN_ARGS...

Runs `bgconform run RUN_ARGS... --report-dir OUT_DIR`, expects exit code EXIT, and compares every file it
wrote with GOLDEN_DIR after taking out what the clock and the machine decide: durations (report.json's
"seconds", junit.xml's time attributes, "N s" and "N steps/s" in text) and paths (the report directory,
a plugin:PATH target's library, input files such as a ledger). Everything else, the order of rules, the counterexamples,
their shrinking, the HTML, must not change when code only moves (a restructuring keeps this test green unchanged).

When a change to the reports is meant, write the new golden files and commit them with the change:
  BGC_WRITE_GOLDEN=1 ctest --test-dir build -R reports.golden
"""
import difflib
import os
import re
import shutil
import subprocess
import sys


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def normalised(text, paths):
    """`text` without timings, with each of `paths` (longest first) replaced by its placeholder."""
    for path, placeholder in sorted(paths.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(path, placeholder)
    text = re.sub(r'"seconds": [0-9.eE+-]+', '"seconds": 0', text)
    text = re.sub(r'time="[0-9.]+"', 'time="0"', text)
    text = re.sub(r"\b\d+ steps/s\b", "N steps/s", text)
    return re.sub(r"\b\d+(\.\d+)? s\b", "T s", text)


def run(bgconform, out, expect, args):
    shutil.rmtree(out, ignore_errors=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("GTEST_")}
    p = subprocess.run([bgconform, "run", *args, "--report-dir", out], env=env, capture_output=True, text=True)
    if p.returncode != expect:
        fail(f"the run exited {p.returncode}, expected {expect}:\n{p.stdout[-3000:]}{p.stderr[-3000:]}")


def report_files(d):
    return sorted(name for name in os.listdir(d) if not name.startswith("."))


def main():
    if len(sys.argv) < 5:
        fail(__doc__)
    bgconform, golden, out, expect, args = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
    run(bgconform, out, expect, args)
    paths = {os.path.abspath(out): "<report-dir>"}
    paths.update({a[len("plugin:"):]: "<plugin>" for a in args if a.startswith("plugin:")})
    paths.update({a: "<input>/" + os.path.basename(a) for a in args if os.path.isfile(a)})
    written = {name: normalised(open(os.path.join(out, name), encoding="utf-8").read(), paths)
               for name in report_files(out)}

    if os.environ.get("BGC_WRITE_GOLDEN") == "1":
        shutil.rmtree(golden, ignore_errors=True)
        os.makedirs(golden)
        for name, text in written.items():
            with open(os.path.join(golden, name), "w", encoding="utf-8") as f:
                f.write(text)
        print(f"PASS: wrote {len(written)} golden files to {golden}")
        return

    if not os.path.isdir(golden):
        fail(f"no golden reports at {golden} (write them: BGC_WRITE_GOLDEN=1 ctest -R reports.golden)")
    expected = report_files(golden)
    if expected != sorted(written):
        fail(f"the run wrote {sorted(written)}, the golden set has {expected}")
    for name in expected:
        want = open(os.path.join(golden, name), encoding="utf-8").read()
        if written[name] != want:
            diff = difflib.unified_diff(want.splitlines(), written[name].splitlines(), "golden/" + name,
                                        "this run/" + name, lineterm="", n=2)
            fail(f"{name} differs from the golden report (timings and paths aside):\n" +
                 "\n".join(list(diff)[:60]) +
                 "\nIf the change is meant: BGC_WRITE_GOLDEN=1 ctest --test-dir build -R reports.golden")
    print(f"PASS: the run's {len(expected)} report files equal the golden ones, timings and paths aside")


if __name__ == "__main__":
    main()
