// Transparent huge pages for large output buffers. A fresh array of hundreds of MB costs one page
// fault per 4 KiB page when it is first written; where the kernel gives huge pages on request
// (Linux, /sys/kernel/mm/transparent_hugepage/enabled = madvise or always), asking for them makes
// that one fault per 2 MiB. Only a hint: contents and results are the same either way.
#pragma once

#include <cstddef>

namespace parafeat {

/// Asks the kernel to back the whole 2 MiB-aligned stretches of [data, data + bytes) with huge
/// pages. Does nothing for buffers below a few MiB, on other systems, or where the kernel
/// declines (errors are ignored: the hint is never needed for correctness).
void advise_huge_pages(void* data, std::size_t bytes);

}  // namespace parafeat
