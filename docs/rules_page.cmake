# docs/rules.md is the rule catalogue as `bgconform rules` prints it: every rule ID with its status
# and statement, and the interpretations with their values. This script writes the page (WRITE=1) or
# checks that it is the tool's current text (the docs.rules_page test), so the page never drifts
# from the catalogue it quotes.
#   cmake -DBGCONFORM=build/bgconform -DPAGE=docs/rules.md [-DWRITE=1] -P docs/rules_page.cmake
foreach(var BGCONFORM PAGE)
  if(NOT ${var})
    message(FATAL_ERROR "set -D${var}=...")
  endif()
endforeach()

function(tool_text out)
  execute_process(COMMAND ${BGCONFORM} ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${BGCONFORM} ${ARGN} failed (${rc})")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

tool_text(all_bits rules --all --profile bits)
tool_text(all_do rules --all --profile do)
tool_text(in_force rules --profile bits)
set(fence "```")
string(CONCAT page
  "# The rule catalogue\n\n"
  "Generated from bgconform's own catalogue (`bgconform rules --all`, `bgconform rules`); "
  "`docs/rules_page.cmake` writes it and a test keeps it current. Each rule is stated in the project's "
  "own words from Microsoft's documentation of BITS (IBackgroundCopyJob, IBackgroundCopyError, "
  "BG_JOB_STATE, the BITS return values) and of Delivery Optimization's BITS-compatible interfaces. "
  "A rule is `covered` (the stimuli and answers it judges follow) or `not-modelled` (with the reason). "
  "Where the documentation is silent, bgconform's interpretations (I-) decide; the values in force "
  "are at the end of the checked rules, with their alternatives (`--interpretation I-n=VALUE`).\n\n"
  "## Every rule ID, profile bits\n\n${fence}text\n${all_bits}${fence}\n\n"
  "## Every rule ID, profile do\n\n${fence}text\n${all_do}${fence}\n\n"
  "## The rules checked by default, and the interpretations (profile bits)\n\n${fence}text\n${in_force}${fence}\n")

if(WRITE)
  file(WRITE ${PAGE} "${page}")
  message(STATUS "wrote ${PAGE}")
  return()
endif()
file(READ ${PAGE} have)
if(NOT have STREQUAL page)
  message(FATAL_ERROR "${PAGE} is not the catalogue's current text: rewrite it with\n"
                      "  cmake -DBGCONFORM=${BGCONFORM} -DPAGE=${PAGE} -DWRITE=1 -P docs/rules_page.cmake")
endif()
message(STATUS "PASS: ${PAGE} is the catalogue's current text")
