// java::append_lower reproduces java.lang.String.toLowerCase() on JDK 17 (the JDK Spark 4 runs
// on, in an English locale). Expected strings were produced by JDK 17.0.15 itself, or by Spark
// 4.3.0's Tokenizer, which lower-cases with it; where Python's str.lower() differs it is named.
#include "common/java_lower.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

TEST(JavaLower, FinalSigmaFollowsTheJdkAfterSurrogatePairsAndU_FFFF) {
  EXPECT_EQ(lower("x\U0001D400Σ"), "x\U0001D400σ");
  EXPECT_EQ(lower("\U00010400Σ"), "\U00010428ς");
  EXPECT_EQ(lower("\u2160\uFFFF\U0001D400Σ"), "\u2170\uFFFF\U0001D400ς");
}

TEST(JavaLower, ALongWordOfSigmasTakesLinearTime) {
  // Every sigma of one word of 50,000: the JDK re-scans the word for each (quadratic); the
  // shared WordBreakMemo makes each scan once. Only the last sigma is final.
  std::string sigmas;
  std::string expected;
  for (int i = 0; i < 50'000; ++i) {
    sigmas += "Σ";
    expected += i + 1 < 50'000 ? "σ" : "ς";
  }
  EXPECT_EQ(lower(sigmas), expected);
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

// `text` with a '|' where BreakIterator.isBoundary() says so, asked for 0, 1, ..., size() in
// turn as the probes on the JDK did (the answers may depend on the questions before); each
// non-ASCII UTF-16 unit shows as '*'.
std::string boundaries(std::u16string_view text) {
  WordBreakMemo memo;
  WordBreakIterator words(text, memo);
  std::string marked;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (words.is_boundary(i)) marked += '|';
    if (i < text.size()) marked += text[i] < 0x80 ? static_cast<char>(text[i]) : '*';
  }
  return marked;
}

TEST(JavaWordBreak, SegmentsLikeTheJdksWordBreakIterator) {
  // Each expectation is what java.text.BreakIterator.getWordInstance() reports on JDK 17.
  EXPECT_EQ(boundaries(u"ab cd"), "|ab| |cd|");
  EXPECT_EQ(boundaries(u"A_B A$B A1B a1.5b"), "|A_B| |A|$|B| |A1B| |a1.5b|");
  EXPECT_EQ(boundaries(u"A.B A..B A:B"), "|A.B| |A|.|.|B| |A|:|B|");
  EXPECT_EQ(boundaries(u"$1x 1,000%x $.5"), "|$1x| |1,000%|x| |$|.5|");
  EXPECT_EQ(boundaries(u"A\r\nB"), "|A|\r\n|B|");
  EXPECT_EQ(boundaries(u"\u4E2D\u4E2Da"), "|**|a|");          // a run of kanji
  EXPECT_EQ(boundaries(u"\u30A2\u3099\u30A2"), "|***|");      // katakana with a CJK mark
  EXPECT_EQ(boundaries(u"\u0301A \u0301A"), "|*|A| *|A|");    // marks join what precedes
  EXPECT_EQ(boundaries(u"\u200DA\u200D\u200DB"), "|*A**B|");  // Cf is invisible
  EXPECT_EQ(boundaries(u"A\u00AD\u00ADB"), "|A|*|*|B|");      // but U+00AD is a mid-word mark
}

TEST(JavaWordBreak, ReportsTheJdksBoundariesAfterSurrogatePairs) {
  // isBoundary() just after a supplementary code point backs up from its second half; the JDK
  // then finds a boundary its forward segmentation has not, unless the pair starts the text.
  EXPECT_EQ(boundaries(u"a\U00010400\u03A3"), "|a**|*|");
  EXPECT_EQ(boundaries(u"\U00010400\u03A3"), "|***|");
  EXPECT_EQ(boundaries(u"\U00010400\U00010400\U00010400"), "|****|**|");
}

}  // namespace
}  // namespace parafeat::java
