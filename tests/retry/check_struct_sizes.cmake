# cmake -DPROGRAM=struct_sizes -DRECORD=abi/retry-structs.txt -P check_struct_sizes.cmake
# The sizes and alignments the program prints must equal the record's
# lines (comments and blank lines aside).
execute_process(COMMAND "${PROGRAM}" OUTPUT_VARIABLE now RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} exited with ${rc}")
endif()
file(STRINGS "${RECORD}" lines REGEX "^[^#]")
string(REPLACE ";" "\n" recorded "${lines}")
string(STRIP "${now}" now)
string(STRIP "${recorded}" recorded)
if(NOT now STREQUAL recorded)
    message(FATAL_ERROR "the retry-loop structs changed size (an ABI break for every caller "
                        "that embeds them):\nrecorded:\n${recorded}\nnow:\n${now}")
endif()
message(STATUS "struct sizes as recorded in ${RECORD}")
