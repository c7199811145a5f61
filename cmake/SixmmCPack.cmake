# Binary packages: `cpack -G DEB` in a build directory writes
# sixmm-errinfo_VERSION_ARCH.deb with everything `cmake --install` installs
# (library, headers, CMake and pkg-config files, the CLI, man pages, docs),
# under /usr. One package rather than a lib/-dev split: the whole thing is a
# few hundred kilobytes, and users of the CLI want the library anyway.
# A parent project that add_subdirectory()s us owns its own packaging.
if(NOT PROJECT_IS_TOP_LEVEL)
    return()
endif()

set(CPACK_PACKAGE_NAME "sixmm-errinfo")
set(CPACK_PACKAGE_VENDOR "sixmm-errinfo contributors")
set(CPACK_PACKAGE_CONTACT "sixmm-errinfo maintainers <sixmm-errinfo@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_GENERATOR "DEB")
set(CPACK_STRIP_FILES OFF)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SECTION "libs")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# dpkg-shlibdeps (from dpkg-dev) computes Depends: libc6 (>= ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# A shlibs file and the ldconfig trigger, so dpkg -i/-r keep ld.so.cache right.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "__pycache__")
include(CPack)
