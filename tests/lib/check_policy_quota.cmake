# cmake -DPYTHON=... -DGENERATOR=codegen/generate.py -DSPEC=spec/errors.yaml
#       -DSCHEMA=spec/errors.schema.json -DWORK=dir -P check_policy_quota.cmake
# A policy's base_ms may not be shorter than one token interval of a
# documented quota. The unmodified spec must pass; the same spec with every
# base_ms set to 1 ms must fail with that rule (the Agent API documents 2/s).
file(READ "${SPEC}" text)
string(FIND "${text}" "quota:" has_quota)
if(has_quota LESS 0)
    message(FATAL_ERROR "${SPEC}: no policy carries a quota")
endif()
file(MAKE_DIRECTORY "${WORK}")
file(WRITE "${WORK}/ok.yaml" "${text}")
string(REGEX REPLACE "base_ms: [0-9]+" "base_ms: 1" bad "${text}")
file(WRITE "${WORK}/bad.yaml" "${bad}")

execute_process(COMMAND "${PYTHON}" "${GENERATOR}" --spec "${WORK}/ok.yaml" --schema "${SCHEMA}" --check
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the unmodified spec fails (${rc}):\n${out}${err}")
endif()
execute_process(COMMAND "${PYTHON}" "${GENERATOR}" --spec "${WORK}/bad.yaml" --schema "${SCHEMA}" --check
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
    message(FATAL_ERROR "base_ms 1 with a 2/s quota: expected exit 1, got ${rc}:\n${out}${err}")
endif()
if(NOT err MATCHES "bad\\.yaml:[0-9]+: base_ms 1 is shorter than one token interval of the quota \\(500 ms at 2 requests/s\\)")
    message(FATAL_ERROR "base_ms 1 with a 2/s quota: unexpected message:\n${err}")
endif()
message(STATUS "quota rule holds: ${err}")
