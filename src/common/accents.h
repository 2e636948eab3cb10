// Accent stripping as scikit-learn's strip_accents="ascii" | "unicode" does it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parafeat::unicode {

/// scikit-learn's two accent strippers.
enum class AccentStripping : std::uint8_t {
  kAscii,    ///< NFKD, then only ASCII characters kept (strip_accents_ascii).
  kUnicode,  ///< NFKD, then combining characters dropped (strip_accents_unicode).
};

/// Appends `utf8`, which must be valid UTF-8, to `out` with its accents stripped. The mapping is
/// generated from the building Python's unicodedata, so it follows that Python's Unicode version.
void append_without_accents(std::string_view utf8, AccentStripping mode, std::string& out);

}  // namespace parafeat::unicode
