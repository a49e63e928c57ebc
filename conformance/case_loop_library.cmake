# The case loop and the generator (bgc_conformance), and targets by name (bgc_target_factory): static,
# position-independent, no test framework.
# Included by conformance/CMakeLists.txt, and by fuzz/ in a fuzzing build without the suites (the trace
# fuzzer judges what it reads through check_trace).
set(_bgc_case_loop ${CMAKE_CURRENT_LIST_DIR}/src)
add_library(bgc_conformance STATIC ${_bgc_case_loop}/case_loop.cpp ${_bgc_case_loop}/check_trace.cpp
                                   ${_bgc_case_loop}/sensitivity.cpp ${_bgc_case_loop}/case_corpus.cpp
                                   ${_bgc_case_loop}/generator.cpp ${_bgc_case_loop}/tour.cpp)
target_include_directories(bgc_conformance PUBLIC ${_bgc_case_loop})
target_link_libraries(bgc_conformance PUBLIC bgc_runner bgc_reports bgc_reference)  # sensitivity.cpp runs the reference

# Targets by name (target_factory.h), as the command line spells them: the one place that knows every kind
# of target, above the Runner (which knows only the Target interface). The tool, the fuzzers and the
# benchmarks link it.
add_library(bgc_target_factory STATIC ${_bgc_case_loop}/target_factory.cpp)
target_include_directories(bgc_target_factory PUBLIC ${_bgc_case_loop})
target_link_libraries(bgc_target_factory PUBLIC bgc_runner bgc_reference bgc_faults bgc_isolated)
if(TARGET bgc_com)
  target_link_libraries(bgc_target_factory PUBLIC bgc_com)
  target_compile_definitions(bgc_target_factory PRIVATE BGC_HAVE_COM)
endif()
