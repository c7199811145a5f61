# Bad input gets exit 2 and one line saying what was wrong.
# cmake -DSIM=path/to/sixmm-sim -P usage_error.cmake
foreach(args IN ITEMS "--policy;bogus" "--server-order;bogus" "--intents;-3" "--delay;1.5" "--no-such-option" "--seed")
    execute_process(COMMAND "${SIM}" ${args} RESULT_VARIABLE rc
                    OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(REGEX MATCHALL "\n" lines "${err}")
    list(LENGTH lines n)
    if(NOT rc EQUAL 2 OR NOT n EQUAL 1 OR NOT out STREQUAL "")
        message(FATAL_ERROR "sixmm-sim ${args}: exit ${rc}, ${n} lines on stderr:\n${err}${out}")
    endif()
endforeach()
