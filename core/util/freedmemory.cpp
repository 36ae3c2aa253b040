// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/freedmemory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sockscope {

void returnFreedMemory()
{
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
}

} // namespace sockscope
