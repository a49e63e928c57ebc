// Links models/ into a shared object: a build failure here means a models/ library is not
// position-independent or pulls in a test framework.
#include "bgconform/explorer.h"

extern "C" int bgc_models_probe() {
  bgc::JobModel model;
  bgc::Belief b = model.initial();
  bgc::Step step{bgc::stim::create_job(0), {}};
  return model.check(b, step).ok ? 0 : 1;
}
