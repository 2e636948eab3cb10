// TokenPattern: a custom token_pattern (scikit-learn's regular expression for word tokens), run by
// PCRE2 with Python `re` semantics for the syntax both share. The pattern is translated first:
// \w, \W, \s, \S, \b and \B become explicit classes and lookarounds built from the building
// Python's own tables (so they agree with Python's str.isalnum()/isspace() for every code point),
// Python-only spellings are rewritten (\Z, \uXXXX, {,n}, \v, a literal [ inside a class), and
// syntax whose meaning differs or that Python rejects is an error naming it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parafeat/status.h"

namespace parafeat::text {

class TokenPattern {
 public:
  /// Compiles `python_pattern`; errors say which construct is unsupported or why it is invalid.
  static Result<std::shared_ptr<const TokenPattern>> compile(std::string_view python_pattern);

  ~TokenPattern();
  TokenPattern(const TokenPattern&) = delete;
  TokenPattern& operator=(const TokenPattern&) = delete;

  /// The pattern as given.
  const std::string& pattern() const { return pattern_; }

  /// Appends to `tokens` what Python's re.findall(pattern, text) returns for valid UTF-8 `text`:
  /// each match (or its one capturing group), as views into `text`.
  Status find_all(std::string_view text, std::vector<std::string_view>& tokens) const;

 private:
  struct Compiled;
  TokenPattern(std::string pattern, std::unique_ptr<Compiled> compiled, bool one_group);

  std::string pattern_;
  std::unique_ptr<Compiled> compiled_;
  bool one_group_ = false;
};

}  // namespace parafeat::text
