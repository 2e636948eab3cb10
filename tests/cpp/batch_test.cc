// Batch: import/export through the Arrow C Data Interface, string columns with offsets and nulls,
// feature batch layout, stream export, and release semantics.
#include "parafeat/batch.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/arrow_c_internal.h"

namespace parafeat {
namespace {

using internal::UniqueArray;
using internal::UniqueSchema;
using Strings = std::vector<std::optional<std::string>>;

Strings values_of(const StringColumn& column) {
  Strings values;
  for (std::int64_t i = 0; i < column.length(); ++i) {
    if (column.is_null(i)) {
      values.emplace_back();
    } else {
      values.emplace_back(std::string(column.value(i)));
    }
  }
  return values;
}

Batch string_batch(std::vector<std::pair<std::string, Strings>> columns) {
  Result<Batch> batch = make_string_batch(std::move(columns));
  EXPECT_TRUE(batch.ok()) << batch.status().to_string();
  return std::move(batch).value();
}

// A record batch built by hand, as a foreign producer would: a utf8 column "text" and an int64
// column "id", both with their own offset of 1, under a struct sliced to rows [1, 4). The
// release callbacks count their calls; the parent's releases the children it still owns.
class ForeignBatch {
 public:
  ForeignBatch() {
    text_buffers_ = {&text_validity_, text_offsets_, text_data_};
    text_ = {.length = 5,
             .null_count = 1,
             .offset = 1,
             .n_buffers = 3,
             .n_children = 0,
             .buffers = text_buffers_.data(),
             .children = nullptr,
             .dictionary = nullptr,
             .release = &release_child_array,
             .private_data = this};
    id_buffers_ = {nullptr, ids_};
    id_ = {.length = 5,
           .null_count = 0,
           .offset = 1,
           .n_buffers = 2,
           .n_children = 0,
           .buffers = id_buffers_.data(),
           .children = nullptr,
           .dictionary = nullptr,
           .release = &release_child_array,
           .private_data = this};
    child_arrays_ = {&id_, &text_};
    root_buffers_ = {nullptr};
    root = {.length = 3,
            .null_count = 0,
            .offset = 1,
            .n_buffers = 1,
            .n_children = 2,
            .buffers = root_buffers_.data(),
            .children = child_arrays_.data(),
            .dictionary = nullptr,
            .release = &release_root_array,
            .private_data = this};

    id_schema_ = leaf_schema("l", "id");
    text_schema_ = leaf_schema("u", "text");
    child_schemas_ = {&id_schema_, &text_schema_};
    schema = {.format = "+s",
              .name = "",
              .metadata = nullptr,
              .flags = 0,
              .n_children = 2,
              .children = child_schemas_.data(),
              .dictionary = nullptr,
              .release = &release_root_schema,
              .private_data = this};
  }
  ForeignBatch(const ForeignBatch&) = delete;
  ForeignBatch& operator=(const ForeignBatch&) = delete;

  ArrowArray root{};
  ArrowSchema schema{};
  int array_releases = 0;
  int schema_releases = 0;
  int child_array_releases = 0;

 private:
  ArrowSchema leaf_schema(const char* format, const char* name) {
    return {.format = format,
            .name = name,
            .metadata = nullptr,
            .flags = ARROW_FLAG_NULLABLE,
            .n_children = 0,
            .children = nullptr,
            .dictionary = nullptr,
            .release = &release_child_schema,
            .private_data = this};
  }
  static ForeignBatch& of(void* private_data) { return *static_cast<ForeignBatch*>(private_data); }
  static void release_child_array(ArrowArray* array) {
    ++of(array->private_data).child_array_releases;
    array->release = nullptr;
  }
  static void release_child_schema(ArrowSchema* schema) { schema->release = nullptr; }
  static void release_root_array(ArrowArray* array) {
    for (std::int64_t i = 0; i < array->n_children; ++i)
      internal::release_struct(array->children[i]);
    ++of(array->private_data).array_releases;
    array->release = nullptr;
  }
  static void release_root_schema(ArrowSchema* schema) {
    for (std::int64_t i = 0; i < schema->n_children; ++i) {
      internal::release_struct(schema->children[i]);
    }
    ++of(schema->private_data).schema_releases;
    schema->release = nullptr;
  }

