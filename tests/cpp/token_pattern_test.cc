// TokenPattern: Python re.findall's tokens for custom token patterns, with Python's \w and \b.
#include "extractors/text/token_pattern.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parafeat::text {
namespace {

std::vector<std::string> find_all(std::string_view pattern, std::string_view text) {
  Result<std::shared_ptr<const TokenPattern>> compiled = TokenPattern::compile(pattern);
  EXPECT_TRUE(compiled.ok()) << compiled.status().to_string();
  std::vector<std::string_view> tokens;
  EXPECT_TRUE(compiled.value()->find_all(text, tokens).ok());
  return {tokens.begin(), tokens.end()};
}

TEST(TokenPattern, FindsEveryMatchLikePythonFindall) {
  EXPECT_EQ(find_all(R"(\w+)", "ab, c_d  ΣΟΦΙΑ!"),
            (std::vector<std::string>{"ab", "c_d", "ΣΟΦΙΑ"}));
  // Empty matches count, and a match may start where an empty one ended.
  EXPECT_EQ(find_all(R"(\w*)", "ab c"), (std::vector<std::string>{"ab", "", "c", ""}));
  EXPECT_EQ(find_all("a|", "ba"), (std::vector<std::string>{"", "a", ""}));
}

TEST(TokenPattern, ReturnsTheOneCapturingGroup) {
  EXPECT_EQ(find_all(R"((\w+)@)", "me@ you@ x"), (std::vector<std::string>{"me", "you"}));
}

TEST(TokenPattern, WordClassesAreThoseOfPython) {
  // ² (superscript two) is alphanumeric in Python; a combining acute accent (U+0301) is not.
  EXPECT_EQ(find_all(R"(\w+)", "x² e\u0301"), (std::vector<std::string>{"x²", "e"}));
  EXPECT_EQ(find_all(R"(\b\w)", "ab cd"), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(find_all(R"([^\W\d_]+)", "a1_bc"), (std::vector<std::string>{"a", "bc"}));
}

TEST(TokenPattern, RejectsWhatItCannotMatchAsPythonDoes) {
  EXPECT_EQ(TokenPattern::compile("(?i)abc").status().code(), StatusCode::kNotImplemented);
  EXPECT_EQ(TokenPattern::compile(R"(\N{BULLET})").status().code(), StatusCode::kNotImplemented);
  EXPECT_EQ(TokenPattern::compile(R"(\p{L})").status().code(), StatusCode::kInvalid);
  EXPECT_EQ(TokenPattern::compile("(a)(b)").status().code(), StatusCode::kInvalid);
  EXPECT_EQ(TokenPattern::compile("(unclosed").status().code(), StatusCode::kInvalid);
}

}  // namespace
}  // namespace parafeat::text
