// scikit-learn's CountVectorizer: documents to counts of the terms of a vocabulary. Fitting
// counts the corpus in parallel (count_corpus, counted_corpus.h); choosing the vocabulary from the
// counts is the caller's (the Python front does it with numpy, whose sort decides scikit-learn's
// max_features ties); the "count_vectorizer" extractor then counts the terms of a fitted or given
// vocabulary. With compat="spark" the same machinery reproduces Spark ML's CountVectorizer:
// documents are cut by Spark's Tokenizer or RegexTokenizer (spark_analysis_params.h) and counting
// drops terms below minTF (min_tf).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ascending_marks.h"
#include "common/param_reader.h"
#include "common/term_table.h"
#include "extractors/text/term_cutter.h"
#include "extractors/text/text_splitter.h"
#include "parafeat/extractor.h"

namespace parafeat::text {

/// The least count a term needs in a document to be counted there, as Spark's minTF: a count,
/// or a fraction of the document's tokens (those outside the vocabulary included).
struct MinTermFrequency {
  double value = 1.0;     ///< the count, or the fraction of the document's tokens
  bool fraction = false;  ///< whether value is a fraction
};

/// CountVectorizer's parameters (scikit-learn's names and defaults), validated.
struct CountVectorizerOptions {
  TermCutter cutter;          ///< scikit-learn's analyzer, or Spark's tokenizer (compat="spark")
  MinTermFrequency min_tf{};  ///< Spark's minTF; a count of 1 (no effect) in scikit-learn mode
  bool binary = false;
  FeatureDType dtype = FeatureDType::kInt64;
  /// The terms of the vocabulary, by column; empty when the vectorizer is not fitted yet.
  std::vector<std::string> vocabulary{};
  /// The parameters that decide which terms a document has, as canonical text: vocabulary
  /// states fitted under different specs must not be merged.
  std::string analysis_spec{};
};

/// Reads CountVectorizer's parameters from `reader` (over `params`): compat ("sklearn" or
/// "spark"), the analysis ones (see analyzer_params.h, or spark_analysis_params.h with
/// compat="spark"), max_df, min_df, max_features (validated here, applied by whoever chooses
/// the vocabulary), min_tf (an int count or a float fraction; with compat="spark" only, else
/// it must stay 1), vocabulary (a list of terms by column, or None), binary and dtype (default
/// `default_dtype`; TfidfVectorizer's differs). The caller finishes the reader.
Result<CountVectorizerOptions> read_count_vectorizer_options(ParamReader& reader,
                                                             const Params& params,
                                                             std::string_view default_dtype);

/// Every count_vectorizer parameter read and checked (unknown keys are errors): the options, and
/// the parameters with their defaults filled in.
struct CountVectorizerParams {
  CountVectorizerOptions options;
  Params resolved;
};

/// Reads `params` as count_vectorizer's, all of them.
Result<CountVectorizerParams> read_count_vectorizer_params(const Params& params);

/// The counting kernel of count_vectorizer (and tfidf_vectorizer): the counts of the
/// vocabulary's terms in one document, by ascending column, as CountVectorizer.transform (or
/// Spark's CountVectorizerModel.transform) gives them. Without a vocabulary it is not fitted.
struct CountKernel {
  struct Scratch {
    TermCutterScratch terms;
    std::vector<std::uint32_t> columns;
    std::vector<std::uint32_t> sort_scratch;
    std::vector<TermTable::Id> ids;     // the vocabulary id of each term, or kNotFound
    std::vector<std::uint32_t> hashes;  // working memory of TermTable::find_all
    // count(): each column's count in the document being counted (zero outside it), and the
    // columns it has.
    std::vector<std::uint32_t> column_counts;
    AscendingMarks present;
  };

  TermCutter cutter;
  MinTermFrequency min_tf;
  std::shared_ptr<const TermTable> vocabulary;  // a term's id is its column; null until fitted
  bool binary = false;
  FeatureDType dtype = FeatureDType::kInt64;
  std::string owner;  // the extractor named in messages
  /// Where large documents may be cut; nullopt when they cannot be (Spark's tokenizer, whose
  /// min_tf may depend on the whole document, or a custom token_pattern).
  std::optional<TextSplitter> splitter{};

  /// OK once there is a vocabulary; else says how to get one.
  Status fitted() const;
  std::int64_t num_columns() const { return vocabulary ? vocabulary->size() : 0; }
  /// Appends the counts of `document`'s vocabulary terms to `out`, leaving out those below
  /// min_tf (compared in double, as Spark compares them).
  Status count(std::string_view document, TextForm form, Scratch& scratch, SparseRows& out) const;
  /// The counts of the vocabulary's terms in one piece of a split document.
  Status count_piece(std::string_view piece, TextForm form, Scratch& scratch,
                     ColumnCounts& out) const;
  /// Appends the row of a split document whose merged counts are `counts` to `out`.
  void append_counts(const ColumnCounts& counts, SparseRows& out) const;

 private:
  /// Cuts `document` into scratch.ids: the column of each of its terms, or kNotFound.
  Status find_columns(std::string_view document, TextForm form, Scratch& scratch) const;
  /// Cuts `document` into scratch.columns: the columns of its vocabulary terms, sorted.
  Status sorted_columns(std::string_view document, TextForm form, Scratch& scratch) const;
};

/// What the extractor kernels built on a CountKernel (count_vectorizer's and tfidf_vectorizer's)
/// hand straight to it: the text form to read, and the cutting and counting of split documents.
struct CountingKernelBase {
  using Scratch = CountKernel::Scratch;

  CountKernel counter;

  TextForm preferred_text_form() const { return counter.cutter.preferred_text_form(); }
  bool splittable() const { return counter.splitter.has_value(); }
  std::vector<DocumentPiece> split(std::string_view document, TextForm form,
                                   std::int64_t piece_bytes) const {
    return counter.splitter->split(document, form, piece_bytes);
  }
  Status count_piece(std::string_view piece, TextForm form, Scratch& scratch,
                     ColumnCounts& out) const {
    return counter.count_piece(piece, form, scratch, out);
  }
};

/// The kernel `options` describe, named `owner` in messages; fails for a vocabulary that
/// repeats a term.
Result<CountKernel> make_count_kernel(CountVectorizerOptions options, std::string owner);

}  // namespace parafeat::text
