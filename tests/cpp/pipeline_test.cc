// Pipeline specs: parsing, validation messages, YAML round trips and transform over a Batch.
#include "parafeat/pipeline.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "test_support.h"

namespace parafeat {
namespace {

constexpr const char* kSpec = R"(
version: 1
extractors:
  - name: hashing_vectorizer
    column: text
    params: {n_features: 64, ngram_range: [1, 2], norm: null, binary: true}
    output: text_hash
  - name: hashing_vectorizer
    column: title
)";

TEST(Pipeline, ParsesStepsWithTypedParams) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(kSpec);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().to_string();
  ASSERT_EQ(pipeline->steps().size(), 2u);
  const PipelineStep& first = pipeline->steps()[0];
  EXPECT_EQ(first.column, "text");
  EXPECT_EQ(first.output, "text_hash");
  EXPECT_EQ(first.extractor->params().at("n_features"), ParamValue(64));
  EXPECT_EQ(first.extractor->params().at("norm"), ParamValue());
  EXPECT_EQ(first.extractor->params().at("binary"), ParamValue(true));
  EXPECT_EQ(pipeline->steps()[1].output, "hashing_vectorizer");  // defaults to the name
  EXPECT_EQ(pipeline->input_columns(), (std::vector<std::string>{"text", "title"}));
}

TEST(Pipeline, ToYamlRoundTripsToTheSameResolvedSpec) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(kSpec);
  ASSERT_TRUE(pipeline.ok());
  const std::string yaml = pipeline->to_yaml();
  Result<Pipeline> again = Pipeline::from_yaml(yaml);
  ASSERT_TRUE(again.ok()) << again.status().to_string() << "\n" << yaml;
  EXPECT_EQ(again->to_yaml(), yaml);
  EXPECT_EQ(again->steps()[0].extractor->params(), pipeline->steps()[0].extractor->params());
}

TEST(Pipeline, QuotedScalarsStayStrings) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(
      "version: 1\nextractors: [{name: hashing_vectorizer, column: t, params: {n_features: '8'}}]");
  ASSERT_FALSE(pipeline.ok());
  EXPECT_EQ(pipeline.status().message(),
            "extractors[0]: hashing_vectorizer: parameter 'n_features' must be an int in [1, "
            "2147483647], got '8' (str)");
}

struct BadSpec {
  const char* yaml;
  const char* message;
  friend void PrintTo(const BadSpec& spec, std::ostream* out) { *out << spec.message; }
};

class PipelineRejects : public ::testing::TestWithParam<BadSpec> {};

TEST_P(PipelineRejects, WithAMessageNamingTheProblem) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(GetParam().yaml);
  ASSERT_FALSE(pipeline.ok());
  EXPECT_NE(pipeline.status().message().find(GetParam().message), std::string::npos)
      << pipeline.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    BadSpecs, PipelineRejects,
    ::testing::Values(
        BadSpec{"version: 1\nextractors: []", "'extractors' must be a non-empty list"},
        BadSpec{"extractors: [{name: hashing_vectorizer, column: t}]", "'version' must be 1"},
        BadSpec{"version: 1\nextractors: [{name: x, column: t}]\nother: 1", "unknown key 'other'"},
        BadSpec{"version: 1\nextractors: [{name: nope, column: t}]",
                "extractors[0]: unknown extractor 'nope'"},
        BadSpec{"version: 1\nextractors: [{name: hashing_vectorizer}]",
                "extractors[0]: missing key 'column'"},
        BadSpec{"version: 1\nextractors: [{name: hashing_vectorizer, column: t, params: [1]}]",
                "extractors[0].params: expected a mapping"},
        BadSpec{"version: 1\nextractors: [{name: hashing_vectorizer, column: t, "
                "params: {n_features: {a: 1}}}]",
                "parameter 'n_features' must be an int in [1, 2147483647], got {'a': 1} (dict)"},
        BadSpec{"version: 1\nextractors: [{name: hashing_vectorizer, column: t}, "
                "{name: hashing_vectorizer, column: u}]",
                "extractors[1]: output 'hashing_vectorizer' is already written"},
        BadSpec{"version: 1\nextractors: [", "not valid YAML"},
        BadSpec{"version: 1\nextractors: [{name: hashing_vectorizer, column: t, "
                "params: {[a]: 1}}]",
                "extractors[0].params: keys must be strings, got a list"},
        BadSpec{"version: 1\n{a: 1}: 2\nextractors: [{name: hashing_vectorizer, column: t}]",
                "pipeline spec: keys must be strings, got a mapping"},
        BadSpec{"version: 1\nextractors: [{name: hashing_vectorizer, column: t}]\n"
                "extractors: [{name: hashing_vectorizer, column: u}]",
                "pipeline spec: key 'extractors' is given twice"},
        BadSpec{"version: 1\nextractors: [{name: hashing_vectorizer, column: t, column: u}]",
                "extractors[0]: key 'column' is given twice"},
        BadSpec{"version: 1\nextractors: [{name: hashing_vectorizer, column: t, "
                "params: {n_features: 16, n_features: 32}}]",
                "extractors[0].params: key 'n_features' is given twice"}));