  // Physical text values: "zero", "one", "two", null, "four", "five" (bit 3 of validity unset).
  std::int32_t text_offsets_[7] = {0, 4, 7, 10, 10, 14, 18};
  const char* text_data_ = "zeroonetwofourfive";
  std::uint8_t text_validity_ = 0x37;
  std::int64_t ids_[6] = {100, 101, 102, 103, 104, 105};
  std::vector<const void*> text_buffers_, id_buffers_, root_buffers_;
  ArrowArray text_{}, id_{};
  std::vector<ArrowArray*> child_arrays_;
  ArrowSchema text_schema_{}, id_schema_{};
  std::vector<ArrowSchema*> child_schemas_;
};

TEST(Batch, MakeStringBatchHoldsLargeUtf8Columns) {
  Batch batch = string_batch({{"id", {"a", "b", "c"}}, {"text", {"héllo", std::nullopt, ""}}});
  EXPECT_EQ(batch.num_rows(), 3);
  ASSERT_EQ(batch.num_columns(), 2);
  EXPECT_EQ(batch.column_name(0), "id");
  EXPECT_EQ(batch.column_name(1), "text");
  EXPECT_EQ(batch.column_format(0), "U");
  EXPECT_EQ(batch.column_format(1), "U");
  Result<StringColumn> text = batch.string_column("text");
  ASSERT_TRUE(text.ok()) << text.status().to_string();
  EXPECT_EQ(values_of(*text), (Strings{"héllo", std::nullopt, ""}));
  EXPECT_EQ(values_of(*batch.string_column("id")), (Strings{"a", "b", "c"}));
}

TEST(Batch, MakeStringBatchRejectsColumnsOfDifferentLengths) {
  Result<Batch> batch = make_string_batch({{"a", {"x", "y"}}, {"b", {"z"}}});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().to_string(), "Invalid: column 'b' has 1 values; column 'a' has 2");
}

TEST(Batch, StringBuilderBitmapSpansBytesAndStartsAtTheFirstNull) {
  // The first null comes after nine valid rows, so the bitmap must be back-filled across a byte.
  Strings values;
  for (int i = 0; i < 20; ++i) {
    values.push_back(i == 9 || i == 16 || i == 19 ? std::nullopt
                                                  : std::optional<std::string>(std::to_string(i)));
  }
  Batch batch = string_batch({{"v", values}});
  EXPECT_EQ(values_of(*batch.string_column("v")), values);

  ArrowArray array;
  ArrowSchema schema;
  std::move(batch).export_to(&array, &schema);
  const ArrowArray& column = *array.children[0];
  EXPECT_EQ(column.null_count, 3);
  const auto* bitmap = static_cast<const std::uint8_t*>(column.buffers[0]);
  EXPECT_EQ(bitmap[0], 0xFF);
  EXPECT_EQ(bitmap[1], 0xFD);         // Rows 8..15: only row 9 is null.
  EXPECT_EQ(bitmap[2] & 0x0F, 0x06);  // Rows 16..19: rows 16 and 19 are null.
  internal::release_struct(&array);
  internal::release_struct(&schema);
}

TEST(Batch, ColumnsWithoutNullsHaveNoBitmap) {
  Batch batch = string_batch({{"v", {"a", "b"}}});
  ArrowArray array;
  ArrowSchema schema;
  std::move(batch).export_to(&array, &schema);
  EXPECT_EQ(array.children[0]->null_count, 0);
  EXPECT_EQ(array.children[0]->buffers[0], nullptr);
  const auto* offsets = static_cast<const std::int64_t*>(array.children[0]->buffers[1]);
  EXPECT_EQ(offsets[0], 0);
  EXPECT_EQ(offsets[1], 1);
  EXPECT_EQ(offsets[2], 2);
  EXPECT_EQ(std::memcmp(array.children[0]->buffers[2], "ab", 2), 0);
  internal::release_struct(&array);
  internal::release_struct(&schema);
}

TEST(Batch, ExportImportRoundTrip) {
  Batch batch = string_batch({{"text", {"x", std::nullopt, "zz"}}});
  ArrowArray array;
  ArrowSchema schema;
  std::move(batch).export_to(&array, &schema);
  EXPECT_EQ(batch.num_rows(), 0);  // NOLINT(bugprone-use-after-move): exported batches are empty.
  EXPECT_EQ(batch.num_columns(), 0);
  EXPECT_STREQ(schema.format, "+s");
  EXPECT_EQ(array.length, 3);

  Result<Batch> imported = Batch::import(&array, &schema);
  ASSERT_TRUE(imported.ok()) << imported.status().to_string();
  EXPECT_EQ(array.release, nullptr);  // Moved into the batch.
  EXPECT_EQ(schema.release, nullptr);
  EXPECT_EQ(values_of(*imported->string_column("text")), (Strings{"x", std::nullopt, "zz"}));
}

TEST(Batch, EmptyBatchExportsZeroRowsAndColumns) {
  Batch batch;
  ArrowArray array;
  ArrowSchema schema;
  std::move(batch).export_to(&array, &schema);
  EXPECT_STREQ(schema.format, "+s");
  EXPECT_EQ(schema.n_children, 0);
  EXPECT_EQ(array.length, 0);
  ASSERT_NE(array.release, nullptr);
  internal::release_struct(&array);
  internal::release_struct(&schema);
}

TEST(Batch, ImportAppliesStructAndChildOffsetsAndValidity) {
  ForeignBatch foreign;
  Result<Batch> batch = Batch::import(&foreign.root, &foreign.schema);
  ASSERT_TRUE(batch.ok()) << batch.status().to_string();
  EXPECT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->column_format(1), "u");
  Result<StringColumn> text = batch->string_column("text");
  ASSERT_TRUE(text.ok()) << text.status().to_string();
  // Struct offset 1 + child offset 1: batch rows 0..2 are physical values 2..4.
  EXPECT_EQ(values_of(*text), (Strings{"two", std::nullopt, "four"}));
}

