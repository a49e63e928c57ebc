# The command line as a user meets it: each test runs build/bgconform and checks its exit code and
# what it prints. bgconform_cli_test(NAME EXIT CODE OUTPUT REGEX ARGS ...)
function(bgconform_cli_test name exit_code regex)
  add_test(NAME cli.${name}
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;${ARGN}" -DEXPECT_EXIT=${exit_code}
                   "-DEXPECT_OUTPUT=${regex}" -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
endfunction()

bgconform_cli_test(model_stats_bits 0 "job states reachable: +9 of 9.*invariants: all hold" model --stats)
bgconform_cli_test(model_stats_do 0 "job states reachable: +8 of 9.*invariants: all hold" model --stats --profile do)
bgconform_cli_test(model_tour 0 "# tour 1 of [0-9]+ .*\nCreateJob j0\n" model --tour)
bgconform_cli_test(model_dot 0 "digraph bg_job_state.*SUSPENDED -> QUEUED" model --dot)
bgconform_cli_test(rules_all 0 "ST-1  covered.*E-12  not-modelled.*46 covered \\(42 judged in bits, 4 only in the other profile\\), 81 not-modelled, 127 in all" rules --all)
# The listing says what a run with the same options judges: another profile's rules and disabled ones are marked.
bgconform_cli_test(rules_profile_and_disabled 0
                   "\nM-25  covered, not judged in this profile \\[bits\\].*\nE-2  covered, disabled \\(--disable-rule\\).*46 covered \\(37 judged in do, 8 only in the other profile, 1 disabled\\)"
                   rules --profile do --disable-rule E-2)
bgconform_cli_test(rules_interpretation 0 "I-1 = either" rules --interpretation I-1=either)
bgconform_cli_test(rules_sensitivity 0 "rule +situations +rejected / tried.*\nE-9 +[0-9]+ +[0-9]+ / [0-9]+ .*rules reject under a quarter"
                   rules --sensitivity --cases 50)
bgconform_cli_test(help 0 "model.*rules" --help)
bgconform_cli_test(bad_flag 2 "--bogus" model --bogus)
bgconform_cli_test(bad_profile 2 "xp not in" model --profile xp)
bgconform_cli_test(bad_interpretation 2 "unknown value 'maybe' for I-1" rules --interpretation I-1=maybe)
bgconform_cli_test(unknown_interpretation 2 "unknown interpretation 'I-99'" rules --interpretation I-99=x)
bgconform_cli_test(bad_rule 2 "'X-9' is not a rule" rules --disable-rule X-9)
bgconform_cli_test(unknown_command 2 "unknown command 'frob'" frob)
bgconform_cli_test(no_command 2 "a command is required" "")

# The conformance run and replay (issue 3): exit codes 0 conformant, 1 deviations, 2 usage.
set(data ${CMAKE_CURRENT_SOURCE_DIR}/cli/data)
set(out ${CMAKE_CURRENT_BINARY_DIR}/cli-reports)
bgconform_cli_test(run_reference 0 "cases 50, steps [0-9]+ \\(50 cases of up to 40 steps each\\).*conformant" run --cases 50 --report-dir ${out}/reference)
bgconform_cli_test(run_reference_do 0 "profile do.*conformant" run --cases 50 --profile do --allow-not-exercised)
bgconform_cli_test(run_fault 1 "FAIL ST-7 .*reproduce: bgconform replay .*replay-ST-7.txt"
                   run --target reference+fault:suspend-ignored --report-dir ${out}/fault)
# The reference takes one side where the default allows two (README, Interpretations): a narrower
# reading finds it, a wider one does not; the E-1 failure says what the narrower reading allows.
bgconform_cli_test(run_narrower_interpretation 1 "FAIL E-1 .*E-1: the model allowed BG_E_ERROR_INFORMATION_UNAVAILABLE \\(no error object\\), job QUEUED"
                   run --interpretation I-1=only-in-error-states --cases 200)
bgconform_cli_test(run_wider_interpretation 0 "conformant" run --interpretation I-1=either --cases 200 --allow-not-exercised)
bgconform_cli_test(run_narrower_interpretation_empty 1 "FAIL M-5 .*the model allowed BG_E_EMPTY"
                   run --interpretation I-6=strict-empty --cases 200)
bgconform_cli_test(run_fault_rule_off 0 "conformant"
                   run --target reference+fault:suspend-ignored --disable-rule ST-7 --cases 50 --allow-not-exercised)
bgconform_cli_test(replay_still_fails 1 "still fails with ST-7" replay ${data}/suspend-ignored.replay)
bgconform_cli_test(replay_fixed 0 "ST-7 no longer fails" replay ${data}/suspend-ignored.replay --target reference)
bgconform_cli_test(replay_malformed 2 "malformed.replay:line 6: column 1: unknown stimulus 'Frobnicate'"
                   replay ${data}/malformed.replay)
bgconform_cli_test(replay_missing 2 "cannot read" replay ${data}/no-such-file.replay)
# The plugin host's limits: a clean environment, a private directory, memory, CPU per case, file size,
# no core files, no_new_privs, --host-user; a leak and a spinning thread end as crashes naming the limit.
add_test(NAME cli.host_limits
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/host_limits_check.py $<TARGET_FILE:bgconform>
                 $<TARGET_FILE:bgc_bad_probe_host> $<TARGET_FILE:bgc_bad_leak_in_create_job>
                 $<TARGET_FILE:bgc_bad_spin_in_add_file> ${CMAKE_CURRENT_BINARY_DIR}/host-limits "${BGC_SANITIZE}")
set_tests_properties(cli.host_limits PROPERTIES PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 900)
# A crash in create_manager is said to be that function's, in the reset, with its signal (under
# AddressSanitizer, whose handler reports the SEGV and exits: the exit status), not the first call's;
# three such cases in a row end the run (exit 3: the crash is its verdict).
bgconform_cli_test(crash_in_create_manager 3
                   "could not start 3 cases in a row \\(in create_manager: (killed by signal 11 \\(SIGSEGV\\)|exited with status [0-9]+[^,\n]*), in the reset before the case\\)"
                   run --cases 200 --target plugin:$<TARGET_FILE:bgc_bad_crash_in_create_manager>)
# A hang there costs the call timeout in each case: the run stops after three, not two hundred. (1 s:
# the call timeout also bounds the host's start, which a busy machine slows.)
bgconform_cli_test(hang_in_create_manager 3
                   "could not start 3 cases in a row \\(in create_manager: no answer within 1000 ms, in the reset before the case\\)"
                   run --cases 200 --call-timeout 1 --target plugin:$<TARGET_FILE:bgc_bad_hang_in_create_manager>)
# An answer out of range is kept as it came, and judged (ST-1: a new job is SUSPENDED).
bgconform_cli_test(out_of_range_state 1 "FAIL ST-1.*CreateJob j[0-9] +S_OK state=42 \\(out of range\\)"
                   run --cases 1 --target plugin:$<TARGET_FILE:bgc_bad_out_of_range_state>)
# What a plugin prints goes to the reports of its findings, not to bgconform's output.
add_test(NAME cli.plugin_output
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/plugin_output_check.py $<TARGET_FILE:bgconform>
                 $<TARGET_FILE:bgc_bad_output_flood> ${CMAKE_CURRENT_BINARY_DIR}/plugin-output)
set_tests_properties(cli.plugin_output PROPERTIES PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 900)
# docs/rules.md is the catalogue's current text (docs/rules_page.cmake rewrites it).
add_test(NAME docs.rules_page
         COMMAND ${CMAKE_COMMAND} -DBGCONFORM=$<TARGET_FILE:bgconform> -DPAGE=${PROJECT_SOURCE_DIR}/docs/rules.md
                 -P ${PROJECT_SOURCE_DIR}/docs/rules_page.cmake)
set_tests_properties(docs.rules_page PROPERTIES PASS_REGULAR_EXPRESSION "PASS")
# A disk that fills up during the run: the reports that can be written say they are incomplete, and why.
add_test(NAME cli.disk_full
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/disk_full_check.py $<TARGET_FILE:bgconform>
                 ${CMAKE_CURRENT_BINARY_DIR}/disk-full)
set_tests_properties(cli.disk_full PROPERTIES PASS_REGULAR_EXPRESSION "PASS" SKIP_RETURN_CODE 77 TIMEOUT 900)
# A crash that depends on earlier cases (the library's state left by them): from the first failure on each
# case runs in a fresh serving process, so the case alone does not crash; the report says why, and its
# replay file runs the earlier cases it needs first, crashing again (exit 3), where the case alone passes.
add_test(NAME cli.crash_across_cases
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/earlier_cases_check.py $<TARGET_FILE:bgconform>
                 $<TARGET_FILE:bgc_fault_crash_across_cases> ${CMAKE_CURRENT_BINARY_DIR}/crash-across-cases)
set_tests_properties(cli.crash_across_cases PROPERTIES PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 900)
# Format 2's earlier cases: in a format 1 file, or a case without stimuli, the file is refused.
bgconform_cli_test(replay_earlier_case_in_format_1 2 "earlier-in-format-1.replay:line 6: 'earlier-case' needs format 2"
                   replay ${data}/earlier-in-format-1.replay)
bgconform_cli_test(replay_empty_earlier_case 2 "empty-earlier-case.replay:line 7: an earlier case without stimuli"
                   replay ${data}/empty-earlier-case.replay)
# A fork bomb ends at the host's process limit (a pids cgroup), as a finding that names the limit, with
# nothing of it left behind; skipped where no pids cgroup can be made.
add_test(NAME cli.fork_bomb
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/fork_bomb_check.py $<TARGET_FILE:bgconform>
                 $<TARGET_FILE:bgc_bad_fork_bomb> ${CMAKE_CURRENT_BINARY_DIR}/fork-bomb)
set_tests_properties(cli.fork_bomb PROPERTIES PASS_REGULAR_EXPRESSION "PASS" SKIP_RETURN_CODE 77 TIMEOUT 900)
# One run per report directory: a second is refused naming the first; a dead run's lock is taken over.
add_test(NAME cli.report_dir_locked
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/report_dir_lock_check.py $<TARGET_FILE:bgconform>
                 ${CMAKE_CURRENT_BINARY_DIR}/report-dir-lock)
set_tests_properties(cli.report_dir_locked PROPERTIES PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 900)
# A replay file is data: the library it names is not loaded on its word (the refusal comes before any
# loading; with --target-from-file the load is tried, and fails here on the missing file).
bgconform_cli_test(replay_names_a_plugin 2
                   "names the target 'plugin:/nonexistent/libvendor_from_a_bug_report.so'; bgconform does not load what a replay file names. Run it with --target plugin:/nonexistent/libvendor_from_a_bug_report.so"
                   replay ${data}/names-a-plugin.replay)
bgconform_cli_test(replay_target_from_file 2 "libvendor_from_a_bug_report.so"
                   replay ${data}/names-a-plugin.replay --target-from-file)
bgconform_cli_test(replay_other_target 0 "ST-7 no longer fails" replay ${data}/names-a-plugin.replay --target reference)

# --disable-rule is obeyed everywhere: a service whose only deviation is ST-9's is conformant with ST-9
# off, and no output names ST-9 as failing (once it was printed FAIL, and a replay file written).
set(kicks $<TARGET_FILE:bgc_mutant_resume-kicks-queue>)
add_test(NAME cli.disabled_rule_never_named
         COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;run;--target;plugin:${kicks};--disable-rule;ST-9;--cases;200;--allow-not-exercised;--report-dir;${out}/disabled-st9"
                 -DEXPECT_EXIT=0 "-DEXPECT_OUTPUT=\nconformant\n" "-DREJECT_OUTPUT=FAIL ST-9|replay-ST-9"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
add_test(NAME cli.disabled_rule_in_replay
         COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;replay;${data}/resume-kicks-queue.replay;--target;plugin:${kicks};--disable-rule;ST-9"
                 -DEXPECT_EXIT=0 "-DEXPECT_OUTPUT=passes with ST-9 switched off" "-DREJECT_OUTPUT=deviation ST-9"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
add_test(NAME cli.disabled_rule_replay_still_fails
         COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;replay;${data}/resume-kicks-queue.replay;--target;plugin:${kicks}"
                 -DEXPECT_EXIT=1 "-DEXPECT_OUTPUT=still fails with ST-9" -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)

# A service may react at the instant of an environment event (README, "The environment"): the reference
# variant whose scheduler does is conformant, and its traces show such moves where the reference's show none.
add_test(NAME cli.react_at_once
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/react_at_once_check.py $<TARGET_FILE:bgconform>
                 $<TARGET_FILE:bgc_react_at_once_plugin> $<TARGET_FILE:bgc_reference_plugin> ${out}/react-at-once)
set_tests_properties(cli.react_at_once PROPERTIES TIMEOUT 300)

# Recorded traces (bgconform run --record, bgconform check): a run's trace checks to the run's verdict;
# a trace that is malformed, or does not hold what checking needs, is exit 2 with its file and line.
add_test(NAME cli.check_recorded_run
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/record_check.py $<TARGET_FILE:bgconform> ${data} ${out}/recorded)
set_tests_properties(cli.check_recorded_run PROPERTIES TIMEOUT 300)
bgconform_cli_test(check_found_by_its_rule 1 "FAIL ST-7 .*reproduce: bgconform check [^\n]*trace-suspend-ignored.trace"
                   check ${data}/trace-suspend-ignored.trace --allow-not-exercised)
bgconform_cli_test(check_no_clock 2 "trace-no-clock.trace: line 4: the header has no 'clock' line"
                   check ${data}/trace-no-clock.trace)
bgconform_cli_test(check_bad_answer 2 "trace-bad-answer.trace: line 6: the answer: unknown job state 'SLEEPING'"
                   check ${data}/trace-bad-answer.trace)
bgconform_cli_test(check_missing_sweep 2 "trace-missing-sweep.trace: line 7: the sweep after 'AddFile j0 src0' has no 'GetState j0'"
                   check ${data}/trace-missing-sweep.trace)
bgconform_cli_test(check_not_live 2 "trace-not-live.trace: line 5: 'Resume j1' cannot be applied here"
                   check ${data}/trace-not-live.trace)
bgconform_cli_test(check_real_time_without_time 2 "trace-real-time-no-time.trace: line 6: expected '@CALLED..RETURNED' first"
                   check ${data}/trace-real-time-no-time.trace)
bgconform_cli_test(check_a_replay_file 2 "suspend-ignored.replay: line 2: this is a replay file \\(stimuli only\\), not a trace"
                   check ${data}/suspend-ignored.replay)
bgconform_cli_test(check_missing 2 "cannot read" check ${data}/no-such-file.trace)

# Each covered rule's witness (conformance/witnesses/README.md): a case the model rejects with that rule
# alone, and accepts with that rule switched off.
file(GLOB rule_witnesses CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/witnesses/*.trace)
foreach(witness IN LISTS rule_witnesses)
  get_filename_component(witness_name ${witness} NAME_WE)
  string(REGEX REPLACE "-(bits|do)$" "" witness_rule ${witness_name})
  add_test(NAME witness.${witness_rule}
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;check;${witness};--allow-not-exercised"
                   -DEXPECT_EXIT=1 "-DEXPECT_OUTPUT= 1 fail,.*\nFAIL ${witness_rule} "
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
  add_test(NAME witness.${witness_rule}.off
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;check;${witness};--allow-not-exercised;--disable-rule;${witness_rule}"
                   -DEXPECT_EXIT=0 "-DEXPECT_OUTPUT=\nconformant\n" -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
endforeach()

# Documented Windows behaviour (conformance/windows-facts/README.md): the model accepts every fact.
file(GLOB windows_facts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/windows-facts/*.trace)
foreach(fact IN LISTS windows_facts)
  get_filename_component(fact_name ${fact} NAME_WE)
  add_test(NAME windows_fact.${fact_name}
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;check;${fact};--allow-not-exercised"
                   -DEXPECT_EXIT=0 "-DEXPECT_OUTPUT=\nconformant\n" -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
endforeach()
# ... and for the documented reason: without I-17 the healthy job's transient error is refused.
add_test(NAME windows_fact.transient_needs_I-17
         COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:bgconform>;check;${CMAKE_CURRENT_SOURCE_DIR}/windows-facts/healthy-job-transient-error-resumed.trace;--allow-not-exercised;--interpretation;I-17=never"
                 -DEXPECT_EXIT=1 "-DEXPECT_OUTPUT=FAIL ST-9 " -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
bgconform_cli_test(run_unknown_target 2 "unknown target 'frob'" run --target frob)
# An empty --target (an unset shell variable) is a mistake, not the default; a CMake list cannot hold
# the empty argument, so a shell passes it.
add_test(NAME cli.run_empty_target
         COMMAND sh -c "out=$(\"$0\" run --target '' 2>&1); code=$?; echo \"$out\"; [ $code -eq 2 ] && echo \"$out\" | grep -q -- '--target: needs a target'"
                 $<TARGET_FILE:bgconform>)
bgconform_cli_test(run_unknown_fault 2 "unknown fault 'nope'" run --target reference+fault:nope)
bgconform_cli_test(run_missing_plugin 2 "no such file" run --target plugin:${data}/no-such.so)
bgconform_cli_test(run_text_plugin 2 "not a loadable shared library" run --target plugin:${data}/malformed.replay)
# A mutant catalogue is read row by row: a broken row is named by its line; a row may span lines, space
# its arguments and escape quotes, and the format's own example in a comment is not a row.
bgconform_cli_test(mutants_manifest_broken 2 "manifest-broken.def:4: expected ',' in the MUTANT row"
                   mutants ${data} --manifest ${data}/manifest-broken.def)
bgconform_cli_test(mutants_manifest_rows 2 "\na-name +E-2 +NO .*libbgc_mutant_a-name.so.*1 of 1 mutants could not run"
                   mutants ${data} --manifest ${data}/manifest-one.def --report-dir ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/manifest-one)
# A row whose rule the model does not check could never be killed: the catalogue is refused (exit 2).
bgconform_cli_test(mutants_manifest_bad_rule 2 "manifest-bad-rule.def:2: 'ZZ-9' is not a rule the model checks"
                   mutants ${data} --manifest ${data}/manifest-bad-rule.def)
bgconform_cli_test(run_bad_seed 2 "neither a number nor 'random'" run --seed abc)
bgconform_cli_test(faults 0 "suspend-ignored +ST-7" faults)

# Reports and CI gating (issue 6): the ledger, tiers and the report set.
bgconform_cli_test(run_ledger_known 0 "KNOWN DEVIATION ST-7.*reproduce: bgconform replay [^\n]*replay-ST-7.txt --target reference\\+fault:suspend-ignored --ledger [^\n]*ledger-st7.json\n.*ledger: Suspend is ignored.*conformant except the known deviations"
                   run --target reference+fault:suspend-ignored --ledger ${data}/ledger-st7.json --report-dir ${out}/ledger-known)
bgconform_cli_test(run_ledger_unexpected_pass 1 "UNEXPECTED PASS ST-7: listed in the ledger.*deviations found"
                   run --target reference --cases 50 --ledger ${data}/ledger-st7.json)
bgconform_cli_test(run_ledger_not_json 2 "malformed ledger .*ledger-not-json.json: not JSON"
                   run --ledger ${data}/ledger-not-json.json)
bgconform_cli_test(run_ledger_bad_rule 2 "known_deviations\\[0\\]: 'X-99' is not a rule the model checks"
                   run --ledger ${data}/ledger-bad-rule.json)
bgconform_cli_test(run_ledger_no_why 2 "known_deviations\\[0\\]: unknown key \"reason\""
                   run --ledger ${data}/ledger-no-why.json)
bgconform_cli_test(run_ledger_duplicate_key 2 "malformed ledger .*ledger-duplicate-key.json: the key \"rule\" is given twice in one object"
                   run --ledger ${data}/ledger-duplicate-key.json)
bgconform_cli_test(run_ledger_missing 2 "cannot read .*no-such-ledger.json" run --ledger ${data}/no-such-ledger.json)
# Scoped ledger entries (issue 24, item 6): the fault ignores Suspend in QUEUED and TRANSFERRING; an
# entry scoped where it never happens leaves ST-7 failing, one that covers every Suspend makes it known,
# and one that covers QUEUED only fails on the TRANSFERRING deviation (the run's counterexample).
bgconform_cli_test(run_ledger_scoped_elsewhere 1 "FAIL ST-7 [^\n]* outside the ledger's scope \\(state SUSPENDED, stimulus Suspend\\): it broke the rule at state [A-Z_]+, stimulus Suspend.*deviations found"
                   run --target reference+fault:suspend-ignored --ledger ${data}/ledger-st7-elsewhere.json)
bgconform_cli_test(run_ledger_scoped_known 0 "KNOWN DEVIATION ST-7.*conformant except the known deviations"
                   run --target reference+fault:suspend-ignored --ledger ${data}/ledger-st7-scoped.json)
bgconform_cli_test(run_ledger_scoped_partly 1 "FAIL ST-7 [^\n]* outside the ledger's scope \\(state QUEUED, stimulus Suspend\\): it broke the rule at state TRANSFERRING, stimulus Suspend"
                   run --target reference+fault:suspend-ignored --ledger ${data}/ledger-st7-queued.json --report-dir ${out}/ledger-scoped-partly)
bgconform_cli_test(ledger_from_scoped 0 "\"rule\": \"ST-7\",[^}]*\"where\": {[^}]*\"state\": \"QUEUED\",[^}]*\"stimulus\": \"Suspend\"[^}]*}.*\"rule\": \"ST-7\",[^}]*\"where\": {[ \n]*\"stimulus\": \"Suspend\"[ \n]*}"
                   ledger --from ${out}/ledger-scoped-partly/report.json)
bgconform_cli_test(replay_ledger_scoped_elsewhere 1 "deviation ST-7 at step 4 \\(state QUEUED, stimulus Suspend, answer S_OK state=QUEUED\\) outside the ledger's scope \\(state SUSPENDED, stimulus Suspend\\)"
                   replay ${data}/suspend-ignored.replay --ledger ${data}/ledger-st7-elsewhere.json)
bgconform_cli_test(replay_ledger_scoped_known 1 "deviation ST-7 at step 4 [^\n]*\\(known: in the ledger\\).*still fails with ST-7 \\(a known deviation"
                   replay ${data}/suspend-ignored.replay --ledger ${data}/ledger-st7-scoped.json)
bgconform_cli_test(run_ledger_bad_where 2 "known_deviations\\[0\\]: \"where\": 'RUNNING' is not a job state"
                   run --ledger ${data}/ledger-bad-where.json)
bgconform_cli_test(ledger_from_missing 2 "cannot read" ledger --from ${data}/no-such-report.json)
bgconform_cli_test(ledger_from_not_report 2 "not a bgconform report.json" ledger --from ${data}/ledger-st7.json)
bgconform_cli_test(run_tier_quick 0 "steps [0-9]+ \\(a budget of 1500000 checked steps of up to 40 steps each\\).*conformant.*tier quick" run --tier quick)
# The adaptive transition tour: every reachable (state, kind) pair of the reference, in few cases; a
# fault it reaches fails with its rule; a sharded run refuses it (its cases learn from each other).
# The tour reaches every pair, not every rule: what it leaves unchecked is listed, and the gate says so.
bgconform_cli_test(run_tour 0 "pairs 225/225 of the explorer.s reachable.*conformant"
                   run --tour --allow-not-exercised --report-dir ${out}/tour)
bgconform_cli_test(run_tour_not_exercised 1 "NOT EXERCISED [^\n]*E-5.*not shown conformant" run --tour)
bgconform_cli_test(run_tour_fault 1 "FAIL ST-7 " run --tour --target reference+fault:suspend-ignored)
add_test(NAME cli.run_tour_sharded
         COMMAND ${CMAKE_COMMAND} -E env GTEST_TOTAL_SHARDS=2 GTEST_SHARD_INDEX=0 ${CMAKE_COMMAND}
                 "-DCOMMAND=$<TARGET_FILE:bgconform>;run;--tour" -DEXPECT_EXIT=2
                 "-DEXPECT_OUTPUT=--tour: the tour does not shard" -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect_exit.cmake)
bgconform_cli_test(run_bad_tier 2 "--tier: nightly not in" run --tier nightly)
# Budgets: in checked steps or seconds; bad values are usage errors.
bgconform_cli_test(run_steps_budget 0 "cases [0-9]+, steps 3[0-9][0-9][0-9] \\(a budget of 3000 checked steps of up to 40 steps each\\).*conformant"
                   run --steps 3000 --allow-not-exercised)
bgconform_cli_test(run_time_budget 0 "\\(a budget of 0.5 s of up to 40 steps each\\).*conformant" run --time 0.5 --allow-not-exercised)
bgconform_cli_test(run_steps_zero 2 "--steps: '0' is not a whole number from 1" run --steps 0)
bgconform_cli_test(run_steps_negative 2 "--steps: '-5' is not a whole number" run --steps -5)
bgconform_cli_test(run_time_not_a_number 2 "--time: 'soon' is not a number of seconds" run --time soon)
bgconform_cli_test(run_time_zero 2 "--time: '0' is not a number of seconds above 0" run --time 0)
# A rule never exercised is not a pass: two cases of one job check few rules, and the gate says so.
bgconform_cli_test(run_not_exercised 1 "NOT EXERCISED [^\n]*E-5.*not shown conformant" run --cases 2 --jobs 1)
bgconform_cli_test(run_not_exercised_allowed 0 "conformant" run --cases 2 --jobs 1 --allow-not-exercised)
bgconform_cli_test(merge_not_shards 2 "merge: .*not a bgconform report.json" merge ${data}/ledger-st7.json)

# Bad places and values are refused before any work starts (exit 2), and no write failure passes silently.
bgconform_cli_test(run_report_dir_is_a_file 2 "--report-dir: cannot use '[^']*suspend-ignored.replay' for the reports"
                   run --cases 5 --report-dir ${data}/suspend-ignored.replay)
# A target name is written into replay files and reproduce commands, a line each: no control characters.
add_test(NAME cli.run_target_with_newline
         COMMAND sh -c "out=$(\"$0\" run --target \"$(printf 'plugin:./a\\nsteps\\nb.so')\" 2>&1); code=$?; echo \"$out\"; [ $code -eq 2 ] && echo \"$out\" | grep -q 'control character'"
                 $<TARGET_FILE:bgconform>)
# One SIGTERM (a CI runner's) while a library loaded into the harness hangs in a call: nothing can stop at
# the next stimulus, so the process ends 30 s after the signal, exit 2.
add_test(NAME cli.run_in_process_hang_terminated
         COMMAND sh -c "rm -f \"$2\"; BGC_HANG_MARKER=\"$2\" \"$0\" run --no-isolate --target plugin:\"$1\" --cases 5 & pid=$!; i=0; while [ ! -e \"$2\" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; kill -TERM $pid; wait $pid; code=$?; echo exit $code; [ $code -eq 2 ]"
                 $<TARGET_FILE:bgconform> $<TARGET_FILE:bgc_bad_hang_in_resume> ${out}/in-process-hang.marker)
set_tests_properties(cli.run_in_process_hang_terminated PROPERTIES TIMEOUT 120)
# A report that cannot be written once the run is under way (here report.json is a directory, which
# the check before the run does not touch): the run finishes, says which file, and exits 2 without
# claiming the reports.
add_test(NAME cli.run_report_write_fails
         COMMAND sh -c "rm -rf \"$1\" && mkdir -p \"$1/report.json\" && out=$(\"$0\" run --cases 20 --report-dir \"$1\" 2>&1); code=$?; echo \"$out\"; [ $code -eq 2 ] && echo \"$out\" | grep -q 'cases 20, steps' && echo \"$out\" | grep -q 'reports in .* are incomplete: cannot replace .*report.json' && ! echo \"$out\" | grep -q '^reports:' && [ ! -e \"$1/report.json.tmp\" ]"
                 $<TARGET_FILE:bgconform> ${out}/write-fails)
bgconform_cli_test(merge_report_dir_is_a_file 2 "--report-dir: cannot use" merge ${out}/ledger-known
                   --report-dir ${data}/suspend-ignored.replay)
bgconform_cli_test(mutants_report_dir_is_a_file 2 "--report-dir: cannot use"
                   mutants ${data} --manifest ${data}/manifest-one.def --report-dir ${data}/suspend-ignored.replay)
bgconform_cli_test(run_call_timeout_nan 2 "--call-timeout: 'nan' is not between 0.001 and 86400 seconds"
                   run --cases 1 --call-timeout nan)
bgconform_cli_test(run_call_timeout_huge 2 "'1e16' is not between" run --cases 1 --call-timeout 1e16)
bgconform_cli_test(run_negative_seed 2 "'-5' is neither a number nor 'random'" run --cases 1 --seed -5)
bgconform_cli_test(mutants_negative_seed 2 "--seed: '-5' is not a whole number" mutants ${data} --seed -5)
# A replay with nothing to replay, or of a rule its profile does not judge, would pass whatever the target does.
bgconform_cli_test(replay_no_stimuli 2 "no-stimuli.replay:line 5: no stimuli after 'steps'" replay ${data}/no-stimuli.replay)
bgconform_cli_test(replay_rule_not_in_profile 2 "rule-not-in-profile.replay:line 5: rule M-25 is not judged in profile do"
                   replay ${data}/rule-not-in-profile.replay --target reference+fault:retry-delay-not-clamped)
bgconform_cli_test(replay_duplicate_interpretation 2 "line 5: a second 'interpretation I-1' line"
                   replay ${data}/duplicate-interpretation.replay)
# A control character (here a NUL) in a broken line is shown as '?', not written to the terminal.
bgconform_cli_test(replay_nul_byte 2 "nul-byte.replay:line 6: column 1: unknown stimulus 'Create\\?Job'" replay ${data}/nul-byte.replay)
# A fault wrapper whose rule the profile does not judge cannot be found: the run says so before it passes.
bgconform_cli_test(run_fault_rule_not_in_profile 0 "note: retry-delay-not-clamped breaks M-25, which profile do does not judge: this run cannot find it"
                   run --profile do --target reference+fault:retry-delay-not-clamped --cases 5 --allow-not-exercised)
# A file an editor saved with a BOM, CRLF, tabs and trailing spaces reads as written.
bgconform_cli_test(replay_edited 1 "still fails with ST-7" replay ${data}/edited.replay)
bgconform_cli_test(run_interpretation_twice 2 "--interpretation: I-1 is given twice"
                   run --interpretation I-1=either --interpretation I-1=only-in-error-states)
bgconform_cli_test(replay_duplicate_header 2 "duplicate-header.replay:line 4: a second 'profile' line"
                   replay ${data}/duplicate-header.replay)
bgconform_cli_test(run_zero_cases 2 "--cases: '0' is not a whole number from 1 to 2147483647" run --cases 0)
bgconform_cli_test(mutants_call_timeout_nan 2 "--call-timeout: 'nan' is not between" mutants ${data} --call-timeout nan)
bgconform_cli_test(replay_rule_switched_off 0 "passes with ST-7 switched off \\(--disable-rule\\): not a sign that it is fixed"
                   replay ${data}/suspend-ignored.replay --disable-rule ST-7)
bgconform_cli_test(replay_directory 2 "cannot read [^\n]*data: it is a directory" replay ${data})
bgconform_cli_test(ledger_output_full 2 "cannot write /dev/full" ledger --from ${out}/ledger-known/report.json -o /dev/full)
# A plugin whose create_manager fails from its fourth call on (a case or two): the run stops there (exit 2), and its
# reports say so rather than "conformant".
bgconform_cli_test(run_manager_fails 2
                   "INCOMPLETE \\(so far: [^\n]+\\): the run stopped after [1-9] of 10 cases: plugin .*create_manager failed with 0x80004005"
                   run --cases 10 --max-steps 3 --no-isolate --target plugin:$<TARGET_FILE:bgc_bad_manager_fails_from_4th>
                   --report-dir ${out}/manager-fails)
# A library loaded into the harness that ends the process with exit(0) in a call: exit 3 and a message, not
# its status as the verdict (0: "conformant", with no reports).
bgconform_cli_test(run_in_process_exit 3 "ended from inside the target .*called exit\\(\\)"
                   run --cases 5 --no-isolate --target plugin:$<TARGET_FILE:bgc_bad_exit_in_resume>)
# ... and one that crashes in a call (abort() in Resume): exit 3, said so, not a core dump (134).
bgconform_cli_test(run_in_process_crash 3 "the target crashed inside the harness process"
                   run --cases 50 --no-isolate --target plugin:$<TARGET_FILE:bgc_bad_thread_at_load>)
# Standard output that cannot be written (a ledger to a full disk) is not a success.
add_test(NAME cli.ledger_stdout_full
         COMMAND sh -c "\"$0\" ledger --from \"$1\" > /dev/full; [ $? -eq 2 ]" $<TARGET_FILE:bgconform>
                 ${out}/ledger-known/report.json)
# Started with its standard descriptors closed, an isolated run still works (the host's pipes must not take
# descriptor 2, where the harness writes its progress).
add_test(NAME cli.run_closed_descriptors
         COMMAND sh -c "\"$0\" run --cases 3 --allow-not-exercised --target plugin:\"$1\" --report-dir \"$2\" <&- >&- 2>&-; code=$?; echo exit $code; grep -q 'conformant' \"$2/summary.md\" && [ $code -eq 0 ]"
                 $<TARGET_FILE:bgconform> $<TARGET_FILE:bgc_reference_plugin> ${out}/closed-descriptors)
set_tests_properties(cli.run_ledger_known PROPERTIES FIXTURES_SETUP ledger_known_report)
set_tests_properties(cli.run_ledger_scoped_partly PROPERTIES FIXTURES_SETUP ledger_scoped_report)
set_tests_properties(cli.ledger_from_scoped PROPERTIES FIXTURES_REQUIRED ledger_scoped_report)
set_tests_properties(cli.ledger_output_full cli.ledger_stdout_full cli.merge_report_dir_is_a_file PROPERTIES
                     FIXTURES_REQUIRED ledger_known_report)

# Ctrl-C during a run: exit 2, the reports of the cases so far, nothing left running.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME cli.run_interrupted
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/interrupt_check.py $<TARGET_FILE:bgconform>
                 reference ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/interrupted)
add_test(NAME cli.run_interrupted_isolated_plugin
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/interrupt_check.py $<TARGET_FILE:bgconform>
                 plugin:$<TARGET_FILE:bgc_reference_plugin> ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/interrupted-plugin)
# ... and while it waits on a call that hangs under a 10-minute call timeout: it stops within seconds.
add_test(NAME cli.run_interrupted_in_a_hang
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/interrupt_check.py $<TARGET_FILE:bgconform>
                 plugin:$<TARGET_FILE:bgc_bad_hang_in_resume> ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/interrupted-hang
                 ${CMAKE_CURRENT_BINARY_DIR}/cli-reports/interrupted-hang.marker)
