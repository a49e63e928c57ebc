# The job model library (see include/bgconform/model.h); included from models/CMakeLists.txt.
add_library(bgc_model STATIC
  src/rules.cpp
  src/interpretations.cpp
  src/model.cpp
  src/model_calls.cpp
  src/model_time.cpp
  src/model_successors.cpp
  src/explorer.cpp
  src/stimulus_kind.cpp
  src/other_answers.cpp
  src/case_result.cpp
  src/run_result.cpp
  src/trace_monitors.cpp)
target_link_libraries(bgc_model PUBLIC bgc_types)
