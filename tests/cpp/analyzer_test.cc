// The text analyzer against scikit-learn 1.9.1: every expected list below is what
//   CountVectorizer(analyzer=kind, ngram_range=(min_n, max_n), lowercase=lc).build_analyzer()(doc)
// returns, checked by hand against the rules in analyzer.cc.
#include "extractors/text/analyzer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/unicode.h"

namespace parafeat::text {
namespace {

using Terms = std::vector<std::string>;

Terms terms_of(const Analyzer& analyzer, std::string_view document, TextForm form) {
  AnalyzerScratch scratch;
  const Status status = analyzer.analyze(document, form, scratch);
  EXPECT_TRUE(status.ok()) << status.to_string();
  return Terms(scratch.terms().begin(), scratch.terms().end());
}

// The terms of `document`. A lowering analyzer must give the same terms for the document lowered
// already (TextForm::kPythonLower, as a source of Python strs gives it), which is checked too.
Terms analyze(AnalyzerKind kind, std::string_view document, int min_n = 1, int max_n = 1,
              bool lowercase = true) {
  const Analyzer analyzer(AnalyzerOptions{
      .kind = kind, .lowercase = lowercase, .ngram_min = min_n, .ngram_max = max_n});
  Terms terms = terms_of(analyzer, document, TextForm::kAsGiven);
  if (lowercase) {
    std::string lowered;
    EXPECT_TRUE(unicode::append_python_lower(document, lowered).ok());
    EXPECT_EQ(terms_of(analyzer, lowered, TextForm::kPythonLower), terms);
  }
  return terms;
}

Terms words(std::string_view document, int min_n = 1, int max_n = 1) {
  return analyze(AnalyzerKind::kWord, document, min_n, max_n);
}
Terms chars(std::string_view document, int min_n = 1, int max_n = 1) {
  return analyze(AnalyzerKind::kChar, document, min_n, max_n);
}
Terms padded_chars(std::string_view document, int min_n = 1, int max_n = 1) {
  return analyze(AnalyzerKind::kCharWb, document, min_n, max_n);
}

// ----- word ---------------------------------------------------------------------------------

TEST(WordAnalyzer, TokensAreLowercasedRunsOfTwoOrMoreWordCharacters) {
  EXPECT_EQ(words("Hello, World! a I x_y 42 b2b"), (Terms{"hello", "world", "x_y", "42", "b2b"}));
}

TEST(WordAnalyzer, NgramsListUnigramsThenBigramsJoinedBySingleSpaces) {
  EXPECT_EQ(words("The quick  brown\tfox", 1, 2),
            (Terms{"the", "quick", "brown", "fox", "the quick", "quick brown", "brown fox"}));
}

TEST(WordAnalyzer, NgramsGoInOrderOfNThenPosition) {
  EXPECT_EQ(words("alpha beta gamma delta", 1, 3),
            (Terms{"alpha", "beta", "gamma", "delta", "alpha beta", "beta gamma", "gamma delta",
                   "alpha beta gamma", "beta gamma delta"}));
}

TEST(WordAnalyzer, NgramMinAboveOneSkipsUnigramsAndShortTokens) {
  EXPECT_EQ(words("a bb cc dd", 2, 3), (Terms{"bb cc", "cc dd", "bb cc dd"}));
}

TEST(WordAnalyzer, NgramSizeStopsAtTheNumberOfTokens) {
  EXPECT_EQ(words("one two", 2, 4), (Terms{"one two"}));
  EXPECT_EQ(words("one", 2, 4), Terms{});
}

TEST(WordAnalyzer, EmptyAndWhitespaceOnlyDocumentsHaveNoTerms) {
  EXPECT_EQ(words("", 1, 3), Terms{});
  EXPECT_EQ(words(" \t\n ", 1, 2), Terms{});
}

TEST(WordAnalyzer, KeepsCaseWhenLowercaseIsOff) {
  EXPECT_EQ(analyze(AnalyzerKind::kWord, "ABC Def", 1, 1, false), (Terms{"ABC", "Def"}));
}

TEST(WordAnalyzer, LowercasesTheWholeDocumentBeforeTokenizing) {
  // İ lowers to "i" + U+0307 COMBINING DOT ABOVE, which is not \w: the "i" is left alone.
  EXPECT_EQ(words("\u0130STANBUL"), (Terms{"stanbul"}));
  EXPECT_EQ(words("\u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3."),       // ΟΔΟΣ ΟΔΟΣ.
            (Terms{"\u03bf\u03b4\u03bf\u03c2", "\u03bf\u03b4\u03bf\u03c2"}));  // οδος with ς
}

TEST(WordAnalyzer, NumericCharactersAreWordButLoneOnesAreTooShort) {
  EXPECT_EQ(words("x\u00b2 \u00bd 3.14 \u2460\u2461"),  // x² ½ 3.14 ①②
            (Terms{"x\u00b2", "14", "\u2460\u2461"}));
}

TEST(WordAnalyzer, CjkRunsAreSingleTokens) {
  EXPECT_EQ(words("\u4e2d\u6587 \u65e5\u672c\u8a9e"),  // 中文 日本語
            (Terms{"\u4e2d\u6587", "\u65e5\u672c\u8a9e"}));
}

TEST(WordAnalyzer, CombiningMarksSplitTokens) {
  // "cafe" + U+0301 (decomposed é): the mark is not \w. Precomposed ï stays inside the word.
  EXPECT_EQ(words("cafe\u0301 na\u00efve"), (Terms{"cafe", "na\u00efve"}));
}

TEST(WordAnalyzer, EmojiAreNotWordCharacters) {
  EXPECT_EQ(words("I \u2764\ufe0f \U0001F355 pizza!"), (Terms{"pizza"}));
}

// ----- char ---------------------------------------------------------------------------------

TEST(CharAnalyzer, FoldsWhitespaceRunsButKeepsASingleTabOrNewline) {
  EXPECT_EQ(chars("a\tb  c\n\nd"), (Terms{"a", "\t", "b", " ", "c", " ", "d"}));
  // A single non-ASCII space stays; U+0020 + U+3000 fold into one " ".
  EXPECT_EQ(chars("a \u3000b\u00a0c"), (Terms{"a", " ", "b", "\u00a0", "c"}));
}

TEST(CharAnalyzer, NgramsCountCodePointsNotBytes) {
  EXPECT_EQ(chars("\u03a9\u03bc\u03ad\u03b3\u03b1", 2, 3),  // Ωμέγα, lowered to ωμέγα
            (Terms{"\u03c9\u03bc", "\u03bc\u03ad", "\u03ad\u03b3", "\u03b3\u03b1",
                   "\u03c9\u03bc\u03ad", "\u03bc\u03ad\u03b3", "\u03ad\u03b3\u03b1"}));
}

TEST(CharAnalyzer, NgramSizeStopsAtTheTextLength) {
  EXPECT_EQ(chars("abc", 1, 5), (Terms{"a", "b", "c", "ab", "bc", "abc"}));
}

TEST(CharAnalyzer, DocumentShorterThanNHasNoTerms) {
  EXPECT_EQ(chars("ab", 3, 5), Terms{});
}

TEST(CharAnalyzer, EmptyAndWhitespaceOnlyDocuments) {
  EXPECT_EQ(chars("", 1, 3), Terms{});
  EXPECT_EQ(chars(" \t\n ", 1, 2), (Terms{" "}));
  EXPECT_EQ(chars("\t", 1, 2), (Terms{"\t"}));
}

TEST(CharAnalyzer, EmojiSequencesAreSeveralCodePoints) {
  // 🍕 then ❤ + U+FE0F VARIATION SELECTOR-16.
  EXPECT_EQ(chars("\U0001F355\u2764\ufe0f", 1, 2),
            (Terms{"\U0001F355", "\u2764", "\ufe0f", "\U0001F355\u2764", "\u2764\ufe0f"}));
}

TEST(CharAnalyzer, ChoosesFinalSigmaFromTheWholeDocument) {
  EXPECT_EQ(chars("\u03a3\u0391\u03a3"), (Terms{"\u03c3", "\u03b1", "\u03c2"}));  // ΣΑΣ
}

// ----- char_wb ------------------------------------------------------------------------------

TEST(CharWbAnalyzer, PadsEachWordWithSpaces) {
  EXPECT_EQ(padded_chars("ab cd", 2, 3),
            (Terms{" a", "ab", "b ", " ab", "ab ", " c", "cd", "d ", " cd", "cd "}));
}

TEST(CharWbAnalyzer, CharWbStopsAtWordsShorterThanN) {
  // " a " (3 code points) is emitted whole for n = 3, then larger n are skipped for it.
  EXPECT_EQ(padded_chars("a bcd", 3, 5),
            (Terms{" a ", " bc", "bcd", "cd ", " bcd", "bcd ", " bcd "}));
  // With n = 1..4 the short word stops at n = 3; the longer one runs through n = 4.
  EXPECT_EQ(padded_chars("a bcd", 1, 4),
            (Terms{" ", "a",  " ",  " a", "a ", " a ", " ",   "b",   "c",    "d",
                   " ", " b", "bc", "cd", "d ", " bc", "bcd", "cd ", " bcd", "bcd "}));
}

TEST(CharWbAnalyzer, SplitsOnAnyWhitespaceRun) {
  EXPECT_EQ(padded_chars("hi  there\n", 4, 4), (Terms{" hi ", " the", "ther", "here", "ere "}));
}

TEST(CharWbAnalyzer, EmptyAndWhitespaceOnlyDocumentsHaveNoTerms) {
  EXPECT_EQ(padded_chars("", 1, 3), Terms{});
  EXPECT_EQ(padded_chars(" \t\n ", 1, 2), Terms{});
  EXPECT_EQ(padded_chars("\t", 1, 2), Terms{});
}

TEST(CharWbAnalyzer, CombiningMarksAndEmojiModifiersAreCodePointsOfTheirOwn) {
  // "e" + U+0301, "t", precomposed é.
  EXPECT_EQ(padded_chars("e\u0301t\u00e9", 2, 2),
            (Terms{" e", "e\u0301", "\u0301t", "t\u00e9", "\u00e9 "}));
  // 👍 + U+1F3FD skin tone modifier.
  EXPECT_EQ(padded_chars("\U0001F44D\U0001F3FD ok", 2, 2),
            (Terms{" \U0001F44D", "\U0001F44D\U0001F3FD", "\U0001F3FD ", " o", "ok", "k "}));
}

TEST(CharWbAnalyzer, ChoosesFinalSigmaFromTheWholeDocument) {
  EXPECT_EQ(padded_chars("\u03a3\u0391\u03a3"), (Terms{" ", "\u03c3", "\u03b1", "\u03c2", " "}));
}

// ----- all kinds ----------------------------------------------------------------------------

TEST(Analyzer, RejectsInvalidUtf8NamingTheByteOffset) {
  for (AnalyzerKind kind : {AnalyzerKind::kWord, AnalyzerKind::kChar, AnalyzerKind::kCharWb}) {
    for (bool lowercase : {true, false}) {
      const Analyzer analyzer(AnalyzerOptions{.kind = kind, .lowercase = lowercase});
      AnalyzerScratch scratch;
      const Status status = analyzer.analyze("ok \xff", TextForm::kAsGiven, scratch);
      EXPECT_EQ(status.code(), StatusCode::kInvalid);
      EXPECT_EQ(status.message(), "invalid UTF-8 at byte offset 3 (byte 0xff: invalid start byte)");
    }
  }
}

TEST(Analyzer, ReusedScratchHoldsOnlyTheLastDocumentsTerms) {
  const Analyzer analyzer(AnalyzerOptions{.kind = AnalyzerKind::kWord, .ngram_max = 2});
  AnalyzerScratch scratch;
  ASSERT_TRUE(analyzer.analyze("first document here", TextForm::kAsGiven, scratch).ok());
  ASSERT_TRUE(analyzer.analyze("Second Doc", TextForm::kAsGiven, scratch).ok());
  EXPECT_EQ(Terms(scratch.terms().begin(), scratch.terms().end()),
            (Terms{"second", "doc", "second doc"}));
  ASSERT_FALSE(analyzer.analyze("bad \xc3", TextForm::kAsGiven, scratch).ok());
  ASSERT_TRUE(analyzer.analyze("", TextForm::kAsGiven, scratch).ok());
  EXPECT_TRUE(scratch.terms().empty());
}

TEST(Analyzer, PrefersLoweredTextExactlyWhenItLowers) {
  EXPECT_EQ(Analyzer(AnalyzerOptions{.lowercase = true}).preferred_text_form(),
            TextForm::kPythonLower);
  EXPECT_EQ(Analyzer(AnalyzerOptions{.lowercase = false}).preferred_text_form(),
            TextForm::kAsGiven);
}

TEST(Analyzer, LoweredTextIsUsedAsItIs) {
  // Given as lowered, text is not lowered again: capitals left in it stay (no source gives such
  // text; this shows the pass is skipped).
  const Analyzer analyzer(AnalyzerOptions{.kind = AnalyzerKind::kWord});
  EXPECT_EQ(terms_of(analyzer, "ABC def", TextForm::kPythonLower), (Terms{"ABC", "def"}));
  EXPECT_EQ(terms_of(analyzer, "ABC def", TextForm::kAsGiven), (Terms{"abc", "def"}));
}

TEST(Analyzer, RejectsLoweredTextWhenItDoesNotLower) {
  for (AnalyzerKind kind : {AnalyzerKind::kWord, AnalyzerKind::kChar, AnalyzerKind::kCharWb}) {
    const Analyzer analyzer(AnalyzerOptions{.kind = kind, .lowercase = false});
    AnalyzerScratch scratch;
    EXPECT_EQ(analyzer.analyze("text", TextForm::kPythonLower, scratch).code(),
              StatusCode::kInternal);
  }
}

TEST(Analyzer, TermsStayValidForLongDocuments) {
  // Many terms force the scratch buffers to grow; every view must still read the right text.
  std::string document;
  for (int i = 0; i < 2000; ++i) {
    document += "Word" + std::to_string(i) + " ";
  }
  const Terms word_terms = analyze(AnalyzerKind::kWord, document, 1, 3);
  ASSERT_EQ(word_terms.size(), 5997U);
  EXPECT_EQ(word_terms.front(), "word0");
  EXPECT_EQ(word_terms.back(), "word1997 word1998 word1999");
  const Terms char_terms = analyze(AnalyzerKind::kChar, document, 1, 3);
  ASSERT_EQ(char_terms.size(), 50667U);
  EXPECT_EQ(char_terms.front(), "w");
  EXPECT_EQ(char_terms.back(), "99 ");
  const Terms padded_terms = analyze(AnalyzerKind::kCharWb, document, 1, 3);
  ASSERT_EQ(padded_terms.size(), 50670U);
  EXPECT_EQ(padded_terms.front(), " ");
  EXPECT_EQ(padded_terms.back(), "99 ");
}

TEST(Analyzer, RunsCrossingAsciiBlockBoundariesAreFoundWhole) {
  // ASCII text is classified 64 bytes at a time; runs may start, end or continue across those
  // blocks and into text that is not ASCII.
  const std::string a70(70, 'a');
  const std::string c62(62, 'c');
  EXPECT_EQ(words(a70 + " b " + std::string(62, 'C') + "\u00e9d  e"),
            (Terms{a70, c62 + "\u00e9d"}));

  const std::string x63(63, 'x');
  const std::string z60(60, 'z');
  const std::string document = x63 + "   y\t" + z60 + "\t\t";
  Terms expected(63, "x");
  for (const char* term : {" ", "y", "\t"}) {
    expected.push_back(term);
  }
  expected.insert(expected.end(), 60, "z");
  expected.push_back(" ");
  EXPECT_EQ(chars(document), expected);
  EXPECT_EQ(padded_chars(document, 64, 66),
            (Terms{" " + x63, x63 + " ", " " + x63 + " ", " y ", " " + z60 + " "}));
}

// The code points of valid UTF-8 `text`, each as its own string.
std::vector<std::string> code_points(std::string_view text) {
  std::vector<std::string> points;
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t cp = 0;
    const int length = unicode::decode_utf8(text, pos, cp);
    EXPECT_GT(length, 0);
    points.emplace_back(text.substr(pos, static_cast<std::size_t>(length)));
    pos += static_cast<std::size_t>(length);
  }
  return points;
}

bool point_is(std::string_view point, bool (*in_class)(char32_t)) {
  char32_t cp = 0;
  unicode::decode_utf8(point, 0, cp);
  return in_class(cp);
}

// The runs of `points` in or out of a class, code point by code point: the slow, obvious way.
std::vector<std::vector<std::string>> reference_runs(const std::vector<std::string>& points,
                                                     bool (*in_class)(char32_t), bool inside) {
  std::vector<std::vector<std::string>> runs;
  bool in_run = false;
  for (const std::string& point : points) {
    if (point_is(point, in_class) == inside) {
      if (!in_run) runs.emplace_back();
      runs.back().push_back(point);
      in_run = true;
    } else {
      in_run = false;
    }
  }
  return runs;
}

std::string concatenated(const std::vector<std::string>& points) {
  std::string text;
  for (const std::string& point : points) text += point;
  return text;
}

// What each analyzer must return for `document` (lowercase off), computed code point by code
// point: word tokens, char unigrams after folding, and char_wb's whole padded words.
Terms reference_words(std::string_view document) {
  Terms terms;
  for (const auto& run : reference_runs(code_points(document), unicode::is_word, true)) {
    if (run.size() >= 2) terms.push_back(concatenated(run));
  }
  return terms;
}
Terms reference_folded_chars(std::string_view document) {
  Terms terms;
  bool in_space_run = false;
  for (const std::string& point : code_points(document)) {
    const bool space = point_is(point, unicode::is_space);
    if (space && in_space_run) {
      terms.back() = " ";  // the run has two or more: it becomes one " "
      continue;
    }
    terms.push_back(point);
    in_space_run = space;
  }
  return terms;
}
Terms reference_padded_words(std::string_view document) {
  Terms terms;
  for (const auto& run : reference_runs(code_points(document), unicode::is_space, false)) {
    terms.push_back(" " + concatenated(run) + " ");
  }
  return terms;
}

TEST(Analyzer, MultiByteCodePointsStraddlingBlockBoundariesKeepTheirClass) {
  // Every kind of piece (word or not, space or not, 1 to 4 bytes) is put at every offset around
  // the 64-byte block boundaries, including pieces that straddle them.
  std::vector<std::string> pieces = {"a", "Z", "_", "7", " ", "\t", "."};  // ASCII of each class
  const char* const multi_byte[] = {
      "\u00e9",      // é: word, 2 bytes
      "\u0301",      // combining acute: not word, 2 bytes
      "\u0085",      // NEL: space, 2 bytes
      "\u4e2d",      // 中: word, 3 bytes
      "\u3000",      // ideographic space: space, 3 bytes
      "\u2014",      // em dash: neither, 3 bytes
      "\U0001F600",  // 😀: neither, 4 bytes
      "\U00010400",  // 𐐀: word, 4 bytes
  };
  pieces.insert(pieces.end(), std::begin(multi_byte), std::end(multi_byte));
  std::mt19937 random(7);
  for (int trial = 0; trial < 400; ++trial) {
    std::string document;
    const std::size_t target = 1 + random() % 300;
    while (document.size() < target) {
      document += pieces[random() % pieces.size()];
    }
    const std::string& where = document;
    EXPECT_EQ(analyze(AnalyzerKind::kWord, document, 1, 1, false), reference_words(document))
        << where;
    EXPECT_EQ(analyze(AnalyzerKind::kChar, document, 1, 1, false), reference_folded_chars(document))
        << where;
    EXPECT_EQ(analyze(AnalyzerKind::kCharWb, document, 1000, 1000, false),
              reference_padded_words(document))
        << where;
  }
}

TEST(Analyzer, RunsOfMultiByteCodePointsCrossingBlocksCountCodePoints) {
  // A lone 2-, 3- or 4-byte word character is one code point, not a token, wherever it falls;
  // two of them are a token.
  for (const std::string point : {"\u00e9", "\u4e2d", "\U00020000"}) {  // é 中 𠀀
    for (std::size_t offset = 56; offset < 72; ++offset) {
      const std::string prefix = std::string(offset, '.');
      EXPECT_EQ(words(prefix + point + "." + std::string(70, '-')), Terms{}) << offset;
      EXPECT_EQ(words(prefix + point + point + "." + std::string(70, '-')), (Terms{point + point}))
          << offset;
    }
  }
}

TEST(AnalyzerOptions, NgramRangeMustBePositiveAndOrdered) {
  EXPECT_TRUE(validate_analyzer_options(AnalyzerOptions{}).ok());
  EXPECT_TRUE(validate_analyzer_options(AnalyzerOptions{.ngram_min = 2, .ngram_max = 2}).ok());
  const Status reversed =
      validate_analyzer_options(AnalyzerOptions{.ngram_min = 2, .ngram_max = 1});
  EXPECT_EQ(reversed.code(), StatusCode::kInvalid);
  EXPECT_EQ(reversed.message(), "ngram_range must satisfy 1 <= min_n <= max_n, got (2, 1)");
  EXPECT_FALSE(validate_analyzer_options(AnalyzerOptions{.ngram_min = 0, .ngram_max = 1}).ok());
}

}  // namespace
}  // namespace parafeat::text