// "Billion laughs": nine levels of aliases, each ten of the one before, would make 10^9 values.
TEST(Pipeline, RefusesAliasesExpandingFarBeyondTheSpecsSize) {
  std::string yaml =
      "version: 1\nextractors:\n- name: hashing_vectorizer\n  column: t\n"
      "  params:\n    l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 9; ++level) {
    const std::string below = "*l" + std::to_string(level - 1);
    yaml += "    l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) yaml += (i > 0 ? ", " : "") + below;
    yaml += "]\n";
  }
  Result<Pipeline> pipeline = Pipeline::from_yaml(yaml);
  ASSERT_FALSE(pipeline.ok());
  EXPECT_NE(pipeline.status().message().find("more values than its size allows"), std::string::npos)
      << pipeline.status().message();
}

TEST(Pipeline, ReadsAnAliasUsedAFewTimes) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(
      "version: 1\nextractors:\n"
      "- {name: hashing_vectorizer, column: t, output: a, params: &shared {n_features: 64}}\n"
      "- {name: hashing_vectorizer, column: u, output: b, params: *shared}\n");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  EXPECT_EQ(pipeline->steps()[1].extractor->params().at("n_features"), ParamValue(64));
}

TEST(Pipeline, TransformNamesTheMissingColumn) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(kSpec);
  ASSERT_TRUE(pipeline.ok());
  Result<Batch> input = make_string_batch({{"text", {"a b", "c d"}}});
  ASSERT_TRUE(input.ok()) << input.status().to_string();
  Result<Batch> output = pipeline->transform(*input, testing::make_executor(1));
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.status().code(), StatusCode::kKeyError);
  EXPECT_NE(output.status().message().find("extractor 'hashing_vectorizer', column 'title'"),
            std::string::npos)
      << output.status().message();
}

TEST(Pipeline, TransformWritesOneColumnPerStep) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(kSpec);
  ASSERT_TRUE(pipeline.ok());
  Result<Batch> input =
      make_string_batch({{"text", {"aa bb", std::nullopt}}, {"title", {"x", "y"}}});
  ASSERT_TRUE(input.ok());
  // The null in 'text' row 1 is reported with the step and the row.
  Result<Batch> failed = pipeline->transform(*input, testing::make_executor(2));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(),
            "extractor 'text_hash', column 'text': row 1: expected a string, got null");

  Result<Batch> good = make_string_batch({{"text", {"aa bb", ""}}, {"title", {"x", "yy"}}});
  ASSERT_TRUE(good.ok());
  Result<Batch> output = pipeline->transform(*good, testing::make_executor(2));
  ASSERT_TRUE(output.ok()) << output.status().to_string();
  EXPECT_EQ(output->num_rows(), 2);
  ASSERT_EQ(output->num_columns(), 2);
  EXPECT_EQ(output->column_name(0), "text_hash");
  EXPECT_EQ(output->column_name(1), "hashing_vectorizer");
}

}  // namespace
}  // namespace parafeat
