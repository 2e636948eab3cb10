// java::append_lower reproduces java.lang.String.toLowerCase() on JDK 17 (the JDK Spark 4 runs
// on, in an English locale). Expected strings were produced by JDK 17.0.15 itself, or by Spark
// 4.3.0's Tokenizer, which lower-cases with it; where Python's str.lower() differs it is named.
#include "common/java_lower.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/java_word_break.h"

namespace parafeat::java {
namespace {

std::string lower(std::string_view text) {
  std::string out;
  LowerScratch scratch;
  const Status status = append_lower(text, out, scratch);
  EXPECT_TRUE(status.ok()) << status.to_string();
  return out;
}

TEST(JavaLower, MapsEachCodePointToItsSimpleLowerCase) {
  EXPECT_EQ(lower("Hello WORLD 123"), "hello world 123");
  EXPECT_EQ(lower("ÀÉÎÕÜ ĀĂĄ ΑΒΓ АБВ"), "àéîõü āăą αβγ абв");
  EXPECT_EQ(lower("\u1E9E"), "\u00DF");              // capital sharp s -> ß
  EXPECT_EQ(lower("\u01C5"), "\u01C6");              // title-case dz -> dz
  EXPECT_EQ(lower("\u10A0\u1C90"), "\u2D00\u10D0");  // Georgian Asomtavruli, Mtavruli
  EXPECT_EQ(lower("\u13A0"), "\uAB70");              // Cherokee
  EXPECT_EQ(lower("\U00010400"), "\U00010428");      // Deseret, beyond U+FFFF
  EXPECT_EQ(lower("\u2160\u24B6"), "\u2170\u24D0");  // Roman numeral, circled letter
}

TEST(JavaLower, CapitalIWithDotBecomesIAndCombiningDot) {
  EXPECT_EQ(lower("\u0130STANBUL"), "i\u0307stanbul");
}

TEST(JavaLower, FollowsJdk17UnicodeWhereNewerPythonLowersMore) {
  // Letters added in Unicode 14: Python 3.11's str.lower() maps them, JDK 17 (Unicode 13) does not.
  EXPECT_EQ(lower("\u2C2F\uA7C0\U00010570"), "\u2C2F\uA7C0\U00010570");
}

TEST(JavaLower, FinalSigmaWhenACasedLetterPrecedesItInItsWordAndNoneFollows) {
  EXPECT_EQ(lower("ΟΔΟΣ ΟΔΟΣ."), "οδος οδος.");
  EXPECT_EQ(lower("Σ"), "σ");
  EXPECT_EQ(lower("ΣΣ"), "σς");
  EXPECT_EQ(lower("AΣB"), "aσb");
  EXPECT_EQ(lower("A Σ"), "a σ");
  EXPECT_EQ(lower("AΣ\u0301"), "aς\u0301");
  EXPECT_EQ(lower("\u02B0Σ"), "\u02B0ς");  // a modifier letter is cased
  EXPECT_EQ(lower("AΣ\u02B0"), "aσ\u02B0");
}

TEST(JavaLower, FinalSigmaLooksOnlyWithinTheBreakIteratorsWord) {
  // Java stops at word boundaries where Python's str.lower() skips case-ignorable characters, so
  // these differ from Python (which gives σ, σ, ς, σ, σ respectively).
  EXPECT_EQ(lower("AΣ..B"), "aς..b");  // two dots end the word "aσ"
  EXPECT_EQ(lower("A-Σ"), "a-ς");      // a dash joins letters into one word
  EXPECT_EQ(lower("A1Σ"), "a1ς");      // letters and digits form one word
  EXPECT_EQ(lower("AΣ1B"), "aσ1b");
  EXPECT_EQ(lower("A_Σ"), "a_ς");  // so does a connector
  // And these agree with Python.
  EXPECT_EQ(lower("A.Σ AΣ.B"), "a.ς aσ.b");
  EXPECT_EQ(lower("A:Σ A\u2019Σ A中Σ"), "a:σ a\u2019σ a中σ");
  EXPECT_EQ(lower("AΣ中"), "aς中");
}

TEST(JavaLower, FormatCharactersAreInvisibleToWordsButSoftHyphenJoinsThem) {
  EXPECT_EQ(lower("A\u200DΣ"), "a\u200Dς");
  EXPECT_EQ(lower("\u2160\u00ADΣ"), "\u2170\u00ADσ");  // U+00AD cannot follow a number
  EXPECT_EQ(lower("a\u00ADΣ"), "a\u00ADς");
}

TEST(JavaLower, RejectsInvalidUtf8AndLeavesTheOutputAsItWas) {
  std::string out = "kept";
  LowerScratch scratch;
  const Status status = append_lower("ab\xC3", out, scratch);
  EXPECT_EQ(status.code(), StatusCode::kInvalid);
  EXPECT_NE(status.message().find("byte offset 2"), std::string::npos) << status.message();
  EXPECT_EQ(out, "kept");
}

// `text` with a '|' at each boundary of the segments holding its code points.
std::string boundaries(std::u32string_view text) {
  std::vector<std::uint8_t> is_boundary(text.size() + 1, 0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const Segment segment = segment_containing(text, i);
    EXPECT_TRUE(segment.begin <= i && i < segment.end) << i;
    is_boundary[segment.begin] = is_boundary[segment.end] = 1;
  }
  std::string marked;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (is_boundary[i]) marked += '|';
    if (i < text.size()) marked += text[i] < 0x80 ? static_cast<char>(text[i]) : '*';
  }
  return marked;
}

TEST(JavaWordBreak, SegmentsLikeTheJdksWordBreakIterator) {
  // Each expectation is what java.text.BreakIterator.getWordInstance() reports on JDK 17.
  EXPECT_EQ(boundaries(U"ab cd"), "|ab| |cd|");
  EXPECT_EQ(boundaries(U"A_B A$B A1B a1.5b"), "|A_B| |A|$|B| |A1B| |a1.5b|");
  EXPECT_EQ(boundaries(U"A.B A..B A:B"), "|A.B| |A|.|.|B| |A|:|B|");
  EXPECT_EQ(boundaries(U"$1x 1,000%x $.5"), "|$1x| |1,000%|x| |$|.5|");
  EXPECT_EQ(boundaries(U"A\r\nB"), "|A|\r\n|B|");
  EXPECT_EQ(boundaries(U"\u4E2D\u4E2Da"), "|**|a|");          // a run of kanji
  EXPECT_EQ(boundaries(U"\u30A2\u3099\u30A2"), "|***|");      // katakana with a CJK mark
  EXPECT_EQ(boundaries(U"\u0301A \u0301A"), "|*|A| *|A|");    // marks join what precedes
  EXPECT_EQ(boundaries(U"\u200DA\u200D\u200DB"), "|*A**B|");  // Cf is invisible
}

TEST(JavaWordBreak, FindsTheSegmentOfACodePointInAWordAfterASpace) {
  // Segmentation restarts after the space, where a boundary is sure; "1.5b" is one segment.
  const std::u32string text = U"a1.5b 1.5b";
  const Segment segment = segment_containing(text, text.size() - 1);
  EXPECT_EQ(segment.begin, 6u);
  EXPECT_EQ(segment.end, text.size());
}

}  // namespace
}  // namespace parafeat::java
