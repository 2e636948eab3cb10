// PARAFEAT_DCHECK: internal invariants (bugs, not user errors). Aborts with the failed condition
// in debug builds and in builds configured with PARAFEAT_DCHECKS=ON; compiled out otherwise.
#pragma once

#include <cstdio>
#include <cstdlib>

#if !defined(NDEBUG) || defined(PARAFEAT_ENABLE_DCHECKS)
#define PARAFEAT_DCHECK(condition)                                                                 \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      std::fprintf(stderr, "%s:%d: PARAFEAT_DCHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)
#else
#define PARAFEAT_DCHECK(condition) \
  do {                             \
    (void)sizeof(condition);       \
  } while (false)
#endif
