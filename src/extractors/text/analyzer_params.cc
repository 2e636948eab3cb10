#include "extractors/text/analyzer_params.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parafeat::text {
namespace {

constexpr std::string_view kDefaultTokenPattern = R"((?u)\b\w\w+\b)";

std::optional<unicode::AccentStripping> accent_stripping(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  return *name == "ascii" ? unicode::AccentStripping::kAscii : unicode::AccentStripping::kUnicode;
}

AnalyzerKind analyzer_kind(const std::string& name) {
  if (name == "word") return AnalyzerKind::kWord;
  if (name == "char") return AnalyzerKind::kChar;
  return AnalyzerKind::kCharWb;
}

}  // namespace

Result<AnalyzerOptions> read_analyzer_options(ParamReader& reader, const Params& params) {
  PARAFEAT_RETURN_NOT_OK(reader.only_default("input", "content"));
  PARAFEAT_RETURN_NOT_OK(reader.string("encoding", "utf-8").status());
  PARAFEAT_RETURN_NOT_OK(
      reader.choice("decode_error", "strict", {"strict", "ignore", "replace"}).status());
  PARAFEAT_ASSIGN_OR_RAISE(
      std::optional<std::string> strip_accents,
      reader.optional_choice("strip_accents", std::nullopt, {"ascii", "unicode"}));
  PARAFEAT_ASSIGN_OR_RAISE(bool lowercase, reader.boolean("lowercase", true));
  PARAFEAT_RETURN_NOT_OK(reader.only_default("preprocessor", nullptr));
  PARAFEAT_RETURN_NOT_OK(reader.only_default("tokenizer", nullptr));
  if (auto it = params.find("stop_words");
      it != params.end() && it->second == ParamValue("english")) {
    return Status::NotImplemented(
        reader.owner() +
        ": stop_words='english' is resolved by the Python front (from scikit-learn's list); "
        "the engine takes the list of words");
  }
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::vector<std::string>> stop_words,
                           reader.optional_string_list("stop_words"));
  PARAFEAT_ASSIGN_OR_RAISE(std::string token_pattern,
                           reader.string("token_pattern", std::string(kDefaultTokenPattern)));
  PARAFEAT_ASSIGN_OR_RAISE(auto ngram_range, reader.integer_pair("ngram_range", {1, 1}, 1, 1024));
  PARAFEAT_ASSIGN_OR_RAISE(std::string analyzer,
                           reader.choice("analyzer", "word", {"word", "char", "char_wb"}));
  // As scikit-learn, the pattern is only compiled (and checked) for the word analyzer.
  std::shared_ptr<const TokenPattern> compiled;
  if (analyzer == "word" && token_pattern != kDefaultTokenPattern) {
    Result<std::shared_ptr<const TokenPattern>> made = TokenPattern::compile(token_pattern);
    if (!made.ok()) return made.status().with_context(reader.owner());
    compiled = made.move_value();
  }
  if (ngram_range.first > ngram_range.second) {
    return Status::Invalid(reader.owner() + ": invalid ngram_range=(" +
                           std::to_string(ngram_range.first) + ", " +
                           std::to_string(ngram_range.second) +
                           "): the lower boundary is larger than the upper boundary");
  }
  return AnalyzerOptions{.kind = analyzer_kind(analyzer),
                         .lowercase = lowercase,
                         .strip_accents = accent_stripping(strip_accents),
                         .stop_words = stop_words.value_or(std::vector<std::string>{}),
                         .token_pattern = std::move(compiled),
                         .ngram_min = static_cast<int>(ngram_range.first),
                         .ngram_max = static_cast<int>(ngram_range.second)};
}

}  // namespace parafeat::text
