// tfidf_vectorizer: scikit-learn's TfidfVectorizer with a fitted (or given) vocabulary and idf
// weights: the counts of count_vectorizer, then sublinear tf (log(x) + 1), the idf weights and
// row normalisation, each rounded in the dtype's arithmetic as scikit-learn rounds them. Fitting
// (the vocabulary and idf) is the Python front's: see python/parafeat/text/_tfidf.py. The
// sublinear log here is the C library's; numpy's (which the Python TfidfVectorizer uses) can
// differ from it in the last bit on CPUs with AVX-512.
//
// With compat="spark" it is Spark ML's CountVectorizerModel followed by IDFModel: Spark's
// tokenizer and minTF (see count_vectorizer.h), then each count times its term's idf, with no
// normalisation. norm and smooth_idf are accepted at scikit-learn's defaults (norm also at None)
// and do what Spark does; use_idf must stay True, sublinear_tf False and dtype float64.
// min_doc_freq (IDF.minDocFreq) acts when fitting the idf, which is the Python front's; it is
// validated here.
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/param_reader.h"
#include "extractors/row_kernel_extractor.h"
#include "extractors/text/count_vectorizer.h"
#include "extractors/text/spark_analysis_params.h"
#include "extractors/text/text_extractors.h"
#include "extractors/text/tfidf.h"

namespace parafeat::text {
namespace {

constexpr std::string_view kName = "tfidf_vectorizer";

struct TfidfVectorizerKernel : CountingKernelBase {
  static constexpr std::string_view kName = text::kName;

  bool use_idf;
  std::shared_ptr<const std::vector<double>> idf;  // by column; null until fitted
  bool sublinear_tf;
  Norm norm;

  OutputSpec output_spec() const { return {counter.num_columns(), counter.dtype}; }

  Status fitted() const {
    PARAFEAT_RETURN_NOT_OK(counter.fitted());
    if (use_idf && !idf) {
      return Status::Invalid(std::string(kName) +
                             " is not fitted: its idf weights come from fitting (Pipeline.fit, "
                             "parafeat fit)");
    }
    return Status::OK();
  }

  Status call(std::string_view document, TextForm form, Scratch& scratch, SparseRows& out) const {
    const std::size_t begin = out.values.size();
    PARAFEAT_RETURN_NOT_OK(counter.count(document, form, scratch, out));
    const std::span<double> values = std::span(out.values).subspan(begin);
    const std::span<const std::int32_t> columns = std::span(out.indices).subspan(begin);
    weigh_row(values, columns);
    return Status::OK();
  }

  Status finish_row(const ColumnCounts& counts, SparseRows& out) const {
    const std::size_t begin = out.values.size();
    counter.append_counts(counts, out);
    weigh_row(std::span(out.values).subspan(begin), std::span(out.indices).subspan(begin));
    return Status::OK();
  }

  // Weighs one row of counts (sublinear tf, idf, norm) in the dtype's arithmetic.
  void weigh_row(std::span<double> values, std::span<const std::int32_t> columns) const {
    if (counter.dtype == FeatureDType::kFloat32) {
      weight<float>(values, columns);
    } else {
      weight<double>(values, columns);
    }
  }

