# Runs COMMAND (a ;-list) and fails unless it exits with EXPECT_EXIT and its output (stdout and
# stderr) matches EXPECT_OUTPUT (a regular expression, optional).
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECT_EXIT}\n${out}${err}")
endif()
if(DEFINED EXPECT_OUTPUT AND NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "output does not match '${EXPECT_OUTPUT}':\n${out}${err}")
endif()
# PRINT_OUTPUT: show the output in the test log even when the test passes.
if(PRINT_OUTPUT)
  message("${out}${err}")
endif()
