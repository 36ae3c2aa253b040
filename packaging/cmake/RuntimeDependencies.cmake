# SPDX-License-Identifier: GPL-3.0-or-later
# Finds the static libraries the AppImage runtime links and the tools the
# AppImage build runs. Sets SOCKSCOPE_APPIMAGE_MISSING to what is absent
# (empty when everything is there); packaging/apt-packages.txt installs it all.

set(SOCKSCOPE_APPIMAGE_MISSING "")

# Link order matters for static archives: users before what they use.
set(_runtime_libs squashfuse_ll squashfuse fuse3 zstd lzma lz4 lzo2 z)
set(SOCKSCOPE_RUNTIME_STATIC_LIBS "")
foreach(lib IN LISTS _runtime_libs)
    find_library(SOCKSCOPE_STATIC_${lib} NAMES lib${lib}.a)
    if(SOCKSCOPE_STATIC_${lib})
        list(APPEND SOCKSCOPE_RUNTIME_STATIC_LIBS ${SOCKSCOPE_STATIC_${lib}})
    else()
        list(APPEND SOCKSCOPE_APPIMAGE_MISSING lib${lib}.a)
    endif()
endforeach()
list(APPEND SOCKSCOPE_RUNTIME_STATIC_LIBS Threads::Threads)
find_package(Threads REQUIRED)

find_path(SOCKSCOPE_SQUASHFUSE_INCLUDE_DIR squashfuse/ll.h)
find_path(SOCKSCOPE_FUSE3_INCLUDE_DIR fuse3/fuse_lowlevel.h)
foreach(header SQUASHFUSE_INCLUDE_DIR FUSE3_INCLUDE_DIR)
    if(NOT SOCKSCOPE_${header})
        list(APPEND SOCKSCOPE_APPIMAGE_MISSING ${header})
    endif()
endforeach()

# Tools run while building the AppImage.
foreach(tool mksquashfs patchelf desktop-file-validate appstreamcli)
    string(MAKE_C_IDENTIFIER ${tool} var)
    find_program(SOCKSCOPE_TOOL_${var} ${tool})
    if(NOT SOCKSCOPE_TOOL_${var})
        list(APPEND SOCKSCOPE_APPIMAGE_MISSING ${tool})
    endif()
endforeach()

# The fallback fonts for hosts that have none (fonts-dejavu-core).
find_file(SOCKSCOPE_FALLBACK_FONT DejaVuSans.ttf PATHS /usr/share/fonts/truetype/dejavu)
find_file(SOCKSCOPE_FALLBACK_MONO_FONT DejaVuSansMono.ttf PATHS /usr/share/fonts/truetype/dejavu)
foreach(font FALLBACK_FONT FALLBACK_MONO_FONT)
    if(NOT SOCKSCOPE_${font})
        list(APPEND SOCKSCOPE_APPIMAGE_MISSING ${font})
    endif()
endforeach()
