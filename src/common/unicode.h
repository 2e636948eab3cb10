// Unicode text handling with Python's semantics: strict UTF-8 decoding, the `re` module's \w and
// \s classes, and str.lower(). The tables behind these functions are generated at build time
// from the Python interpreter the package is built for (src/common/unicode/
// generate_unicode_tables.py), so results follow that interpreter's Unicode version exactly.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "parafeat/status.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parafeat::unicode {

/// The Unicode version of the generated tables, e.g. "14.0.0" for Python 3.11.
const char* unicode_version();

/// Decodes the code point that starts at byte `pos` of `text` (requires pos < text.size()).
/// Returns the number of bytes it occupies (1-4) and stores it in `cp`, or returns 0 when the
/// bytes at `pos` are not valid UTF-8 under Python's strict decoder: no overlong forms, no
/// surrogates (U+D800-U+DFFF), nothing above U+10FFFF, no truncated sequence.
inline int decode_utf8(std::string_view text, std::size_t pos, char32_t& cp);

/// Returns OK when `text` is valid UTF-8, else Invalid naming the byte offset of the first
/// malformed sequence and why it is malformed (the reasons Python's decoder gives).
Status validate_utf8(std::string_view text);

/// The Invalid status validate_utf8() returns for the malformed sequence at byte `offset`.
Status invalid_utf8_at(std::string_view text, std::size_t offset);

/// Writes the UTF-8 encoding of `cp` (a Unicode scalar value) at `out` (room for 4 bytes);
/// returns its length, 1-4.
inline std::size_t encode_utf8(char32_t cp, char* out);

/// What encode_code_units() returns for input holding a lone surrogate (U+D800-U+DFFF), which
/// UTF-8 cannot encode.
inline constexpr std::size_t kLoneSurrogate = static_cast<std::size_t>(-1);

/// The room in bytes encode_code_units() needs at `out` for `length` code units of `Unit`: the
/// longest UTF-8 a code point of that width takes, per unit, plus 16 bytes it may write past the
/// end of the encoding.
template <typename Unit>
constexpr std::size_t code_units_room(std::size_t length) {
  constexpr std::size_t kMaxBytesPerUnit = sizeof(Unit) == 1 ? 2 : sizeof(Unit) == 2 ? 3 : 4;
  return kMaxBytesPerUnit * length + 16;
}

/// Writes the UTF-8 encoding of the `length` code points `units` to `out`, which has room for
/// code_units_room<Unit>(length) bytes, and returns its length in bytes, or kLoneSurrogate. The
/// units are Latin-1, UCS-2 or UCS-4 code points (at most U+10FFFF), the three ways Python stores
/// a str; ASCII runs are encoded 16 units per step.
std::size_t encode_code_units(const std::uint8_t* units, std::size_t length, char* out);
std::size_t encode_code_units(const std::uint16_t* units, std::size_t length, char* out);
std::size_t encode_code_units(const std::uint32_t* units, std::size_t length, char* out);

/// The most bytes of UTF-8 that str.lower() of one code point takes (three 4-byte code points).
inline constexpr std::size_t kMaxLowerBytes = 12;

/// The room in bytes encode_lower_code_units() needs at `out` for `length` code units: the
/// longest lower case of one code point, per unit, plus 16 bytes it may write past the end.
constexpr std::size_t lower_code_units_room(std::size_t length) {
  return kMaxLowerBytes * length + 16;
}

/// Writes the UTF-8 encoding of Python's str.lower() of code points [begin, end) of the str whose
/// code points are `str` to `out`, which has room for lower_code_units_room(end - begin) bytes;
/// returns its length in bytes, or kLoneSurrogate. A capital sigma is lowered by its context in
/// all of `str`, so encoding a str piece by piece gives the bytes append_python_lower() gives for
/// the whole str's encode_code_units(). One pass over the units: ASCII runs are encoded and
/// lowered 16 units per step.
std::size_t encode_lower_code_units(std::span<const std::uint8_t> str, std::size_t begin,
                                    std::size_t end, char* out);
