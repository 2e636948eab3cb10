// Intra-document parallelism: a document split into pieces across threads gives the same row,
// byte for byte, as the document extracted whole, for every analyzer, n-gram range and text
// extractor that offers splitting.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/unicode.h"
#include "parafeat/executor.h"
#include "parafeat/extractor.h"
#include "test_support.h"

namespace parafeat {
namespace {

using testing::OwnedStrings;

// Words and separators chosen to meet every rule a cut must respect: multi-byte code points,
// final sigma, accents, apostrophes, one-letter words, runs of mixed (also non-ASCII) spaces.
const std::vector<std::string> kWords = {
    "alpha", "Beta", "gamma", "ΣΑΣ",   "ὈΔΥΣΣΕΎΣ", "naïve",    "ab", "a",     "x1", "日本語",
    "don't", ",",    ".",     "Œuvre", "ß",        "İstanbul", "--", "ab.cd", "σς"};
const std::vector<std::string> kSeparators = {" ",  " ",    " ",        "  ",          "\n",
                                              "\t", " \n ", "\xc2\xa0", "\xe3\x80\x80"};

std::string random_document(std::mt19937& random, std::size_t min_bytes) {
  std::string text;
  std::uniform_int_distribution<std::size_t> word(0, kWords.size() - 1);
  std::uniform_int_distribution<std::size_t> separator(0, kSeparators.size() - 1);
  std::uniform_int_distribution<int> glue(0, 9);
  if (glue(random) < 3) text += kSeparators[separator(random)];  // sometimes leading space
  while (text.size() < min_bytes) {
    text += kWords[word(random)];
    // Now and then two words with no space between them.
    if (glue(random) != 0) text += kSeparators[separator(random)];
  }
  return text;
}

// A vocabulary holding the words, their word pairs and short char n-grams, so that count and
// tf-idf rows are not empty whatever the analyzer.
ParamValue::List make_vocabulary() {
  std::set<std::string> terms;
  for (const std::string& w : kWords) {
    std::string lower = w;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    terms.insert(lower);
    for (const std::string& v : kWords) terms.insert(lower + " " + v);
    const std::string padded = " " + lower + " ";
    for (std::size_t n = 1; n <= 3; ++n) {
      for (std::size_t i = 0; i + n <= padded.size(); ++i) terms.insert(padded.substr(i, n));
    }
  }
  ParamValue::List vocabulary;
  for (const std::string& term : terms) {
    // Byte substrings may cut a code point; only valid UTF-8 terms can ever match.
    bool ascii = std::all_of(term.begin(), term.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii || term.size() > 3) vocabulary.emplace_back(term);
  }
  return vocabulary;
}

struct Case {
  std::string extractor;
  std::string analyzer;
  int ngram_min;
  int ngram_max;
};

Params params_for(const Case& c, const ParamValue::List& vocabulary) {
  Params params{{"analyzer", c.analyzer},
                {"ngram_range", ParamValue::List{c.ngram_min, c.ngram_max}}};
  if (c.analyzer == "word") params["stop_words"] = ParamValue::List{"beta"};
  if (c.extractor == "hashing_vectorizer") {
    params["n_features"] = 257;  // small: many columns collide, some signs cancel to 0
  } else {
    params["vocabulary"] = vocabulary;
  }
  if (c.extractor == "tfidf_vectorizer") {
    ParamValue::List idf;
    for (std::size_t i = 0; i < vocabulary.size(); ++i) idf.emplace_back(1.0 + 0.37 * (i % 11));
    params["idf"] = idf;
    params["sublinear_tf"] = true;
  }
  return params;
}

std::unique_ptr<Extractor> make(const Case& c, const ParamValue::List& vocabulary) {
  auto made = make_extractor(c.extractor, params_for(c, vocabulary));
  EXPECT_TRUE(made.ok()) << made.status().message();
  return made.move_value();
}

Executor splitting_executor(std::int64_t split_bytes, std::int64_t piece_bytes) {
  ExecutorOptions options;
  options.num_threads = 2;
  options.split_bytes = split_bytes;
  options.split_piece_bytes = piece_bytes;
  options.morsel_rows = 3;
  return Executor(std::move(options));
}

void expect_same_rows(const SparseRows& split, const SparseRows& whole) {
  ASSERT_EQ(split.indptr, whole.indptr);
  ASSERT_EQ(split.indices, whole.indices);
  ASSERT_EQ(split.values.size(), whole.values.size());
  // Bitwise: the same bytes, not merely close.
  EXPECT_EQ(
      std::memcmp(split.values.data(), whole.values.data(), split.values.size() * sizeof(double)),
      0);
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const char* extractor : {"hashing_vectorizer", "count_vectorizer", "tfidf_vectorizer"}) {
    for (const char* analyzer : {"word", "char", "char_wb"}) {
      for (auto [lo, hi] : {std::pair{1, 1}, std::pair{1, 2}, std::pair{2, 3}, std::pair{1, 5}}) {
        cases.push_back({extractor, analyzer, lo, hi});
      }
    }
  }
  return cases;
}

TEST(DocumentSplit, split_rows_equal_whole_rows_for_every_analyzer_ngram_range_and_extractor) {
  const ParamValue::List vocabulary = make_vocabulary();
  std::mt19937 random(20261125);
  for (const Case& c : all_cases()) {
    SCOPED_TRACE(c.extractor + " " + c.analyzer + " (" + std::to_string(c.ngram_min) + ", " +
                 std::to_string(c.ngram_max) + ")");
    const auto extractor = make(c, vocabulary);
    ASSERT_NE(extractor->document_splitting(), nullptr);
    for (int trial = 0; trial < 4; ++trial) {
      // Long and short documents mixed: the long ones are split, the others run as usual.
      std::vector<std::string> documents;
      for (int d = 0; d < 7; ++d) {
        documents.push_back(random_document(random, d % 3 == 0 ? 40 : 1500 + 700 * d));
      }
      const OwnedStrings input(documents);
      const auto whole = testing::make_executor(1).extract(*extractor, input.view());
      ASSERT_TRUE(whole.ok()) << whole.status().message();
      for (const std::int64_t piece : {32, 97, 400}) {
        const auto split = splitting_executor(256, piece).extract(*extractor, input.view());
        ASSERT_TRUE(split.ok()) << split.status().message();
        expect_same_rows(split.value(), whole.value());
      }
      // The documents lowered already, as a source of Python strs gives them: split or not, the
      // same rows.
      std::vector<std::string> lowered(documents.size());
      for (std::size_t d = 0; d < documents.size(); ++d) {
        ASSERT_TRUE(unicode::append_python_lower(documents[d], lowered[d]).ok());
      }
      const OwnedStrings lowered_input(lowered);
      const StringColumn lowered_view = lowered_input.view().with_text_form(TextForm::kPythonLower);
      for (const Executor& executor : {testing::make_executor(1), splitting_executor(256, 97)}) {
        const auto rows = executor.extract(*extractor, lowered_view);
        ASSERT_TRUE(rows.ok()) << rows.status().message();
        expect_same_rows(rows.value(), whole.value());
      }
    }
  }
}

TEST(DocumentSplit, long_documents_are_cut_into_pieces_with_overlaps_only_where_ngrams_cross) {
  const ParamValue::List vocabulary = make_vocabulary();
  std::mt19937 random(7);
  const std::string document = random_document(random, 5000);
  for (const Case& c :
       {Case{"hashing_vectorizer", "word", 1, 3}, Case{"hashing_vectorizer", "char", 2, 4},
        Case{"hashing_vectorizer", "char_wb", 2, 4}, Case{"hashing_vectorizer", "word", 1, 1}}) {
    SCOPED_TRACE(c.analyzer + " up to " + std::to_string(c.ngram_max));
    const auto pieces =
        make(c, vocabulary)->document_splitting()->split(document, TextForm::kAsGiven, 500);
    EXPECT_GE(pieces.size(), 8U);
    const bool overlaps = std::any_of(pieces.begin(), pieces.end(),
                                      [](const DocumentPiece& p) { return p.subtract; });
    EXPECT_EQ(overlaps, c.analyzer != "char_wb" && c.ngram_max > 1);
    for (const DocumentPiece& piece : pieces) {
      // Every piece starts at a cut: the document's start or a lone whitespace code point.
      const auto at = static_cast<std::size_t>(piece.text.data() - document.data());
      EXPECT_TRUE(at == 0 || document[at] == ' ' || document[at] == '\n' || document[at] == '\t' ||
                  document[at] == '\xc2' || document[at] == '\xe3')
          << "piece at byte " << at;
    }
  }
}

TEST(DocumentSplit, documents_without_a_safe_cut_stay_whole_and_are_still_right) {
  const ParamValue::List vocabulary = make_vocabulary();
  const Case c{"hashing_vectorizer", "char", 1, 3};
  const auto extractor = make(c, vocabulary);
  // No whitespace at all; then only runs of two or more spaces.
  std::string no_space(4000, 'x');
  std::string only_runs;
  for (int i = 0; i < 500; ++i) only_runs += "ab  ";
  for (const std::string& document : {no_space, only_runs}) {
    EXPECT_TRUE(extractor->document_splitting()->split(document, TextForm::kAsGiven, 100).empty());
    const OwnedStrings input({document});
    const auto whole = testing::make_executor(1).extract(*extractor, input.view());
    const auto split = splitting_executor(256, 100).extract(*extractor, input.view());
    ASSERT_TRUE(whole.ok() && split.ok());
    expect_same_rows(split.value(), whole.value());
  }
}

TEST(DocumentSplit, counts_over_a_wide_sparse_feature_space_sum_as_over_a_dense_one) {
  // 2^20 columns for a few hundred terms a range: the ranges are merged list by list, not
  // summed in an array by column (the test above covers that, with 257 columns).
  std::mt19937 random(11);
  for (const auto* analyzer : {"word", "char_wb"}) {
    const auto extractor =
        make_extractor("hashing_vectorizer", Params{{"analyzer", analyzer},
                                                    {"n_features", 1 << 20},
                                                    {"ngram_range", ParamValue::List{1, 2}}});
    ASSERT_TRUE(extractor.ok()) << extractor.status().message();
    std::vector<std::string> documents;
    for (int d = 0; d < 4; ++d) documents.push_back(random_document(random, 3000 + 1000 * d));
    const OwnedStrings input(documents);
    const auto whole = testing::make_executor(1).extract(**extractor, input.view());
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    for (const std::int64_t piece : {64, 500}) {
      const auto split = splitting_executor(256, piece).extract(**extractor, input.view());
      ASSERT_TRUE(split.ok()) << split.status().message();
      expect_same_rows(split.value(), whole.value());
    }
  }
}

TEST(DocumentSplit, a_split_document_without_any_term_gives_an_empty_row) {
  // Words of one character are no tokens of the default pattern: every piece counts nothing.
  std::string no_terms;
  for (int i = 0; i < 1000; ++i) no_terms += "a ! ";
  for (const char* extractor : {"hashing_vectorizer", "count_vectorizer"}) {
    const auto made = make({extractor, "word", 1, 2}, make_vocabulary());
    ASSERT_FALSE(made->document_splitting()->split(no_terms, TextForm::kAsGiven, 100).empty());
    const OwnedStrings input({no_terms});
    const auto split = splitting_executor(256, 100).extract(*made, input.view());
    ASSERT_TRUE(split.ok()) << split.status().message();
    EXPECT_EQ(split->indptr, (std::vector<std::int64_t>{0, 0}));
  }
}

TEST(DocumentSplit, invalid_utf8_in_a_split_document_reports_the_whole_documents_error) {
  const auto extractor = make({"hashing_vectorizer", "word", 1, 2}, {});
  std::mt19937 random(3);
  std::string document = random_document(random, 4000);
  document[3000] = '\xff';
  const OwnedStrings input({"fine", document});
  const auto whole = testing::make_executor(1).extract(*extractor, input.view());
  const auto split = splitting_executor(256, 100).extract(*extractor, input.view());
  ASSERT_FALSE(whole.ok());
  ASSERT_FALSE(split.ok());
  EXPECT_EQ(split.status().message(), whole.status().message());
  EXPECT_EQ(split.status().row(), 1);
}

TEST(DocumentSplit, extractors_that_cannot_be_split_offer_no_hooks) {
  const auto custom_pattern =
      make_extractor("hashing_vectorizer", {{"token_pattern", "\\S+\\s\\S+"}});
  ASSERT_TRUE(custom_pattern.ok());
  EXPECT_EQ(custom_pattern.value()->document_splitting(), nullptr);
  const auto spark = make_extractor("count_vectorizer",
                                    {{"compat", "spark"}, {"vocabulary", ParamValue::List{"a"}}});
  ASSERT_TRUE(spark.ok()) << spark.status().message();
  EXPECT_EQ(spark.value()->document_splitting(), nullptr);
  const auto unfitted = make_extractor("count_vectorizer", {});
  ASSERT_TRUE(unfitted.ok());
  EXPECT_EQ(unfitted.value()->document_splitting(), nullptr);
}

}  // namespace
}  // namespace parafeat
