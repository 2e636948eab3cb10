// Python's text semantics, checked against values read off CPython 3.11 (Unicode 14.0):
// str.lower(), re's \w (str.isalnum() or "_"), str.isspace(), and the strict UTF-8 decoder.
#include "common/unicode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parafeat::unicode {
namespace {

std::string lower(std::string_view text) {
  std::string out;
  const Status status = append_python_lower(text, out);
  EXPECT_TRUE(status.ok()) << status.to_string();
  return out;
}

TEST(PythonLower, ChangesOnlyAToZAmongAscii) {
  std::string ascii;
  for (int c = 0; c < 128; ++c) {
    ascii.push_back(static_cast<char>(c));
  }
  std::string expected = ascii;
  for (char& c : expected) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + 32);
    }
  }
  EXPECT_EQ(lower(ascii), expected);
}

TEST(PythonLower, LowersAsciiAcrossWordBoundariesAndTails) {
  // Lengths that are not multiples of eight, with the bytes next to 'A' and 'Z' ('@', '[').
  EXPECT_EQ(lower("@AZ[`az{ HELLO, World! 0123456789"), "@az[`az{ hello, world! 0123456789");
  EXPECT_EQ(lower("ABCDEFG"), "abcdefg");
  EXPECT_EQ(lower(""), "");
}

TEST(PythonLower, TurkishDottedCapitalIBecomesIWithCombiningDot) {
  EXPECT_EQ(lower("\u0130"), "i\u0307");  // İ -> i̇, two code points
  EXPECT_EQ(lower("\u0130STANBUL"), "i\u0307stanbul");
  EXPECT_EQ(lower("I\u0131"), "i\u0131");  // dotless ı is already lower case
}

TEST(PythonLower, GermanSharpSIsUnchangedAndCapitalSharpSLowersToIt) {
  EXPECT_EQ(lower("\u00df"), "\u00df");            // ß
  EXPECT_EQ(lower("STRA\u1E9EE"), "stra\u00dfe");  // ẞ -> ß
}

TEST(PythonLower, LowersOtherScriptsAndTitleCase) {
  EXPECT_EQ(lower("\u00c9COLE \u041c\u041e\u0421\u041a\u0412\u0410"),  // ÉCOLE МОСКВА
            "\u00e9cole \u043c\u043e\u0441\u043a\u0432\u0430");
  EXPECT_EQ(lower("\u01c5"), "\u01c6");          // title-case ǅ -> ǆ
  EXPECT_EQ(lower("\u023a"), "\u2c65");          // Ⱥ (2 bytes) -> ⱥ (3 bytes)
  EXPECT_EQ(lower("\U0001D400"), "\U0001D400");  // mathematical bold A has no lower case
  EXPECT_EQ(lower("\U00010400"), "\U00010428");  // Deseret
}

TEST(PythonLower, CapitalSigmaIsFinalAtTheEndOfAWord) {
  EXPECT_EQ(lower("\u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3."),  // ΟΔΟΣ ΟΔΟΣ.
            "\u03bf\u03b4\u03bf\u03c2 \u03bf\u03b4\u03bf\u03c2.");        // οδος οδος.
  EXPECT_EQ(lower("\u03a3\u03a3\u03a3"), "\u03c3\u03c3\u03c2");           // ΣΣΣ -> σσς
}

TEST(PythonLower, CapitalSigmaNeedsACasedLetterBefore) {
  EXPECT_EQ(lower("\u03a3"), "\u03c3");    // Σ alone -> σ
  EXPECT_EQ(lower("1\u03a3"), "1\u03c3");  // a digit is not cased
  EXPECT_EQ(lower("\u03a3'\u0391"), "\u03c3'\u03b1");
}

TEST(PythonLower, CapitalSigmaIsNotFinalBeforeACasedLetter) {
  EXPECT_EQ(lower("\u0391\u03a3\u0391"), "\u03b1\u03c3\u03b1");    // ΑΣΑ -> ασα
  EXPECT_EQ(lower("\u0391\u03a3.\u0391"), "\u03b1\u03c3.\u03b1");  // '.' is skipped
  EXPECT_EQ(lower("\u0391\u03a3\u0301\u0391"), "\u03b1\u03c3\u0301\u03b1");
}

