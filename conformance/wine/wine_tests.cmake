# The real BITS service (issue 7): Wine's qmgr.dll through the COM agent, when both Wine and the agent
# (MinGW) are here.
#  - cli.com_bits_wine: a generated run that gates on the Wine ledger (exit 0: only ledgered deviations),
#    recording its trace, which cli.com_bits_wine_trace_checked checks to the same verdict;
#    cli.com_bits_ledger_found then checks that every ledgered deviation that is not marked intermittent
#    was found again.
#  - cli.com_replay_*: one fixed sequence per ledgered deviation (wine/replays/), which must still fail
#    with its rule (going on past the other ledgered ones): the proof for the intermittent ones too.
#  - cli.com_interrupted: Ctrl-C takes down a run's private prefix, during its set-up or its cases.
#  - cli.com_stuck_service: a frozen service is a hang found; the run goes on with a fresh one.
#  - cli.com_agent_protocol: the agent alone, its arguments and line protocol; cli.com_windows_host_emulated:
#    the --com-host windows code path (as from inside WSL) with Wine standing in for Windows.
# They share one Wine prefix in the build tree (made once, ~10 s), so they run one at a time.
set(wine_ledger ${CMAKE_CURRENT_SOURCE_DIR}/wine/wine-qmgr-ledger.json)
set(wine_report ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/wine)
set(wine_prefix ${CMAKE_CURRENT_BINARY_DIR}/wine-prefix)
set(wsl_emulation ${CMAKE_CURRENT_SOURCE_DIR}/wine/wsl-emulation)  # stand-ins for WSL's tools
find_program(BGC_WINE wine)
if(BGC_COM_AGENT_EXE AND BGC_WINE)
  # Twelve real-time cases cannot check every rule (the gate would fail on those never exercised): the
  # fixed replays below prove the deviations, and the report lists what was not exercised.
  bgconform_cli_test(com_bits_wine 0 "conformant except the known deviations"
                     run --target com:bits --ledger ${wine_ledger} --allow-not-exercised --report-dir ${wine_report}
                     --wine-prefix ${wine_prefix} --record ${wine_report}/wine.trace)
  # Real time: alone, so the machine's load does not stretch the service's timing.
  set_tests_properties(cli.com_bits_wine PROPERTIES TIMEOUT 900 RUN_SERIAL TRUE FIXTURES_SETUP wine_report
                                                    FIXTURES_REQUIRED wine_prefix)
  # The run's recorded trace (real time: call times and polls) checks to the run's verdict, without Wine.
  bgconform_cli_test(com_bits_wine_trace_checked 0 "conformant except the known deviations"
                     check ${wine_report}/wine.trace --ledger ${wine_ledger} --allow-not-exercised)
  set_tests_properties(cli.com_bits_wine_trace_checked PROPERTIES FIXTURES_REQUIRED wine_report)
  add_test(NAME cli.com_bits_ledger_found
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/wine/check_ledger_found.py ${wine_ledger} ${wine_report}/report.json)
  set_tests_properties(cli.com_bits_ledger_found PROPERTIES FIXTURES_REQUIRED wine_report)

  # A replay that must still fail with its rule: up to three runs, since a deviation the ledger marks
  # intermittent may show under another rule on one run (ST-9's 403 as ST-2 when the first poll after
  # Resume already finds the job TRANSFERRED).
  function(bgconform_wine_replay_test name replay rule)
    add_test(NAME cli.${name}
             COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;replay;${replay};--target;com:bits;--ledger;${wine_ledger};${ARGN}"
                     -DEXPECT_EXIT=1 "-DEXPECT_OUTPUT=still fails with ${rule}[\n ]" -DATTEMPTS=3
                     -P ${PROJECT_SOURCE_DIR}/conformance/cli/expect_exit.cmake)
  endfunction()
  file(GLOB wine_replays ${CMAKE_CURRENT_SOURCE_DIR}/wine/replays/*.replay)
  foreach(replay ${wine_replays})
    get_filename_component(name ${replay} NAME_WE)
    string(REGEX MATCH "^[A-Z]+-[0-9]+" rule ${name})
    bgconform_wine_replay_test(com_replay_${name} ${replay} ${rule} --wine-prefix ${wine_prefix})
    set_tests_properties(cli.com_replay_${name} PROPERTIES TIMEOUT 300 RESOURCE_LOCK wine_prefix
                                                           FIXTURES_REQUIRED wine_prefix)
  endforeach()

  # Wine has no Delivery Optimization: the agent's class-not-registered answer is a clear exit 2.
  bgconform_cli_test(com_do_not_registered 2 "CLSID_DeliveryOptimization.*not available"
                     run --target com:do --wine-prefix ${wine_prefix})
  set_tests_properties(cli.com_do_not_registered PROPERTIES TIMEOUT 300 RESOURCE_LOCK wine_prefix
                                                            FIXTURES_REQUIRED wine_prefix)
  # A real service moves in real time: the tour cannot plan what time does to it (exit 2).
  bgconform_cli_test(com_tour_refused 2 "--tour: needs a target on the harness's virtual clock; com:bits moves in real time"
                     run --tour --target com:bits --wine-prefix ${wine_prefix})
  set_tests_properties(cli.com_tour_refused PROPERTIES TIMEOUT 300 RESOURCE_LOCK wine_prefix FIXTURES_REQUIRED wine_prefix
                                                       DEPENDS cli.com_do_not_registered)
  # The agent on its own: its arguments and its line protocol (harness/targets/com/agent/README.md).
  add_test(NAME cli.com_agent_protocol
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/wine/agent_protocol_check.py ${BGC_COM_AGENT_EXE} $<TARGET_FILE:bgconform>)
  set_tests_properties(cli.com_agent_protocol PROPERTIES  # a case Wine stalled in runs once more (the script)
                       TIMEOUT 600 RESOURCE_LOCK wine_prefix FIXTURES_REQUIRED wine_prefix
                       DEPENDS cli.com_do_not_registered  # which makes the prefix
                       ENVIRONMENT "WINEPREFIX=${wine_prefix};WINEDEBUG=-all;WINEDLLOVERRIDES=mscoree,mshtml=;DISPLAY=")
  # --com-host windows, as inside WSL on a Windows machine, emulated: WSL_DISTRO_NAME set (WSL sets it),
  # a wslpath that names files for Wine, and "interop" that starts the agent under Wine. The run's files,
  # the agent's copy and its start come from the Windows side's code path; the replay must still fail.
  set(emulated_drive ${CMAKE_CURRENT_BINARY_DIR}/wsl-emulated-drive)
  file(MAKE_DIRECTORY ${emulated_drive})
  bgconform_wine_replay_test(com_windows_host_emulated ${CMAKE_CURRENT_SOURCE_DIR}/wine/replays/ST-9-403-transfers.replay ST-9
                             --com-host windows --com-agent ${wsl_emulation}/agent-through-wine --com-work-dir ${emulated_drive})
  set_tests_properties(cli.com_windows_host_emulated PROPERTIES
                       TIMEOUT 300 RESOURCE_LOCK wine_prefix FIXTURES_REQUIRED wine_prefix
                       DEPENDS cli.com_do_not_registered  # which makes the prefix
                       ENVIRONMENT "WSL_DISTRO_NAME=bgconform-emulated;BGC_EMULATED_AGENT=${BGC_COM_AGENT_EXE};WINEPREFIX=${wine_prefix};WINEDEBUG=-all;WINEDLLOVERRIDES=mscoree,mshtml=;DISPLAY="
                       ENVIRONMENT_MODIFICATION "PATH=path_list_prepend:${wsl_emulation}")
  # Ctrl-C while the run's own private prefix is made, and while its cases run: the prefix, its log and
  # its Wine processes are gone afterwards, exit 2 (interrupt.h). The prefix is made twice (~25 s);
  # the lock keeps that load away from the real-time replays.
  add_test(NAME cli.com_interrupted
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/wine/interrupt_check.py $<TARGET_FILE:bgconform>
                   ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/com-interrupted)
  set_tests_properties(cli.com_interrupted PROPERTIES TIMEOUT 400 RESOURCE_LOCK wine_prefix)
  # A service that stops answering (frozen by the check): the hang is reported and the run goes on with
  # a fresh service, not INCOMPLETE for an agent that could not start again.
  add_test(NAME cli.com_stuck_service
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/wine/stuck_service_check.py $<TARGET_FILE:bgconform>
                   ${wine_prefix} ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/com-stuck-service)
  set_tests_properties(cli.com_stuck_service PROPERTIES TIMEOUT 600 RESOURCE_LOCK wine_prefix FIXTURES_REQUIRED wine_prefix
                                                        DEPENDS cli.com_do_not_registered)  # which makes the prefix
  # The shared prefix goes when they are done (its wineserver first).
  add_test(NAME cli.com_wine_prefix_removed
           COMMAND sh -c "WINEPREFIX='${wine_prefix}' wineserver -k 2>/dev/null; rm -rf '${wine_prefix}'")
  set_tests_properties(cli.com_wine_prefix_removed PROPERTIES FIXTURES_CLEANUP wine_prefix RESOURCE_LOCK wine_prefix)
endif()
# Without Wine or the agent the com: targets still answer clearly.
bgconform_cli_test(com_unknown_service 2 "unknown service 'xp'" run --target com:xp)
bgconform_cli_test(com_missing_agent 2 "COM agent '/nonexistent/agent.exe' is missing"
                   run --target com:bits --com-agent /nonexistent/agent.exe)
# Off WSL, --com-host windows says where it works.
bgconform_cli_test(com_windows_host_off_wsl 2 "works only inside WSL on a Windows machine"
                   run --target com:bits --com-host windows --com-agent ${wsl_emulation}/agent-through-wine)
set_tests_properties(cli.com_windows_host_off_wsl PROPERTIES ENVIRONMENT_MODIFICATION "WSL_DISTRO_NAME=unset:")
bgconform_cli_test(com_profile_mismatch 2 "com:bits runs in profile bits: add --profile bits"
                   run --target com:bits --profile do)
