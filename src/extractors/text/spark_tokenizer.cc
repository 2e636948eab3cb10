// Spark's tokenizers: Java's lower-casing, then Pattern.split (gaps) or Matcher.find (no gaps)
// with one character class, then RegexTokenizer's length filter.
#include "extractors/text/spark_tokenizer.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/check.h"
#include "common/unicode.h"

namespace parafeat::text {
namespace {

// A set of code points: some ASCII ones, and either all or none of the others.
struct CodePointSet {
  std::bitset<0x80> ascii;
  bool non_ascii = false;

  CodePointSet& operator|=(const CodePointSet& other) {
    ascii |= other.ascii;
    non_ascii = non_ascii || other.non_ascii;
    return *this;
  }
  CodePointSet complement() const { return {~ascii, !non_ascii}; }
};

CodePointSet range(char first, char last) {
  CodePointSet set;
  for (auto c = static_cast<unsigned char>(first); c <= static_cast<unsigned char>(last); ++c) {
    set.ascii.set(c);
  }
  return set;
}

CodePointSet of(std::string_view chars) {
  CodePointSet set;
  for (const char c : chars) set.ascii.set(static_cast<unsigned char>(c));
  return set;
}

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Java's meaning of `\c` for the escapes parafeat supports: the predefined classes (ASCII-only
// without UNICODE_CHARACTER_CLASS), control characters, and escaped punctuation.
std::optional<CodePointSet> escape(char c) {
  const CodePointSet space = of(" \t\n\x0B\f\r");
  CodePointSet word = range('a', 'z');
  word |= range('A', 'Z');
  word |= range('0', '9');
  word |= of("_");
  switch (c) {
    case 's': return space;
    case 'S': return space.complement();
    case 'w': return word;
    case 'W': return word.complement();
    case 'd': return range('0', '9');
    case 'D': return range('0', '9').complement();
    case 't': return of("\t");
    case 'n': return of("\n");
    case 'r': return of("\r");
    case 'f': return of("\f");
    default: break;
  }
  if (static_cast<unsigned char>(c) < 0x80 && !is_ascii_alnum(c))
    return of(std::string_view(&c, 1));
  return std::nullopt;
}

// Parses the bracket expression whose '[' is at pattern[pos - 1]; moves pos past its ']'.
std::optional<CodePointSet> bracket(std::string_view pattern, std::size_t& pos) {
  const bool negated = pos < pattern.size() && pattern[pos] == '^';
  if (negated) ++pos;
  CodePointSet set;
  bool empty = true;
  while (pos < pattern.size() && pattern[pos] != ']') {
    const char c = pattern[pos];
    if (static_cast<unsigned char>(c) >= 0x80 || c == '[' ||
        (c == '&' && pos + 1 < pattern.size() && pattern[pos + 1] == '&')) {
      return std::nullopt;  // a non-ASCII literal, a nested class or an intersection
    }
    const bool followed_by_range =
        pos + 2 < pattern.size() && pattern[pos + 1] == '-' && pattern[pos + 2] != ']';
    if (c == '\\') {
      if (pos + 1 >= pattern.size()) return std::nullopt;
      const std::optional<CodePointSet> escaped = escape(pattern[pos + 1]);
      const bool before_range =
          pos + 3 < pattern.size() && pattern[pos + 2] == '-' && pattern[pos + 3] != ']';
      if (!escaped || before_range) return std::nullopt;
      set |= *escaped;
      pos += 2;
    } else if (followed_by_range) {
      const char last = pattern[pos + 2];
      if (last == '\\' || last == '[' || static_cast<unsigned char>(last) >= 0x80 || last < c) {
        return std::nullopt;
      }
      set |= range(c, last);
      pos += 3;
    } else {
      set |= of(std::string_view(&c, 1));
      ++pos;
    }
    empty = false;
  }
  if (pos >= pattern.size() || empty) return std::nullopt;  // unclosed, or "[]..." / "[^]..."
  ++pos;
  return negated ? set.complement() : set;
}

// Parses the single class at the start of `pattern`; moves pos past it.
std::optional<CodePointSet> atom(std::string_view pattern, std::size_t& pos) {
  const char c = pattern[pos++];
  if (c == '[') return bracket(pattern, pos);
  if (c == '\\') {
    if (pos >= pattern.size()) return std::nullopt;
    return escape(pattern[pos++]);
  }
  if (static_cast<unsigned char>(c) >= 0x80 ||
      std::string_view(".^$|?*+(){}]").find(c) != std::string_view::npos) {
    return std::nullopt;
  }
  return of(std::string_view(&c, 1));
}

// The code point at `pos` of valid UTF-8 `text`; stores its length in `length`.
char32_t code_point_at(std::string_view text, std::size_t pos, std::size_t& length) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) {
    length = 1;
    return byte;
  }
  char32_t cp = 0;
  length = static_cast<std::size_t>(unicode::decode_utf8(text, pos, cp));
  return cp;
}

