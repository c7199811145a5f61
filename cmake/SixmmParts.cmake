# The optional parts of the build, each an option SIXMM_BUILD_<PART> that
# defaults to PROJECT_IS_TOP_LEVEL: a project that vendors sixmm-errinfo with
# add_subdirectory() gets the library alone, which needs only a C compiler,
# Python 3 with jinja2, yaml and jsonschema, and gperf.
#
# sixmm_part(PART DOC) declares the option. A part is "asked for" when its
# value was given rather than defaulted: -DSIXMM_BUILD_<PART>=... on the
# first configure, a parent project's set() before add_subdirectory(), or a
# later change away from the default.
#
# sixmm_part_missing(PART WHAT), called in the part's own folder when a
# dependency is missing: a part that was asked for stops the configure with
# a message naming WHAT; a defaulted one is turned off with one status line
# (SIXMM_BUILD_<PART> becomes OFF for the rest of the configure, so its tests
# are left out too), and the folder returns.

macro(sixmm_part part doc)
    if(NOT DEFINED CACHE{SIXMM__DEFAULT_${part}})
        if(DEFINED SIXMM_BUILD_${part})
            set(SIXMM__DEFAULT_${part} "given" CACHE INTERNAL "")
        elseif(PROJECT_IS_TOP_LEVEL)
            set(SIXMM__DEFAULT_${part} ON CACHE INTERNAL "")
        else()
            set(SIXMM__DEFAULT_${part} OFF CACHE INTERNAL "")
        endif()
    endif()
    option(SIXMM_BUILD_${part} "${doc}" ${PROJECT_IS_TOP_LEVEL})
    set(SIXMM__ASKED_${part} FALSE)
    if(SIXMM__DEFAULT_${part} STREQUAL "given")
        set(SIXMM__ASKED_${part} TRUE)
    elseif(SIXMM_BUILD_${part} AND NOT SIXMM__DEFAULT_${part})
        set(SIXMM__ASKED_${part} TRUE)
    endif()
endmacro()

macro(sixmm_part_missing part what)
    if(SIXMM__ASKED_${part})
        message(FATAL_ERROR "SIXMM_BUILD_${part} is ON, but ${what} was not found. "
                            "Install it, or configure with -DSIXMM_BUILD_${part}=OFF.")
    endif()
    message(STATUS "sixmm-errinfo: SIXMM_BUILD_${part} off: ${what} not found")
    set(SIXMM_BUILD_${part} OFF PARENT_SCOPE)
    return()
endmacro()