TEST(Batch, ImportedStructsAreReleasedExactlyOnceByTheBatch) {
  ForeignBatch foreign;
  {
    Result<Batch> batch = Batch::import(&foreign.root, &foreign.schema);
    ASSERT_TRUE(batch.ok());
    EXPECT_EQ(foreign.root.release, nullptr);
    EXPECT_EQ(foreign.schema.release, nullptr);
    Batch moved = std::move(batch).value();
    Batch assigned;
    assigned = std::move(moved);
    EXPECT_EQ(foreign.array_releases, 0);
  }
  EXPECT_EQ(foreign.array_releases, 1);
  EXPECT_EQ(foreign.schema_releases, 1);
  EXPECT_EQ(foreign.child_array_releases, 2);
}

TEST(Batch, FailedImportLeavesTheStructsToTheCaller) {
  ForeignBatch foreign;
  foreign.root.length = 5;  // Struct offset 1 + length 5 needs 6 child values; they have 5.
  Result<Batch> batch = Batch::import(&foreign.root, &foreign.schema);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().to_string(),
            "Invalid: column 'id' has 5 values; the batch needs at least 6 (the struct's offset "
            "plus its length)");
  EXPECT_NE(foreign.root.release, nullptr);
  EXPECT_NE(foreign.schema.release, nullptr);
  EXPECT_EQ(foreign.array_releases, 0);
  internal::release_struct(&foreign.root);
  internal::release_struct(&foreign.schema);
  EXPECT_EQ(foreign.array_releases, 1);
}

TEST(Batch, ImportRejectsANonStructArray) {
  ForeignBatch foreign;
  foreign.schema.format = "l";
  Result<Batch> batch = Batch::import(&foreign.root, &foreign.schema);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kTypeError);
  EXPECT_EQ(batch.status().message(),
            "a batch must be an Arrow struct array (format '+s') whose children are its columns; "
            "got int64 (format 'l')");
  foreign.schema.format = "+s";
  internal::release_struct(&foreign.root);
  internal::release_struct(&foreign.schema);
}

TEST(Batch, ImportRejectsReleasedStructsAndNullRows) {
  ArrowArray released{};
  ArrowSchema released_schema{};
  EXPECT_EQ(Batch::import(&released, &released_schema).status().to_string(),
            "Invalid: cannot import a released ArrowArray or ArrowSchema");

  ForeignBatch foreign;
  const std::uint8_t validity = 0xFB;  // Bit 2 unset: struct row 1 (offset 1) is null.
  foreign.root.buffers[0] = &validity;
  foreign.root.null_count = 1;
  EXPECT_EQ(Batch::import(&foreign.root, &foreign.schema).status().to_string(),
            "Invalid: a batch cannot have null rows; the struct array has 1");
  internal::release_struct(&foreign.root);
  internal::release_struct(&foreign.schema);
}