TEST(PythonLower, FinalSigmaSkipsCaseIgnorableCharactersBothWays) {
  EXPECT_EQ(lower("\u0391\u03a3'\u03a3"), "\u03b1\u03c3'\u03c2");  // ΑΣ'Σ -> ασ'ς
  EXPECT_EQ(lower("\u0391'\u03a3"), "\u03b1'\u03c2");              // Α'Σ -> α'ς
  EXPECT_EQ(lower("\u0391\u03a3'"), "\u03b1\u03c2'");              // ΑΣ' -> ας'
  EXPECT_EQ(lower("\u0391\u03a3\u0301"), "\u03b1\u03c2\u0301");    // combining acute after
  EXPECT_EQ(lower("\u0391\u00ad\u03a3"), "\u03b1\u00ad\u03c2");    // soft hyphen before
}

TEST(PythonLower, GivesTheSameResultAtEveryOffsetFromTheBlockBoundaries) {
  // ASCII is lowered 16 (or 8) bytes at a time and 2-byte code points by a table; each case is
  // put after 0-33 ASCII bytes so that it starts, straddles and ends at every block position,
  // with final sigma and ASCII after it.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\u039f\u0394\u039f\u03a3 X", "\u03bf\u03b4\u03bf\u03c2 x"},  // ΟΔΟΣ -> οδος (final)
      {"\u03a3\u0391", "\u03c3\u03b1"},                              // Σ before Α: not final
      {"\u0130Z", "i\u0307z"},                                       // İ expands (2 -> 3 bytes)
      {"\u023a\u023aQ", "\u2c65\u2c65q"},                          // Ⱥ (2 bytes) -> ⱥ (3 bytes)
      {"\u00c9\u00e9\u0416\u00dfW", "\u00e9\u00e9\u0436\u00dfw"},  // É é Ж ß
      {"\u4e2d\U0001F600\U00010400", "\u4e2d\U0001F600\U00010428"},
  };
  for (const auto& [input, expected] : cases) {
    for (std::size_t offset = 0; offset < 34; ++offset) {
      const std::string prefix = std::string(offset, 'A');
      EXPECT_EQ(lower(prefix + input), std::string(offset, 'a') + expected) << offset;
      // A cased letter before a capital sigma makes it final at the end.
      EXPECT_EQ(lower(prefix + "\u03a3"),
                std::string(offset, 'a') + (offset == 0 ? "\u03c3" : "\u03c2"))
          << offset;
    }
  }
}

TEST(PythonLower, MakesRoomForLowerCasesLongerThanTheirInput) {
  // 1000 x Ⱥ (2 bytes each) become 1000 x ⱥ (3 bytes each); İ likewise grows by a byte.
  std::string input;
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    input += i % 2 == 0 ? "\u023a" : "\u0130";
    expected += i % 2 == 0 ? "\u2c65" : "i\u0307";
  }
  EXPECT_EQ(lower(input + "END"), expected + "end");
}

TEST(PythonLower, AppendsAfterExistingOutput) {
  std::string out = "keep:";
  ASSERT_TRUE(append_python_lower("ABC", out).ok());
  EXPECT_EQ(out, "keep:abc");
}

TEST(PythonLower, RejectsInvalidUtf8AndLeavesOutputAsItWas) {
  std::string out = "keep";
  const Status status = append_python_lower("ABC\xce", out);
  EXPECT_EQ(status.code(), StatusCode::kInvalid);
  EXPECT_EQ(status.message(), "invalid UTF-8 at byte offset 3 (byte 0xce: unexpected end of data)");
  EXPECT_EQ(out, "keep");
}

TEST(Utf8, ValidatesWellFormedText) {
  EXPECT_TRUE(validate_utf8("").ok());
  EXPECT_TRUE(validate_utf8("plain ascii").ok());
  EXPECT_TRUE(validate_utf8("\u00e9\u4e2d\U0001F600").ok());
  EXPECT_TRUE(validate_utf8("\xf4\x8f\xbf\xbf").ok());  // U+10FFFF, the last code point
  EXPECT_TRUE(
      validate_utf8("\xed\x9f\xbf\xee\x80\x80").ok());  // U+D7FF and U+E000 around surrogates
}

