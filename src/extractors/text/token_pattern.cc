#include "extractors/text/token_pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "common/unicode.h"

namespace parafeat::text {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

// "\x{lo}-\x{hi}" items of a PCRE2 class for the code points where `in_class` holds (surrogates
// excluded: UTF-8 text never holds them).
template <typename Predicate>
std::string class_items(Predicate in_class) {
  std::string items;
  char buffer[40];
  char32_t cp = 0;
  while (cp <= kMaxCodePoint) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || !in_class(cp)) {
      ++cp;
      continue;
    }
    const char32_t low = cp;
    while (cp + 1 <= kMaxCodePoint && !(cp + 1 >= 0xD800 && cp + 1 <= 0xDFFF) && in_class(cp + 1)) {
      ++cp;
    }
    std::snprintf(buffer, sizeof(buffer), "\\x{%X}-\\x{%X}", static_cast<unsigned>(low),
                  static_cast<unsigned>(cp));
    items += buffer;
    ++cp;
  }
  return items;
}

const std::string& word_items() {
  static const std::string items = class_items([](char32_t cp) { return unicode::is_word(cp); });
  return items;
}

const std::string& space_items() {
  static const std::string items = class_items([](char32_t cp) { return unicode::is_space(cp); });
  return items;
}

// Python `re` syntax rewritten for PCRE2 (see token_pattern.h), or an error.
class Translator {
 public:
  explicit Translator(std::string_view pattern) : in_(pattern) {}

  Result<std::string> run() {
    while (pos_ < in_.size()) {
      const char c = in_[pos_];
      if (c == '\\') {
        PARAFEAT_RETURN_NOT_OK(escape());
      } else if (c == '[' && !in_class_) {
        open_class();
      } else if (c == '[') {
        out_ += "\\[";  // Python has no POSIX classes: [[:alpha:]] is a set of characters
        ++pos_;
      } else if (c == ']' && in_class_) {
        close_class();
        ++pos_;
      } else if (c == '(' && !in_class_ && in_.substr(pos_).starts_with("(?")) {
        PARAFEAT_RETURN_NOT_OK(group_flags());
      } else if (c == '{' && !in_class_ && in_.substr(pos_).starts_with("{,")) {
        out_ += "{0,";  // Python's {,n}; PCRE2 10.42 reads {,n} as literal text
        pos_ += 2;
      } else {
        out_ += c;
        ++pos_;
      }
    }
    return out_;
  }

 private:
  // A class's items are gathered in out_ from class_start_ on, and the complements it holds
  // (\W, \S) apart, so that close_class() can write what PCRE2 has no single class for.
  void open_class() {
    in_class_ = true;
    ++pos_;
    negated_ = pos_ < in_.size() && in_[pos_] == '^';
    if (negated_) ++pos_;
    class_start_ = out_.size();
    complements_.clear();
    if (pos_ < in_.size() && in_[pos_] == ']') {  // a leading ] is a literal in Python
      out_ += "\\]";
      ++pos_;
    }
  }

  // [A] or [^A] as is; with complements ¬B1, ¬B2...: [A ∪ ¬B1 ∪ ...] is (?:[A]|[^B1]|...) and
  // [^A ∪ ¬B1 ∪ ...] is (?:(?![A])(?=[B2])...[B1]), one code point either way.
  void close_class() {
    in_class_ = false;
    const std::string items = out_.substr(class_start_);
    out_.resize(class_start_);
    if (complements_.empty()) {
      out_ += (negated_ ? "[^" : "[") + items + "]";
      return;
    }
    if (!negated_) {
      out_ += "(?:";
      if (!items.empty()) out_ += "[" + items + "]|";
      for (std::size_t i = 0; i < complements_.size(); ++i) {
        out_ += (i ? "|[^" : "[^") + complements_[i] + "]";
      }
      out_ += ")";
      return;
    }
    out_ += "(?:";
    if (!items.empty()) out_ += "(?![" + items + "])";
    for (std::size_t i = 1; i < complements_.size(); ++i) out_ += "(?=[" + complements_[i] + "])";
    out_ += "[" + complements_[0] + "])";
  }

