# Checks of the source tree itself (CTest, label `source`): the layer order of the includes
# (docs/architecture.md) and the house format (.clang-format).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME source.layer_order COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/check_layers.py ${PROJECT_SOURCE_DIR})
set_tests_properties(source.layer_order PROPERTIES LABELS source PASS_REGULAR_EXPRESSION "PASS: ")

find_program(BGC_CLANG_FORMAT NAMES clang-format-14 clang-format)
if(BGC_CLANG_FORMAT)
  file(GLOB_RECURSE bgc_formatted_sources CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/models/*.h ${PROJECT_SOURCE_DIR}/models/*.cpp
       ${PROJECT_SOURCE_DIR}/harness/*.h ${PROJECT_SOURCE_DIR}/harness/*.cpp ${PROJECT_SOURCE_DIR}/harness/*.c
       ${PROJECT_SOURCE_DIR}/reports/*.h ${PROJECT_SOURCE_DIR}/reports/*.cpp
       ${PROJECT_SOURCE_DIR}/conformance/*.h ${PROJECT_SOURCE_DIR}/conformance/*.cpp
       ${PROJECT_SOURCE_DIR}/fuzz/*.h ${PROJECT_SOURCE_DIR}/fuzz/*.cpp
       ${PROJECT_SOURCE_DIR}/examples/*.h ${PROJECT_SOURCE_DIR}/examples/*.c ${PROJECT_SOURCE_DIR}/examples/*.cpp)
  # Every file as clang-format would write it: `clang-format -i FILE` fixes one that is not.
  add_test(NAME source.clang_format COMMAND ${BGC_CLANG_FORMAT} --dry-run --Werror ${bgc_formatted_sources})
  set_tests_properties(source.clang_format PROPERTIES LABELS source)
else()
  message(STATUS "bgconform: source.clang_format is not registered (install clang-format)")
endif()