std::size_t encode_lower_code_units(std::span<const std::uint16_t> str, std::size_t begin,
                                    std::size_t end, char* out);
std::size_t encode_lower_code_units(std::span<const std::uint32_t> str, std::size_t begin,
                                    std::size_t end, char* out);

/// The length of the longest prefix of `text` made of ASCII bytes (< 0x80) only.
std::size_t ascii_prefix_length(std::string_view text);

/// Python's `re` \w for str patterns: chr(cp).isalnum() or cp == '_'.
/// Combining marks (category Mn) are not \w; letters, digits and numerics such as '²' are.
inline bool is_word(char32_t cp);

/// Python's chr(cp).isspace(): what `re` \s matches and where str.split() splits.
inline bool is_space(char32_t cp);

/// Whether str.lower() treats `cp` as cased (a letter with case) when choosing the final sigma.
bool is_cased(char32_t cp);

/// Whether str.lower() skips `cp` as case-ignorable (e.g. "'" or a combining accent) when
/// choosing the final sigma.
bool is_case_ignorable(char32_t cp);

/// Appends Python's str.lower() of `utf8` to `out`: full lower-case mappings (U+0130 becomes
/// "i\u0307"), and capital sigma becomes final sigma (U+03C2) when preceded by a cased character
/// and not followed by one, skipping case-ignorable characters both ways.
/// Returns Invalid naming the byte offset when `utf8` is not valid UTF-8; `out` is then left as
/// it was before the call.
Status append_python_lower(std::string_view utf8, std::string& out);

/// Classes of the 64 bytes of a block of UTF-8, one bit per byte (bit i for byte i).
struct BlockClasses {
  std::uint64_t word = 0;          ///< ASCII bytes that are \w; bits of non-ASCII bytes are junk
  std::uint64_t space = 0;         ///< ASCII bytes that are \s; bits of non-ASCII bytes are junk
  std::uint64_t non_ascii = 0;     ///< bytes >= 0x80
  std::uint64_t continuation = 0;  ///< UTF-8 continuation bytes (10xxxxxx)
};

/// Classifies the 64 bytes at `p` (SSE2 where available, else byte by byte).
inline BlockClasses classify_block(const unsigned char* p);

/// The ASCII \w and \s classes as byte ranges, which classify_block() tests in bulk; unicode.cc
/// checks at compile time that they agree with the generated tables.
constexpr bool is_ascii_word_by_ranges(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
constexpr bool is_ascii_space_by_ranges(unsigned char c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
}

// ---------------------------------------------------------------------------------------------
// Inline definitions: the hot paths of the analyzer.

namespace internal {

/// Bits of kDirectClasses entries.
inline constexpr std::uint8_t kAsciiWord = 1;
inline constexpr std::uint8_t kAsciiSpace = 2;

/// Code points below this, all those of 1 or 2 UTF-8 bytes (ASCII, Latin, Greek, Cyrillic,
/// Hebrew, Arabic, ...), have their classes in kDirectClasses: one load instead of a call.
inline constexpr char32_t kDirectClassesEnd = 0x800;

/// The \w and \s classes of the code points below kDirectClassesEnd, from the generated tables.
extern const std::array<std::uint8_t, kDirectClassesEnd> kDirectClasses;

/// The table lookups behind is_word() and is_space() for code points >= kDirectClassesEnd.
bool is_word_beyond_direct(char32_t cp);
bool is_space_beyond_direct(char32_t cp);

}  // namespace internal

inline bool is_word(char32_t cp) {
  return cp < internal::kDirectClassesEnd
             ? (internal::kDirectClasses[cp] & internal::kAsciiWord) != 0
             : internal::is_word_beyond_direct(cp);
}

inline bool is_space(char32_t cp) {
  return cp < internal::kDirectClassesEnd
             ? (internal::kDirectClasses[cp] & internal::kAsciiSpace) != 0
             : internal::is_space_beyond_direct(cp);
}

#if defined(__SSE2__)

namespace internal {

// 16 bytes, one bit each: bit i set when byte i is in [low, high] (0 <= low <= high < 0x80).
// Adding 0x80 - low maps [low, high] to [-128, high - low - 128] as signed bytes.
inline __m128i in_byte_range(__m128i bytes, char low, char high) {
  const __m128i shifted = _mm_add_epi8(bytes, _mm_set1_epi8(static_cast<char>(0x80 - low)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(0x80 - low + high + 1)));
}

// The 16-bit mask of `lanes` (0xFF or 0 per byte), shifted to bit `shift`.
inline std::uint64_t lane_bits(__m128i lanes, int shift) {
  return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(lanes))) << shift;
}

}  // namespace internal

