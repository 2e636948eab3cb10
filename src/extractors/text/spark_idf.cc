#include "extractors/text/spark_idf.h"

#include <cmath>

namespace parafeat::text {

std::vector<double> spark_idf(std::int64_t num_documents,
                              std::span<const std::int64_t> document_frequency,
                              std::int64_t min_doc_freq) {
  std::vector<double> idf(document_frequency.size(), 0.0);
  const double documents = static_cast<double>(num_documents) + 1.0;
  for (std::size_t i = 0; i < idf.size(); ++i) {
    if (document_frequency[i] >= min_doc_freq) {
      idf[i] = std::log(documents / (static_cast<double>(document_frequency[i]) + 1.0));
    }
  }
  return idf;
}

}  // namespace parafeat::text
