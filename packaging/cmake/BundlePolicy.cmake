# SPDX-License-Identifier: GPL-3.0-or-later
# What the AppDir takes from the build machine, and what it leaves to the
# host. packaging/README.md explains each entry; keep the two in step.

# Qt plugins a Widgets application needs. A missing required plugin fails the
# build (a release must never silently lose a platform); optional ones are
# bundled when the build machine has them.
set(SOCKSCOPE_REQUIRED_PLUGINS
    platforms/libqxcb.so
    platforms/libqoffscreen.so
    xcbglintegrations/libqxcb-glx-integration.so
    xcbglintegrations/libqxcb-egl-integration.so
    imageformats/libqgif.so
    imageformats/libqico.so
    imageformats/libqjpeg.so
    imageformats/libqsvg.so
    iconengines/libqsvgicon.so
    platformthemes/libqgtk3.so
    platforminputcontexts/libcomposeplatforminputcontextplugin.so
    platforminputcontexts/libibusplatforminputcontextplugin.so
)
set(SOCKSCOPE_OPTIONAL_PLUGINS
    platforms/libqwayland-generic.so
    platforms/libqwayland-egl.so
    wayland-shell-integration/libxdg-shell.so
    wayland-decoration-client/libbradient.so
    wayland-graphics-integration-client/libqt-plugin-wayland-egl.so
    wayland-graphics-integration-client/libshm-emulation-server.so
)

# The oldest host the AppImage starts on: Ubuntu 22.04 LTS (glibc 2.35, and
# GCC 12's libstdc++, GLIBCXX_3.4.30 and CXXABI_1.3.13). No file in the image
# may ask for a newer symbol version (tests/packaging/tst_appimageglibc).
set(SOCKSCOPE_GLIBC_FLOOR 2.35)
set(SOCKSCOPE_GLIBCXX_FLOOR 3.4.30)
set(SOCKSCOPE_CXXABI_FLOOR 1.3.13)
# Functions newer than the floor that bundled libraries call (libexpat's hash
# salt: arc4random_buf, glibc 2.36): the host's glibc provides them when it
# has them, else glibccompat/ (BuildAppDir.cmake).
set(SOCKSCOPE_GLIBC_COMPAT_SYMBOLS arc4random_buf)

# Never bundled: the host must provide these (matched against the soname).
set(SOCKSCOPE_HOST_LIBRARIES
    # glibc: tied to the host's kernel interface and its own loader.
    "^ld-linux-x86-64\\.so" "^libc\\.so" "^libm\\.so" "^libmvec\\.so" "^libdl\\.so"
    "^libpthread\\.so" "^librt\\.so" "^libresolv\\.so" "^libutil\\.so" "^libanl\\.so"
    "^libnss_" "^libBrokenLocale\\.so"
    # The compiler runtime: every host above the floor has GCC >= 12's, and host
    # GL drivers are linked against it; two copies in one process conflict.
    "^libstdc\\+\\+\\.so" "^libgcc_s\\.so"
    # GTK 3 for the gtk3 platform theme: that theme is for GTK desktops, which
    # have it; bundled, it would fight the host's themes, modules and schemas.
    "^libgtk-3\\.so" "^libgdk-3\\.so" "^libgdk_pixbuf-2\\.0\\.so" "^libpango" "^libcairo"
    "^libatk" "^libepoxy\\.so"
    # Graphics drivers and kernel-facing GPU libraries.
    "^libdrm" "^libgbm\\.so" "^libvulkan\\.so" "^libGLX_" "^libEGL_"
)

# Bundled, but used only when the host lacks them (AppRun decides per group,
# see packaging/apprun/apprun.c). Group name, then soname patterns.
set(SOCKSCOPE_HOST_PREFERRED_GROUPS gl fontconfig glib)
set(SOCKSCOPE_HOST_PREFERRED_gl
    "^libGL\\.so" "^libGLX\\.so" "^libOpenGL\\.so" "^libEGL\\.so" "^libGLdispatch\\.so"
    "^libGLESv2\\.so")
# libexpat: only fontconfig uses it; the host's fontconfig wants the host's.
set(SOCKSCOPE_HOST_PREFERRED_fontconfig "^libfontconfig\\.so" "^libfreetype\\.so" "^libexpat\\.so")
set(SOCKSCOPE_HOST_PREFERRED_glib
    "^libglib-2\\.0\\.so" "^libgobject-2\\.0\\.so" "^libgio-2\\.0\\.so" "^libgmodule-2\\.0\\.so"
    "^libgthread-2\\.0\\.so")
