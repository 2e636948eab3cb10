// Throughput of the text kernels behind the vectorizers: str.lower(), the analyzers and
// MurmurHash3, on generated ASCII and mixed-Unicode corpora. Each benchmark reports the input
// bytes it consumed per second (MB/s in the bytes_per_second column), single-threaded.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/murmurhash3.h"
#include "common/unicode.h"
#include "extractors/text/analyzer.h"

namespace parafeat {
namespace {

constexpr std::size_t kCorpusBytes = 4 << 20;    // 4 MiB per corpus
constexpr std::size_t kDocumentBytes = 1 << 10;  // documents of about 1 KiB

enum class Script { kAscii, kMixedUnicode };

// Words the generated documents are made of. The mixed set has accented Latin, Greek capitals
// (whose final sigma needs context), Cyrillic, CJK, combining marks and emoji.
const std::vector<std::string>& vocabulary(Script script) {
  static const std::vector<std::string> ascii = {
      "the",  "Quick",    "brown",   "fox",    "jumps", "over",   "lazy",   "dog",
      "data", "pipeline", "feature", "vector", "hash",  "SPARK",  "worker", "token",
      "a",    "I",        "x_y",     "2026",   "v1.2",  "e-mail", "don't",  "Paris",
      "of",   "and",      "to",      "in",     "is",    "that",   "for",    "with"};
  static const std::vector<std::string> mixed = {"the",
                                                 "caf\u00e9",
                                                 "na\u00efve",
                                                 "\u0130stanbul",
                                                 "Stra\u00dfe",
                                                 "\u039f\u0394\u039f\u03a3",
                                                 "\u03bb\u03cc\u03b3\u03bf\u03c2",
                                                 "\u041c\u043e\u0441\u043a\u0432\u0430",
                                                 "\u4e2d\u6587",
                                                 "\u65e5\u672c\u8a9e",
                                                 "\ud55c\uad6d\uc5b4",
                                                 "cafe\u0301",
                                                 "\U0001F355",
                                                 "\u2764\ufe0f",
                                                 "x\u00b2",
                                                 "data",
                                                 "pipeline",
                                                 "\u00c9COLE",
                                                 "token",
                                                 "and",
                                                 "fox",
                                                 "DOG"};
  return script == Script::kAscii ? ascii : mixed;
}

// Deterministic documents of about kDocumentBytes each, kCorpusBytes in total.
std::vector<std::string> make_corpus(Script script) {
  const std::vector<std::string>& words = vocabulary(script);
  static constexpr std::string_view kSeparators[] = {" ", " ", " ", " ", ", ", ". ", "\n", "  "};
  std::mt19937 random(20260101);
  std::vector<std::string> documents;
  std::size_t total = 0;
  while (total < kCorpusBytes) {
    std::string document;
    while (document.size() < kDocumentBytes) {
      document += words[random() % words.size()];
      document += kSeparators[random() % std::size(kSeparators)];
    }
    total += document.size();
    documents.push_back(std::move(document));
  }
  return documents;
}

const std::vector<std::string>& corpus(Script script) {
  static const std::vector<std::string> ascii = make_corpus(Script::kAscii);
  static const std::vector<std::string> mixed = make_corpus(Script::kMixedUnicode);
  return script == Script::kAscii ? ascii : mixed;
}

std::int64_t corpus_bytes(const std::vector<std::string>& documents) {
  std::int64_t bytes = 0;
  for (const std::string& document : documents) {
    bytes += static_cast<std::int64_t>(document.size());
  }
  return bytes;
}

void analyze_corpus(benchmark::State& state, Script script, text::AnalyzerOptions options,
                    bool hash_terms) {
  const std::vector<std::string>& documents = corpus(script);
  const text::Analyzer analyzer(options);
  text::AnalyzerScratch scratch;
  std::int64_t terms = 0;
  for (auto _ : state) {
    std::uint32_t checksum = 0;
    for (const std::string& document : documents) {
      if (!analyzer.analyze(document, TextForm::kAsGiven, scratch).ok()) {
        state.SkipWithError("analysis failed");
        return;
      }
      terms += static_cast<std::int64_t>(scratch.terms().size());
      if (hash_terms) {
        for (std::string_view term : scratch.terms()) {
          checksum += murmurhash3_x86_32(term, 0);
        }
      }
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes(documents));
  state.counters["terms_per_second"] =
      benchmark::Counter(static_cast<double>(terms), benchmark::Counter::kIsRate);
}

void python_lower_corpus(benchmark::State& state, Script script) {
  const std::vector<std::string>& documents = corpus(script);
  std::string out;
  for (auto _ : state) {
    for (const std::string& document : documents) {
      out.clear();
      if (!unicode::append_python_lower(document, out).ok()) {
        state.SkipWithError("lower failed");
        return;
      }
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes(documents));
}

// MurmurHash3 alone on inputs of the given length (short terms are the vectorizers' case).
void murmurhash3(benchmark::State& state) {
  const auto length = static_cast<std::size_t>(state.range(0));
  std::string input(length, 'x');
  for (std::size_t i = 0; i < length; ++i) {
    input[i] = static_cast<char>('a' + i % 26);
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(input.data());
    benchmark::DoNotOptimize(murmurhash3_x86_32(input, 0));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(length));
}

using text::AnalyzerKind;
using text::AnalyzerOptions;

BENCHMARK_CAPTURE(analyze_corpus, word_ascii, Script::kAscii,
                  AnalyzerOptions{.kind = AnalyzerKind::kWord}, false);
BENCHMARK_CAPTURE(analyze_corpus, word_mixed_unicode, Script::kMixedUnicode,
                  AnalyzerOptions{.kind = AnalyzerKind::kWord}, false);
BENCHMARK_CAPTURE(analyze_corpus, word_1_2_ascii, Script::kAscii,
                  AnalyzerOptions{.kind = AnalyzerKind::kWord, .ngram_max = 2}, false);
BENCHMARK_CAPTURE(analyze_corpus, word_and_hash_ascii, Script::kAscii,
                  AnalyzerOptions{.kind = AnalyzerKind::kWord}, true);
BENCHMARK_CAPTURE(analyze_corpus, word_and_hash_mixed_unicode, Script::kMixedUnicode,
                  AnalyzerOptions{.kind = AnalyzerKind::kWord}, true);
BENCHMARK_CAPTURE(analyze_corpus, char_1_3_ascii, Script::kAscii,
                  AnalyzerOptions{.kind = AnalyzerKind::kChar, .ngram_max = 3}, false);
BENCHMARK_CAPTURE(analyze_corpus, char_wb_2_4_ascii, Script::kAscii,
                  AnalyzerOptions{.kind = AnalyzerKind::kCharWb, .ngram_min = 2, .ngram_max = 4},
                  false);
BENCHMARK_CAPTURE(analyze_corpus, char_wb_2_4_mixed_unicode, Script::kMixedUnicode,
                  AnalyzerOptions{.kind = AnalyzerKind::kCharWb, .ngram_min = 2, .ngram_max = 4},
                  false);
BENCHMARK_CAPTURE(python_lower_corpus, ascii, Script::kAscii);
BENCHMARK_CAPTURE(python_lower_corpus, mixed_unicode, Script::kMixedUnicode);
BENCHMARK(murmurhash3)->Arg(6)->Arg(32)->Arg(1024);

}  // namespace
}  // namespace parafeat
