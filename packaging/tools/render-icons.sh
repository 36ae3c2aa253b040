#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the committed PNG icons from the SVG (needs rsvg-convert, from
# Debian's librsvg2-bin). Run after editing resources/<id>.svg.
set -eu
cd "$(dirname "$0")/../../resources"
id=io.github.sockscope.SockScope
for size in 16 32 48 64 128 256; do
    mkdir -p "icons/${size}x${size}"
    rsvg-convert -w "$size" -h "$size" "$id.svg" -o "icons/${size}x${size}/$id.png"
done
