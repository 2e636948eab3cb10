// Accent stripping equals scikit-learn's strip_accents_ascii / strip_accents_unicode (expected
// strings computed with Python 3.11's unicodedata).
#include "common/accents.h"

#include <gtest/gtest.h>

#include <string>

namespace parafeat::unicode {
namespace {

std::string strip(std::string_view text, AccentStripping mode) {
  std::string out = "prefix:";
  append_without_accents(text, mode, out);
  return out.substr(7);
}

TEST(Accents, UnicodeModeDecomposesAndDropsCombiningMarks) {
  EXPECT_EQ(strip("Crème Brûlée", AccentStripping::kUnicode), "Creme Brulee");
  EXPECT_EQ(strip("e\u0301te\u0301", AccentStripping::kUnicode), "ete");
  // Compatibility decompositions: ligatures, fractions, superscripts, full-width letters.
  EXPECT_EQ(strip("ﬁ ½ ² Ａ", AccentStripping::kUnicode), "fi 1⁄2 2 A");
  // Characters without a decomposition stay, including non-Latin letters and emoji.
  EXPECT_EQ(strip("ßøæ 数据 😀", AccentStripping::kUnicode), "ßøæ 数据 😀");
  // Hangul syllables decompose into their jamo.
  EXPECT_EQ(strip("한", AccentStripping::kUnicode), "\u1112\u1161\u11ab");
}

TEST(Accents, AsciiModeKeepsOnlyAsciiOfTheDecomposition) {
  EXPECT_EQ(strip("Crème Brûlée", AccentStripping::kAscii), "Creme Brulee");
  EXPECT_EQ(strip("ﬁ ½ Ａ", AccentStripping::kAscii), "fi 12 A");
  EXPECT_EQ(strip("ßøæ 数据 😀 ok", AccentStripping::kAscii), "   ok");
}

TEST(Accents, AsciiTextIsUnchanged) {
  const std::string text = "plain ASCII text, 123 !";
  EXPECT_EQ(strip(text, AccentStripping::kAscii), text);
  EXPECT_EQ(strip(text, AccentStripping::kUnicode), text);
}

}  // namespace
}  // namespace parafeat::unicode
