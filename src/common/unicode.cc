// Python-compatible UTF-8 decoding, character classes and str.lower() over the tables that
// generate_unicode_tables.py derives from the build's Python interpreter.
#include "common/unicode.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <iterator>
#include <optional>
#include <span>
#include <string>

#include "common/unicode_tables.inc"

namespace parafeat::unicode {
namespace {

namespace tables = ::parafeat::unicode::tables;

static_assert(internal::kAsciiWord == tables::kWordFlag &&
                  internal::kAsciiSpace == tables::kSpaceFlag,
              "unicode.h's ASCII class bits must match the generated flag bits");

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr char32_t kCapitalSigma = 0x03A3;
constexpr char32_t kSmallSigma = 0x03C3;
constexpr char32_t kSmallFinalSigma = 0x03C2;

static_assert(tables::kRecords[0].flags == 0 && tables::kRecords[0].lower == 0,
              "record 0 (that of U+0000) must be the plain record: no flags, no lower case");

// The generated record of `cp`. Values beyond U+10FFFF get the plain record 0.
constexpr const tables::CharRecord& record_of(char32_t cp) {
  if (cp > kMaxCodePoint) {
    return tables::kRecords[0];
  }
  const std::uint32_t block = tables::kBlockIndex[cp >> tables::kBlockShift];
  const std::uint32_t entry =
      tables::kBlockEntries[(block << tables::kBlockShift) | (cp & tables::kBlockMask)];
  return tables::kRecords[entry];
}

bool has_flag(char32_t cp, std::uint8_t flag) {
  return (record_of(cp).flags & flag) != 0;
}

// str.lower() of the 2-byte code points U+0080..U+07FF (Latin, Greek, Cyrillic, ...) whose lower
// case is one code point that also takes 2 bytes, by cp - 0x80; 0 for the others (expansions,
// lower cases of other lengths, capital sigma), which take the general path.
constexpr char32_t kFirstTwoByte = 0x80;
constexpr char32_t kFirstThreeByte = 0x800;
constexpr std::array<std::uint16_t, kFirstThreeByte - kFirstTwoByte> make_two_byte_lower() {
  std::array<std::uint16_t, kFirstThreeByte - kFirstTwoByte> lower{};
  for (char32_t cp = kFirstTwoByte; cp < kFirstThreeByte; ++cp) {
    const tables::CharRecord& record = record_of(cp);
    const auto mapped = static_cast<char32_t>(static_cast<std::int32_t>(cp) + record.lower);
    if (cp != kCapitalSigma && (record.flags & tables::kLowerExpandsFlag) == 0 &&
        mapped >= kFirstTwoByte && mapped < kFirstThreeByte) {
      lower[cp - kFirstTwoByte] = static_cast<std::uint16_t>(mapped);
    }
  }
  return lower;
}
constinit const std::array<std::uint16_t, kFirstThreeByte - kFirstTwoByte> kTwoByteLower =
    make_two_byte_lower();

// Whether str.lower() changes any code point of each block of 256 below kLowerBlocksEnd (sigma
// included), a bit per block, read from the tables at compile time: most non-ASCII text outside
// the cased scripts (CJK, kana, emoji) is in blocks that lower-casing leaves as they are. The
// tables' own blocks of 2^kBlockShift code points are judged once each, to keep the compile-time
// work small.
constexpr char32_t kLowerBlocksEnd = 0x20000;
constexpr int kLowerBlockBits = 8;
static_assert(kLowerBlockBits >= tables::kBlockShift);
constexpr std::size_t kLowerBlockWords = (kLowerBlocksEnd >> kLowerBlockBits) / 64;
constexpr std::array<std::uint64_t, kLowerBlockWords> make_blocks_changed_by_lower() {
  constexpr std::size_t kTableBlockSize = std::size_t{1} << tables::kBlockShift;
  constexpr std::size_t kNumTableBlocks = std::size(tables::kBlockEntries) / kTableBlockSize;
  std::array<bool, kNumTableBlocks> table_block_changes{};
  for (std::size_t entry = 0; entry < std::size(tables::kBlockEntries); ++entry) {
    const tables::CharRecord& record = tables::kRecords[tables::kBlockEntries[entry]];
    if (record.lower != 0 || (record.flags & tables::kLowerExpandsFlag) != 0) {
      table_block_changes[entry / kTableBlockSize] = true;
    }
  }
  std::array<std::uint64_t, kLowerBlockWords> blocks{};
  const auto mark = [&](char32_t cp) {
    const char32_t block = cp >> kLowerBlockBits;
    blocks[block / 64] |= std::uint64_t{1} << (block % 64);
  };
  for (char32_t cp = 0; cp < kLowerBlocksEnd; cp += kTableBlockSize) {
    if (table_block_changes[tables::kBlockIndex[cp >> tables::kBlockShift]]) mark(cp);
  }
  mark(kCapitalSigma);
  return blocks;
}
constinit const std::array<std::uint64_t, kLowerBlockWords> kBlocksChangedByLower =
    make_blocks_changed_by_lower();

// False when str.lower() leaves `cp` as it is for certain, by its block.
inline bool may_change_under_lower(char32_t cp) {
  if (cp >= kLowerBlocksEnd) return true;
  const char32_t block = cp >> kLowerBlockBits;
  return ((kBlocksChangedByLower[block / 64] >> (block % 64)) & 1) != 0;
}

// The \w and \s bits of the code points below kDirectClassesEnd, read from the tables at
// compile time.
constexpr std::array<std::uint8_t, internal::kDirectClassesEnd> make_direct_classes() {
  std::array<std::uint8_t, internal::kDirectClassesEnd> classes{};
  for (char32_t cp = 0; cp < internal::kDirectClassesEnd; ++cp) {
    classes[cp] = record_of(cp).flags & (tables::kWordFlag | tables::kSpaceFlag);
  }
  return classes;
}

// classify_block() tests the ASCII classes as byte ranges; they must be the tables' classes.
constexpr bool ascii_ranges_match_tables() {
  for (char32_t cp = 0; cp < 128; ++cp) {
    const auto c = static_cast<unsigned char>(cp);
    const std::uint8_t flags = record_of(cp).flags;
    if (is_ascii_word_by_ranges(c) != ((flags & tables::kWordFlag) != 0) ||
        is_ascii_space_by_ranges(c) != ((flags & tables::kSpaceFlag) != 0)) {
      return false;
    }
  }
  return true;
}
static_assert(ascii_ranges_match_tables(),
              "is_ascii_word_by_ranges / is_ascii_space_by_ranges disagree with the tables");

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Number of bytes starting at `p` (at most `size`) that are ASCII.
std::size_t ascii_run(const unsigned char* p, std::size_t size) {
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, sizeof(word));
    if ((word & kHighBits) != 0) {
      break;
    }
  }
  while (i < size && p[i] < 0x80) {
    ++i;
  }
  return i;
}

