# Runs `ctsctl scenario SCRIPT` on a script that must fail and checks the exit code and
# the exact FAIL line (script: tests/order/data/failing.scn, failing at line 7).
execute_process(COMMAND ${CTSCTL} scenario ${SCRIPT} RESULT_VARIABLE code OUTPUT_VARIABLE out)
if(code EQUAL 0)
  message(FATAL_ERROR "ctsctl scenario passed a failing script:\n${out}")
endif()
set(expected "FAIL ${SCRIPT}:7: status=FILLED / status=PARTIALLY_FILLED")
string(FIND "${out}" "${expected}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "expected \"${expected}\", got:\n${out}")
endif()
