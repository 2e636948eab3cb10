// Spark ML's Tokenizer and RegexTokenizer (pyspark.ml.feature), which lower-case a document with
// Java's String.toLowerCase() and cut it with a Java regular expression: Tokenizer splits on
// "\\s" and keeps every piece, RegexTokenizer splits on (gaps) or matches (no gaps) its pattern
// and drops pieces shorter than minTokenLength UTF-16 code units. Shared by the Spark-mode text
// extractors.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/java_lower.h"
#include "parafeat/column.h"
#include "parafeat/status.h"

namespace parafeat::text {

/// RegexTokenizer's parameters; Tokenizer is RegexTokenizer with pattern "\\s", gaps, no minimum
/// length and lower-casing.
struct SparkTokenizerOptions {
  std::string pattern = R"(\s+)";     ///< a Java regex; see SparkPattern for what is supported
  bool gaps = true;                   ///< split on matches (true) or keep the matches (false)
  std::int64_t min_token_length = 1;  ///< in UTF-16 code units, as Java's String.length()
  bool to_lowercase = true;
};

/// The options equivalent to Spark's Tokenizer.
SparkTokenizerOptions spark_tokenizer_options();

/// The Java regexes parafeat runs: one character class, alone or followed by '+'. The class is
/// \s, \S, \w, \W, \d or \D (ASCII-only in Java by default), an escaped or plain ASCII character,
/// or a bracket expression [...] / [^...] of those and of ASCII ranges such as a-z.
class SparkPattern {
 public:
  /// Parses `pattern`; anything outside the subset above is NotImplemented naming it as `name`.
  static Result<SparkPattern> parse(std::string_view pattern, std::string_view name);

  /// Whether one code point matches the class.
  bool matches(char32_t cp) const { return cp < 0x80 ? ascii_[cp] : non_ascii_; }
  /// Whether the class repeats ('+'): a match is then a maximal run of matching code points.
  bool repeats() const { return repeats_; }

 private:
  std::bitset<0x80> ascii_;
  bool non_ascii_ = false;  // whether every code point >= U+0080 matches (negated classes)
  bool repeats_ = false;
};

/// Per-thread working memory of SparkTokenizer::tokenize().
class SparkTokenizerScratch {
 public:
  /// The tokens of the last document, UTF-8, valid until the next tokenize() call.
  const std::vector<std::string_view>& tokens() const { return tokens_; }

 private:
  friend class SparkTokenizer;
  java::LowerScratch lower_;
  std::string lowered_;
  std::vector<std::string_view> tokens_;
};

/// Cuts documents into tokens as Spark's RegexTokenizer does. Immutable and safe to share.
class SparkTokenizer {
 public:
  /// Validates `options` (min_token_length must be >= 0); `pattern_name` names the pattern in
  /// error messages, e.g. "spark_hashing_tf: pattern".
  static Result<SparkTokenizer> make(const SparkTokenizerOptions& options,
                                     std::string_view pattern_name);

  /// Tokenizes `document` (UTF-8, `form`) into scratch.tokens(), in order. Returns Invalid naming
  /// the byte offset when `document` is not valid UTF-8, Internal for a form other than
  /// TextForm::kAsGiven (Spark's lower case is Java's, not Python's).
  Status tokenize(std::string_view document, TextForm form, SparkTokenizerScratch& scratch) const;

 private:
  SparkTokenizer(SparkPattern pattern, const SparkTokenizerOptions& options)
      : pattern_(pattern),
        gaps_(options.gaps),
        min_token_length_(options.min_token_length),
        to_lowercase_(options.to_lowercase) {}

  SparkPattern pattern_;
  bool gaps_;
  std::int64_t min_token_length_;
  bool to_lowercase_;
};

}  // namespace parafeat::text
