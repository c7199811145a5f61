# One place for the warning set, applied target by target.
function(sixmm_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
        -Wwrite-strings -Wcast-qual -Wformat=2
        $<$<BOOL:${SIXMM_WERROR}>:-Werror>)
endfunction()
