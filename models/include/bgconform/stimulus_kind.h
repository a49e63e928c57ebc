// Stimulus kinds: what the coverage counts, the explorer pairs with job states and the generator aims
// at. A kind is a stimulus without its job, slot and arguments; a Source event keeps its behaviour.
#pragma once

#include <string>
#include <vector>

#include "bgconform/types.h"

namespace bgc {

// A stimulus kind: the stimulus tag, with the behaviour for Source events (no slot, no duration).
struct StimulusKind {
  Op op = Op::GetState;
  Behaviour behaviour = Behaviour::Ok;
  friend bool operator==(const StimulusKind&, const StimulusKind&) = default;
  friend auto operator<=>(const StimulusKind&, const StimulusKind&) = default;
};
StimulusKind kind_of(const Stimulus& s);
std::string to_string(const StimulusKind& k);
// Every kind the alphabet has in a profile (the ones the profile leaves undocumented excluded),
// in a fixed order; CreateJob is not among them (it has no job state to pair with). Built once.
const std::vector<StimulusKind>& all_kinds(Profile p);
int kind_index(Profile p, const StimulusKind& k);  // index in all_kinds(p), or -1

}  // namespace bgc