TEST(Batch, NonStringColumnIsATypeErrorNamingItsType) {
  ForeignBatch foreign;
  Result<Batch> batch = Batch::import(&foreign.root, &foreign.schema);
  ASSERT_TRUE(batch.ok());
  Result<StringColumn> id = batch->string_column("id");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kTypeError);
  EXPECT_EQ(id.status().message(),
            "column 'id' has Arrow type int64 (format 'l'); expected a string column (utf8 or "
            "large_utf8)");
}

TEST(Batch, MissingColumnIsAKeyErrorListingTheColumns) {
  ForeignBatch foreign;
  Result<Batch> batch = Batch::import(&foreign.root, &foreign.schema);
  ASSERT_TRUE(batch.ok());
  Result<StringColumn> column = batch->string_column("txt");
  ASSERT_FALSE(column.ok());
  EXPECT_EQ(column.status().code(), StatusCode::kKeyError);
  EXPECT_EQ(column.status().message(), "no column 'txt'; the input has columns: 'id', 'text'");

  Batch empty = internal::assemble_batch(0, {}).move_value();
  EXPECT_EQ(empty.string_column("txt").status().message(),
            "no column 'txt'; the input has no columns");
}

TEST(Batch, TypeNamesAreReadable) {
  const auto name_of = [](const char* format) {
    UniqueSchema schema = internal::export_schema(format, "x");
    return internal::arrow_type_name(*schema.get());
  };
  EXPECT_EQ(name_of("l"), "int64");
  EXPECT_EQ(name_of("g"), "float64");
  EXPECT_EQ(name_of("U"), "large_utf8");
  EXPECT_EQ(name_of("vu"), "string_view");
  EXPECT_EQ(name_of("tsu:UTC"), "timestamp[us, tz=UTC]");
  EXPECT_EQ(name_of("tsn:"), "timestamp[ns]");
  EXPECT_EQ(name_of("d:10,2"), "decimal(10,2)");
  EXPECT_EQ(name_of("?weird"), "?weird");

  std::vector<UniqueSchema> item;
  item.push_back(internal::export_schema("i", "item"));
  UniqueSchema list = internal::export_schema("+l", "x", std::move(item));
  EXPECT_EQ(internal::arrow_type_name(*list.get()), "list<int32>");

  UniqueSchema dictionary = internal::export_schema("u", "");
  UniqueSchema indices = internal::export_schema("i", "x");
  indices->dictionary = dictionary.get();
  EXPECT_EQ(internal::arrow_type_name(*indices.get()), "dictionary<values=utf8, indices=int32>");
  indices->dictionary = nullptr;
}

TEST(Batch, ConsumerMayMoveAChildOutBeforeReleasingTheParent) {
  Batch batch = string_batch({{"a", {"first"}}, {"b", {"second"}}});
  ArrowArray array;
  ArrowSchema schema;
  std::move(batch).export_to(&array, &schema);

  // Move column "b" out of the batch, as a consumer keeping one column does.
  ArrowArray column;
  internal::move_struct(array.children[1], &column);
  EXPECT_EQ(array.children[1]->release, nullptr);
  internal::release_struct(&array);
  internal::release_struct(&schema);
  EXPECT_EQ(array.release, nullptr);
  EXPECT_EQ(schema.release, nullptr);

  // The moved-out column outlives its parent (ASan would flag a use after free).
  const auto* offsets = static_cast<const std::int64_t*>(column.buffers[1]);
  EXPECT_EQ(std::string(static_cast<const char*>(column.buffers[2]) + offsets[0],
                        static_cast<std::size_t>(offsets[1] - offsets[0])),
            "second");
  internal::release_struct(&column);
  EXPECT_EQ(column.release, nullptr);
}

// A feature column: rows {1: 0.5, 7: 2.0}, {}, {3: -1.25} in a space of 10.
SparseRows sample_rows() {
  SparseRows rows;
  rows.num_columns = 10;
  rows.indices = {1, 7};
  rows.values = {0.5, 2.0};
  rows.end_row();
  rows.end_row();
  rows.indices.push_back(3);
  rows.values.push_back(-1.25);
  rows.end_row();
  return rows;
}

