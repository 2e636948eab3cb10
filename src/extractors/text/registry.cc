// The text family's registration table: one line per extractor.
#include <array>

#include "extractors/registration.h"
#include "extractors/text/text_extractors.h"

namespace parafeat::text {
namespace {

constexpr std::array<ExtractorRegistration, 4> kTextExtractors{{
    {{"hashing_vectorizer",
      "Text to sparse hashed term counts, identical to scikit-learn's HashingVectorizer"},
     &make_hashing_vectorizer},
    {{"count_vectorizer",
      "Text to counts of a vocabulary's terms, identical to scikit-learn's CountVectorizer (or, "
      "with compat=spark, Spark ML's)"},
     &make_count_vectorizer},
    {{"tfidf_vectorizer",
      "Text to TF-IDF weights of a vocabulary's terms, as scikit-learn's TfidfVectorizer (or, "
      "with compat=spark, Spark ML's CountVectorizer then IDF)"},
     &make_tfidf_vectorizer},
    {{"spark_hashing_tf",
      "Text to sparse term frequencies, identical to Spark ML's Tokenizer or RegexTokenizer then "
      "HashingTF"},
     &make_spark_hashing_tf},
}};

}  // namespace

std::span<const ExtractorRegistration> registrations() {
  return kTextExtractors;
}

}  // namespace parafeat::text