TEST(Utf8, RejectionsNameTheOffsetAndPythonsReason) {
  struct Case {
    std::string_view bytes;
    const char* message;
  };
  const Case cases[] = {
      {"\x80", "invalid UTF-8 at byte offset 0 (byte 0x80: invalid start byte)"},
      {"ab\xc3", "invalid UTF-8 at byte offset 2 (byte 0xc3: unexpected end of data)"},
      {"ok \xf0\x9f\x98", "invalid UTF-8 at byte offset 3 (byte 0xf0: unexpected end of data)"},
      {"\xc0\xaf", "invalid UTF-8 at byte offset 0 (byte 0xc0: invalid start byte)"},  // overlong
      {"\xe0\x80\x80", "invalid UTF-8 at byte offset 0 (byte 0xe0: invalid continuation byte)"},
      {"\xed\xa0\x80", "invalid UTF-8 at byte offset 0 (byte 0xed: invalid continuation byte)"},
      {"\xf4\x90\x80\x80",  // above U+10FFFF
       "invalid UTF-8 at byte offset 0 (byte 0xf4: invalid continuation byte)"},
      {"\xf5\x80\x80\x80", "invalid UTF-8 at byte offset 0 (byte 0xf5: invalid start byte)"},
      {"\xe2(\xa1", "invalid UTF-8 at byte offset 0 (byte 0xe2: invalid continuation byte)"},
      {"0123456789\xff", "invalid UTF-8 at byte offset 10 (byte 0xff: invalid start byte)"},
  };
  for (const Case& c : cases) {
    const Status status = validate_utf8(c.bytes);
    EXPECT_EQ(status.code(), StatusCode::kInvalid);
    EXPECT_EQ(status.message(), c.message);
  }
}

TEST(Utf8, DecodesOneCodePointAndItsLength) {
  char32_t cp = 0;
  EXPECT_EQ(decode_utf8("A", 0, cp), 1);
  EXPECT_EQ(cp, U'A');
  EXPECT_EQ(decode_utf8("x\u00e9", 1, cp), 2);
  EXPECT_EQ(cp, U'\u00e9');
  EXPECT_EQ(decode_utf8("\u4e2d", 0, cp), 3);
  EXPECT_EQ(cp, U'\u4e2d');
  EXPECT_EQ(decode_utf8("\U0001F600", 0, cp), 4);
  EXPECT_EQ(cp, U'\U0001F600');
  EXPECT_EQ(decode_utf8("\xe4\xb8", 0, cp), 0);  // truncated
}

TEST(Utf8, EncodesEveryLengthBoundary) {
  for (char32_t cp : {0x0U, 0x7FU, 0x80U, 0x7FFU, 0x800U, 0xFFFFU, 0x10000U, 0x10FFFFU}) {
    char bytes[4];
    const std::string encoded(bytes, encode_utf8(cp, bytes));
    char32_t decoded = 0;
    EXPECT_EQ(decode_utf8(encoded, 0, decoded), static_cast<int>(encoded.size()));
    EXPECT_EQ(decoded, cp);
  }
}

// encode_code_units() of `code_points` stored as `Unit`s, or "<lone surrogate>".
template <typename Unit>
std::string encode_as(const std::u32string& code_points) {
  const std::vector<Unit> units(code_points.begin(), code_points.end());
  std::string out(code_units_room<Unit>(units.size()), '\0');
  const std::size_t size = encode_code_units(units.data(), units.size(), out.data());
  if (size == kLoneSurrogate) return "<lone surrogate>";
  out.resize(size);
  return out;
}

// The UTF-8 of `code_points`, one encode_utf8() at a time.
std::string encode_one_by_one(const std::u32string& code_points) {
  std::string out;
  for (char32_t cp : code_points) {
    char bytes[4];
    out.append(bytes, encode_utf8(cp, bytes));
  }
  return out;
}

