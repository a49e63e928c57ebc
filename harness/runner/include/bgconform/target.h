// A Target is the implementation under test, seen through the stimulus alphabet.
// Targets never judge: they apply a stimulus and say what came back (architecture.md).
#pragma once

#include <memory>
#include <cstdint>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bgconform/types.h"

namespace bgc {

struct Capabilities {
  bool deterministic = true;    // the same stimuli always give the same observations
  bool virtual_clock = true;    // Advance moves the target's clock exactly
  bool fault_injection = true;  // Source and Network events reach the target's transport
  // A real service behind a loopback origin server sees neither a network loss nor a refused
  // connection on one URL: the generator leaves out what the target cannot stage.
  bool network_events = true;
  bool refused_connections = true;
  // The harness serves the local-file source, a chunk a second (its virtual environment); false: the
  // service reads a real file at its own pace (a real service).
  bool paced_local_file = true;
  std::vector<Profile> profiles;  // the profiles the target can run in
};

// What a target that answers from a recorded trace (bgconform check) tells the Runner in place of the
// clock: when each answer was given, and which polls followed a stimulus. A live target is timed and
// polled by the Runner instead.
class RecordedAnswers {
 public:
  virtual ~RecordedAnswers() = default;
  // When the last call was made and when it returned, in microseconds since the case began.
  virtual std::pair<std::int64_t, std::int64_t> last_call_us() const = 0;
  // The next poll recorded after the current stimulus; nullopt when the next line is the case's next
  // stimulus (or its end).
  virtual std::optional<Stimulus> next_poll() = 0;
};

class Target {
 public:
  virtual ~Target() = default;
  virtual Capabilities capabilities() const = 0;
  // Starts a fresh service in the given profile for the next case.
  virtual void reset(Profile profile) = 0;
  // One call or one environment event.
  virtual Observation apply(const Stimulus& s) = 0;
  // Several in order (the Runner's stimulus and its sweep), `answers` as long as `stimuli`. A target
  // in another process sends them as one request: one round trip instead of one each. A crash or a
  // hang ends the batch, and the answers from there on say so. Default: apply() each in turn.
  virtual void apply_all(std::span<const Stimulus> stimuli, std::span<Observation> answers);
  // While a hang is shrunk: from `on` until `off`, a call that outlasts every answer so far by far
  // (not the whole call timeout) may be taken for the hang, and the caller confirms its result under
  // the full timeout. Only targets with a call timeout have anything to change.
  virtual void probe_hangs(bool on) { (void)on; }
  // From `on` on, each case starts in a process of its own: nothing an earlier case left in the
  // implementation (a static, a leak, a thread) reaches it, so a failure found then reproduces alone.
  // Targets that cannot (a library in the harness's own process) ignore it.
  virtual void isolate_cases(bool on) { (void)on; }
  // How the target failed at its last Crashed or TimedOut answer, in its own words: a signal, an exit
  // status, a limit that ended it, the reset it failed in. Empty when it cannot tell.
  virtual std::string failure_detail() const { return {}; }
  // Whether that failure came in the reset before the case (the fresh service could not be made), not
  // in one of its stimuli.
  virtual bool failed_in_reset() const { return false; }
  // What the implementation printed (its stdout and stderr) since the current case began: the last
  // kCaseOutputBytes of it, with a line saying how much came before. Empty when it printed nothing or
  // the target cannot tell (a library in the harness's own process prints where the harness does).
  virtual std::string case_output() const { return {}; }
  static constexpr std::size_t kCaseOutputBytes = 64 * 1024;
  // A recorded trace's answers (recorded_target.h); nullptr for a live target.
  virtual RecordedAnswers* recorded() { return nullptr; }
  // A short name for reports, e.g. "reference" or "reference+fault:keep-error-after-transfer".
  virtual std::string name() const = 0;
  // The implementation's own name and version, where it gives one (a plugin's table); name() otherwise.
  virtual std::string implementation() const { return name(); }
};

inline void Target::apply_all(std::span<const Stimulus> stimuli, std::span<Observation> answers) {
  for (std::size_t i = 0; i < stimuli.size(); ++i) {
    // Made in place (no temporary to copy from): copying an answer the call has only just written, a
    // field at a time, stalls the processor (its 16-byte loads wait for the narrower stores).
    static_assert(std::is_trivially_destructible_v<Observation>);
    ::new (static_cast<void*>(&answers[i])) Observation(apply(stimuli[i]));
    if (ends_the_case(answers[i].outcome)) {
      for (std::size_t k = i + 1; k < stimuli.size(); ++k) answers[k].outcome = answers[i].outcome;
      return;
    }
  }
}

}  // namespace bgc
