#include "trace_recorder.h"

#include <cstdio>

namespace bgc::agent {

namespace {
// "12.000345": whole microseconds since the case began.
std::string seconds_text(std::chrono::steady_clock::duration d) {
  const long long us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", us / 1000000, us % 1000000);
  return buf;
}
}  // namespace

bool TraceRecorder::open(const std::string& file, Profile profile, const std::string& implementation,
                         std::string& error) {
  out_.open(file, std::ios::binary | std::ios::trunc);
  out_ << "# bgconform trace recorded by the COM agent: every call it answered, with when it was made and\n"
          "# returned. Sources, network and waits the harness staged itself are not in it.\n"
          "trace-format 1\nprofile "
       << name(profile) << "\nclock real-time\ntarget " << implementation << "\n";
  out_.flush();
  if (!out_) {
    error = "--record: cannot write " + file;
    out_.close();
    return false;
  }
  return true;
}

void TraceRecorder::new_case() {
  if (!active()) return;
  case_start_ = std::chrono::steady_clock::now();
  out_ << "case " << cases_++ << "\n";
  out_.flush();
  in_case_ = true;
}

void TraceRecorder::call(const Stimulus& s, const Observation& o, std::chrono::steady_clock::time_point called,
                         std::chrono::steady_clock::time_point returned) {
  if (!active()) return;
  if (!in_case_) {  // driven by hand without a reset: the agent's start is the case's
    new_case();
    case_start_ = called;
  }
  out_ << "@" << seconds_text(called - case_start_) << ".." << seconds_text(returned - case_start_) << " "
       << to_string(s) << " -> " << to_string(o, s.op) << "\n";
  out_.flush();
}

}  // namespace bgc::agent
