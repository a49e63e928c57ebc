// `bgconform check`: the cases of a recorded trace (reports.h, TraceFile) judged as a run judges a live
// target's - the same Runner through a RecordedTarget, the same lanes and seeking (case_loop.h) - so a
// trace recorded by `run --record` checks to the run's verdict, and one recorded elsewhere (Microsoft's
// BITS on a Windows machine) is judged as bgconform would judge that service live.
#pragma once

#include "bgconform/recorded_target.h"
#include "bgconform/reports.h"
#include "case_loop.h"

namespace bgc {

// The run's settings say what is judged (the profile and interpretations the trace was recorded with,
// the rules in force, the ledger). Each failure is reported as recorded: a trace cannot be shrunk or
// run again. Throws TraceError for what the trace does not hold (a sweep without a live job's GetState,
// a stimulus the model cannot apply there).
RunResult check_trace(const RunSettings& settings, const TraceFile& trace, const Progress& progress = {});

}  // namespace bgc
