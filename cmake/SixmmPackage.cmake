# Installation and the consumer-facing package files: the libraries'
# export set, the CMake package (config + SameMajorVersion version file) and a
# relocatable pkg-config file. Included from src/lib/CMakeLists.txt after the
# library targets exist.
include(CMakePackageConfigHelpers)

set(SIXMM_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/sixmm-errinfo"
    CACHE STRING "Where the CMake package files are installed, relative to the prefix")
set(SIXMM_PKGCONFIG_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where sixmm-errinfo.pc is installed, relative to the prefix")

install(EXPORT sixmm-errinfoTargets
    NAMESPACE sixmm::
    DESTINATION "${SIXMM_CMAKE_INSTALL_DIR}"
    COMPONENT Development)

configure_package_config_file(
    "${PROJECT_SOURCE_DIR}/cmake/sixmm-errinfoConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/package/sixmm-errinfoConfig.cmake"
    INSTALL_DESTINATION "${SIXMM_CMAKE_INSTALL_DIR}")
# SameMajorVersion: 0.x releases promise nothing to each other in semver, but
# the SONAME follows the major version, so this is the rule the linker keeps.
write_basic_package_version_file(
    "${PROJECT_BINARY_DIR}/package/sixmm-errinfoConfigVersion.cmake"
    VERSION "${PROJECT_VERSION}"
    COMPATIBILITY SameMajorVersion)
install(FILES
        "${PROJECT_BINARY_DIR}/package/sixmm-errinfoConfig.cmake"
        "${PROJECT_BINARY_DIR}/package/sixmm-errinfoConfigVersion.cmake"
    DESTINATION "${SIXMM_CMAKE_INSTALL_DIR}"
    COMPONENT Development)

# pkg-config: paths relative to ${pcfiledir}, so `cmake --install --prefix P`
# (or cpack, or a moved tree) gives a correct file for any P. An absolute
# install directory cannot be expressed relative to the prefix; it is then
# written as is.
function(_sixmm_pc_path out dir)
    if(IS_ABSOLUTE "${dir}")
        set(${out} "${dir}" PARENT_SCOPE)
    else()
        set(${out} "\${prefix}/${dir}" PARENT_SCOPE)
    endif()
endfunction()

# sixmm_pc_file(TEMPLATE NAME): configures TEMPLATE (@SIXMM_PC_PREFIX@,
# @SIXMM_PC_LIBDIR@, @SIXMM_PC_INCLUDEDIR@, @SIXMM_PC_URL@, @PROJECT_VERSION@)
# into NAME.pc and installs it; libsixmm-journal uses it too.
function(sixmm_pc_file template name)
    if(IS_ABSOLUTE "${SIXMM_PKGCONFIG_INSTALL_DIR}")
        set(SIXMM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
    else()
        # "/p" stands for any prefix; only the relative path between the two matters.
        file(RELATIVE_PATH _rel "/p/${SIXMM_PKGCONFIG_INSTALL_DIR}" "/p")
        string(REGEX REPLACE "/$" "" _rel "${_rel}")
        set(SIXMM_PC_PREFIX "\${pcfiledir}/${_rel}")
    endif()
    _sixmm_pc_path(SIXMM_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
    _sixmm_pc_path(SIXMM_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
    set(SIXMM_PC_URL "https://docs.6mm.com/developer-api/error-codes-and-troubleshooting")
    # The library calls nothing outside libc (readelf -d shows only libc.so.6
    # NEEDED), so a static link needs no extra libraries.
    set(SIXMM_PC_LIBS_PRIVATE "")
    configure_file("${template}" "${PROJECT_BINARY_DIR}/package/${name}.pc" @ONLY)
    install(FILES "${PROJECT_BINARY_DIR}/package/${name}.pc"
        DESTINATION "${SIXMM_PKGCONFIG_INSTALL_DIR}"
        COMPONENT Development)
endfunction()
sixmm_pc_file("${PROJECT_SOURCE_DIR}/cmake/sixmm-errinfo.pc.in" sixmm-errinfo)
