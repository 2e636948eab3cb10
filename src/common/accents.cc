#include "common/accents.h"

#include <algorithm>

#include "common/check.h"
#include "common/unicode.h"

namespace parafeat::unicode {
namespace {

// One code point's stripped form: the bytes [offset, offset + length) of the table's text.
struct AccentMapping {
  std::uint32_t code_point;
  std::uint32_t offset;
  std::uint32_t length;
};

#include "common/accent_tables.inc"

// The stripped form of the non-ASCII `code_point` in `mappings`, or nullptr when it is not listed.
template <std::size_t N>
const AccentMapping* find(const AccentMapping (&mappings)[N], char32_t code_point) {
  const AccentMapping* end = mappings + N;
  const AccentMapping* found = std::lower_bound(
      mappings, end, code_point,
      [](const AccentMapping& mapping, char32_t cp) { return mapping.code_point < cp; });
  return found != end && found->code_point == code_point ? found : nullptr;
}

}  // namespace

void append_without_accents(std::string_view utf8, AccentStripping mode, std::string& out) {
  out.reserve(out.size() + utf8.size());
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const std::size_t ascii = ascii_prefix_length(utf8.substr(pos));
    out.append(utf8.substr(pos, ascii));
    pos += ascii;
    if (pos == utf8.size()) break;
    char32_t cp = 0;
    const int length = decode_utf8(utf8, pos, cp);
    PARAFEAT_DCHECK(length > 0);
    const std::string_view original = utf8.substr(pos, static_cast<std::size_t>(length));
    pos += static_cast<std::size_t>(length);
    if (mode == AccentStripping::kUnicode) {
      const AccentMapping* mapping = find(kStripUnicodeMappings, cp);
      if (mapping == nullptr) {
        out.append(original);
      } else {
        out.append(reinterpret_cast<const char*>(kStripUnicodeText) + mapping->offset,
                   mapping->length);
      }
    } else if (const AccentMapping* mapping = find(kStripAsciiMappings, cp)) {
      out.append(reinterpret_cast<const char*>(kStripAsciiText) + mapping->offset, mapping->length);
    }
  }
}

}  // namespace parafeat::unicode