// Checks the schema of one feature column: struct<indices: <list>, values: <list>>.
void expect_feature_schema(const ArrowSchema& column, const char* name, const char* list_format,
                           const char* value_format) {
  EXPECT_STREQ(column.name, name);
  EXPECT_STREQ(column.format, "+s");
  ASSERT_EQ(column.n_children, 2);
  const char* item_formats[2] = {"i", value_format};
  const char* field_names[2] = {"indices", "values"};
  for (int f = 0; f < 2; ++f) {
    const ArrowSchema& list = *column.children[f];
    EXPECT_STREQ(list.name, field_names[f]);
    EXPECT_STREQ(list.format, list_format);
    ASSERT_EQ(list.n_children, 1);
    EXPECT_STREQ(list.children[0]->name, "item");
    EXPECT_STREQ(list.children[0]->format, item_formats[f]);
  }
}

TEST(FeatureBatch, LayoutIsStructOfIndicesAndValuesLists) {
  SparseRows rows64 = sample_rows();
  const std::int32_t* indices_data = rows64.indices.data();
  const double* values_data = rows64.values.data();
  std::vector<FeatureColumn> columns;
  columns.push_back({"hash", std::move(rows64), FeatureDType::kFloat64});
  columns.push_back({"hash32", sample_rows(), FeatureDType::kFloat32});
  Result<Batch> batch = make_feature_batch(std::move(columns));
  ASSERT_TRUE(batch.ok()) << batch.status().to_string();
  EXPECT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->column_format(0), "+s");

  ArrowArray array;
  ArrowSchema schema;
  std::move(*batch).export_to(&array, &schema);
  ASSERT_EQ(schema.n_children, 2);
  expect_feature_schema(*schema.children[0], "hash", "+l", "g");
  expect_feature_schema(*schema.children[1], "hash32", "+l", "f");

  EXPECT_EQ(array.n_buffers, 1);
  EXPECT_EQ(array.buffers[0], nullptr);
  for (int c = 0; c < 2; ++c) {
    const ArrowArray& column = *array.children[c];
    EXPECT_EQ(column.length, 3);
    EXPECT_EQ(column.null_count, 0);
    EXPECT_EQ(column.offset, 0);
    ASSERT_EQ(column.n_buffers, 1);
    EXPECT_EQ(column.buffers[0], nullptr);
    ASSERT_EQ(column.n_children, 2);
    const ArrowArray& indices = *column.children[0];
    const ArrowArray& values = *column.children[1];
    for (const ArrowArray* list : {&indices, &values}) {
      EXPECT_EQ(list->length, 3);
      ASSERT_EQ(list->n_buffers, 2);
      EXPECT_EQ(list->buffers[0], nullptr);
      const auto* offsets = static_cast<const std::int32_t*>(list->buffers[1]);
      EXPECT_EQ(std::vector<std::int32_t>(offsets, offsets + 4),
                (std::vector<std::int32_t>{0, 2, 2, 3}));
      ASSERT_EQ(list->n_children, 1);
      EXPECT_EQ(list->children[0]->length, 3);
      ASSERT_EQ(list->children[0]->n_buffers, 2);
      EXPECT_EQ(list->children[0]->buffers[0], nullptr);
    }
    EXPECT_EQ(indices.buffers[1], values.buffers[1]);  // One offsets buffer serves both lists.
    const auto* index_data = static_cast<const std::int32_t*>(indices.children[0]->buffers[1]);
    EXPECT_EQ(std::vector<std::int32_t>(index_data, index_data + 3),
              (std::vector<std::int32_t>{1, 7, 3}));
  }
  // Float64 indices and values are moved into the batch, not copied.
  EXPECT_EQ(array.children[0]->children[0]->children[0]->buffers[1], indices_data);
  EXPECT_EQ(array.children[0]->children[1]->children[0]->buffers[1], values_data);
  const auto* doubles =
      static_cast<const double*>(array.children[0]->children[1]->children[0]->buffers[1]);
  EXPECT_EQ(std::vector<double>(doubles, doubles + 3), (std::vector<double>{0.5, 2.0, -1.25}));
  const auto* floats =
      static_cast<const float*>(array.children[1]->children[1]->children[0]->buffers[1]);
  EXPECT_EQ(std::vector<float>(floats, floats + 3), (std::vector<float>{0.5F, 2.0F, -1.25F}));

  internal::release_struct(&array);
  internal::release_struct(&schema);
}