// The 8 ASCII bytes of `word` lowered: A-Z become a-z, nothing else changes. The generator
// checks that this is exactly what Python's str.lower() does to ASCII. Bytes >= 0x80 come out
// changed, so callers only keep the ASCII bytes of the result.
constexpr std::uint64_t lower_ascii_word(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  const std::uint64_t ascii = word & ~kHighBits;
  // Each byte of `ascii` is < 0x80, so adding up to 0x3F per byte never carries into the next
  // byte. A byte gets its high bit from `at_least_a` iff it is >= 'A', from `above_z` iff > 'Z'.
  const std::uint64_t at_least_a = ascii + kOnes * (0x80 - 'A');
  const std::uint64_t above_z = ascii + kOnes * (0x80 - 'Z' - 1);
  const std::uint64_t upper = (at_least_a & ~above_z) & kHighBits;
  return word | (upper >> 2);  // 0x80 >> 2 == 0x20, the case bit
}

// The first code point `next()` yields that is not case-ignorable, or none when `next()` runs
// out (returns std::nullopt) first.
template <typename Next>
std::optional<char32_t> first_not_case_ignorable(Next&& next) {
  for (std::optional<char32_t> cp = next(); cp; cp = next()) {
    if (!is_case_ignorable(*cp)) return cp;
  }
  return std::nullopt;
}

// Python's final-sigma rule: a capital sigma lowers to final sigma when a cased character comes
// before it and none after it, case-ignorable characters skipped both ways. `before()` yields
// the code points before the sigma, nearest first, and `after()` those after it. Each scan stops
// at the first character that is not case-ignorable, and a sigma is not, so over a whole document
// the scans visit every character a bounded number of times.
template <typename Before, typename After>
bool is_final_sigma(Before&& before, After&& after) {
  const std::optional<char32_t> previous = first_not_case_ignorable(before);
  if (!previous || !is_cased(*previous)) return false;
  const std::optional<char32_t> following = first_not_case_ignorable(after);
  return !following || !is_cased(*following);
}

