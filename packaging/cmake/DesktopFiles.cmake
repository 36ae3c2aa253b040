# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the .desktop file, the hicolor icons and the AppStream metainfo.
include(GNUInstallDirs)
include(${CMAKE_CURRENT_LIST_DIR}/DesktopFileList.cmake)
foreach(entry IN LISTS SOCKSCOPE_DESKTOP_FILES)
    string(REPLACE "|" ";" pair "${entry}")
    list(GET pair 0 source)
    list(GET pair 1 destination)
    string(REGEX REPLACE "^share" "${CMAKE_INSTALL_DATADIR}" destination "${destination}")
    install(FILES ${PROJECT_SOURCE_DIR}/${source} DESTINATION ${destination})
endforeach()
