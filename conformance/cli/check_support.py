"""What the check scripts of the suites share (conformance/cli, conformance/wine).

Time: the real-time limits of the tests, for a machine that may be busy. Each wait a test allows (for a
process to get ready, for a run to end) is its figure for an idle machine times BGC_TEST_TIME_SCALE
(default 1; e.g. 3 beside another heavy job; cmake/testTimeScale.cmake scales CTest's TIMEOUTs alike).
The tests wait on readiness (a file, a line, a process) and these limits only say when to give up."""
import os
import sys


def fail(message):
    """The check's verdict: FAIL with what was wrong (CTest's PASS regular expression then fails it)."""
    print("FAIL: " + message)
    sys.exit(1)


def scale():
    try:
        value = float(os.environ.get("BGC_TEST_TIME_SCALE", "1"))
    except ValueError:
        value = 1.0
    return value if value >= 1 else 1.0


def scaled(seconds):
    """`seconds` on an idle machine, as long as this machine may need."""
    return seconds * scale()
