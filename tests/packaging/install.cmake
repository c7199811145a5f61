# Fixture: a fresh `cmake --install BUILD_DIR --prefix PREFIX`.
#   cmake -DBUILD_DIR=... -DPREFIX=... -P install.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}")
endif()
message(STATUS "installed into ${PREFIX}")