TEST(FeatureBatch, ColumnsBeyondTheListLimitUseLargeListsOverTheIndptr) {
  SparseRows rows = sample_rows();
  const std::int64_t* indptr_data = rows.indptr.data();
  std::vector<FeatureColumn> columns;
  columns.push_back({"hash", std::move(rows), FeatureDType::kFloat64});
  Result<Batch> batch = internal::make_feature_batch(std::move(columns), /*max_list_values=*/2);
  ASSERT_TRUE(batch.ok()) << batch.status().to_string();

  ArrowArray array;
  ArrowSchema schema;
  std::move(*batch).export_to(&array, &schema);
  expect_feature_schema(*schema.children[0], "hash", "+L", "g");
  const ArrowArray& indices = *array.children[0]->children[0];
  EXPECT_EQ(indices.buffers[1], indptr_data);  // The int64 indptr is the offsets buffer as is.
  const auto* offsets = static_cast<const std::int64_t*>(indices.buffers[1]);
  EXPECT_EQ(std::vector<std::int64_t>(offsets, offsets + 4),
            (std::vector<std::int64_t>{0, 2, 2, 3}));
  internal::release_struct(&array);
  internal::release_struct(&schema);
}

TEST(FeatureBatch, EmptyColumnsHaveValidBuffers) {
  SparseRows rows;  // No rows at all.
  std::vector<FeatureColumn> columns;
  columns.push_back({"f", std::move(rows), FeatureDType::kFloat64});
  Result<Batch> batch = make_feature_batch(std::move(columns));
  ASSERT_TRUE(batch.ok());
  ArrowArray array;
  ArrowSchema schema;
  std::move(*batch).export_to(&array, &schema);
  EXPECT_EQ(array.length, 0);
  const ArrowArray& values = *array.children[0]->children[1];
  EXPECT_EQ(static_cast<const std::int32_t*>(values.buffers[1])[0], 0);
  EXPECT_NE(values.children[0]->buffers[1], nullptr);  // Empty, but not NULL.
  internal::release_struct(&array);
  internal::release_struct(&schema);
}

TEST(FeatureBatch, RejectsColumnsOfDifferentLengthsAndBrokenRows) {
  std::vector<FeatureColumn> columns;
  columns.push_back({"a", sample_rows(), FeatureDType::kFloat64});
  SparseRows short_rows;
  short_rows.end_row();
  columns.push_back({"b", std::move(short_rows), FeatureDType::kFloat64});
  EXPECT_EQ(make_feature_batch(std::move(columns)).status().to_string(),
            "Invalid: feature column 'b' has 1 rows; column 'a' has 3");

  SparseRows broken = sample_rows();
  broken.values.pop_back();
  std::vector<FeatureColumn> broken_columns;
  broken_columns.push_back({"c", std::move(broken), FeatureDType::kFloat64});
  EXPECT_EQ(make_feature_batch(std::move(broken_columns)).status().to_string(),
            "Invalid: feature column 'c': indptr ends at 3 with 3 indices and 2 values");
}

// A reader over prepared batches of large_utf8 columns `names`, optionally failing after them.
class VectorReader final : public BatchReader {
 public:
  VectorReader(std::vector<std::string> names, std::vector<Batch> batches, Status error,
               int* destroyed)
      : names_(std::move(names)),
        batches_(std::move(batches)),
        error_(std::move(error)),
        destroyed_(destroyed) {}
  ~VectorReader() override { ++*destroyed_; }

  Status schema(ArrowSchema* out) override {
    internal::move_struct(internal::string_batch_schema(names_).get(), out);
    return Status::OK();
  }
  Result<std::optional<Batch>> next() override {
    if (next_ < batches_.size()) return std::optional<Batch>(std::move(batches_[next_++]));
    if (!error_.ok()) return error_;
    return std::optional<Batch>();
  }

 private:
  std::vector<std::string> names_;
  std::vector<Batch> batches_;
  std::size_t next_ = 0;
  Status error_;
  int* destroyed_;
};

