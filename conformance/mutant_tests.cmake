# The mutant catalogue through the command line (issue 4): one test per row of mutants.def runs the
# default generated suite against that mutant plugin and expects its rule among the failures (exit 1),
# or the crash/timeout line (exit 3); the reference plugin passes in-process and isolated; and
# mutant.kill_matrix runs `bgconform mutants` (400 cases each, isolated: a twentieth of the quick tier's steps,
# which the per-mutant tests run) and prints the whole matrix into the test log.
set(bgc_mutants_def ${PROJECT_SOURCE_DIR}/harness/sdk/mutants/mutants.def)
set(bgc_expect ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
file(STRINGS ${bgc_mutants_def} bgc_mutant_test_rows REGEX "^MUTANT\\(")
set(bgc_first_mutant "")
foreach(row IN LISTS bgc_mutant_test_rows)
  string(REGEX MATCH "^MUTANT\\(([A-Za-z0-9]+), \"([a-z0-9-]+)\", \"([^\"]+)\", \"([a-z]+)\"" _ "${row}")
  set(name ${CMAKE_MATCH_2})
  set(expected ${CMAKE_MATCH_3})
  set(profile ${CMAKE_MATCH_4})
  if(NOT bgc_first_mutant)
    set(bgc_first_mutant bgc_mutant_${name})
  endif()
  # The quick tier (the default), in-process: a step through the isolated host costs a context switch when
  # the machine is busy (ctest -j2), and a violation needs no isolation. A crash or a hang does: those run
  # in the host, on 200 cases (each later case that meets the hang costs the hang probe's wait).
  if(expected STREQUAL "crash" OR expected STREQUAL "timeout")
    set(code 3)
    set(how "--isolate;--cases;200")
  else()
    set(code 1)
    set(how "--no-isolate")
  endif()
  set(regex "FAIL ${expected}[^0-9]")
  add_test(NAME mutant.${name}
           COMMAND ${CMAKE_COMMAND}
                   "-DCOMMAND=$<TARGET_FILE:bgconform>;run;--target;plugin:$<TARGET_FILE:bgc_mutant_${name}>;--profile;${profile};--call-timeout;0.5;${how}"
                   -DEXPECT_EXIT=${code} "-DEXPECT_OUTPUT=${regex}" -P ${bgc_expect})
  set_tests_properties(mutant.${name} PROPERTIES TIMEOUT 300)
endforeach()

# With the default call timeout (5 s): once the hang is confirmed, the cases that meet it again are told
# by the hang probe, not by 5 s each (the run took over five minutes that way; now about 15 s).
add_test(NAME mutant.hang-in-cancel_default_timeout
         COMMAND ${CMAKE_COMMAND}
                 "-DCOMMAND=$<TARGET_FILE:bgconform>;run;--target;plugin:$<TARGET_FILE:bgc_mutant_hang-in-cancel>;--cases;200"
                 -DEXPECT_EXIT=3 "-DEXPECT_OUTPUT=FAIL timeout[^0-9]" -P ${bgc_expect})
set_tests_properties(mutant.hang-in-cancel_default_timeout PROPERTIES TIMEOUT 120)

add_test(NAME mutant.reference_in_process
         COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;run;--target;plugin:$<TARGET_FILE:bgc_reference_plugin>;--no-isolate"
                 -DEXPECT_EXIT=0 -DEXPECT_OUTPUT=conformant -P ${bgc_expect})
add_test(NAME mutant.reference_isolated
         COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;run;--target;plugin:$<TARGET_FILE:bgc_reference_plugin>;--isolate;--call-timeout;0.5;--steps;20000"
                 -DEXPECT_EXIT=0 -DEXPECT_OUTPUT=conformant -P ${bgc_expect})
list(LENGTH bgc_mutant_test_rows bgc_mutant_count)
add_test(NAME mutant.kill_matrix
         COMMAND ${CMAKE_COMMAND}
                 "-DCOMMAND=$<TARGET_FILE:bgconform>;mutants;$<TARGET_FILE_DIR:${bgc_first_mutant}>;--manifest;${bgc_mutants_def};--cases;400;--report-dir;${CMAKE_CURRENT_BINARY_DIR}/mutant-matrix"
                 -DEXPECT_EXIT=0 "-DEXPECT_OUTPUT=mutation score: ${bgc_mutant_count} of ${bgc_mutant_count} killed" -DPRINT_OUTPUT=ON
                 -P ${bgc_expect})
set_tests_properties(mutant.reference_in_process mutant.reference_isolated PROPERTIES TIMEOUT 300)
# About 50 s alone, a few minutes beside the rest of the suite on two cores (each mutant's cases from its
# first failure on start a process of their own; the shrinking's candidates share one): the limit is for
# a run that hangs, not a speed goal.
set_tests_properties(mutant.kill_matrix PROPERTIES TIMEOUT 3600)
