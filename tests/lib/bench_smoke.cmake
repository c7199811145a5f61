# Runs the benchmark briefly and checks that it completes and prints valid
# JSON with the expected shape. Times are not checked: machines are noisy.
execute_process(COMMAND "${BENCH}" --quick --json
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "bench --quick --json exited with ${rc}:\n${err}")
endif()
# string(JSON) fails with an error on invalid JSON.
string(JSON n ERROR_VARIABLE jerr LENGTH "${out}" results)
if(jerr)
    message(FATAL_ERROR "bench printed invalid JSON (${jerr}):\n${out}")
endif()
if(n LESS 10)
    message(FATAL_ERROR "bench printed only ${n} results:\n${out}")
endif()
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
    string(JSON ns GET "${out}" results ${i} ns_per_op)
    string(JSON op GET "${out}" results ${i} op)
    if(NOT ns GREATER 0)
        message(FATAL_ERROR "result ${i} (${op}) has no positive ns_per_op: ${ns}")
    endif()
endforeach()
string(JSON t ERROR_VARIABLE jerr LENGTH "${out}" budget)
if(jerr)
    message(FATAL_ERROR "bench JSON has no budget checks: ${jerr}")
endif()
# Three string lookups, code, classify, the machine's step, allocations,
# relocations.
if(NOT t EQUAL 8)
    message(FATAL_ERROR "bench printed ${t} budget checks, not 8:\n${out}")
endif()
message(STATUS "bench: ${n} results, ${t} budget checks, valid JSON")
