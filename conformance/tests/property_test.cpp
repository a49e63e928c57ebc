// Properties checked by RapidCheck (RC_PARAMS is honoured: e.g. RC_PARAMS="max_success=1000 seed=7").
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "bgconform/reference_target.h"
#include "bgconform/runner.h"
#include "generator.h"

namespace bgc {
namespace {

// Any stimulus of the alphabet, built through the same constructors the generators use.
rc::Gen<Stimulus> any_stimulus() {
  return rc::gen::exec([]() -> Stimulus {
    const auto op = static_cast<Op>(*rc::gen::inRange(0, kOpCount));
    const int job = *rc::gen::inRange(0, kMaxJobs);
    switch (op) {
      case Op::Source: {
        const auto b = static_cast<Behaviour>(*rc::gen::inRange(0, kBehaviourCount));
        return stim::source(*rc::gen::inRange(0, kSourceCount), b, *rc::gen::inRange(100, 600));
      }
      case Op::Network: return stim::network(*rc::gen::arbitrary<bool>());
      case Op::Advance: {
        const auto lo = *rc::gen::inRange<std::uint32_t>(0, 2'000'000);
        return stim::advance_between(lo, lo + *rc::gen::inRange<std::uint32_t>(0, 10));
      }
      case Op::AddFile: return stim::add_file(job, *rc::gen::inRange(0, kSourceCount));
      case Op::SetMinimumRetryDelay:
      case Op::SetNoProgressTimeout: return stim::set_seconds(op, job, *rc::gen::arbitrary<std::uint32_t>());
      default:
        if (takes_handle(op)) return stim::with_handle(op, job, *rc::gen::inRange(0, kMaxHandlesPerJob));
        return stim::call(op, job);
    }
  });
}

RC_GTEST_PROP(StimulusText, EveryStimulusRoundTrips, ()) {
  const Stimulus s = *any_stimulus();
  const auto parsed = parse_stimulus(to_string(s));
  RC_ASSERT(parsed.error.empty());
  RC_ASSERT(parsed.value == s);
}

// Whatever the generator produces from whatever random bits, the reference service conforms.
RC_GTEST_PROP(Reference, ConformsOnGeneratedCases, ()) {
  const auto profile = *rc::gen::element(Profile::Bits, Profile::Do);
  const auto bits = *rc::gen::container<std::vector<std::uint64_t>>(200, rc::gen::arbitrary<std::uint64_t>());
  ModelConfig config;
  config.profile = profile;
  const JobModel model(config);
  ReferenceTarget target(profile);
  std::size_t next = 0;
  StimulusGenerator generator(model, GeneratorOptions{}, [&] { return bits[next++ % bits.size()]; });
  const CaseResult r = Runner{}.run_case(target, model, [&](const Belief& b) { return generator.next(b); });
  RC_TAG(name(profile));
  RC_ASSERT(r.status == CaseStatus::Pass);
}

}  // namespace
}  // namespace bgc
