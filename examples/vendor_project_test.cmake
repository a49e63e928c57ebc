# The CI check of the vendor path (ctest: examples.vendor_project): install bgconform from the build
# tree into a fresh prefix, configure examples/vendor_project against it with find_package(bgconform),
# build the vendor's plugin, and run its CTest gate with the build tree out of sight. Then the installed
# tool finds its own parts only: a program planted where older builds kept the host is never run, and
# without the installed host the run says so instead of borrowing the build tree's.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -P vendor_project_test.cmake
# The work happens outside the build tree (which the gate hides), in a directory of this build's own.
string(MD5 build_hash "${BUILD_DIR}")
set(WORK_DIR "/tmp/bgconform-vendor-project-${build_hash}")
file(REMOVE_RECURSE ${WORK_DIR})
function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${what} failed (${code}):\n${out}${err}")
  endif()
  message(STATUS "${what}: ok")
  set(last_output "${out}" PARENT_SCOPE)
endfunction()
set(prefix ${WORK_DIR}/prefix)
step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f bin/bgconform bin/bgconform-host include/bgconform/vendor_abi.h lib/cmake/bgconform/bgconformConfig.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "the install lacks ${f}")
  endif()
endforeach()
step("configure the vendor project" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/vendor_project -B ${WORK_DIR}/build
     -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
step("build the vendor project" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)

# The gate, with an empty directory mounted over the build tree (a private mount namespace: nothing else
# sees it), as on a machine where the build tree was deleted after `cmake --install`.
set(gate ${CMAKE_COMMAND} -E env --unset=GTEST_TOTAL_SHARDS --unset=GTEST_SHARD_INDEX
    ${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR}/build --output-on-failure)
execute_process(COMMAND unshare --mount --map-root-user sh -c "mount -t tmpfs tmpfs '${BUILD_DIR}' && test ! -e '${BUILD_DIR}/bgconform'"
                RESULT_VARIABLE can_hide OUTPUT_QUIET ERROR_VARIABLE hide_error)
if(can_hide EQUAL 0)
  list(JOIN gate "' '" gate_words)
  step("the vendor project's gate, the build tree hidden" unshare --mount --map-root-user
       sh -c "mount -t tmpfs tmpfs '${BUILD_DIR}' && '${gate_words}'")
else()
  message(STATUS "the build tree cannot be hidden here (unshare: ${hide_error}): the gate runs beside it")
  step("the vendor project's gate" ${gate})
endif()
if(NOT last_output MATCHES "100% tests passed, 0 tests failed out of 2")
  message(FATAL_ERROR "unexpected ctest output:\n${last_output}")
endif()

# A program planted where builds before this one kept the host, and where a compiled-in path pointed.
set(plugin ${WORK_DIR}/build/libvendor_job_service.so)
set(planted ${BUILD_DIR}/harness/vendor/bgconform-host)
set(marker ${WORK_DIR}/planted-host-ran)
file(WRITE ${planted} "#!/bin/sh\ntouch '${marker}'\nexit 1\n")
file(CHMOD ${planted} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
foreach(tool ${prefix}/bin/bgconform ${BUILD_DIR}/bgconform)
  execute_process(COMMAND ${tool} run --target plugin:${plugin} --cases 3 --report-dir ${WORK_DIR}/planted-run
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(EXISTS ${marker})
    file(REMOVE ${planted})
    message(FATAL_ERROR "${tool} ran the program planted at ${planted}")
  endif()
  if(NOT code EQUAL 1)  # the minimal plugin deviates: 1, from its own host
    file(REMOVE ${planted})
    message(FATAL_ERROR "${tool} beside a planted host: exit ${code}, expected 1:\n${out}${err}")
  endif()
endforeach()
file(REMOVE ${planted})
message(STATUS "a host planted at the old build path: never run")

# Without its own host the installed tool says where it looked (its own bin/), and runs nothing else.
file(RENAME ${prefix}/bin/bgconform-host ${WORK_DIR}/bgconform-host.aside)
execute_process(COMMAND ${prefix}/bin/bgconform run --target plugin:${plugin} --cases 3
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(RENAME ${WORK_DIR}/bgconform-host.aside ${prefix}/bin/bgconform-host)
if(NOT code EQUAL 2 OR NOT err MATCHES "plugin host '${prefix}/bin/bgconform-host' is missing")
  message(FATAL_ERROR "the installed bgconform without its host: exit ${code}, expected 2 naming it:\n${out}${err}")
endif()
message(STATUS "without its host the installed tool names it: ok")
file(REMOVE_RECURSE ${WORK_DIR})
