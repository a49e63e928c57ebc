// Item 5: the cost of one call through the COM agent (bgconform -> pipe -> Wine -> agent -> qmgr)
// against the same call in a plain COM client loop (harness/targets/com/agent/plain_client_bench.cpp) on the
// same Wine prefix. Needs Wine and the MinGW-built programs; says why when it cannot run.
#pragma once

#include <string>

namespace bgc::bench {

struct ComFigures {
  std::string error;  // empty when measured
  int calls = 0;
  double agent_ns = 0;  // per GetState through ComTarget (the Runner's view)
  double plain_ns = 0;  // per GetState in the plain client's loop
};

ComFigures measure_com(const std::string& plain_client, int calls);

}  // namespace bgc::bench