  template <typename T>
  void weight(std::span<double> values, std::span<const std::int32_t> columns) const {
    if (sublinear_tf) {
      for (double& value : values) {
        value = static_cast<T>(static_cast<T>(std::log(static_cast<T>(value))) + T{1});
      }
    }
    weight_row<T>(values, columns, idf ? std::span<const double>(*idf) : std::span<const double>(),
                  norm);
  }
};

// The weighting parameters of either mode.
struct TfidfWeighting {
  bool use_idf = true;
  bool sublinear_tf = false;
  Norm norm = Norm::kNone;
};

// Reads norm, use_idf, smooth_idf, sublinear_tf and min_doc_freq: scikit-learn's weighting, or
// with `spark` the values that do what Spark's IDFModel does.
Result<TfidfWeighting> read_weighting(ParamReader& reader, bool spark) {
  if (spark) {
    PARAFEAT_RETURN_NOT_OK(reader.restricted("norm", {"l2", nullptr}, kNoSparkCounterpart));
    PARAFEAT_RETURN_NOT_OK(reader.restricted("use_idf", {true}, kNoSparkCounterpart));
    PARAFEAT_RETURN_NOT_OK(reader.restricted("smooth_idf", {true}, kNoSparkCounterpart));
    PARAFEAT_RETURN_NOT_OK(reader.restricted("sublinear_tf", {false}, kNoSparkCounterpart));
    PARAFEAT_RETURN_NOT_OK(
        reader.integer("min_doc_freq", 0, 0, std::numeric_limits<std::int32_t>::max()).status());
    return TfidfWeighting{};
  }
  TfidfWeighting weighting;
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::string> norm,
                           reader.optional_choice("norm", "l2", {"l1", "l2"}));
  weighting.norm = !norm ? Norm::kNone : (*norm == "l1" ? Norm::kL1 : Norm::kL2);
  PARAFEAT_ASSIGN_OR_RAISE(weighting.use_idf, reader.boolean("use_idf", true));
  PARAFEAT_RETURN_NOT_OK(reader.boolean("smooth_idf", true).status());
  PARAFEAT_ASSIGN_OR_RAISE(weighting.sublinear_tf, reader.boolean("sublinear_tf", false));
  PARAFEAT_RETURN_NOT_OK(reader.restricted(
      "min_doc_freq", {std::int64_t{0}},
      "with compat='sklearn': min_doc_freq is Spark's IDF.minDocFreq, for compat='spark'"));
  return weighting;
}

// Reads idf: one weight per vocabulary term (`num_terms` of them), only with use_idf; null when
// not given.
Result<std::shared_ptr<const std::vector<double>>> read_idf(ParamReader& reader, bool use_idf,
                                                            std::size_t num_terms) {
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::vector<double>> idf,
                           reader.optional_number_list("idf"));
  if (!idf) return std::shared_ptr<const std::vector<double>>();
  if (!use_idf || idf->size() != num_terms) {
    return Status::Invalid(
        std::string(kName) + ": 'idf' must hold one weight per vocabulary term (" +
        std::to_string(num_terms) + "), and only with use_idf, got " + std::to_string(idf->size()));
  }
  return std::make_shared<const std::vector<double>>(std::move(*idf));
}

// OK for the dtypes the mode computes in: float64 or float32, and only float64 (Spark's) with
// `spark`.
Status check_dtype(FeatureDType dtype, bool spark) {
  const std::string name(dtype_name(dtype));
  if (spark && dtype != FeatureDType::kFloat64) {
    return Status::Invalid(std::string(kName) + ": parameter 'dtype' = '" + name +
                           "' is not available " + std::string(kNoSparkCounterpart) +
                           "; accepted: 'float64'");
  }
  if (dtype != FeatureDType::kFloat64 && dtype != FeatureDType::kFloat32) {
    return Status::Invalid(std::string(kName) +
                           ": parameter 'dtype' must be 'float64' or 'float32', got '" + name +
                           "'");
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Extractor>> make_tfidf_vectorizer(const Params& params) {
  ParamReader reader(kName, params);
  PARAFEAT_ASSIGN_OR_RAISE(CountVectorizerOptions options,
                           read_count_vectorizer_options(reader, params, "float64"));
  const bool spark = is_spark_compat(params);
  PARAFEAT_ASSIGN_OR_RAISE(TfidfWeighting weighting, read_weighting(reader, spark));
  PARAFEAT_ASSIGN_OR_RAISE(std::shared_ptr<const std::vector<double>> idf,
                           read_idf(reader, weighting.use_idf, options.vocabulary.size()));
  PARAFEAT_RETURN_NOT_OK(reader.finish());
  PARAFEAT_RETURN_NOT_OK(check_dtype(options.dtype, spark));
  PARAFEAT_ASSIGN_OR_RAISE(CountKernel counter,
                           make_count_kernel(std::move(options), std::string(kName)));
  TfidfVectorizerKernel kernel{{std::move(counter)},
                               weighting.use_idf,
                               std::move(idf),
                               weighting.sublinear_tf,
                               weighting.norm};
  return std::unique_ptr<Extractor>(std::make_unique<RowKernelExtractor<TfidfVectorizerKernel>>(
      std::move(kernel), reader.resolved()));
}

}  // namespace parafeat::text