  Status unsupported(const std::string& what) const {
    return Status::NotImplemented("token_pattern: " + what + " (at position " +
                                  std::to_string(pos_) + " of the pattern) is not supported");
  }

  // (?flags) and (?flags:...) groups: the Unicode flag is Python's default and goes; flags whose
  // meaning differs between the engines are refused. Other (? forms pass through.
  Status group_flags() {
    std::size_t end = pos_ + 2;
    while (end < in_.size() && std::string_view("aiLmsux-").find(in_[end]) != std::string::npos) {
      ++end;
    }
    const std::string_view flags = in_.substr(pos_ + 2, end - pos_ - 2);
    if (flags.empty() || end >= in_.size() || (in_[end] != ')' && in_[end] != ':')) {
      out_ += "(?";
      pos_ += 2;
      return Status::OK();
    }
    std::string kept;
    for (const char flag : flags) {
      if (flag == 'u') continue;
      if (flag == 'm' || flag == 's' || flag == '-') {
        kept += flag;
      } else {
        return unsupported(std::string("the (?") + flag + ") flag");
      }
    }
    if (in_[end] == ')') {
      if (!kept.empty()) out_ += "(?" + kept + ")";
    } else {
      out_ += "(?" + kept + ":";
    }
    pos_ = end + 1;
    return Status::OK();
  }

  Status escape() {
    if (pos_ + 1 >= in_.size()) {
      return Status::Invalid("token_pattern: bad escape (end of pattern)");
    }
    const char c = in_[pos_ + 1];
    pos_ += 2;
    const std::string& word = word_items();
    const std::string& space = space_items();
    switch (c) {
      case 'w': out_ += in_class_ ? word : "[" + word + "]"; return Status::OK();
      case 's': out_ += in_class_ ? space : "[" + space + "]"; return Status::OK();
      case 'W':
      case 'S':
        if (in_class_) {
          complements_.push_back(c == 'W' ? word : space);
        } else {
          out_ += "[^" + (c == 'W' ? word : space) + "]";
        }
        return Status::OK();
      case 'd':
      case 'D': out_ += std::string("\\") + c; return Status::OK();  // \p{Nd} in both engines
      case 'b':
        if (in_class_) {
          out_ += "\\x{8}";  // backspace inside a class
        } else {
          out_ += "(?:(?<=[" + word + "])(?![" + word + "])|(?<![" + word + "])(?=[" + word + "]))";
        }
        return Status::OK();
      case 'B':
        if (in_class_) return Status::Invalid("token_pattern: bad escape \\B in a class");
        out_ += "(?:(?<=[" + word + "])(?=[" + word + "])|(?<![" + word + "])(?![" + word + "]))";
        return Status::OK();
      case 'Z': out_ += "\\z"; return Status::OK();
      case 'A': out_ += "\\A"; return Status::OK();
      case 'v': out_ += "\\x{B}"; return Status::OK();
      case 'a': out_ += "\\x{7}"; return Status::OK();
      case 'f':
      case 'n':
      case 'r':
      case 't': out_ += std::string("\\") + c; return Status::OK();
      case 'N': return unsupported("a named character escape \\N{...}");
      case 'x': return hex_escape(2, c);
      case 'u': return hex_escape(4, c);
      case 'U': return hex_escape(8, c);
      default: break;
    }
    if (c >= '0' && c <= '9') {
      if (in_class_) return unsupported("an octal or group reference escape in a class");
      out_ += std::string("\\") + c;  // a group reference \1 ... \9
      return Status::OK();
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return Status::Invalid(std::string("token_pattern: bad escape \\") + c);
    }
    out_ += '\\';
    out_ += c;  // an escaped punctuation character or a multi-byte literal's first byte
    return Status::OK();
  }

