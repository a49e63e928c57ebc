#!/usr/bin/env python3
"""The Hypothesis peer of issue 8: the same vendor plugin (.so) driven through ctypes by a Hypothesis
RuleBasedStateMachine that checks the IBackgroundCopyError seed rules of the spec
(../shared/spec/bits-do-behaviour.md):

  ST-1  a new job is SUSPENDED
  E-1   an error object only once the job has been in ERROR/TRANSIENT_ERROR since it last transferred;
        a failing call creates none
  E-2   GetError answers S_OK with an object in ERROR/TRANSIENT_ERROR, and
        BG_E_ERROR_INFORMATION_UNAVAILABLE (never S_OK with NULL) when there is none (also M-13)
  E-3   the object stays available until the job transfers again (I-1: Resume/Suspend keep it)
  E-5   IBackgroundCopyError::GetError answers S_OK, a BG_ERROR_CONTEXT and a failure code, the same
        ones for as long as the job has not transferred again (I-2)
  E-6   GetFile answers a file exactly for the file contexts (LOCAL_FILE, REMOTE_FILE)

Like bgconform's trace monitors it judges from what it observes (GetState after every step, as an
invariant) and stops judging where a move inside one Advance could explain an answer. It plays the
harness's part for the plugin too: the virtual clock and the scripted transport of vendor_abi.h.

  hypothesis_peer.py --constants FILE PLUGIN speed [--examples N]           steps per second on PLUGIN
  hypothesis_peer.py --constants FILE PLUGIN_DIR kill NAME... [--examples N]  time to kill each libbgc_mutant_NAME.so
Prints one JSON object on stdout.
"""
import argparse
import ctypes as C
import importlib.util
import json
import os
import sys
import time