// is_final_sigma() for the capital sigma at bytes [sigma_start, sigma_end) of UTF-8 `text`,
// valid before the sigma. Malformed bytes after it end the scan: the caller's own decoding
// reports them, and the answer no longer matters then.
bool is_final_sigma_in_utf8(std::string_view text, std::size_t sigma_start, std::size_t sigma_end) {
  std::size_t back = sigma_start;
  std::size_t ahead = sigma_end;
  return is_final_sigma(
      [&]() -> std::optional<char32_t> {
        if (back == 0) return std::nullopt;
        do {
          --back;
        } while (back > 0 && (static_cast<unsigned char>(text[back]) & 0xC0) == 0x80);
        char32_t cp = 0;
        decode_utf8(text, back, cp);
        return cp;
      },
      [&]() -> std::optional<char32_t> {
        char32_t cp = 0;
        const int length = ahead < text.size() ? decode_utf8(text, ahead, cp) : 0;
        if (length == 0) return std::nullopt;
        ahead += static_cast<std::size_t>(length);
        return cp;
      });
}

// is_final_sigma() for the capital sigma at index `at` of the code points `str`.
template <typename Unit>
bool is_final_sigma_in_units(std::span<const Unit> str, std::size_t at) {
  std::size_t back = at;
  std::size_t ahead = at + 1;
  return is_final_sigma(
      [&]() -> std::optional<char32_t> {
        if (back == 0) return std::nullopt;
        return static_cast<char32_t>(str[--back]);
      },
      [&]() -> std::optional<char32_t> {
        if (ahead == str.size()) return std::nullopt;
        return static_cast<char32_t>(str[ahead++]);
      });
}

// Writes the lower case of the non-ASCII code point `cp` (not a capital sigma) as UTF-8 at `out`
// (room for kMaxLowerBytes); returns its length in bytes.
std::size_t write_lower_beyond_ascii(char32_t cp, char* out) {
  const tables::CharRecord& record = record_of(cp);
  if ((record.flags & tables::kLowerExpandsFlag) != 0) {
    const auto index = static_cast<std::size_t>(record.lower);
    std::size_t length = 0;
    for (std::uint32_t i = tables::kLowerExpansionStarts[index];
         i < tables::kLowerExpansionStarts[index + 1]; ++i) {
      length += encode_utf8(tables::kLowerExpansionPoints[i], out + length);
    }
    return length;
  }
  return encode_utf8(static_cast<char32_t>(static_cast<std::int32_t>(cp) + record.lower), out);
}

#if defined(__SSE2__)

// 16 code units at `units` narrowed to 16 bytes: an ASCII unit becomes itself, any other unit a
// byte >= 0x80 (units are saturated, never wrapped).
inline __m128i narrow_16_units(const std::uint8_t* units) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(units));
}
inline __m128i narrow_16_units(const std::uint16_t* units) {
  // min(x, 0xFF) as x minus (x - 0xFF saturated at 0): SSE2 has no unsigned 16-bit min, and
  // _mm_packus_epi16 reads its input as signed, which would turn units >= 0x8000 into 0.
  const __m128i cap = _mm_set1_epi16(0xFF);
  const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(units));
  const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(units + 8));
  return _mm_packus_epi16(_mm_sub_epi16(low, _mm_subs_epu16(low, cap)),
                          _mm_sub_epi16(high, _mm_subs_epu16(high, cap)));
}
inline __m128i narrow_16_units(const std::uint32_t* units) {
  // Code points are at most 0x10FFFF: positive as signed 32-bit values, so the signed saturation
  // to 16 bits keeps them >= 0x80 when they were, and so does the unsigned one to 8 bits.
  const auto* p = reinterpret_cast<const __m128i*>(units);
  return _mm_packus_epi16(_mm_packs_epi32(_mm_loadu_si128(p), _mm_loadu_si128(p + 1)),
                          _mm_packs_epi32(_mm_loadu_si128(p + 2), _mm_loadu_si128(p + 3)));
}

// The ASCII bytes of `bytes` lowered (A-Z become a-z); bytes >= 0x80 are left as they are.
inline __m128i lower_ascii_16(__m128i bytes) {
  const __m128i upper = internal::in_byte_range(bytes, 'A', 'Z');
  return _mm_or_si128(bytes, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
}

#endif

// The ASCII byte `c` lowered.
constexpr char lower_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
}