  // \xHH, \uHHHH, \UHHHHHHHH: exactly `digits` hex digits, as Python requires.
  Status hex_escape(std::size_t digits, char kind) {
    const std::string_view hex = in_.substr(pos_, digits);
    if (hex.size() != digits ||
        hex.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
      return Status::Invalid(std::string("token_pattern: incomplete escape \\") + kind);
    }
    out_ += "\\x{" + std::string(hex) + "}";
    pos_ += digits;
    return Status::OK();
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool in_class_ = false;
  bool negated_ = false;                  // the open class starts with ^
  std::size_t class_start_ = 0;           // where the open class's items start in out_
  std::vector<std::string> complements_;  // the open class's \W and \S, as the classes they negate
  std::string out_;
};

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(code, buffer, sizeof(buffer));
  return reinterpret_cast<const char*>(buffer);
}

}  // namespace

struct TokenPattern::Compiled {
  pcre2_code* code = nullptr;
  ~Compiled() { pcre2_code_free(code); }
};

TokenPattern::TokenPattern(std::string pattern, std::unique_ptr<Compiled> compiled, bool one_group)
    : pattern_(std::move(pattern)), compiled_(std::move(compiled)), one_group_(one_group) {}

TokenPattern::~TokenPattern() = default;

Result<std::shared_ptr<const TokenPattern>> TokenPattern::compile(std::string_view python_pattern) {
  PARAFEAT_ASSIGN_OR_RAISE(std::string translated, Translator(python_pattern).run());
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  pcre2_set_newline(context, PCRE2_NEWLINE_LF);
  auto compiled = std::make_unique<Compiled>();
  compiled->code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                    PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &error, &offset, context);
  pcre2_compile_context_free(context);
  if (compiled->code == nullptr) {
    return Status::Invalid("token_pattern " + std::string(python_pattern) +
                           " does not compile: " + pcre2_message(error));
  }
  pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter
  std::uint32_t groups = 0;
  pcre2_pattern_info(compiled->code, PCRE2_INFO_CAPTURECOUNT, &groups);
  if (groups > 1) {
    return Status::Invalid(
        "More than 1 capturing group in token_pattern. Only a single group should be captured.");
  }
  return std::shared_ptr<const TokenPattern>(
      new TokenPattern(std::string(python_pattern), std::move(compiled), groups == 1));
}

Status TokenPattern::find_all(std::string_view text, std::vector<std::string_view>& tokens) const {
  pcre2_match_data* match = pcre2_match_data_create_from_pattern(compiled_->code, nullptr);
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  PCRE2_SIZE start = 0;
  std::uint32_t options = 0;
  Status status = Status::OK();
  while (start <= text.size()) {
    int found = pcre2_match(compiled_->code, subject, text.size(), start,
                            options | PCRE2_NO_UTF_CHECK, match, nullptr);
    if (found == PCRE2_ERROR_JIT_STACKLIMIT) {  // deep backtracking: the interpreter's heap
      found = pcre2_match(compiled_->code, subject, text.size(), start,
                          options | PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, match, nullptr);
    }
    if (found == PCRE2_ERROR_NOMATCH) break;
    if (found < 0) {
      status = Status::Invalid("token_pattern: matching failed: " + pcre2_message(found));
      break;
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
    const std::size_t group = one_group_ ? 1 : 0;
    const PCRE2_SIZE begin = ovector[2 * group];
    const PCRE2_SIZE end = ovector[2 * group + 1];
    tokens.push_back(begin == PCRE2_UNSET ? std::string_view() : text.substr(begin, end - begin));
    // As Python's findall: after an empty match, the next match may start at the same place
    // only if it is not empty there.
    start = ovector[1];
    options = ovector[0] == ovector[1] ? PCRE2_NOTEMPTY_ATSTART : 0;
  }
  pcre2_match_data_free(match);
  return status;
}

}  // namespace parafeat::text
