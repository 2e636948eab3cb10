// SparkTokenizer reproduces pyspark.ml.feature's Tokenizer and RegexTokenizer. The expected
// token lists were produced by Spark 4.3.0 (local session, JDK 17) on the same documents.
#include "extractors/text/spark_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace parafeat::text {
namespace {

using Tokens = std::vector<std::string>;

Tokens tokenize(const SparkTokenizerOptions& options, std::string_view document) {
  Result<SparkTokenizer> tokenizer = SparkTokenizer::make(options, "pattern");
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status().to_string();
  SparkTokenizerScratch scratch;
  const Status status = tokenizer.value().tokenize(document, TextForm::kAsGiven, scratch);
  EXPECT_TRUE(status.ok()) << status.to_string();
  return {scratch.tokens().begin(), scratch.tokens().end()};
}

SparkTokenizerOptions regex(std::string pattern, bool gaps = true, std::int64_t min_length = 1,
                            bool to_lowercase = true) {
  return {.pattern = std::move(pattern),
          .gaps = gaps,
          .min_token_length = min_length,
          .to_lowercase = to_lowercase};
}

TEST(SparkTokenizer, TokenizerSplitsOnEachAsciiWhitespaceCharacterKeepingEmptyTokens) {
  const SparkTokenizerOptions tokenizer = spark_tokenizer_options();
  EXPECT_EQ(tokenize(tokenizer, "  Hello\tWORLD  "), (Tokens{"", "", "hello", "world"}));
  EXPECT_EQ(tokenize(tokenizer, "a  b"), (Tokens{"a", "", "b"}));
  EXPECT_EQ(tokenize(tokenizer, ""), (Tokens{""}));   // no match: the whole (empty) text
  EXPECT_EQ(tokenize(tokenizer, "   "), (Tokens{}));  // only empty pieces, all trailing
  // \x0B splits; \x1C, U+00A0, U+2003 and U+0085 are not Java's \s.
  EXPECT_EQ(tokenize(tokenizer, "x\x0By\x1Cz\u00A0w\u2003v\u0085u"),
            (Tokens{"x", "y\x1Cz\u00A0w\u2003v\u0085u"}));
}

TEST(SparkTokenizer, TokenizerLowerCasesTheWholeDocumentWithJava) {
  EXPECT_EQ(tokenize(spark_tokenizer_options(), "AΣ.B A.Σ AΣ..B \u0130STANBUL"),
            (Tokens{"aσ.b", "a.ς", "aς..b", "i\u0307stanbul"}));
}

TEST(SparkTokenizer, RegexTokenizerDefaultsSplitOnWhitespaceRunsAndDropEmptyTokens) {
  const SparkTokenizerOptions defaults;
  EXPECT_EQ(tokenize(defaults, "  Hello\tWORLD  "), (Tokens{"hello", "world"}));
  EXPECT_EQ(tokenize(defaults, ""), (Tokens{}));
  EXPECT_EQ(tokenize(defaults, "ΟΔΟΣ ΟΔΟΣ."), (Tokens{"οδος", "οδος."}));
}

TEST(SparkTokenizer, RegexTokenizerKeepsMatchesWithoutGaps) {
  EXPECT_EQ(tokenize(regex(R"(\w+)", false), "Hi, there_1 é!"), (Tokens{"hi", "there_1"}));
  EXPECT_EQ(tokenize(regex(R"([^,;\s]+)", false), "a,b; c"), (Tokens{"a", "b", "c"}));
}

TEST(SparkTokenizer, MinTokenLengthCountsUtf16CodeUnits) {
  // "é" is one code unit, an emoji two.
  EXPECT_EQ(tokenize(regex(R"(\s+)", true, 2), "a é ab \U0001F600"), (Tokens{"ab", "\U0001F600"}));
}

TEST(SparkTokenizer, ToLowercaseFalseKeepsCase) {
  EXPECT_EQ(tokenize(regex("[,]", true, 0, false), "A,,B"), (Tokens{"A", "", "B"}));
}

TEST(SparkTokenizer, PatternClassesFollowJavaAsciiDefinitions) {
  // \W and [^...] match every non-ASCII code point; \s and \d only ASCII ones.
  EXPECT_EQ(tokenize(regex(R"(\W)"), "aé-b"), (Tokens{"a", "b"}));
  EXPECT_EQ(tokenize(regex(R"(\d+)"), "a1٣2b"), (Tokens{"a", "٣", "b"}));
  EXPECT_EQ(tokenize(regex("[a-c]"), "xaybz"), (Tokens{"x", "y", "z"}));
  EXPECT_EQ(tokenize(regex(R"(\.)"), "x.y"), (Tokens{"x", "y"}));
  EXPECT_EQ(tokenize(regex(R"([\t ])"), "x y\tz\nw"), (Tokens{"x", "y", "z\nw"}));
}

TEST(SparkTokenizer, OtherPatternsAreNotImplementedAndNamed) {
  for (const std::string_view pattern :
       {"a|b", "", "\\s*", "(\\s)", "[\\s&&[^ ]]", "[]", "\\p{L}", "é", "\\s+?", "ab"}) {
    Result<SparkTokenizer> tokenizer =
        SparkTokenizer::make(regex(std::string(pattern)), "spark_hashing_tf: pattern");
    ASSERT_FALSE(tokenizer.ok()) << pattern;
    EXPECT_EQ(tokenizer.status().code(), StatusCode::kNotImplemented);
    EXPECT_NE(tokenizer.status().message().find("spark_hashing_tf: pattern='"), std::string::npos)
        << tokenizer.status().message();
  }
}

TEST(SparkTokenizer, RejectsInvalidUtf8WithOrWithoutLowerCasing) {
  for (const bool to_lowercase : {true, false}) {
    Result<SparkTokenizer> tokenizer =
        SparkTokenizer::make(regex(R"(\s+)", true, 1, to_lowercase), "pattern");
    ASSERT_TRUE(tokenizer.ok());
    SparkTokenizerScratch scratch;
    EXPECT_EQ(tokenizer.value().tokenize("a \xFF", TextForm::kAsGiven, scratch).code(),
              StatusCode::kInvalid);
  }
}

}  // namespace
}  // namespace parafeat::text
