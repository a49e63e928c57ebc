# cmake --install: the bgconform tool and its isolated host, the vendor ABI header, and a CMake package
# (find_package(bgconform)) with bgconform_add_conformance_test() for vendors' build systems.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

if(TARGET bgconform)
  install(TARGETS bgconform bgconform-host RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
# The COM agent (when MinGW built it) beside bgconform, where com: targets look for it.
if(BGC_COM_AGENT_EXE)
  install(PROGRAMS ${BGC_COM_AGENT_EXE} DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/harness/sdk/include/bgconform/vendor_abi.h
              ${PROJECT_SOURCE_DIR}/harness/sdk/include/bgconform/vendor_codes.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bgconform)
# What a vendor starts from: the examples (the minimal plugin, a vendor project gating on bgconform)
# and the docs, README and the rule catalogue among them.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/minimal_plugin ${PROJECT_SOURCE_DIR}/examples/vendor_project
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/examples/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/reports/schema/report.schema.json ${PROJECT_SOURCE_DIR}/reports/schema/junit.xsd
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bgconform/schema)

set(BGC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/bgconform)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/bgconformConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/bgconformConfig.cmake
                              INSTALL_DESTINATION ${BGC_CMAKE_DIR}
                              PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/bgconformConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/bgconformConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/bgconformConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/bgconformAddConformanceTest.cmake
        DESTINATION ${BGC_CMAKE_DIR})

# CI: the example vendor project gates through the installed package (examples/vendor_project_test.cmake).
if(BUILD_TESTING)
  add_test(NAME examples.vendor_project
           COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                   -P ${PROJECT_SOURCE_DIR}/examples/vendor_project_test.cmake)
  # Alone: its gate runs the quick tier through the isolated host, where a step costs a context switch
  # when the other core is busy (about 5 s on an idle machine, minutes beside another test). The whole
  # test (install, the vendor's build, its gate) takes about 330 s in CI, past 600 s with another heavy
  # job on the machine: the limit is for a hang.
  set_tests_properties(examples.vendor_project PROPERTIES TIMEOUT 1500 RUN_SERIAL TRUE)
endif()
