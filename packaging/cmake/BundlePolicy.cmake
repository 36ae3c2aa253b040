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

# Never bundled: the host must provide these (matched against the soname).
set(SOCKSCOPE_HOST_LIBRARIES
    # glibc: tied to the host's kernel interface and its own loader.
    "^ld-linux-x86-64\\.so" "^libc\\.so" "^libm\\.so" "^libmvec\\.so" "^libdl\\.so"
    "^libpthread\\.so" "^librt\\.so" "^libresolv\\.so" "^libutil\\.so" "^libanl\\.so"
    "^libnss_" "^libBrokenLocale\\.so"
    # The compiler runtime: every glibc >= 2.36 host has GCC >= 12's, and host
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
set(SOCKSCOPE_HOST_PREFERRED_fontconfig "^libfontconfig\\.so" "^libfreetype\\.so")
set(SOCKSCOPE_HOST_PREFERRED_glib
    "^libglib-2\\.0\\.so" "^libgobject-2\\.0\\.so" "^libgio-2\\.0\\.so" "^libgmodule-2\\.0\\.so"
    "^libgthread-2\\.0\\.so")
