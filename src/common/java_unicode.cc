// Lookups in the run-length tables that GenerateJavaTables.java read off the JDK.
#include "common/java_unicode.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>

namespace parafeat::java {
namespace {

// Character.toLowerCase(cp) == cp + delta for cp = first, first + stride, ..., last.
struct JavaLowerRun {
  char32_t first;
  char32_t last;
  std::int32_t delta;
  std::uint32_t stride;
};

// Code points from `first` up to the next run's first are cased or not.
struct CasedRun {
  char32_t first;
  bool cased;
};

#include "common/java_lower_tables.inc"

// The code points of 1 and 2 UTF-8 bytes (Latin, Greek, Cyrillic, ...) take their lower case
// from this table: one load instead of a search of the runs.
constexpr char32_t kDirectLowerEnd = 0x800;

constexpr std::array<char32_t, kDirectLowerEnd> make_direct_lower() {
  std::array<char32_t, kDirectLowerEnd> lower{};
  for (char32_t cp = 0; cp < kDirectLowerEnd; ++cp) lower[cp] = cp;
  for (const JavaLowerRun& run : kJavaLowerRuns) {
    for (char32_t cp = run.first; cp <= run.last && cp < kDirectLowerEnd; cp += run.stride) {
      lower[cp] = static_cast<char32_t>(static_cast<std::int32_t>(cp) + run.delta);
    }
  }
  return lower;
}

constexpr std::array<char32_t, kDirectLowerEnd> kDirectLower = make_direct_lower();

}  // namespace

char32_t simple_lower(char32_t cp) {
  if (cp < kDirectLowerEnd) return kDirectLower[cp];
  const auto* run = std::upper_bound(std::begin(kJavaLowerRuns), std::end(kJavaLowerRuns), cp,
                                     [](char32_t c, const JavaLowerRun& r) { return c < r.first; });
  if (run == std::begin(kJavaLowerRuns)) return cp;
  --run;
  if (cp > run->last || (cp - run->first) % run->stride != 0) return cp;
  return static_cast<char32_t>(static_cast<std::int32_t>(cp) + run->delta);
}

bool is_cased(char32_t cp) {
  const auto* run = std::upper_bound(std::begin(kCasedRuns), std::end(kCasedRuns), cp,
                                     [](char32_t c, const CasedRun& r) { return c < r.first; });
  return std::prev(run)->cased;  // the first run starts at U+0000
}

}  // namespace parafeat::java
