// TermCutter: how a counting vectorizer cuts a document into terms, either scikit-learn's
// analyzer (compat="sklearn") or Spark ML's Tokenizer/RegexTokenizer (compat="spark"). Counting
// (CountKernel) and fitting (count_corpus) run on it and need not know which.
#pragma once

#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "extractors/text/analyzer.h"
#include "extractors/text/spark_tokenizer.h"
#include "parafeat/status.h"

namespace parafeat::text {

/// Per-thread working memory of TermCutter::cut(); reuse one per morsel.
class TermCutterScratch {
 public:
  /// The terms of the last document cut, UTF-8, valid until the next cut() call.
  const std::vector<std::string_view>& terms() const {
    return spark_ ? tokens_.tokens() : analysis_.terms();
  }

 private:
  friend class TermCutter;
  AnalyzerScratch analysis_;
  SparkTokenizerScratch tokens_;
  bool spark_ = false;  // whether the last cut() was Spark's
};

/// Cuts documents into terms with an Analyzer or a SparkTokenizer. Immutable, safe to share.
class TermCutter {
 public:
  /// Cuts as scikit-learn's analyzer does.
  explicit TermCutter(Analyzer analyzer) : cutter_(std::move(analyzer)) {}
  /// Cuts as Spark's Tokenizer or RegexTokenizer does.
  explicit TermCutter(SparkTokenizer tokenizer) : cutter_(tokenizer) {}

  /// Cuts `document` (UTF-8, in `form`) into scratch.terms(), in order; Invalid when it is not
  /// UTF-8, Internal for a form other than kAsGiven or preferred_text_form().
  Status cut(std::string_view document, TextForm form, TermCutterScratch& scratch) const;
  /// The form of text cut() reads fastest (see Extractor::preferred_text_form()).
  TextForm preferred_text_form() const {
    const Analyzer* words = analyzer();
    return words ? words->preferred_text_form() : TextForm::kAsGiven;
  }
  /// The scikit-learn analyzer this cutter runs, or null for Spark's tokenizer.
  const Analyzer* analyzer() const { return std::get_if<Analyzer>(&cutter_); }

 private:
  std::variant<Analyzer, SparkTokenizer> cutter_;
};

}  // namespace parafeat::text
