# The real BITS service (issue 7): Wine's qmgr.dll through the COM agent, when both Wine and the agent
# (MinGW) are here. The run gates on the Wine ledger (exit 0: only ledgered deviations), then every
# ledgered deviation must have been found again.
set(wine_ledger ${CMAKE_CURRENT_SOURCE_DIR}/wine/wine-qmgr-ledger.json)
set(wine_report ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/wine)
find_program(BGC_WINE wine)
if(BGC_COM_AGENT_EXE AND BGC_WINE)
  bgconform_cli_test(com_bits_wine 0 "conformant except the known deviations"
                     run --target com:bits --ledger ${wine_ledger} --report-dir ${wine_report})
  # Real time: alone, so the machine's load does not stretch the service's timing.
  set_tests_properties(cli.com_bits_wine PROPERTIES TIMEOUT 900 RUN_SERIAL TRUE FIXTURES_SETUP wine_report)
  add_test(NAME cli.com_bits_ledger_found
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/wine/check_ledger_found.py ${wine_ledger} ${wine_report}/report.json)
  set_tests_properties(cli.com_bits_ledger_found PROPERTIES FIXTURES_REQUIRED wine_report)
  # Wine has no Delivery Optimization: the agent's class-not-registered answer is a clear exit 2.
  bgconform_cli_test(com_do_not_registered 2 "CLSID_DeliveryOptimization.*not available" run --target com:do)
  set_tests_properties(cli.com_do_not_registered PROPERTIES TIMEOUT 300)
endif()
# Without Wine or the agent the com: targets still answer clearly.
bgconform_cli_test(com_unknown_service 2 "unknown service 'xp'" run --target com:xp)
bgconform_cli_test(com_missing_agent 2 "COM agent '/nonexistent/agent.exe' is missing"
                   run --target com:bits --com-agent /nonexistent/agent.exe)
bgconform_cli_test(com_profile_mismatch 2 "com:bits runs in profile bits: add --profile bits"
                   run --target com:bits --profile do)
