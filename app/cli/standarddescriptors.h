// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sockscope::cli {

// Opens /dev/null on whichever of descriptors 0, 1 and 2 is closed (a
// service or a CI job started with `<&-`): otherwise the first socket the
// lab opens would become "standard input", and `sockscope lab` would read
// commands from it (or wait forever) instead of seeing the end of input.
void ensureStandardDescriptors();

} // namespace sockscope::cli