// Writes the UTF-8 of code points [begin, end) of `str` at `out` and returns its length in
// bytes, or kLoneSurrogate; with kLower, of their str.lower() (in the context of all of `str`).
template <bool kLower, typename Unit>
std::size_t encode_units(std::span<const Unit> str, std::size_t begin, std::size_t end, char* out) {
  char* const start = out;
  const Unit* const units = str.data();
  std::size_t i = begin;
  while (i < end) {
#if defined(__SSE2__)
    // ASCII, 16 units per step: all 16 narrowed bytes are stored, the ASCII prefix is kept.
    while (i + 16 <= end) {
      __m128i bytes = narrow_16_units(units + i);
      if constexpr (kLower) bytes = lower_ascii_16(bytes);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), bytes);
      const auto non_ascii = static_cast<unsigned>(_mm_movemask_epi8(bytes));
      const std::size_t ascii =
          non_ascii == 0 ? 16 : static_cast<std::size_t>(std::countr_zero(non_ascii));
      i += ascii;
      out += ascii;
      if (non_ascii != 0) break;
    }
#endif
    for (; i < end && units[i] < 0x80; ++i) {
      const auto c = static_cast<char>(units[i]);
      *out++ = kLower ? lower_ascii(c) : c;
    }
    for (; i < end && units[i] >= 0x80; ++i) {
      const auto cp = static_cast<char32_t>(units[i]);
      if (cp - 0xD800U < 0x800U) return kLoneSurrogate;
      if (!kLower || !may_change_under_lower(cp)) {
        out += encode_utf8(cp, out);
      } else if (cp < kFirstThreeByte && kTwoByteLower[cp - kFirstTwoByte] != 0) {
        out += encode_utf8(kTwoByteLower[cp - kFirstTwoByte], out);
      } else if (cp == kCapitalSigma) {
        out += encode_utf8(is_final_sigma_in_units(str, i) ? kSmallFinalSigma : kSmallSigma, out);
      } else {
        out += write_lower_beyond_ascii(cp, out);
      }
    }
  }
  return static_cast<std::size_t>(out - start);
}

}  // namespace

namespace internal {

constinit const std::array<std::uint8_t, kDirectClassesEnd> kDirectClasses = make_direct_classes();

bool is_word_beyond_direct(char32_t cp) {
  return has_flag(cp, tables::kWordFlag);
}
bool is_space_beyond_direct(char32_t cp) {
  return has_flag(cp, tables::kSpaceFlag);
}

}  // namespace internal

const char* unicode_version() {
  return tables::kUnicodeVersion;
}

bool is_cased(char32_t cp) {
  return has_flag(cp, tables::kCasedFlag);
}
bool is_case_ignorable(char32_t cp) {
  return has_flag(cp, tables::kCaseIgnorableFlag);
}

std::size_t encode_code_units(const std::uint8_t* units, std::size_t length, char* out) {
  return encode_units<false>(std::span(units, length), 0, length, out);
}
std::size_t encode_code_units(const std::uint16_t* units, std::size_t length, char* out) {
  return encode_units<false>(std::span(units, length), 0, length, out);
}
std::size_t encode_code_units(const std::uint32_t* units, std::size_t length, char* out) {
  return encode_units<false>(std::span(units, length), 0, length, out);
}

std::size_t encode_lower_code_units(std::span<const std::uint8_t> str, std::size_t begin,
                                    std::size_t end, char* out) {
  return encode_units<true>(str, begin, end, out);
}
std::size_t encode_lower_code_units(std::span<const std::uint16_t> str, std::size_t begin,
                                    std::size_t end, char* out) {
  return encode_units<true>(str, begin, end, out);
}
std::size_t encode_lower_code_units(std::span<const std::uint32_t> str, std::size_t begin,
                                    std::size_t end, char* out) {
  return encode_units<true>(str, begin, end, out);
}

