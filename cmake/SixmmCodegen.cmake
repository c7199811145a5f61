# Code generation from spec/errors.yaml.
#
# sixmm_generate(GROUP) renders the templates of one output group (lib, cli
# or docs) into ${SIXMM_GENERATED_DIR} and sets SIXMM_GENERATED_<GROUP> to
# the list of outputs. Every template codegen/templates/PATH.j2 becomes
# ${SIXMM_GENERATED_DIR}/PATH; the generator says which templates belong to
# a group (generate.py --list, from its GROUPS table), so CMake keeps no
# second list. The generator's Python files, the spec, the schema, the
# templates and the partials are dependencies, so editing any of them
# regenerates; the generator rewrites only files whose content changed, so
# only those are recompiled. (With the Makefile generator an unchanged output
# keeps its old time stamp, so the cheap generator step may run again on the
# next build; nothing downstream of an unchanged file is rebuilt.)

set(SIXMM_SPEC "${PROJECT_SOURCE_DIR}/spec/errors.yaml")
set(SIXMM_SCHEMA "${PROJECT_SOURCE_DIR}/spec/errors.schema.json")
set(SIXMM_CODEGEN_DIR "${PROJECT_SOURCE_DIR}/codegen")
set(SIXMM_GENERATED_DIR "${PROJECT_BINARY_DIR}/generated")

# Debian's python3 carries python3-jinja2, python3-yaml and python3-jsonschema;
# an interpreter on PATH (pyenv, a venv) often does not. Prefer the first
# candidate that has all three, and name the packages when none does.
set(_sixmm_py_check "import jinja2, yaml, jsonschema")
if(NOT SIXMM_PYTHON)
    find_package(Python3 QUIET COMPONENTS Interpreter)
    foreach(candidate IN ITEMS "${Python3_EXECUTABLE}" /usr/bin/python3)
        if(candidate AND EXISTS "${candidate}")
            execute_process(COMMAND "${candidate}" -c "${_sixmm_py_check}"
                            RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
            if(_rc EQUAL 0)
                set(SIXMM_PYTHON "${candidate}" CACHE FILEPATH
                    "Python 3 with jinja2, yaml and jsonschema, for codegen")
                break()
            endif()
        endif()
    endforeach()
endif()
if(NOT SIXMM_PYTHON)
    message(FATAL_ERROR
        "No Python 3 with the modules jinja2, yaml and jsonschema was found.\n"
        "On Debian: apt-get install python3-jinja2 python3-yaml python3-jsonschema\n"
        "or point -DSIXMM_PYTHON=/path/to/python3 at an interpreter that has them.")
endif()
message(STATUS "sixmm-errinfo codegen interpreter: ${SIXMM_PYTHON}")

find_program(SIXMM_GPERF gperf)
if(NOT SIXMM_GPERF)
    message(FATAL_ERROR "gperf was not found. On Debian: apt-get install gperf")
endif()

function(sixmm_generate group)
    set(root "${SIXMM_CODEGEN_DIR}/templates")
    # Adding or removing a template re-runs CMake, and with it the listing.
    file(GLOB_RECURSE all_templates CONFIGURE_DEPENDS "${root}/*.j2")
    file(GLOB partials CONFIGURE_DEPENDS "${root}/_partials/*")
    file(GLOB generator CONFIGURE_DEPENDS "${SIXMM_CODEGEN_DIR}/*.py" "${SIXMM_CODEGEN_DIR}/*.yaml")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                 "${SIXMM_CODEGEN_DIR}/generate.py")
    execute_process(
        COMMAND "${SIXMM_PYTHON}" "${SIXMM_CODEGEN_DIR}/generate.py" --list --group ${group}
        OUTPUT_VARIABLE listing ERROR_VARIABLE err RESULT_VARIABLE rc
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "codegen/generate.py --list --group ${group} failed:\n${err}")
    endif()
    string(REPLACE "\n" ";" listing "${listing}")
    set(templates "")
    set(outputs "")
    foreach(rel IN LISTS listing)
        list(APPEND templates "${root}/${rel}")
        string(REGEX REPLACE "\\.j2$" "" rel "${rel}")
        list(APPEND outputs "${SIXMM_GENERATED_DIR}/${rel}")
    endforeach()
    set(stamp "${SIXMM_GENERATED_DIR}/${group}.stamp")
    set(no_text "")
    if(SIXMM_NO_TEXT AND group STREQUAL "lib")   # no prose in the C tables
        set(no_text --no-text)
    endif()
    add_custom_command(
        OUTPUT "${stamp}" ${outputs}
        COMMAND "${SIXMM_PYTHON}" "${SIXMM_CODEGEN_DIR}/generate.py"
                --spec "${SIXMM_SPEC}" --schema "${SIXMM_SCHEMA}"
                --out "${SIXMM_GENERATED_DIR}" --group ${group} --stamp "${stamp}"
                --contract ${no_text}
        DEPENDS ${generator} "${SIXMM_SPEC}" "${SIXMM_SCHEMA}" ${templates} ${partials}
        COMMENT "Generating ${group} outputs from spec/errors.yaml"
        VERBATIM)
    set(SIXMM_GENERATED_${group} ${outputs} "${stamp}" PARENT_SCOPE)
endfunction()

# Run gperf on a generated input; the C file lands beside it.
function(sixmm_gperf input output)
    add_custom_command(
        OUTPUT "${output}"
        COMMAND "${SIXMM_GPERF}" "--output-file=${output}" "${input}"
        DEPENDS "${input}"
        COMMENT "gperf ${input}"
        VERBATIM)
endfunction()
