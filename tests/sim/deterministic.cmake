# The same --seed gives byte-identical output; a different seed differs.
# cmake -DSIM=path/to/sixmm-sim -P deterministic.cmake
function(run seed var)
    execute_process(COMMAND "${SIM}" --seed ${seed} --intents 5000 --faults heavy --json
                    OUTPUT_VARIABLE out RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "sixmm-sim --seed ${seed} exited ${rc}")
    endif()
    set(${var} "${out}" PARENT_SCOPE)
endfunction()
run(11 first)
run(11 again)
run(12 other)
if(NOT first STREQUAL again)
    message(FATAL_ERROR "the same seed gave different output:\n${first}\n${again}")
endif()
if(first STREQUAL other)
    message(FATAL_ERROR "seeds 11 and 12 gave the same output; the seed is ignored:\n${first}")
endif()
