# Runs COMMAND (a ;-list) and fails unless it exits with EXPECT_EXIT and its output (stdout and
# stderr) matches EXPECT_OUTPUT (a regular expression, optional).
# ATTEMPTS (default 1): run up to that many times, until a run passes. Only for replays against a real
# service, where a deviation its ledger marks intermittent may show under another rule on one run.
if(NOT DEFINED ATTEMPTS)
  set(ATTEMPTS 1)
endif()
foreach(attempt RANGE 1 ${ATTEMPTS})
  execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(problem "")
  if(NOT code STREQUAL "${EXPECT_EXIT}")
    set(problem "exit code ${code}, expected ${EXPECT_EXIT}\n${out}${err}")
  elseif(DEFINED EXPECT_OUTPUT AND NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
    set(problem "output does not match '${EXPECT_OUTPUT}':\n${out}${err}")
  endif()
  if(problem STREQUAL "")
    break()
  endif()
  if(attempt LESS ATTEMPTS)
    message("attempt ${attempt} of ${ATTEMPTS}: ${problem}")
  endif()
endforeach()
if(NOT problem STREQUAL "")
  message(FATAL_ERROR "${problem}")
endif()
# PRINT_OUTPUT: show the output in the test log even when the test passes.
if(PRINT_OUTPUT)
  message("${out}${err}")
endif()
