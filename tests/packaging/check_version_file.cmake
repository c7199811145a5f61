# The version file follows SameMajorVersion: find_package(sixmm-errinfo X.Y)
# accepts the installed MAJOR.MINOR.PATCH when MAJOR matches and it is not
# older, and refuses another major version.
#   cmake -DPREFIX=... -DVERSION=x.y.z -DWORK=dir -P check_version_file.cmake
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _ "${VERSION}")
set(major "${CMAKE_MATCH_1}")
set(minor "${CMAKE_MATCH_2}")
math(EXPR next "${major} + 1")

foreach(case IN ITEMS "${major}.${minor}:found" "${major}:found" "${next}.0:refused")
    string(REPLACE ":" ";" case "${case}")
    list(GET case 0 want)
    list(GET case 1 expect)
    set(dir "${WORK}/v${want}")
    file(REMOVE_RECURSE "${dir}")
    file(WRITE "${dir}/CMakeLists.txt"
        "cmake_minimum_required(VERSION 3.20)\nproject(v LANGUAGES NONE)\n"
        "find_package(sixmm-errinfo ${want} CONFIG REQUIRED)\n")
    execute_process(COMMAND "${CMAKE_COMMAND}" -S "${dir}" -B "${dir}/build"
                            "-DCMAKE_PREFIX_PATH=${PREFIX}"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if((expect STREQUAL "found" AND NOT rc EQUAL 0) OR
       (expect STREQUAL "refused" AND rc EQUAL 0))
        message(FATAL_ERROR "find_package(sixmm-errinfo ${want}) against ${VERSION}: "
                            "expected ${expect}, got exit ${rc}:\n${out}")
    endif()
    message(STATUS "find_package(sixmm-errinfo ${want}) against ${VERSION}: ${expect}")
endforeach()