// Puts each of `runs` after 0-33 copies of the ASCII `pad`, with ASCII `tail` after it: ASCII
// goes 16 units per step, so across these texts each run starts, straddles and ends at every
// position of a step. Expects encode.template operator()<Unit>(text) to be expected(text) for each
// unit type (std::uint8_t, std::uint16_t, std::uint32_t) whose units hold every code point of it.
template <typename Encode, typename Expected>
void expect_at_every_step_offset(std::initializer_list<std::u32string> runs, char32_t pad,
                                 const std::u32string& tail, Encode&& encode, Expected&& expected) {
  for (const std::u32string& run : runs) {
    for (std::size_t offset = 0; offset < 34; ++offset) {
      const std::u32string text = std::u32string(offset, pad) + run + tail;
      const std::string want = expected(text);
      const auto check = [&]<typename Unit>() {
        EXPECT_EQ(encode.template operator()<Unit>(text), want)
            << sizeof(Unit) << "-byte units, offset " << offset;
      };
      const char32_t widest = *std::max_element(text.begin(), text.end());
      if (widest <= 0xFF) check.template operator()<std::uint8_t>();
      if (widest <= 0xFFFF) check.template operator()<std::uint16_t>();
      check.template operator()<std::uint32_t>();
    }
  }
}

TEST(Utf8, EncodesCodeUnitsOfEveryWidthAtEveryOffsetFromTheBlockBoundaries) {
  // Each run holds the units a narrowing to bytes could mistake for ASCII, with ASCII between
  // them so that each ends an ASCII block: 0x80-0xFF, and 16-bit units >= 0x8000, which are
  // negative as signed.
  const std::u32string latin1 = U"\u0080a\u00e9\u00ffb";
  const std::u32string ucs2 = U"\u8000c\uffffd\u0100\u07ff\u0800\u4e2de" + latin1;
  const std::u32string ucs4 = U"\U00010000f\U0001F600\U0010FFFFg" + ucs2;
  expect_at_every_step_offset(
      {latin1, ucs2, ucs4}, U'a', U" and ASCII after it, longer than a block",
      []<typename Unit>(const std::u32string& text) { return encode_as<Unit>(text); },
      encode_one_by_one);
  EXPECT_EQ(encode_as<std::uint8_t>(U""), "");
  EXPECT_EQ(encode_as<std::uint32_t>(std::u32string(40, U'x')), std::string(40, 'x'));
}

TEST(Utf8, CodeUnitsWithALoneSurrogateAreRejected) {
  for (std::size_t offset : {0U, 5U, 16U, 20U}) {
    for (char32_t surrogate : {U'\xd800', U'\xdbff', U'\xdc00', U'\xdfff'}) {
      const std::u32string text = std::u32string(offset, U'a') + surrogate + U"tail";
      EXPECT_EQ(encode_as<std::uint16_t>(text), "<lone surrogate>") << offset;
      EXPECT_EQ(encode_as<std::uint32_t>(text), "<lone surrogate>") << offset;
    }
  }
  // Code points next to the surrogate range encode.
  EXPECT_EQ(encode_as<std::uint16_t>(U"\ud7ff\ue000"), "\ud7ff\ue000");
}

// encode_lower_code_units() of `code_points` stored as `Unit`s, piece by piece with pieces ending
// at each of `cuts` (ascending) and at the end, or "<lone surrogate>".
template <typename Unit>
std::string encode_lower_as(const std::u32string& code_points, std::vector<std::size_t> cuts = {}) {
  const std::vector<Unit> units(code_points.begin(), code_points.end());
  cuts.push_back(units.size());
  std::string out;
  std::size_t begin = 0;
  for (const std::size_t end : cuts) {
    const std::size_t at = out.size();
    out.resize(at + lower_code_units_room(end - begin));
    const std::size_t size =
        encode_lower_code_units(std::span<const Unit>(units), begin, end, out.data() + at);
    if (size == kLoneSurrogate) return "<lone surrogate>";
    out.resize(at + size);
    begin = end;
  }
  return out;
}