std::size_t ascii_prefix_length(std::string_view text) {
  return ascii_run(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

Status invalid_utf8_at(std::string_view text, std::size_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + offset;
  const std::size_t available = text.size() - offset;
  const unsigned lead = p[0];
  // Name the problem the way Python's UTF-8 decoder does.
  const char* reason = "invalid start byte";
  if (lead >= 0xC2 && lead <= 0xF4) {
    const std::size_t needed = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    // The allowed range of the first continuation byte excludes overlong forms, surrogates
    // and code points above U+10FFFF; later continuation bytes are 80..BF.
    const unsigned low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
    const unsigned high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
    bool prefix_ok = true;
    for (std::size_t i = 1; i < needed && i < available && prefix_ok; ++i) {
      prefix_ok = i == 1 ? (p[i] >= low && p[i] <= high) : (p[i] & 0xC0) == 0x80;
    }
    reason =
        prefix_ok && available < needed ? "unexpected end of data" : "invalid continuation byte";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string message = "invalid UTF-8 at byte offset " + std::to_string(offset) + " (byte 0x";
  message += kHex[lead >> 4];
  message += kHex[lead & 0xF];
  message += ": ";
  message += reason;
  message += ")";
  return Status::Invalid(std::move(message));
}

Status validate_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t pos = 0;
  while (pos < text.size()) {
    pos += ascii_run(bytes + pos, text.size() - pos);
    while (pos < text.size() && bytes[pos] >= 0x80) {
      char32_t cp = 0;
      const int length = decode_utf8(text, pos, cp);
      if (length == 0) {
        return invalid_utf8_at(text, pos);
      }
      pos += static_cast<std::size_t>(length);
    }
  }
  return Status::OK();
}

Status append_python_lower(std::string_view utf8, std::string& out) {
  const std::size_t original_size = out.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t size = utf8.size();
  // The output is written through a pointer into `out`, sized so that at any point the room
  // left is at least the input left plus kSlack: each ASCII byte writes one byte (in 16- or
  // 8-byte stores, which run ahead by at most 15 bytes of the input left), and room is made
  // again after any code point whose lower case is longer than itself.
  constexpr std::size_t kSlack = 16;
  static_assert(kSlack >= 16 && kSlack >= kMaxLowerBytes);
  out.resize(original_size + size + kSlack);
  std::size_t write = original_size;
  std::size_t pos = 0;
  while (pos < size) {
    // A block of bytes (16 with SSE2, else 8, zero-padded at the end): lower and store it all,
    // keep its ASCII prefix.
    bool all_ascii = false;
#if defined(__SSE2__)
    if (pos + 16 <= size) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + pos));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data() + write), lower_ascii_16(chunk));
      const auto high = static_cast<unsigned>(_mm_movemask_epi8(chunk));
      all_ascii = high == 0;
      const std::size_t ascii = all_ascii ? 16 : static_cast<std::size_t>(std::countr_zero(high));
      pos += ascii;
      write += ascii;
    } else
#endif
    {
      std::uint64_t word = 0;
      std::size_t available = 8;
      if (pos + 8 <= size) {
        std::memcpy(&word, bytes + pos, 8);
      } else {
        available = size - pos;
        std::memcpy(&word, bytes + pos, available);
      }
      const std::uint64_t lowered = lower_ascii_word(word);
      std::memcpy(out.data() + write, &lowered, sizeof(lowered));
      const std::uint64_t high = word & kHighBits;
      const std::size_t ascii =
          high == 0 ? available : static_cast<std::size_t>(std::countr_zero(high)) / 8;
      all_ascii = ascii == available;
      pos += ascii;
      write += ascii;
    }
    if (all_ascii) {
      continue;
    }
    // Non-ASCII code points from `pos` on, up to the next ASCII byte.
    while (pos < size && bytes[pos] >= 0x80) {
      // 2-byte sequences with a 2-byte lower case, by table. 0xC2-0xDF leads with a
      // continuation byte are exactly the valid 2-byte sequences.
      if (bytes[pos] >= 0xC2 && bytes[pos] <= 0xDF && pos + 1 < size &&
          (bytes[pos + 1] & 0xC0) == 0x80) {
        const char32_t cp = ((bytes[pos] & 0x1FU) << 6) | (bytes[pos + 1] & 0x3FU);
        const char32_t lower = kTwoByteLower[cp - kFirstTwoByte];
        if (lower != 0) {
          out[write] = static_cast<char>(0xC0 | (lower >> 6));
          out[write + 1] = static_cast<char>(0x80 | (lower & 0x3F));
          write += 2;
          pos += 2;
          continue;
        }
      }
      char32_t cp = 0;
      const int length = decode_utf8(utf8, pos, cp);
      if (length == 0) {
        out.resize(original_size);
        return invalid_utf8_at(utf8, pos);
      }
      const std::size_t next = pos + static_cast<std::size_t>(length);
      if (!may_change_under_lower(cp)) {
        for (std::size_t i = pos; i < next; ++i) out[write++] = utf8[i];  // 3-4 bytes
      } else if (cp == kCapitalSigma) {
        write +=
            encode_utf8(is_final_sigma_in_utf8(utf8, pos, next) ? kSmallFinalSigma : kSmallSigma,
                        out.data() + write);
      } else {
        write += write_lower_beyond_ascii(cp, out.data() + write);
      }
      pos = next;
      const std::size_t needed = write + (size - pos) + kSlack;
      if (needed > out.size()) {
        out.resize(std::max(needed, 2 * out.size()));
      }
    }
  }
  out.resize(write);
  return Status::OK();
}

}  // namespace parafeat::unicode