inline BlockClasses classify_block(const unsigned char* p) {
  BlockClasses classes;
  for (int i = 0; i < 64; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i digit = internal::in_byte_range(bytes, '0', '9');
    // OR-ing 0x20 maps 'A'-'Z' onto 'a'-'z' and nothing else onto them.
    const __m128i letter =
        internal::in_byte_range(_mm_or_si128(bytes, _mm_set1_epi8(0x20)), 'a', 'z');
    const __m128i underscore = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('_'));
    const __m128i space = _mm_or_si128(internal::in_byte_range(bytes, 0x09, 0x0D),
                                       internal::in_byte_range(bytes, 0x1C, 0x20));
    // As signed bytes, continuation bytes 0x80-0xBF are exactly those below -64 (0xC0).
    const __m128i continuation = _mm_cmplt_epi8(bytes, _mm_set1_epi8(static_cast<char>(0xC0)));
    classes.word |= internal::lane_bits(_mm_or_si128(_mm_or_si128(digit, letter), underscore), i);
    classes.space |= internal::lane_bits(space, i);
    classes.non_ascii |= internal::lane_bits(bytes, i);
    classes.continuation |= internal::lane_bits(continuation, i);
  }
  return classes;
}

#else

inline BlockClasses classify_block(const unsigned char* p) {
  BlockClasses classes;
  for (int i = 0; i < 64; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    const unsigned char c = p[i];
    classes.word |= is_ascii_word_by_ranges(c) ? bit : 0;
    classes.space |= is_ascii_space_by_ranges(c) ? bit : 0;
    classes.non_ascii |= c >= 0x80 ? bit : 0;
    classes.continuation |= (c & 0xC0) == 0x80 ? bit : 0;
  }
  return classes;
}

#endif

inline std::size_t encode_utf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

inline int decode_utf8(std::string_view text, std::size_t pos, char32_t& cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const std::size_t available = text.size() - pos;
  const std::uint32_t b0 = p[0];
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  const auto is_continuation = [](std::uint32_t b) { return (b & 0xC0) == 0x80; };
  if (b0 < 0xC2) {
    return 0;  // a continuation byte, or the lead of an overlong 2-byte form
  }
  if (b0 < 0xE0) {
    if (available < 2 || !is_continuation(p[1])) {
      return 0;
    }
    cp = ((b0 & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (b0 < 0xF0) {
    // E0 needs A0..BF next (else overlong); ED needs 80..9F (else a surrogate).
    const std::uint32_t low = b0 == 0xE0 ? 0xA0 : 0x80;
    const std::uint32_t high = b0 == 0xED ? 0x9F : 0xBF;
    if (available < 3 || p[1] < low || p[1] > high || !is_continuation(p[2])) {
      return 0;
    }
    cp = ((b0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return 3;
  }
  if (b0 < 0xF5) {
    // F0 needs 90..BF next (else overlong); F4 needs 80..8F (else above U+10FFFF).
    const std::uint32_t low = b0 == 0xF0 ? 0x90 : 0x80;
    const std::uint32_t high = b0 == 0xF4 ? 0x8F : 0xBF;
    if (available < 4 || p[1] < low || p[1] > high || !is_continuation(p[2]) ||
        !is_continuation(p[3])) {
      return 0;
    }
    cp = ((b0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
  }
  return 0;
}

}  // namespace parafeat::unicode