// Java's String.length() of valid UTF-8 `token`: code points, those beyond U+FFFF twice.
std::int64_t utf16_length(std::string_view token) {
  std::int64_t length = 0;
  for (const char c : token) {
    const auto byte = static_cast<unsigned char>(c);
    length += ((byte & 0xC0) != 0x80) + (byte >= 0xF0);
  }
  return length;
}

}  // namespace

SparkTokenizerOptions spark_tokenizer_options() {
  return {.pattern = R"(\s)", .gaps = true, .min_token_length = 0, .to_lowercase = true};
}

Result<SparkPattern> SparkPattern::parse(std::string_view pattern, std::string_view name) {
  std::size_t pos = 0;
  const std::optional<CodePointSet> set = pattern.empty() ? std::nullopt : atom(pattern, pos);
  const bool repeats = set && pos + 1 == pattern.size() && pattern[pos] == '+';
  if (!set || (pos != pattern.size() && !repeats)) {
    return Status::NotImplemented(
        std::string(name) + "='" + std::string(pattern) +
        "' is not supported: parafeat runs patterns made of one character class, such as \\s, "
        "\\W, [,;\\s] or [^a-z], optionally followed by '+'");
  }
  SparkPattern parsed;
  parsed.ascii_ = set->ascii;
  parsed.non_ascii_ = set->non_ascii;
  parsed.repeats_ = repeats;
  return parsed;
}

Result<SparkTokenizer> SparkTokenizer::make(const SparkTokenizerOptions& options,
                                            std::string_view pattern_name) {
  PARAFEAT_DCHECK(options.min_token_length >= 0);
  PARAFEAT_ASSIGN_OR_RAISE(SparkPattern pattern,
                           SparkPattern::parse(options.pattern, pattern_name));
  return SparkTokenizer(pattern, options);
}

Status SparkTokenizer::tokenize(std::string_view document, TextForm form,
                                SparkTokenizerScratch& scratch) const {
  if (form != TextForm::kAsGiven) {
    return Status::Internal("Spark's tokenizer got text in a form it did not ask for");
  }
  std::string_view text = document;
  if (to_lowercase_) {
    scratch.lowered_.clear();
    PARAFEAT_RETURN_NOT_OK(java::append_lower(document, scratch.lowered_, scratch.lower_));
    text = scratch.lowered_;
  } else {
    PARAFEAT_RETURN_NOT_OK(unicode::validate_utf8(document));
  }

  std::vector<std::string_view>& tokens = scratch.tokens_;
  tokens.clear();
  std::size_t piece_begin = 0;  // gaps: where the text after the last match begins
  bool matched = false;
  for (std::size_t pos = 0, length = 0; pos < text.size();) {
    if (!pattern_.matches(code_point_at(text, pos, length))) {
      pos += length;
      continue;
    }
    const std::size_t match_begin = pos;
    pos += length;
    while (pattern_.repeats() && pos < text.size() &&
           pattern_.matches(code_point_at(text, pos, length))) {
      pos += length;
    }
    tokens.push_back(gaps_ ? text.substr(piece_begin, match_begin - piece_begin)
                           : text.substr(match_begin, pos - match_begin));
    piece_begin = pos;
    matched = true;
  }
  if (gaps_) {
    // Pattern.split(text, 0): the whole text when nothing matched; else the rest after the last
    // match too, then trailing empty pieces dropped.
    tokens.push_back(text.substr(piece_begin));
    if (matched) {
      while (!tokens.empty() && tokens.back().empty()) tokens.pop_back();
    }
  }
  if (min_token_length_ > 0) {
    std::erase_if(
        tokens, [this](std::string_view token) { return utf16_length(token) < min_token_length_; });
  }
  return Status::OK();
}

}  // namespace parafeat::text
