// ParamReader: typed reads with defaults, range and choice checks, unknown-key detection.
#include "common/param_reader.h"

#include <gtest/gtest.h>

namespace parafeat {
namespace {

TEST(ParamReader, ReturnsDefaultsAndRecordsThem) {
  Params given;
  ParamReader reader("demo", given);
  EXPECT_EQ(*reader.integer("size", 7, 1, 10), 7);
  EXPECT_EQ(*reader.boolean("flag", true), true);
  EXPECT_EQ(*reader.optional_choice("norm", std::nullopt, {"l1"}), std::nullopt);
  EXPECT_TRUE(reader.finish().ok());
  EXPECT_EQ(reader.resolved().at("size"), ParamValue(7));
  EXPECT_EQ(reader.resolved().at("norm"), ParamValue());
}

TEST(ParamReader, ReadsGivenValues) {
  Params given{{"size", 3}, {"pair", ParamValue::List{1, 4}}, {"mode", "b"}};
  ParamReader reader("demo", given);
  EXPECT_EQ(*reader.integer("size", 7, 1, 10), 3);
  EXPECT_EQ(*reader.integer_pair("pair", {1, 1}, 1, 9),
            (std::pair<std::int64_t, std::int64_t>{1, 4}));
  EXPECT_EQ(*reader.choice("mode", "a", {"a", "b"}), "b");
  EXPECT_TRUE(reader.finish().ok());
}

TEST(ParamReader, RejectsOutOfRangeAndWrongTypes) {
  Params given{{"size", 11}, {"flag", 1}, {"pair", ParamValue::List{1}}};
  ParamReader reader("demo", given);
  EXPECT_EQ(reader.integer("size", 7, 1, 10).status().message(),
            "demo: parameter 'size' must be an int in [1, 10], got 11 (int)");
  EXPECT_EQ(reader.boolean("flag", true).status().message(),
            "demo: parameter 'flag' must be True or False, got 1 (int)");
  EXPECT_EQ(reader.integer_pair("pair", {1, 1}, 1, 9).status().message(),
            "demo: parameter 'pair' must be a pair of ints in [1, 9], got [1] (list)");
}

TEST(ParamReader, BoolIsNotAnInteger) {
  Params given{{"size", true}};
  ParamReader reader("demo", given);
  EXPECT_FALSE(reader.integer("size", 7, 0, 10).ok());
}

TEST(ParamReader, FinishNamesUnknownKeys) {
  Params given{{"size", 3}, {"colour", "red"}, {"shape", "round"}};
  ParamReader reader("demo", given);
  ASSERT_TRUE(reader.integer("size", 7, 1, 10).ok());
  EXPECT_EQ(reader.finish().message(),
            "demo: unknown parameter(s) 'colour', 'shape'; known parameters: 'size'");
}

TEST(ParamReader, OnlyDefaultAcceptsTheDefaultAlone) {
  Params given{{"strip", "ascii"}};
  ParamReader reader("demo", given);
  Status status = reader.only_default("strip", nullptr);
  EXPECT_EQ(status.code(), StatusCode::kNotImplemented);
  EXPECT_EQ(status.message(),
            "demo: parameter 'strip' = 'ascii' is not supported yet; only None is");
}

}  // namespace
}  // namespace parafeat