def load_constants(argv):
    """The model's constants (HRESULTs, states, contexts), written at build time from bgconform's own tables
    (conformance/bench/peer/write_constants.cpp): the file after --constants."""
    if "--constants" not in argv or argv.index("--constants") + 1 >= len(argv):
        raise SystemExit("hypothesis_peer.py: --constants FILE is required (build/conformance/bench/peer/bgc_constants.py)")
    spec = importlib.util.spec_from_file_location("bgc_constants", argv[argv.index("--constants") + 1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


K = load_constants(sys.argv)
S_OK = K.S_OK
BG_E_ERROR_INFORMATION_UNAVAILABLE = K.BG_E_ERROR_INFORMATION_UNAVAILABLE
BG_E_FILE_NOT_AVAILABLE = K.BG_E_FILE_NOT_AVAILABLE
QUEUED, CONNECTING, TRANSFERRING, SUSPENDED = K.QUEUED, K.CONNECTING, K.TRANSFERRING, K.SUSPENDED
ERROR, TRANSIENT_ERROR, TRANSFERRED, ACKNOWLEDGED, CANCELLED = (K.ERROR, K.TRANSIENT_ERROR, K.TRANSFERRED,
                                                              K.ACKNOWLEDGED, K.CANCELLED)
LOCAL_FILE, REMOTE_FILE = K.LOCAL_FILE, K.REMOTE_FILE

from hypothesis import HealthCheck, Verbosity, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

# ---- The vendor ABI (harness/sdk/include/bgconform/vendor_abi.h) -------------------------------------

HR = C.c_int32
P = C.c_void_p
IO_DATA, IO_HTTP_STATUS, IO_REFUSED, IO_RESET, IO_STALL, IO_NOT_FOUND, IO_NETWORK_DOWN = range(7)


class IoAnswer(C.Structure):
    _fields_ = [("result", C.c_uint32), ("http_status", C.c_uint32), ("size", C.c_uint64), ("bytes", C.c_uint32),
                ("header_seconds", C.c_uint32), ("chunk_bytes", C.c_uint32), ("chunk_seconds", C.c_uint32)]


NOW = C.CFUNCTYPE(C.c_uint64, P)
OPEN = C.CFUNCTYPE(None, P, C.c_char_p, C.POINTER(P), C.POINTER(IoAnswer))
READ = C.CFUNCTYPE(None, P, P, P, C.c_uint32, C.POINTER(IoAnswer))
CLOSE = C.CFUNCTYPE(None, P, P)
WAIT = C.CFUNCTYPE(None, P, C.c_uint64)


class Environment(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("context", P), ("now", NOW), ("open", OPEN), ("read", READ),
                ("close", CLOSE), ("wait_until", WAIT)]


class Progress(C.Structure):
    _fields_ = [("bytes_total", C.c_uint64), ("bytes_transferred", C.c_uint64), ("files_total", C.c_uint32),
                ("files_transferred", C.c_uint32)]


F = C.CFUNCTYPE
U32P = C.POINTER(C.c_uint32)


class VendorTable(C.Structure):
    _fields_ = [
        ("abi_version", C.c_uint32), ("struct_size", C.c_uint32), ("name", C.c_char_p), ("profiles", C.c_uint32),
        ("create_manager", F(HR, C.c_uint32, C.POINTER(Environment), C.POINTER(P))),
        ("destroy_manager", F(HR, P)),
        ("run_until", F(HR, P, C.c_uint64)),
        ("create_job", F(HR, P, C.c_char_p, C.POINTER(P))),
        ("release_job", F(HR, P)),
        ("add_file", F(HR, P, C.c_char_p, C.c_char_p, C.POINTER(P))),
        ("resume", F(HR, P)), ("suspend", F(HR, P)), ("cancel", F(HR, P)), ("complete", F(HR, P)),
        ("get_state", F(HR, P, U32P)),
        ("get_error", F(HR, P, C.POINTER(P))),
        ("get_progress", F(HR, P, C.POINTER(Progress))),
        ("get_error_count", F(HR, P, U32P)),
        ("set_no_progress_timeout", F(HR, P, C.c_uint32)), ("get_no_progress_timeout", F(HR, P, U32P)),
        ("set_minimum_retry_delay", F(HR, P, C.c_uint32)), ("get_minimum_retry_delay", F(HR, P, U32P)),
        ("error_get_error", F(HR, P, U32P, C.POINTER(C.c_int32))),
        ("error_get_file", F(HR, P, C.POINTER(P))),
        ("error_get_protocol", F(HR, P, C.POINTER(C.c_char_p))),
        ("error_get_error_description", F(HR, P, C.c_uint32, C.POINTER(C.c_char_p))),
        ("error_get_error_context_description", F(HR, P, C.c_uint32, C.POINTER(C.c_char_p))),
        ("release_error", F(HR, P)),
    ]


def load(path):
    lib = C.CDLL(os.path.abspath(path))
    lib.bgc_vendor_entry.restype = C.POINTER(VendorTable)
    lib.bgc_vendor_entry.argtypes = [C.c_uint32]
    table = lib.bgc_vendor_entry(1)
    if not table:
        raise SystemExit(f"{path}: no ABI version 1 table")
    return lib, table.contents


URLS = [b"http://127.0.0.1/src0", b"http://127.0.0.1/src1", b"http://127.0.0.1/src2", b"file:///bgc/src3"]
CHUNKS = [1, 2, 3, 1]


class World:
    """The harness's side of the ABI: a virtual clock and a scripted transport (one file per source)."""

    def __init__(self):
        self.now = 0
        self.limit = 0
        self.network_up = True
        self.behaviour = ["ok", "ok", "ok", "present"]
        self.status = [0, 0, 0, 0]
        self.streams = {}
        self.next_stream = 1
        self.env = Environment(C.sizeof(Environment), None, NOW(lambda _: self.now), OPEN(self._open), READ(self._read),
                               CLOSE(self._close), WAIT(self._wait))

    def _fail(self, source, a):
        if not self.network_up and source < 3:
            a.result = IO_NETWORK_DOWN
            return True
        b = self.behaviour[source]
        a.result = {"refused": IO_REFUSED, "reset": IO_RESET, "stall": IO_STALL, "missing": IO_NOT_FOUND,
                    "http": IO_HTTP_STATUS}.get(b, IO_DATA)
        a.http_status = self.status[source] if b == "http" else 0
        return a.result != IO_DATA

    def _open(self, _, url, stream, answer):
        a = answer.contents
        stream[0] = None
        source = URLS.index(url) if url in URLS else -1
        if source < 0:
            a.result = IO_NOT_FOUND
            return
        if self._fail(source, a):
            return
        a.size = CHUNKS[source] * 1024
        a.chunk_bytes = 1024
        a.chunk_seconds = 10 if self.behaviour[source] == "slow" else 1
        a.header_seconds = 3 if self.behaviour[source] == "delayed-headers" else 0
        handle = self.next_stream
        self.next_stream += 1
        self.streams[handle] = [source, self.now + a.header_seconds, 0]  # source, data from, bytes handed out
        stream[0] = handle

    def _read(self, _, stream, buffer, max_bytes, answer):
        a = answer.contents
        source, since, given = self.streams[stream]
        if self._fail(source, a):
            return
        per = 10 if self.behaviour[source] == "slow" else 1
        arrived = min(CHUNKS[source] * 1024, max(0, (self.now - since) // per) * 1024)
        a.bytes = min(max_bytes, arrived - given)
        self.streams[stream][2] += a.bytes

    def _close(self, _, stream):
        self.streams.pop(stream, None)

    def _wait(self, _, t):
        self.now = max(self.now, min(t, self.limit))


# ---- The state machine ---------------------------------------------------------------------------

PLUGIN = None  # (lib, table) under test, set by main
RUN = {"steps": 0, "first_failure": None, "start": 0.0}
FAILING = {"refused", "reset", "http", "missing", "stall"}


def check(ok, rule, what):
    if not ok:
        if RUN["first_failure"] is None:
            RUN["first_failure"] = time.process_time() - RUN["start"]
        raise AssertionError(f"{rule}: {what}")


class JobService(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.t = PLUGIN[1]
        self.world = World()
        self.manager = P()
        assert self.t.create_manager(0, C.byref(self.world.env), C.byref(self.manager)) == S_OK
        self.job = P()
        self.sources = []        # the job's files, by source
        self.state = None        # the state the last GetState saw
        self.error_possible = False  # E-1: the job may have failed since it last transferred
        self.error_certain = False   # E-3: it has an error object for sure (no transfer possible since)
        self.held = [None, None]     # held error objects: [handle, tracked, (context, code) or None]
        RUN["steps"] = 0

    def teardown(self):
        for h in self.held:
            if h:
                self.t.release_error(h[0])
        if self.job:
            self.t.release_job(self.job)
        self.t.destroy_manager(self.manager)

    def step(self):
        RUN["steps"] += 1

    @initialize()
    def create_job(self):
        self.step()
        check(self.t.create_job(self.manager, b"peer", C.byref(self.job)) == S_OK, "ST-1", "CreateJob failed")

    @invariant()
    def sweep(self):
        # The observation sweep: GetState after every step.
        s = C.c_uint32()
        if self.job and self.t.get_state(self.job, C.byref(s)) == S_OK:
            self.state = s.value
            if s.value in (ERROR, TRANSIENT_ERROR):
                self.error_possible = self.error_certain = True
            elif s.value in (TRANSFERRING, TRANSFERRED):
                self.transferred()
            if RUN["steps"] == 1:
                check(s.value == SUSPENDED, "ST-1", f"a new job is in state {s.value}")

    def transferred(self):
        self.error_possible = self.error_certain = False
        for h in self.held:
            if h:
                h[1] = False  # I-2: any values once the job transferred again

    def may_transfer(self):
        healthy = [s for s in self.sources if self.world.behaviour[s] not in FAILING]
        return self.world.network_up and healthy and self.state not in (SUSPENDED, ERROR, CANCELLED, ACKNOWLEDGED)

    def may_fail(self):
        failing = [s for s in self.sources if self.world.behaviour[s] in FAILING]
        return (failing or not self.world.network_up) and self.state not in (SUSPENDED, CANCELLED, ACKNOWLEDGED)

    def run_until(self, until):
        # Before time passes: what may happen unseen inside it.
        # (Only a TRANSFERRING seen by the sweep ends error_possible: a retry may still be connecting.)
        if self.may_fail():
            self.error_possible = True
        if self.may_transfer() or self.state == TRANSIENT_ERROR:
            self.error_certain = False
            for h in self.held:
                if h:
                    h[1] = False
        self.world.limit = until
        self.t.run_until(self.manager, until)
        self.world.now = max(self.world.now, until)

    @rule(source=st.integers(0, 3))
    def add_file(self, source):
        self.step()
        f = P()
        if self.t.add_file(self.job, URLS[source], b"/tmp/peer", C.byref(f)) >= 0:
            self.sources.append(source)

    @rule()
    def resume(self):
        self.step()
        self.t.resume(self.job)

    @rule()
    def suspend(self):
        self.step()
        self.t.suspend(self.job)

    @rule()
    def cancel(self):
        self.step()
        self.t.cancel(self.job)

    @rule()
    def complete(self):
        self.step()
        self.t.complete(self.job)

    @rule(delay=st.sampled_from([5, 600]))
    def set_minimum_retry_delay(self, delay):
        self.step()
        self.t.set_minimum_retry_delay(self.job, delay)

    @rule(seconds=st.sampled_from([1, 2, 4, 5, 6, 601]))
    def advance(self, seconds):
        self.step()
        self.run_until(self.world.now + seconds)

    @rule(source=st.integers(0, 2),
          behaviour=st.sampled_from(["ok", "slow", "refused", "reset", "stall", ("http", 404), ("http", 503)]))
    def http_source(self, source, behaviour):
        self.step()
        if isinstance(behaviour, tuple):
            behaviour, self.world.status[source] = behaviour
        self.world.behaviour[source] = behaviour
        self.run_until(self.world.now)

    @rule(missing=st.booleans())
    def local_source(self, missing):
        self.step()
        self.world.behaviour[3] = "missing" if missing else "present"
        self.run_until(self.world.now)

    @rule(up=st.booleans())
    def network(self, up):
        self.step()
        self.world.network_up = up
        self.run_until(self.world.now)

    @rule(h=st.integers(0, 1))
    def get_error(self, h):
        self.step()
        e = P()
        r = self.t.get_error(self.job, C.byref(e))
        check(not (r >= 0 and not e), "E-2", "GetError answered S_OK with no object")
        if r >= 0:
            check(self.error_possible, "E-1", f"an error object in state {self.state} without an error since the job transferred")
            if self.held[h]:
                self.t.release_error(self.held[h][0])
            self.held[h] = [e.value, self.error_certain or self.state in (ERROR, TRANSIENT_ERROR), None]
            return
        check(r == BG_E_ERROR_INFORMATION_UNAVAILABLE, "M-13", f"GetError failed with {r & 0xFFFFFFFF:#x}")
        check(self.state not in (ERROR, TRANSIENT_ERROR), "E-2", f"no error object in state {self.state}")
        check(not (self.error_certain and self.state not in (CANCELLED, ACKNOWLEDGED)), "E-3",
              f"the error object went away in state {self.state} before the job transferred again")

    def values(self, h):
        context, code = C.c_uint32(), C.c_int32()
        r = self.t.error_get_error(self.held[h][0], C.byref(context), C.byref(code))
        return r, context.value, code.value

    @precondition(lambda self: self.held[0] is not None or self.held[1] is not None)
    @rule(h=st.integers(0, 1))
    def error_get_error(self, h):
        self.step()
        if self.held[h] is None:
            return
        r, context, code = self.values(h)
        check(r == S_OK and 0 <= context <= 8 and code < 0, "E-5",
              f"Error.GetError answered {r & 0xFFFFFFFF:#x} context {context} code {code & 0xFFFFFFFF:#x}")
        if self.held[h][1]:
            if self.held[h][2] is not None:
                check(self.held[h][2] == (context, code), "E-5", f"a held object changed from {self.held[h][2]} to {(context, code)}")
            self.held[h][2] = (context, code)

    @precondition(lambda self: self.held[0] is not None or self.held[1] is not None)
    @rule(h=st.integers(0, 1))
    def error_get_file(self, h):
        self.step()
        if self.held[h] is None or not self.held[h][1]:
            return
        r, context, _ = self.values(h)
        f = P()
        rf = self.t.error_get_file(self.held[h][0], C.byref(f))
        if context in (LOCAL_FILE, REMOTE_FILE):
            check(rf == S_OK and f, "E-6", f"no file for context {context}")
        else:
            check(rf == BG_E_FILE_NOT_AVAILABLE and not f, "E-6", f"GetFile answered {rf & 0xFFFFFFFF:#x} for context {context}")

    @precondition(lambda self: self.held[0] is not None or self.held[1] is not None)
    @rule(h=st.integers(0, 1))
    def release_error(self, h):
        self.step()
        if self.held[h]:
            self.t.release_error(self.held[h][0])
            self.held[h] = None


def hypothesis_settings(examples):
    return settings(max_examples=examples, stateful_step_count=40, deadline=None, database=None, derandomize=True,
                    verbosity=Verbosity.quiet, suppress_health_check=list(HealthCheck))


def run(examples):
    """Runs the machine; returns (failure message or None, steps of the last run)."""
    try:
        run_state_machine_as_test(JobService, settings=hypothesis_settings(examples))
    except AssertionError as e:
        return str(e).splitlines()[0], RUN["steps"]
    return None, RUN["steps"]


def main():
    global PLUGIN
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("plugin")
    p.add_argument("mode", choices=["speed", "kill"])
    p.add_argument("mutants", nargs="*")
    p.add_argument("--examples", type=int, default=200)
    p.add_argument("--constants", required=True, help="bgc_constants.py, written at build time")
    a = p.parse_args()
    out = {"peer": "hypothesis " + __import__("hypothesis").__version__, "python": sys.version.split()[0]}
    if a.mode == "speed":
        PLUGIN = load(a.plugin)
        steps = 0
        RUN["start"] = start = time.process_time()
        count = {"n": 0}
        original_step = JobService.step

        def counting(self):
            count["n"] += 1
            original_step(self)
        JobService.step = counting
        failure, _ = run(a.examples)
        JobService.step = original_step
        seconds = time.process_time() - start
        steps = count["n"]
        out.update(examples=a.examples, steps=steps, seconds=seconds, steps_per_second=steps / seconds, failure=failure)
    else:
        out["mutants"] = []
        for name in a.mutants:
            PLUGIN = load(os.path.join(a.plugin, f"libbgc_mutant_{name}.so"))
            RUN["first_failure"] = None
            RUN["start"] = start = time.process_time()
            failure, steps = run(a.examples)
            total = time.process_time() - start
            out["mutants"].append({"name": name, "killed": failure is not None, "rule": failure.split(":")[0] if failure else None,
                                   "message": failure, "first_failure_seconds": RUN["first_failure"],
                                   "kill_seconds": total if failure else None, "counterexample_steps": steps if failure else None})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
