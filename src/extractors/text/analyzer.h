// The text analyzer: turns one document into its terms (tokens or n-grams) exactly as
// scikit-learn's _VectorizerMixin.build_analyzer() does for analyzer="word" | "char" | "char_wb",
// with Python str.lower() and Python `re` Unicode semantics.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/accents.h"
#include "extractors/text/token_pattern.h"
#include "parafeat/column.h"
#include "parafeat/status.h"

namespace parafeat::text {

/// scikit-learn's `analyzer` choices that parafeat runs natively.
enum class AnalyzerKind : std::uint8_t { kWord, kChar, kCharWb };

/// How documents are cut into terms.
struct AnalyzerOptions {
  AnalyzerKind kind = AnalyzerKind::kWord;
  bool lowercase = true;  ///< Apply Python's str.lower() to the whole document first.
  /// Strip accents after lower-casing, as scikit-learn's strip_accents does (none if empty).
  std::optional<unicode::AccentStripping> strip_accents{};
  /// Tokens removed before word n-grams are formed (analyzer="word" only), compared after
  /// lower-casing and accent stripping, as scikit-learn's stop_words list is.
  std::vector<std::string> stop_words{};
  /// A custom token_pattern for analyzer="word"; null for scikit-learn's default
  /// (?u)\b\w\w+\b, which runs on a faster built-in scanner.
  std::shared_ptr<const TokenPattern> token_pattern{};
  int ngram_min = 1;  ///< ngram_range[0]; 1 <= ngram_min <= ngram_max.
  int ngram_max = 1;  ///< ngram_range[1].
};

/// OK when `options` is usable (1 <= ngram_min <= ngram_max), else Invalid saying why.
Status validate_analyzer_options(const AnalyzerOptions& options);

/// Per-thread working memory of an Analyzer; reuse one per morsel to avoid allocations.
class AnalyzerScratch {
 public:
  /// The terms of the last analyzed document, UTF-8, each valid until the next analyze() call.
  const std::vector<std::string_view>& terms() const { return terms_; }

 private:
  friend class Analyzer;
  std::string lowered_;                 // the document lowered, then whitespace-folded (char)
  std::string stripped_;                // the lowered document with accents stripped
  std::vector<std::uint32_t> offsets_;  // code point (char) or token (word) start offsets
  std::string joined_;                  // tokens joined by spaces (word), padded words (char_wb)
  std::vector<std::string_view> tokens_;
  std::vector<std::string_view> terms_;
};

/// Cuts documents into terms. Immutable and safe to share between threads.
class Analyzer {
 public:
  /// `options` must pass validate_analyzer_options() (checked in debug builds).
  explicit Analyzer(AnalyzerOptions options);

  const AnalyzerOptions& options() const { return options_; }

  /// The form of text analyze() reads fastest: lowered already when it lowers documents.
  TextForm preferred_text_form() const {
    return options_.lowercase ? TextForm::kPythonLower : TextForm::kAsGiven;
  }

  /// Analyzes `document` (UTF-8, in `form`) into scratch.terms(), in scikit-learn's order:
  /// - word: tokens matching (?u)\b\w\w+\b (or the custom token_pattern), then word n-grams
  ///   joined by " " (all n = min..max);
  /// - char: runs of 2+ whitespace folded to " ", then character n-grams;
  /// - char_wb: the same folding, then n-grams of each whitespace-separated word padded with " ".
  /// Returns Invalid naming the byte offset when `document` is not valid UTF-8, and Internal
  /// for text lowered already (TextForm::kPythonLower) when options().lowercase is false.
  Status analyze(std::string_view document, TextForm form, AnalyzerScratch& scratch) const;

 private:
  // The document as the analyzers read it: lowered (unless `form` says it is already) and with
  // accents stripped, as the options say; `document` itself when there is nothing to do.
  Result<std::string_view> prepare(std::string_view document, TextForm form,
                                   AnalyzerScratch& scratch) const;

  AnalyzerOptions options_;
};

}  // namespace parafeat::text
