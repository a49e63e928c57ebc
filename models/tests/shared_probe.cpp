// Links models/ into a shared object: a build failure here means a models/ library is not
// position-independent or pulls in a test framework.
#include "bgconform/explorer.h"

// A new job answered S_OK and seen SUSPENDED passes; seen QUEUED it breaks ST-1.
extern "C" __attribute__((visibility("default"))) int bgc_models_probe() {
  bgc::JobModel model;
  bgc::Belief b = model.initial();
  const bgc::Step create{bgc::stim::create_job(0), {}};
  bgc::Step seen{bgc::stim::call(bgc::Op::GetState, 0), {}};
  seen.observation.state = bgc::JobState::Suspended;
  bgc::Belief good = b;
  if (!model.check(good, create, {&seen, 1}).ok) return 1;
  seen.observation.state = bgc::JobState::Queued;
  const bgc::StepCheck bad = model.check(b, create, {&seen, 1});
  return !bad.ok && bgc::rule_id(bad.rule) == "ST-1" ? 0 : 1;
}
