# SPDX-License-Identifier: GPL-3.0-or-later
# `cmake --build <dir> --target appimage`: AppDir, squashfs image, runtime,
# all from this build tree and the build machine's Debian packages.

# Set by Qt6Core's package configuration.
set(_qt_plugins_dir ${QT6_INSTALL_PREFIX}/${QT6_INSTALL_PLUGINS})

set(SOCKSCOPE_APPIMAGE_FILE
    ${CMAKE_BINARY_DIR}/SockScope-${PROJECT_VERSION}-x86_64.AppImage CACHE INTERNAL "")
set(_appdir ${CMAKE_CURRENT_BINARY_DIR}/AppDir)
set(_squashfs ${CMAKE_CURRENT_BINARY_DIR}/SockScope.squashfs)
include(${CMAKE_CURRENT_LIST_DIR}/DesktopFileList.cmake)
set(_inputs)
foreach(entry IN LISTS SOCKSCOPE_DESKTOP_FILES)
    string(REGEX REPLACE "\\|.*" "" source "${entry}")
    list(APPEND _inputs ${PROJECT_SOURCE_DIR}/${source})
endforeach()

# zstd at its default level in 256 KiB blocks: measured against xz, gzip, lz4
# and other block sizes in packaging/README.md (start-up time through FUSE is
# dominated by decompressing whole blocks for small reads).
set(SOCKSCOPE_SQUASHFS_OPTIONS -comp zstd -b 256K
    CACHE STRING "mksquashfs compression options for the AppImage")

add_custom_command(OUTPUT ${SOCKSCOPE_APPIMAGE_FILE}
    COMMAND ${CMAKE_COMMAND}
        -DAPPDIR=${_appdir}
        -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
        -DEXECUTABLE=$<TARGET_FILE:sockscope>
        -DWINDOW_MODULE=$<TARGET_FILE:sockscope_window>
        -DAPPRUN=$<TARGET_FILE:sockscope_apprun>
        -DQT_PLUGINS_DIR=${_qt_plugins_dir}
        -DPATCHELF=${SOCKSCOPE_TOOL_patchelf}
        -DSTRIP=${CMAKE_STRIP}
        -DFONT_SANS=${SOCKSCOPE_FALLBACK_FONT}
        -DFONT_MONO=${SOCKSCOPE_FALLBACK_MONO_FONT}
        -DUNVERSION_SYMBOLS=$<TARGET_FILE:unversion_symbols>
        -DGLIBC_COMPAT=$<TARGET_FILE:sockscope_glibccompat>
        -P ${CMAKE_CURRENT_LIST_DIR}/BuildAppDir.cmake
    COMMAND ${SOCKSCOPE_TOOL_desktop_file_validate} ${_appdir}/${SOCKSCOPE_APP_ID}.desktop
    COMMAND ${SOCKSCOPE_TOOL_appstreamcli} validate --no-net
        ${_appdir}/usr/share/metainfo/${SOCKSCOPE_APP_ID}.metainfo.xml
    # Fixed owner and times: the image (and so its hash, the cache key)
    # depends on the inputs only, not on who built it or when.
    COMMAND ${SOCKSCOPE_TOOL_mksquashfs} ${_appdir} ${_squashfs} -noappend -quiet -no-progress
        -all-root -mkfs-time 0 -all-time 0 -no-xattrs ${SOCKSCOPE_SQUASHFS_OPTIONS}
    COMMAND $<TARGET_FILE:appimage_assemble> $<TARGET_FILE:appimage_runtime> ${_squashfs}
        ${SOCKSCOPE_APPIMAGE_FILE}
    COMMAND ${CMAKE_COMMAND} -E remove ${_squashfs}
    DEPENDS sockscope sockscope_window sockscope_apprun appimage_runtime appimage_assemble
        unversion_symbols sockscope_glibccompat ${_inputs}
        ${CMAKE_CURRENT_LIST_DIR}/BuildAppDir.cmake ${CMAKE_CURRENT_LIST_DIR}/BundlePolicy.cmake
        ${CMAKE_CURRENT_LIST_DIR}/DesktopFileList.cmake
        ${CMAKE_CURRENT_SOURCE_DIR}/appdir/qt.conf ${CMAKE_CURRENT_SOURCE_DIR}/appdir/fonts.conf
    COMMENT "Building ${SOCKSCOPE_APPIMAGE_FILE}"
    VERBATIM)
add_custom_target(appimage DEPENDS ${SOCKSCOPE_APPIMAGE_FILE})
