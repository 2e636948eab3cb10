// tfidf_vectorizer: scikit-learn's TfidfVectorizer with a fitted (or given) vocabulary and idf
// weights: the counts of count_vectorizer, then sublinear tf (log(x) + 1), the idf weights and
// row normalisation, each rounded in the dtype's arithmetic as scikit-learn rounds them. Fitting
// (the vocabulary and idf) is the Python front's: see python/parafeat/text/_tfidf.py. The
// sublinear log here is the C library's; numpy's (which the Python TfidfVectorizer uses) can
// differ from it in the last bit on CPUs with AVX-512.
#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/param_reader.h"
#include "extractors/row_kernel_extractor.h"
#include "extractors/text/count_vectorizer.h"
#include "extractors/text/text_extractors.h"
#include "extractors/text/tfidf.h"

namespace parafeat::text {
namespace {

constexpr std::string_view kName = "tfidf_vectorizer";

struct TfidfVectorizerKernel {
  static constexpr std::string_view kName = text::kName;
  using Scratch = CountKernel::Scratch;

  CountKernel counter;
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

  Status call(std::string_view document, Scratch& scratch, SparseRows& out) const {
    const std::size_t begin = out.values.size();
    PARAFEAT_RETURN_NOT_OK(counter.count(document, scratch, out));
    const std::span<double> values = std::span(out.values).subspan(begin);
    const std::span<const std::int32_t> columns = std::span(out.indices).subspan(begin);
    if (counter.dtype == FeatureDType::kFloat32) {
      weight<float>(values, columns);
    } else {
      weight<double>(values, columns);
    }
    return Status::OK();
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

}  // namespace

Result<std::unique_ptr<Extractor>> make_tfidf_vectorizer(const Params& params) {
  ParamReader reader(kName, params);
  PARAFEAT_ASSIGN_OR_RAISE(CountVectorizerOptions options,
                           read_count_vectorizer_options(reader, params, "float64"));
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::string> norm,
                           reader.optional_choice("norm", "l2", {"l1", "l2"}));
  PARAFEAT_ASSIGN_OR_RAISE(bool use_idf, reader.boolean("use_idf", true));
  PARAFEAT_RETURN_NOT_OK(reader.boolean("smooth_idf", true).status());
  PARAFEAT_ASSIGN_OR_RAISE(bool sublinear_tf, reader.boolean("sublinear_tf", false));
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::vector<double>> idf,
                           reader.optional_number_list("idf"));
  PARAFEAT_RETURN_NOT_OK(reader.finish());
  if (options.dtype != FeatureDType::kFloat64 && options.dtype != FeatureDType::kFloat32) {
    return Status::Invalid(std::string(kName) +
                           ": parameter 'dtype' must be 'float64' or "
                           "'float32', got '" +
                           std::string(dtype_name(options.dtype)) + "'");
  }
  const std::size_t num_terms = options.vocabulary.size();
  if (idf && (!use_idf || idf->size() != num_terms)) {
    return Status::Invalid(std::string(kName) +
                           ": 'idf' must hold one weight per vocabulary "
                           "term (" +
                           std::to_string(num_terms) +
                           "), and only with use_idf, "
                           "got " +
                           std::to_string(idf->size()));
  }
  PARAFEAT_ASSIGN_OR_RAISE(CountKernel counter,
                           make_count_kernel(std::move(options), std::string(kName)));
  TfidfVectorizerKernel kernel{
      .counter = std::move(counter),
      .use_idf = use_idf,
      .idf = idf ? std::make_shared<const std::vector<double>>(std::move(*idf)) : nullptr,
      .sublinear_tf = sublinear_tf,
      .norm = !norm ? Norm::kNone : (*norm == "l1" ? Norm::kL1 : Norm::kL2)};
  return std::unique_ptr<Extractor>(std::make_unique<RowKernelExtractor<TfidfVectorizerKernel>>(
      std::move(kernel), reader.resolved()));
}

}  // namespace parafeat::text
