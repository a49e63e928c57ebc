# The case loop and the generator (bgc_conformance): static, position-independent, no test framework.
# Included by conformance/CMakeLists.txt, and by fuzz/ in a fuzzing build without the suites (the trace
# fuzzer judges what it reads through check_trace).
set(_bgc_case_loop ${CMAKE_CURRENT_LIST_DIR}/src)
add_library(bgc_conformance STATIC ${_bgc_case_loop}/case_loop.cpp ${_bgc_case_loop}/check_trace.cpp
                                   ${_bgc_case_loop}/sensitivity.cpp ${_bgc_case_loop}/case_corpus.cpp
                                   ${_bgc_case_loop}/generator.cpp ${_bgc_case_loop}/tour.cpp)
target_include_directories(bgc_conformance PUBLIC ${_bgc_case_loop})
target_link_libraries(bgc_conformance PUBLIC bgc_harness bgc_reports)