TEST(LowerCodeUnits, LowersEveryCodePointAsAppendPythonLowerDoes) {
  // Every scalar value, in order, so that each also meets its neighbours as sigma context; each
  // width holds those code points it can.
  std::u32string all;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp < 0xD800 || cp > 0xDFFF) all.push_back(cp);
  }
  const std::u32string bmp = all.substr(0, 0x10000 - 0x800);
  const std::u32string latin1 = all.substr(0, 0x100);
  EXPECT_EQ(encode_lower_as<std::uint32_t>(all), lower(encode_one_by_one(all)));
  EXPECT_EQ(encode_lower_as<std::uint16_t>(bmp), lower(encode_one_by_one(bmp)));
  EXPECT_EQ(encode_lower_as<std::uint8_t>(latin1), lower(encode_one_by_one(latin1)));
}

TEST(LowerCodeUnits, LowersAtEveryOffsetFromTheBlockBoundaries) {
  // As EncodesCodeUnitsOfEveryWidth..., with capitals in and around every run.
  const std::u32string latin1 = U"\u00c0A\u00e9\u00deZ";
  const std::u32string ucs2 = U"\u0130C\u03a3D\u0410\u1e9e\u2c6fE" + latin1;
  const std::u32string ucs4 = U"\U00010400F\U0001F600\U0001E900G" + ucs2;
  expect_at_every_step_offset(
      {latin1, ucs2, ucs4}, U'Q', U" AND ASCII after it, Longer Than A Block",
      []<typename Unit>(const std::u32string& text) { return encode_lower_as<Unit>(text); },
      [](const std::u32string& text) { return lower(encode_one_by_one(text)); });
}

TEST(LowerCodeUnits, ChoosesFinalSigmaFromTheWholeStrWhicheverPieceItIsIn) {
  // The sigma's context lies outside the piece for some cuts; the result must not change.
  for (const std::u32string text :
       {U"\u0391\u03a3", U"\u03a3", U"\u0391\u03a3\u0392", U"\u0391'\u03a3'",
        U"\u0391'\u03a3'\u0392", U"\u0391\u03a3 \u0392", U"x\u00ad\u03a3\u0301",
        U"\u03a3\u03a3\u03a3"}) {
    const std::string expected = lower(encode_one_by_one(text));
    for (std::size_t first = 0; first <= text.size(); ++first) {
      for (std::size_t second = first; second <= text.size(); ++second) {
        EXPECT_EQ(encode_lower_as<std::uint16_t>(text, {first, second}), expected)
            << first << " " << second;
      }
    }
  }
}

TEST(LowerCodeUnits, CodeUnitsWithALoneSurrogateAreRejected) {
  for (std::size_t offset : {0U, 5U, 16U, 20U}) {
    const std::u32string text = std::u32string(offset, U'A') + U'\xdc00' + U"tail";
    EXPECT_EQ(encode_lower_as<std::uint16_t>(text), "<lone surrogate>") << offset;
    EXPECT_EQ(encode_lower_as<std::uint32_t>(text), "<lone surrogate>") << offset;
  }
}

TEST(Utf8, AsciiPrefixLengthStopsAtTheFirstHighByte) {
  EXPECT_EQ(ascii_prefix_length(""), 0U);
  EXPECT_EQ(ascii_prefix_length("all ascii, longer than eight"), 28U);
  EXPECT_EQ(ascii_prefix_length("0123456789\u00e9"), 10U);
}

TEST(WordClass, LettersDigitsNumbersAndUnderscoreAreWord) {
  for (char32_t cp : {U'a', U'Z', U'0', U'9', U'_', U'\u00e9', U'\u03a9', U'\u00aa', U'\u01c5',
                      U'\u4e2d',     // CJK ideograph
                      U'\u0663',     // Arabic-Indic digit three
                      U'\u00b2',     // superscript two (No)
                      U'\u00bd',     // vulgar fraction one half (No)
                      U'\u2460'}) {  // circled digit one (No)
    EXPECT_TRUE(is_word(cp)) << "U+" << std::hex << static_cast<unsigned>(cp);
  }
}

TEST(WordClass, CombiningMarksPunctuationSymbolsAndSpacesAreNotWord) {
  for (char32_t cp : {U'-', U' ', U'\'', U'.', U'\u0301',  // combining acute (Mn)
                      U'\u0903',                           // Devanagari visarga (Mc)
                      U'\u20dd',                           // enclosing circle (Me)
                      U'\u200d',                           // zero width joiner (Cf)
                      U'\U0001F600'}) {
    EXPECT_FALSE(is_word(cp)) << "U+" << std::hex << static_cast<unsigned>(cp);
  }
}

