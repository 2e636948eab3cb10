// Factories of the text family, one per extractor file.
#pragma once

#include <memory>

#include "parafeat/extractor.h"

namespace parafeat::text {

/// scikit-learn's HashingVectorizer (src/extractors/text/hashing_vectorizer.cc).
Result<std::unique_ptr<Extractor>> make_hashing_vectorizer(const Params& params);

/// scikit-learn's CountVectorizer with a given or fitted vocabulary
/// (src/extractors/text/count_vectorizer.cc).
Result<std::unique_ptr<Extractor>> make_count_vectorizer(const Params& params);

/// scikit-learn's TfidfVectorizer with a fitted or given vocabulary and idf weights
/// (src/extractors/text/tfidf_vectorizer.cc).
Result<std::unique_ptr<Extractor>> make_tfidf_vectorizer(const Params& params);

/// hashing_vectorizer with compat="spark", which make_hashing_vectorizer() hands over to
/// (src/extractors/text/hashing_vectorizer_spark.cc).
Result<std::unique_ptr<Extractor>> make_spark_compat_hashing_vectorizer(const Params& params);

/// Spark ML's Tokenizer or RegexTokenizer, then HashingTF
/// (src/extractors/text/spark_hashing_tf.cc).
Result<std::unique_ptr<Extractor>> make_spark_hashing_tf(const Params& params);

}  // namespace parafeat::text
