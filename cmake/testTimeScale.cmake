# Test time limits for a busy machine. Every CTest TIMEOUT is its figure for an idle machine times
# BGC_TEST_TIME_SCALE, read from the environment when the build is configured (`./quickstart.sh test`
# configures each time), as conformance/cli/check_support.py reads it when a test runs. Default 1; e.g.
# BGC_TEST_TIME_SCALE=3 beside another heavy job. Up to two decimals ("2.5").
set(_bgc_scale "$ENV{BGC_TEST_TIME_SCALE}")
if(_bgc_scale MATCHES "^([0-9]+)(\\.([0-9]?[0-9]?))?$")
  set(_bgc_decimals "${CMAKE_MATCH_3}00")
  string(SUBSTRING "${_bgc_decimals}" 0 2 _bgc_decimals)
  math(EXPR BGC_TEST_TIME_PERCENT "${CMAKE_MATCH_1} * 100 + 1${_bgc_decimals} - 100")
else()
  set(BGC_TEST_TIME_PERCENT 100)
endif()
if(BGC_TEST_TIME_PERCENT LESS 100)
  set(BGC_TEST_TIME_PERCENT 100)
endif()
if(NOT BGC_TEST_TIME_PERCENT EQUAL 100)
  message(STATUS "bgconform: test time limits x${_bgc_scale} (BGC_TEST_TIME_SCALE)")
endif()

# `seconds` on an idle machine, as long as this machine may need.
function(bgc_scaled_seconds out seconds)
  math(EXPR scaled "(${seconds} * ${BGC_TEST_TIME_PERCENT} + 99) / 100")
  set(${out} ${scaled} PARENT_SCOPE)
endfunction()

# Scales the TIMEOUT of every test the calling directory has added so far: call it last in a directory
# that adds tests (tests that gtest_discover_tests finds take bgc_scaled_seconds in their PROPERTIES).
function(bgc_scale_test_timeouts)
  if(BGC_TEST_TIME_PERCENT EQUAL 100)
    return()
  endif()
  get_directory_property(tests TESTS)
  foreach(test IN LISTS tests)
    get_test_property(${test} TIMEOUT limit)
    if(limit)
      bgc_scaled_seconds(limit ${limit})
      set_tests_properties(${test} PROPERTIES TIMEOUT ${limit})
    endif()
  endforeach()
endfunction()
