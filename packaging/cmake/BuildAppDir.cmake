# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -P script: lays out the AppDir from the built executable, the Qt
# plugins and every library they need, as found by walking the real
# dependency graph (file(GET_RUNTIME_DEPENDENCIES)), less what BundlePolicy
# leaves to the host. Inputs: APPDIR SOURCE_DIR EXECUTABLE WINDOW_MODULE APPRUN
# QT_PLUGINS_DIR PATCHELF STRIP FONT_SANS FONT_MONO UNVERSION_SYMBOLS GLIBC_COMPAT.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/BundlePolicy.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/DesktopFileList.cmake)
set(PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR}/..)

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}")
    endif()
endfunction()

function(install_file source destination)
    get_filename_component(dir "${destination}" DIRECTORY)
    file(MAKE_DIRECTORY "${dir}")
    file(COPY_FILE "${source}" "${destination}")
endfunction()

file(REMOVE_RECURSE ${APPDIR})
install_file(${EXECUTABLE} ${APPDIR}/usr/bin/sockscope)
# Where app/windowmodule.cpp looks for the window: lib/sockscope beside bin/.
set(window_module ${APPDIR}/usr/lib/sockscope/sockscope-window.so)
install_file(${WINDOW_MODULE} ${window_module})
if(STRIP)
    run(${STRIP} --strip-unneeded ${APPDIR}/usr/bin/sockscope)
    run(${STRIP} --strip-unneeded ${window_module})
endif()
install_file(${APPRUN} ${APPDIR}/AppRun)
install_file(${PACKAGING_DIR}/appdir/qt.conf ${APPDIR}/usr/bin/qt.conf)
install_file(${PACKAGING_DIR}/appdir/fonts.conf ${APPDIR}/usr/etc/fonts/fonts.conf)
foreach(font ${FONT_SANS} ${FONT_MONO})
    get_filename_component(name ${font} NAME)
    install_file(${font} ${APPDIR}/usr/share/fonts/${name})
endforeach()

# Desktop integration: the same files `cmake --install` installs, plus the
# copies the AppImage specification wants in the AppDir's root.
foreach(entry IN LISTS SOCKSCOPE_DESKTOP_FILES)
    string(REPLACE "|" ";" pair "${entry}")
    list(GET pair 0 source)
    list(GET pair 1 destination)
    get_filename_component(name ${source} NAME)
    install_file(${SOURCE_DIR}/${source} ${APPDIR}/usr/${destination}/${name})
endforeach()
set(icon256 ${SOURCE_DIR}/resources/icons/256x256/${SOCKSCOPE_APP_ID}.png)
install_file(${SOURCE_DIR}/resources/${SOCKSCOPE_APP_ID}.desktop
    ${APPDIR}/${SOCKSCOPE_APP_ID}.desktop)
install_file(${icon256} ${APPDIR}/${SOCKSCOPE_APP_ID}.png)
install_file(${icon256} ${APPDIR}/.DirIcon)

# Plugins.
set(plugins)
foreach(plugin IN LISTS SOCKSCOPE_REQUIRED_PLUGINS SOCKSCOPE_OPTIONAL_PLUGINS)
    if(NOT EXISTS ${QT_PLUGINS_DIR}/${plugin})
        if(plugin IN_LIST SOCKSCOPE_REQUIRED_PLUGINS)
            message(FATAL_ERROR "required Qt plugin missing: ${QT_PLUGINS_DIR}/${plugin} "
                                "(see packaging/apt-packages.txt)")
        endif()
        message(STATUS "optional Qt plugin not bundled (absent): ${plugin}")
        continue()
    endif()
    install_file(${QT_PLUGINS_DIR}/${plugin} ${APPDIR}/usr/plugins/${plugin})
    list(APPEND plugins ${APPDIR}/usr/plugins/${plugin})
endforeach()

# Libraries: the real graph, host libraries cut off before they are resolved
# (so nothing reached only through them is pulled in either).
file(GET_RUNTIME_DEPENDENCIES
    EXECUTABLES ${APPDIR}/usr/bin/sockscope
    MODULES ${window_module} ${plugins}
    RESOLVED_DEPENDENCIES_VAR resolved
    UNRESOLVED_DEPENDENCIES_VAR unresolved
    PRE_EXCLUDE_REGEXES ${SOCKSCOPE_HOST_LIBRARIES})
if(unresolved)
    message(FATAL_ERROR "unresolved libraries: ${unresolved}")
endif()

set(bundled)
foreach(path IN LISTS resolved)
    get_filename_component(name ${path} NAME)
    set(destination ${APPDIR}/usr/lib)
    foreach(group IN LISTS SOCKSCOPE_HOST_PREFERRED_GROUPS)
        foreach(pattern IN LISTS SOCKSCOPE_HOST_PREFERRED_${group})
            if(name MATCHES "${pattern}")
                set(destination ${APPDIR}/usr/lib/host-preferred/${group})
            endif()
        endforeach()
    endforeach()
    install_file(${path} ${destination}/${name})
    list(APPEND bundled ${destination}/${name})
endforeach()

# The glibc floor (BundlePolicy.cmake): references to newer glibc functions
# become unversioned and find the bundled compat library on older hosts.
get_filename_component(compat_name ${GLIBC_COMPAT} NAME)
set(compat_needed OFF)
foreach(lib IN LISTS bundled)
    execute_process(COMMAND ${UNVERSION_SYMBOLS} ${lib} ${SOCKSCOPE_GLIBC_COMPAT_SYMBOLS}
        OUTPUT_VARIABLE unversioned RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${UNVERSION_SYMBOLS} ${lib}")
    endif()
    if(unversioned)
        string(STRIP "${unversioned}" unversioned)
        string(REPLACE "\n" ", " unversioned "${unversioned}")
        message(STATUS "${lib}: ${unversioned} from the host's glibc, else ${compat_name}")
        run(${PATCHELF} --add-needed ${compat_name} ${lib})
        set(compat_needed ON)
    endif()
endforeach()
if(compat_needed)
    install_file(${GLIBC_COMPAT} ${APPDIR}/usr/lib/${compat_name})
    list(APPEND bundled ${APPDIR}/usr/lib/${compat_name})
endif()

# RUNPATH relative to each file, so the AppDir works wherever it is mounted.
run(${PATCHELF} --set-rpath "$ORIGIN/../lib" ${APPDIR}/usr/bin/sockscope)
run(${PATCHELF} --set-rpath "$ORIGIN/.." ${window_module})
foreach(lib IN LISTS bundled)
    if(lib MATCHES "/host-preferred/")
        run(${PATCHELF} --set-rpath "$ORIGIN:$ORIGIN/../.." ${lib})
    else()
        run(${PATCHELF} --set-rpath "$ORIGIN" ${lib})
    endif()
endforeach()
foreach(plugin IN LISTS plugins)
    run(${PATCHELF} --set-rpath "$ORIGIN/../../lib" ${plugin})
endforeach()

list(LENGTH bundled count)
list(LENGTH plugins plugin_count)
message(STATUS "AppDir: ${count} libraries, ${plugin_count} plugins")
