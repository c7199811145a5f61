# What `cmake --install --prefix P` must put into P.
#   cmake -DPREFIX=... -DLIBDIR=lib -DINCLUDEDIR=include -DBINDIR=bin
#         -DDATAROOTDIR=share -DVERSION=x.y.z -DSOVERSION=x -DREADELF=...
#         -P check_layout.cmake
set(problems "")
macro(need path)
    if(NOT EXISTS "${PREFIX}/${path}")
        string(APPEND problems "  missing: ${path}\n")
    endif()
endmacro()

set(lib "${LIBDIR}/libsixmm-errinfo")
need("${lib}.so.${VERSION}")
need("${lib}.so.${SOVERSION}")
need("${lib}.so")
need("${lib}.a")
need("${INCLUDEDIR}/sixmm/errinfo.h")
need("${INCLUDEDIR}/sixmm/codes.h")
need("${LIBDIR}/cmake/sixmm-errinfo/sixmm-errinfoConfig.cmake")
need("${LIBDIR}/cmake/sixmm-errinfo/sixmm-errinfoConfigVersion.cmake")
need("${LIBDIR}/cmake/sixmm-errinfo/sixmm-errinfoTargets.cmake")
need("${LIBDIR}/pkgconfig/sixmm-errinfo.pc")

# The .so and .so.MAJOR are links to the versioned file, whose SONAME is
# the .so.MAJOR name the dynamic linker looks for.
foreach(link IN ITEMS "${lib}.so" "${lib}.so.${SOVERSION}")
    if(EXISTS "${PREFIX}/${link}" AND NOT IS_SYMLINK "${PREFIX}/${link}")
        string(APPEND problems "  not a symbolic link: ${link}\n")
    endif()
endforeach()
if(EXISTS "${PREFIX}/${lib}.so.${VERSION}")
    execute_process(COMMAND "${READELF}" -d "${PREFIX}/${lib}.so.${VERSION}"
                    OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
    if(NOT dyn MATCHES "Library soname: \\[libsixmm-errinfo\\.so\\.${SOVERSION}\\]")
        string(APPEND problems "  SONAME is not libsixmm-errinfo.so.${SOVERSION}:\n${dyn}\n")
    endif()
endif()

# The CLI, its man page and the docs pages come from src/cli and docs/.
need("${BINDIR}/6mm-errinfo")
if(EXISTS "${PREFIX}/${BINDIR}/6mm-errinfo")
    execute_process(COMMAND "${PREFIX}/${BINDIR}/6mm-errinfo" 3107
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        string(APPEND problems "  installed 6mm-errinfo 3107 exited ${rc}:\n${out}\n")
    endif()
endif()
file(GLOB man1 "${PREFIX}/${DATAROOTDIR}/man/man1/6mm-errinfo.1*")
if(NOT man1)
    string(APPEND problems "  missing: ${DATAROOTDIR}/man/man1/6mm-errinfo.1\n")
endif()
file(GLOB_RECURSE docs "${PREFIX}/${DATAROOTDIR}/doc/sixmm-errinfo/*")
if(NOT docs)
    string(APPEND problems "  missing: ${DATAROOTDIR}/doc/sixmm-errinfo/ (empty or absent)\n")
endif()

if(problems)
    message(FATAL_ERROR "install layout under ${PREFIX} is incomplete:\n${problems}")
endif()
message(STATUS "install layout under ${PREFIX} is complete")
