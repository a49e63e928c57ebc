# The CI check of the vendor path (ctest: examples.vendor_project): install bgconform from the build
# tree into a fresh prefix, configure examples/vendor_project against it with find_package(bgconform),
# build the vendor's plugin, and run its CTest gate.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -P vendor_project_test.cmake
file(REMOVE_RECURSE ${WORK_DIR})
function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${what} failed (${code}):\n${out}${err}")
  endif()
  message(STATUS "${what}: ok")
  set(last_output "${out}" PARENT_SCOPE)
endfunction()
step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
foreach(f bin/bgconform bin/bgconform-host include/bgconform/vendor_abi.h lib/cmake/bgconform/bgconformConfig.cmake)
  if(NOT EXISTS ${WORK_DIR}/prefix/${f})
    message(FATAL_ERROR "the install lacks ${f}")
  endif()
endforeach()
step("configure the vendor project" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/vendor_project -B ${WORK_DIR}/build
     -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release)
step("build the vendor project" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
step("the vendor project's gate" ${CMAKE_COMMAND} -E env --unset=GTEST_TOTAL_SHARDS --unset=GTEST_SHARD_INDEX
     ${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR}/build --output-on-failure)
if(NOT last_output MATCHES "100% tests passed, 0 tests failed out of 2")
  message(FATAL_ERROR "unexpected ctest output:\n${last_output}")
endif()