TEST(SpaceClass, MatchesPythonIsspaceIncludingInformationSeparators) {
  for (char32_t cp :
       {U' ', U'\t', U'\n', U'\r', U'\v', U'\f', U'\x1c', U'\x1f', U'\u0085', U'\u00a0', U'\u1680',
        U'\u2000', U'\u200a', U'\u2028', U'\u2029', U'\u202f', U'\u205f', U'\u3000'}) {
    EXPECT_TRUE(is_space(cp)) << "U+" << std::hex << static_cast<unsigned>(cp);
  }
  for (char32_t cp : {U'a', U'_', U'\u200b', U'\ufeff', U'\u180e'}) {
    EXPECT_FALSE(is_space(cp)) << "U+" << std::hex << static_cast<unsigned>(cp);
  }
}

TEST(CaseProperties, ApostropheSoftHyphenAndMarksAreCaseIgnorable) {
  EXPECT_TRUE(is_case_ignorable(U'\''));
  EXPECT_TRUE(is_case_ignorable(U'\u00ad'));
  EXPECT_TRUE(is_case_ignorable(U'\u0301'));
  EXPECT_FALSE(is_case_ignorable(U'A'));
  EXPECT_FALSE(is_case_ignorable(U'1'));
}

TEST(CaseProperties, LettersWithCaseAreCasedAndDigitsAreNot) {
  EXPECT_TRUE(is_cased(U'A'));
  EXPECT_TRUE(is_cased(U'z'));
  EXPECT_TRUE(is_cased(U'\u01c5'));
  EXPECT_TRUE(is_cased(U'\u03a3'));
  EXPECT_FALSE(is_cased(U'1'));
  EXPECT_FALSE(is_cased(U'\u4e2d'));
}

TEST(WordClass, DirectTableOfOneAndTwoByteCodePointsAgreesWithTheGeneratedTables) {
  for (char32_t cp = 0; cp < internal::kDirectClassesEnd; ++cp) {
    EXPECT_EQ(is_word(cp), internal::is_word_beyond_direct(cp)) << static_cast<unsigned>(cp);
    EXPECT_EQ(is_space(cp), internal::is_space_beyond_direct(cp)) << static_cast<unsigned>(cp);
  }
  EXPECT_TRUE(is_space(0x85));    // NEL
  EXPECT_TRUE(is_space(0xA0));    // no-break space
  EXPECT_TRUE(is_word(0x7CA));    // NKo letter a, near the end of the 2-byte range
  EXPECT_FALSE(is_word(0x0301));  // combining acute
}

TEST(ClassifyBlock, GivesEachByteTheClassOfTheCodePointItIs) {
  // All 256 byte values, 64 per block, each at every position of its block.
  for (int rotation = 0; rotation < 64; ++rotation) {
    for (int first = 0; first < 256; first += 64) {
      unsigned char block[64];
      for (int i = 0; i < 64; ++i) {
        block[i] = static_cast<unsigned char>(first + (i + rotation) % 64);
      }
      const BlockClasses classes = classify_block(block);
      for (int i = 0; i < 64; ++i) {
        const unsigned char c = block[i];
        const bool bit_word = ((classes.word >> i) & 1) != 0;
        const bool bit_space = ((classes.space >> i) & 1) != 0;
        EXPECT_EQ(((classes.non_ascii >> i) & 1) != 0, c >= 0x80) << int{c};
        EXPECT_EQ(((classes.continuation >> i) & 1) != 0, c >= 0x80 && c < 0xC0) << int{c};
        if (c < 0x80) {
          EXPECT_EQ(bit_word, is_word(c)) << int{c};
          EXPECT_EQ(bit_space, is_space(c)) << int{c};
        }
      }
    }
  }
}

TEST(UnicodeTables, NameTheirUnicodeVersion) {
  const std::string version = unicode_version();
  ASSERT_FALSE(version.empty());
  EXPECT_NE(version.find('.'), std::string::npos);
}

}  // namespace
}  // namespace parafeat::unicode
