# SPDX-License-Identifier: GPL-3.0-or-later
# The desktop integration files, as "source|destination below the prefix".
# One list serves `cmake --install` (DesktopFiles.cmake) and the AppDir
# (BuildAppDir.cmake), so distribution packages and the AppImage ship the same.
set(SOCKSCOPE_APP_ID io.github.sockscope.SockScope)
set(SOCKSCOPE_DESKTOP_FILES
    "resources/${SOCKSCOPE_APP_ID}.desktop|share/applications"
    "resources/${SOCKSCOPE_APP_ID}.metainfo.xml|share/metainfo"
    "resources/${SOCKSCOPE_APP_ID}.svg|share/icons/hicolor/scalable/apps"
)
foreach(size 16 32 48 64 128 256)
    list(APPEND SOCKSCOPE_DESKTOP_FILES
        "resources/icons/${size}x${size}/${SOCKSCOPE_APP_ID}.png|share/icons/hicolor/${size}x${size}/apps")
endforeach()
