// Answers a target could give instead of the one it gave: one observed value changed at a time (the
// HRESULT, a state, a context, a code, a file, a count, progress). The Runner judges them to learn
// whether a rule's check at a step excludes anything (a *discriminating situation*, model.h
// rejecting_rules): a rule that allows every answer a target could give has checked nothing there.
#pragma once

#include <vector>

#include "bgconform/constants.h"
#include "bgconform/types.h"

namespace bgc {

// Appends to `out` the answers to `op` that differ from `o` in one value the model may judge. Only
// answered calls have others (a crash or a hang is not an answer).
void other_answers(const Observation& o, Op op, std::vector<Observation>& out);

}  // namespace bgc
