// Spark ML's IDF weights (pyspark.ml.feature.IDF): idf = log((m + 1) / (df + 1)) for m documents
// and a term in df of them, 0 for terms in fewer than minDocFreq documents.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace parafeat::text {

/// The idf of each term of `document_frequency` among `num_documents` documents, as Spark's
/// IDF.fit gives it, but with the C library's log: Spark's Math.log (a HotSpot intrinsic on
/// x86-64) is not correctly rounded and differs from it in the last bit for some arguments.
std::vector<double> spark_idf(std::int64_t num_documents,
                              std::span<const std::int64_t> document_frequency,
                              std::int64_t min_doc_freq);

}  // namespace parafeat::text