// Reads every batch of `stream` back as Batches; stops at the first error, returning its code.
int drain(ArrowArrayStream* stream, std::vector<Batch>* out) {
  while (true) {
    ArrowSchema schema;
    if (int code = stream->get_schema(stream, &schema); code != 0) return code;
    ArrowArray array;
    if (int code = stream->get_next(stream, &array); code != 0) {
      internal::release_struct(&schema);
      return code;
    }
    if (array.release == nullptr) {
      internal::release_struct(&schema);
      return 0;
    }
    Result<Batch> batch = Batch::import(&array, &schema);
    EXPECT_TRUE(batch.ok()) << batch.status().to_string();
    out->push_back(std::move(batch).value());
  }
}

TEST(BatchStream, ExportsSchemaAndBatchesInOrderThenEnds) {
  int destroyed = 0;
  std::vector<Batch> batches;
  batches.push_back(string_batch({{"text", {"a", "b"}}}));
  batches.push_back(string_batch({{"text", {std::nullopt}}}));
  ArrowArrayStream stream;
  export_batch_stream(std::make_unique<VectorReader>(std::vector<std::string>{"text"},
                                                     std::move(batches), Status::OK(), &destroyed),
                      &stream);

  // The schema is available before any batch.
  ArrowSchema schema;
  ASSERT_EQ(stream.get_schema(&stream, &schema), 0);
  EXPECT_STREQ(schema.format, "+s");
  ASSERT_EQ(schema.n_children, 1);
  EXPECT_STREQ(schema.children[0]->name, "text");
  EXPECT_STREQ(schema.children[0]->format, "U");
  internal::release_struct(&schema);

  std::vector<Batch> read;
  EXPECT_EQ(drain(&stream, &read), 0);
  ASSERT_EQ(read.size(), 2U);
  EXPECT_EQ(values_of(*read[0].string_column("text")), (Strings{"a", "b"}));
  EXPECT_EQ(values_of(*read[1].string_column("text")), (Strings{std::nullopt}));

  // The end stays the end.
  ArrowArray array;
  EXPECT_EQ(stream.get_next(&stream, &array), 0);
  EXPECT_EQ(array.release, nullptr);
  EXPECT_EQ(stream.get_last_error(&stream), nullptr);

  EXPECT_EQ(destroyed, 0);
  stream.release(&stream);
  EXPECT_EQ(stream.release, nullptr);
  EXPECT_EQ(destroyed, 1);  // The stream owned the reader.
}

TEST(BatchStream, ReaderErrorsSurfaceWithTheirMessage) {
  int destroyed = 0;
  std::vector<Batch> batches;
  batches.push_back(string_batch({{"text", {"a"}}}));
  ArrowArrayStream stream;
  export_batch_stream(
      std::make_unique<VectorReader>(std::vector<std::string>{"text"}, std::move(batches),
                                     Status::TypeError("line 2: field 'text' is a number; "
                                                       "expected a string"),
                                     &destroyed),
      &stream);
  std::vector<Batch> read;
  EXPECT_EQ(drain(&stream, &read), EINVAL);
  EXPECT_EQ(read.size(), 1U);
  EXPECT_STREQ(stream.get_last_error(&stream),
               "line 2: field 'text' is a number; expected a string");
  stream.release(&stream);
  EXPECT_EQ(destroyed, 1);
}

TEST(BatchStream, BatchesThatDoNotMatchTheSchemaAreRejected) {
  int destroyed = 0;
  std::vector<Batch> batches;
  batches.push_back(string_batch({{"body", {"a"}}}));
  ArrowArrayStream stream;
  export_batch_stream(std::make_unique<VectorReader>(std::vector<std::string>{"text"},
                                                     std::move(batches), Status::OK(), &destroyed),
                      &stream);
  ArrowArray array;
  EXPECT_EQ(stream.get_next(&stream, &array), EIO);
  EXPECT_EQ(array.release, nullptr);
  EXPECT_STREQ(
      stream.get_last_error(&stream),
      "internal error: batch 0 has type struct<body: large_utf8>, but the stream's schema is "
      "struct<text: large_utf8>");
  stream.release(&stream);
}

}  // namespace
}  // namespace parafeat
