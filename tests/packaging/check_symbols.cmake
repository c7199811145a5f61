# Only sixmm_ symbols may be exported, and every function the public
# header declares must be exported.
#   cmake -DNM=nm -DLIB=libsixmm-errinfo.so -DHEADER=errinfo.h
#         [-DARCHIVE=libsixmm-errinfo.a] -P check_symbols.cmake
#
# Allowed besides sixmm_*: none. The toolchain's _init/_fini live in .init and
# .fini and are not in the dynamic symbol table of a GNU ld/gold/lld shared
# library, so no exception is needed; if a toolchain ever adds one, it must be
# named here with the reason.
set(allowed "")
execute_process(COMMAND "${NM}" -D --defined-only "${LIB}"
                OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} -D --defined-only ${LIB} failed: ${err}")
endif()
string(REPLACE "\n" ";" lines "${out}")
set(exported "")
set(bad "")
foreach(line IN LISTS lines)
    if(line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) (.+)$")
        set(type "${CMAKE_MATCH_1}")
        set(sym "${CMAKE_MATCH_2}")
        list(APPEND exported "${sym}")
        if(NOT sym MATCHES "^sixmm_" OR sym MATCHES "^sixmm__")
            list(FIND allowed "${sym}" i)
            if(i EQUAL -1)
                list(APPEND bad "${type} ${sym}")
            endif()
        endif()
    endif()
endforeach()
list(LENGTH exported n)
message(STATUS "${n} dynamic symbols defined by ${LIB}")

file(READ "${HEADER}" text)
string(REGEX MATCHALL "SIXMM_API[^;(]*[ *](sixmm_[a-z0-9_]+)[ ]*\\(" decls "${text}")
set(missing "")
foreach(d IN LISTS decls)
    string(REGEX REPLACE ".*[ *](sixmm_[a-z0-9_]+)[ ]*\\($" "\\1" name "${d}")
    list(FIND exported "${name}" i)
    if(i EQUAL -1)
        list(APPEND missing "${name}")
    endif()
endforeach()
list(LENGTH decls nd)
message(STATUS "${nd} functions declared with SIXMM_API in ${HEADER}")

# The static archive cannot hide anything, but its global symbols must stay
# in our namespace too (sixmm_ public, sixmm__ internal; design.md §2), so
# that linking it into a program never clashes with the program's names.
if(ARCHIVE)
    execute_process(COMMAND "${NM}" -g --defined-only "${ARCHIVE}"
                    OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${NM} -g --defined-only ${ARCHIVE} failed: ${err}")
    endif()
    string(REPLACE "\n" ";" lines "${out}")
    set(n 0)
    foreach(line IN LISTS lines)
        if(line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) (.+)$")
            math(EXPR n "${n} + 1")
            set(type "${CMAKE_MATCH_1}")
            set(sym "${CMAKE_MATCH_2}")
            # An AddressSanitizer build adds one `__odr_asan.<global>` marker
            # per instrumented global (its one-definition-rule check); it is
            # named after our own symbol and exists only in instrumented builds.
            if(NOT sym MATCHES "^sixmm_" AND NOT sym MATCHES "^__odr_asan[._]sixmm_")
                list(APPEND bad "${type} ${sym} (in ${ARCHIVE})")
            endif()
        endif()
    endforeach()
    message(STATUS "${n} global symbols defined by ${ARCHIVE}")
endif()

if(bad)
    list(JOIN bad "\n  " bad)
    message(SEND_ERROR "exported symbols without the sixmm_ prefix (or internal sixmm__):\n  ${bad}")
endif()
if(missing)
    list(JOIN missing "\n  " missing)
    message(SEND_ERROR "declared in the public header but not exported:\n  ${missing}")
endif()
if(bad OR missing)
    message(FATAL_ERROR "symbol check failed")
endif()
