// The one place RapidCheck is used by the case loop: its splittable random generator seeds each case
// from (seed, case index), and its shrinkers (remove chunks, shrink each Advance towards 1 s) shrink
// counterexamples. Compiled only into executables (Debian's librapidcheck.a is not PIC).
#pragma once

#include "case_loop.h"

namespace bgc {
CaseTools rapidcheck_case_tools();
}
