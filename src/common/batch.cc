#include "parafeat/batch.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <limits>
#include <new>

#include "common/arrow_c_internal.h"
#include "common/check.h"
#include "common/text_format.h"

namespace parafeat {

using internal::ColumnArrays;
using internal::OwnedBuffer;
using internal::UniqueArray;
using internal::UniqueSchema;

namespace {

std::string_view text_or_empty(const char* text) {
  return text == nullptr ? "" : text;
}

// The number of zero bits of `bitmap` in bit positions [begin, begin + length).
std::int64_t count_unset_bits(const std::uint8_t* bitmap, std::int64_t begin, std::int64_t length) {
  std::int64_t unset = 0;
  for (std::int64_t bit = begin; bit < begin + length; ++bit) {
    unset += ((bitmap[bit >> 3] >> (bit & 7)) & 1) == 0 ? 1 : 0;
  }
  return unset;
}

// Checks that `array` / `schema` form a record batch: a struct array without null rows whose
// children are the columns, each long enough for the struct's offset and length.
Status validate_record_batch(const ArrowArray& array, const ArrowSchema& schema) {
  const std::string_view format = text_or_empty(schema.format);
  if (format != "+s") {
    return Status::TypeError(
        "a batch must be an Arrow struct array (format '+s') whose children are its columns; got " +
        internal::arrow_type_name(schema) + " (format '" + std::string(format) + "')");
  }
  if (array.n_children != schema.n_children) {
    return Status::Invalid("the ArrowArray has " + std::to_string(array.n_children) +
                           " children but its ArrowSchema describes " +
                           std::to_string(schema.n_children) + " columns");
  }
  if (array.length < 0 || array.offset < 0) {
    return Status::Invalid("the struct array has a negative length or offset");
  }
  if (array.n_buffers != 1 || array.buffers == nullptr) {
    return Status::Invalid("a struct array has 1 buffer (its validity bitmap); got " +
                           std::to_string(array.n_buffers));
  }
  if (schema.n_children > 0 && (schema.children == nullptr || array.children == nullptr)) {
    return Status::Invalid("the struct array has " + std::to_string(schema.n_children) +
                           " columns but no children pointers");
  }
  const auto* validity = static_cast<const std::uint8_t*>(array.buffers[0]);
  if (validity != nullptr && array.null_count != 0) {
    const std::int64_t nulls = count_unset_bits(validity, array.offset, array.length);
    if (nulls > 0) {
      return Status::Invalid("a batch cannot have null rows; the struct array has " +
                             std::to_string(nulls));
    }
  }
  for (std::int64_t i = 0; i < schema.n_children; ++i) {
    const ArrowSchema* child_schema = schema.children[i];
    const ArrowArray* child = array.children[i];
    if (child_schema == nullptr || child == nullptr || child_schema->release == nullptr ||
        child->release == nullptr) {
      return Status::Invalid("column " + std::to_string(i) + " is missing or released");
    }
    const std::string name(text_or_empty(child_schema->name));
    if (child->offset < 0 || child->length < array.offset + array.length) {
      return Status::Invalid("column '" + name + "' has " + std::to_string(child->length) +
                             " values; the batch needs at least " +
                             std::to_string(array.offset + array.length) +
                             " (the struct's offset plus its length)");
    }
  }
  return Status::OK();
}

}  // namespace

Batch::Batch(ArrowArray array, ArrowSchema schema) : array_(array), schema_(schema) {}

Batch::~Batch() {
  internal::release_struct(&array_);
  internal::release_struct(&schema_);
}

Batch::Batch(Batch&& other) noexcept : array_(other.array_), schema_(other.schema_) {
  other.array_ = ArrowArray{};
  other.schema_ = ArrowSchema{};
}

Batch& Batch::operator=(Batch&& other) noexcept {
  if (this != &other) {
    internal::release_struct(&array_);
    internal::release_struct(&schema_);
    array_ = other.array_;
    schema_ = other.schema_;
    other.array_ = ArrowArray{};
    other.schema_ = ArrowSchema{};
  }
  return *this;
}

Result<Batch> Batch::import(ArrowArray* array, ArrowSchema* schema) {
  if (array == nullptr || schema == nullptr) {
    return Status::Invalid(
        "Batch::import needs an ArrowArray and an ArrowSchema; got a null pointer");
  }
  if (array->release == nullptr || schema->release == nullptr) {
    return Status::Invalid("cannot import a released ArrowArray or ArrowSchema");
  }
  PARAFEAT_RETURN_NOT_OK(validate_record_batch(*array, *schema));
  Batch batch(*array, *schema);
  array->release = nullptr;
  schema->release = nullptr;
  return batch;
}

std::int64_t Batch::num_rows() const {
  return array_.length;
}

int Batch::num_columns() const {
  return static_cast<int>(schema_.n_children);
}

std::string_view Batch::column_name(int i) const {
  PARAFEAT_DCHECK(i >= 0 && i < num_columns());
  return text_or_empty(schema_.children[i]->name);
}

std::string_view Batch::column_format(int i) const {
  PARAFEAT_DCHECK(i >= 0 && i < num_columns());
  return text_or_empty(schema_.children[i]->format);
}

std::optional<int> Batch::find_column(std::string_view name) const {
  for (int i = 0; i < num_columns(); ++i) {
    if (column_name(i) == name) return i;
  }
  return std::nullopt;
}

Result<int> Batch::require_column(std::string_view name) const {
  const std::optional<int> index = find_column(name);
  if (index.has_value()) return *index;
  std::vector<std::string_view> names;
  names.reserve(static_cast<std::size_t>(num_columns()));
  for (int i = 0; i < num_columns(); ++i) names.push_back(column_name(i));
  return Status::KeyError("no column '" + std::string(name) + "'; " +
                          (names.empty() ? std::string("the input has no columns")
                                         : "the input has columns: " + quoted_list(names)));
}

Result<StringColumn> Batch::string_column(std::string_view name) const {
  PARAFEAT_ASSIGN_OR_RAISE(const int index, require_column(name));
  const ArrowSchema& schema = *schema_.children[index];
  const ArrowArray& array = *array_.children[index];
  const std::string_view format = text_or_empty(schema.format);
  const bool is_utf8 = format == "u";
  if (schema.dictionary != nullptr || (!is_utf8 && format != "U")) {
    return Status::TypeError(
        "column '" + std::string(name) + "' has Arrow type " + internal::arrow_type_name(schema) +
        " (format '" + std::string(format) + "'); expected a string column (utf8 or large_utf8)");
  }
  if (array.n_buffers != 3 || array.buffers == nullptr) {
    return Status::Invalid("column '" + std::string(name) +
                           "': a string array has 3 buffers; got " +
                           std::to_string(array.n_buffers));
  }
  // Row i of the batch is row (struct offset + i) of the child, which has its own offset too.
  const std::int64_t row_offset = array_.offset + array.offset;
  const std::int64_t length = array_.length;
  const auto* validity =
      array.null_count == 0 ? nullptr : static_cast<const std::uint8_t*>(array.buffers[0]);
  const void* offsets = array.buffers[1];
  const auto* data = static_cast<const char*>(array.buffers[2]);
  if (offsets == nullptr) {
    if (array.length != 0) {
      return Status::Invalid("column '" + std::string(name) + "' has no offsets buffer");
    }
    // A zero-length array may omit its buffers; one zero offset describes it.
    static constexpr std::int64_t kZeroOffsets[1] = {0};
    return StringColumn::with_offsets64("", kZeroOffsets, nullptr, 0);
  }
  if (data == nullptr) data = "";  // Every value is empty.
  if (is_utf8) {
    return StringColumn::with_offsets32(data, static_cast<const std::int32_t*>(offsets), validity,
                                        length, row_offset);
  }
  return StringColumn::with_offsets64(data, static_cast<const std::int64_t*>(offsets), validity,
                                      length, row_offset);
}

namespace {

std::optional<SeriesValueType> series_value_type(std::string_view format) {
  if (format == "g") return SeriesValueType::kFloat64;
  if (format == "f") return SeriesValueType::kFloat32;
  if (format == "l") return SeriesValueType::kInt64;
  if (format == "i") return SeriesValueType::kInt32;
  return std::nullopt;
}

}  // namespace

Result<SeriesColumn> Batch::series_column(std::string_view name) const {
  PARAFEAT_ASSIGN_OR_RAISE(const int index, require_column(name));
  const ArrowSchema& schema = *schema_.children[index];
  const ArrowArray& array = *array_.children[index];
  const std::string_view format = text_or_empty(schema.format);
  const bool is_list = format == "+l";
  const std::optional<SeriesValueType> value_type =
      schema.n_children == 1 && schema.children != nullptr && schema.children[0] != nullptr
          ? series_value_type(text_or_empty(schema.children[0]->format))
          : std::nullopt;
  if (schema.dictionary != nullptr || (!is_list && format != "+L") || !value_type.has_value() ||
      schema.children[0]->dictionary != nullptr) {
    return Status::TypeError("column '" + std::string(name) + "' has Arrow type " +
                             internal::arrow_type_name(schema) +
                             "; expected one series per row: a list or large_list of float64 "
                             "(or float32, int64, int32)");
  }
  if (array.n_buffers != 2 || array.buffers == nullptr || array.n_children != 1 ||
      array.children == nullptr || array.children[0] == nullptr) {
    return Status::Invalid(
        "column '" + std::string(name) + "': a list array has 2 buffers and 1 child; got " +
        std::to_string(array.n_buffers) + " and " + std::to_string(array.n_children));
  }
  const ArrowArray& child = *array.children[0];
  if (child.n_buffers != 2 || child.buffers == nullptr) {
    return Status::Invalid("column '" + std::string(name) +
                           "': a numeric array has 2 buffers; got " +
                           std::to_string(child.n_buffers));
  }
  const std::int64_t row_offset = array_.offset + array.offset;
  const std::int64_t length = array_.length;
  const auto* validity =
      array.null_count == 0 ? nullptr : static_cast<const std::uint8_t*>(array.buffers[0]);
  const SeriesColumn::Values values{
      .data = child.buffers[1],
      .type = *value_type,
      .validity =
          child.null_count == 0 ? nullptr : static_cast<const std::uint8_t*>(child.buffers[0]),
      .offset = child.offset};
  const void* offsets = array.buffers[1];
  if (offsets == nullptr) {
    if (array.length != 0) {
      return Status::Invalid("column '" + std::string(name) + "' has no offsets buffer");
    }
    static constexpr std::int64_t kZeroOffsets[1] = {0};
    return SeriesColumn::with_offsets64(kZeroOffsets, values, nullptr, 0);
  }
  if (is_list) {
    return SeriesColumn::with_offsets32(static_cast<const std::int32_t*>(offsets), values, validity,
                                        length, row_offset);
  }
  return SeriesColumn::with_offsets64(static_cast<const std::int64_t*>(offsets), values, validity,
                                      length, row_offset);
}

void Batch::export_to(ArrowArray* array, ArrowSchema* schema) && {
  if (array_.release == nullptr) {
    // A default-constructed (or moved-from) batch exports as zero rows and zero columns.
    Result<Batch> empty = internal::assemble_batch(0, {});
    PARAFEAT_DCHECK(empty.ok());
    *this = std::move(empty).value();
  }
  internal::move_struct(&array_, array);
  internal::move_struct(&schema_, schema);
  array_ = ArrowArray{};
  schema_ = ArrowSchema{};
}

namespace {

std::int64_t feature_rows(const FeatureColumn& column) {
  return column.dense ? column.dense->num_rows : column.rows.num_rows();
}

// Checks that a dense column holds num_rows * num_columns values.
Status validate_dense_column(const FeatureColumn& column, std::int64_t num_rows,
                             const std::string& first_name) {
  const DenseRows& dense = *column.dense;
  const std::string where = "feature column '" + column.name + "'";
  if (dense.num_rows != num_rows) {
    return Status::Invalid(where + " has " + std::to_string(dense.num_rows) + " rows; column '" +
                           first_name + "' has " + std::to_string(num_rows));
  }
  if (dense.num_columns < 0 ||
      static_cast<std::int64_t>(dense.values.size()) != dense.num_rows * dense.num_columns) {
    return Status::Invalid(where + ": " + std::to_string(dense.values.size()) + " values for " +
                           std::to_string(dense.num_rows) + " rows of " +
                           std::to_string(dense.num_columns));
  }
  return Status::OK();
}

// Checks that `rows` is well-formed CSR with `num_rows` rows.
Status validate_feature_column(const FeatureColumn& column, std::int64_t num_rows,
                               const std::string& first_name) {
  if (column.dense) return validate_dense_column(column, num_rows, first_name);
  const SparseRows& rows = column.rows;
  const std::string where = "feature column '" + column.name + "'";
  if (rows.indptr.empty() || rows.indptr.front() != 0) {
    return Status::Invalid(where + ": indptr must start with 0");
  }
  if (rows.num_rows() != num_rows) {
    return Status::Invalid(where + " has " + std::to_string(rows.num_rows()) + " rows; column '" +
                           first_name + "' has " + std::to_string(num_rows));
  }
  if (rows.indices.size() != rows.values.size() ||
      rows.indptr.back() != static_cast<std::int64_t>(rows.values.size())) {
    return Status::Invalid(where + ": indptr ends at " + std::to_string(rows.indptr.back()) +
                           " with " + std::to_string(rows.indices.size()) + " indices and " +
                           std::to_string(rows.values.size()) + " values");
  }
  for (std::size_t r = 1; r < rows.indptr.size(); ++r) {
    if (rows.indptr[r] < rows.indptr[r - 1]) {
      return Status::Invalid(where + ": indptr decreases at row " + std::to_string(r - 1));
    }
  }
  return Status::OK();
}

// A list array of `length` rows over `child`, with the given offsets buffer and no null rows.
UniqueArray list_array(std::int64_t length, const OwnedBuffer& offsets, UniqueArray child) {
  std::vector<UniqueArray> children;
  children.push_back(std::move(child));
  return internal::export_array(length, {OwnedBuffer(), offsets}, std::move(children));
}

// The schema of a list field `name` whose items have the primitive format `item_format`.
UniqueSchema list_schema(const std::string& list_format, std::string name,
                         std::string item_format) {
  std::vector<UniqueSchema> item;
  item.push_back(internal::export_schema(std::move(item_format), "item"));
  return internal::export_schema(list_format, std::move(name), std::move(item));
}

// The values of a feature column as a buffer of `dtype` elements. Kernels store values that
// `dtype` represents exactly, so the conversion is exact.
template <typename T>
OwnedBuffer narrowed(std::vector<double> values) {
  std::vector<T> narrow(values.begin(), values.end());
  std::vector<double>().swap(values);  // Free it before the caller makes the next buffers.
  return OwnedBuffer::adopt(std::move(narrow));
}

OwnedBuffer typed_values(std::vector<double> values, FeatureDType dtype) {
  switch (dtype) {
    case FeatureDType::kFloat32: return narrowed<float>(std::move(values));
    case FeatureDType::kInt64: return narrowed<std::int64_t>(std::move(values));
    case FeatureDType::kInt32: return narrowed<std::int32_t>(std::move(values));
    case FeatureDType::kFloat64: break;
  }
  return OwnedBuffer::adopt(std::move(values));
}

// The Arrow format string of `dtype`'s elements.
std::string arrow_format(FeatureDType dtype) {
  switch (dtype) {
    case FeatureDType::kFloat32: return "f";
    case FeatureDType::kInt64: return "l";
    case FeatureDType::kInt32: return "i";
    case FeatureDType::kFloat64: break;
  }
  return "g";
}

// Moves one validated dense column into fixed_size_list<float64>[num_columns].
ColumnArrays dense_column_arrays(FeatureColumn column) {
  DenseRows& dense = *column.dense;
  const std::int64_t num_values = static_cast<std::int64_t>(dense.values.size());
  std::vector<UniqueArray> child;
  child.push_back(internal::export_array(
      num_values, {OwnedBuffer(), OwnedBuffer::adopt(std::move(dense.values))}));
  std::vector<UniqueSchema> item;
  item.push_back(internal::export_schema("g", "item"));
  return {.schema = internal::export_schema("+w:" + std::to_string(dense.num_columns),
                                            std::move(column.name), std::move(item)),
          .array = internal::export_array(dense.num_rows, {OwnedBuffer()}, std::move(child))};
}

// Moves one validated feature column into struct<indices: list<int32>, values: list<dtype>>.
// Both lists share one offsets buffer: the CSR indptr itself for large lists, or its int32 copy.
ColumnArrays feature_column_arrays(FeatureColumn column, std::int64_t max_list_values) {
  SparseRows& rows = column.rows;
  const std::int64_t num_rows = rows.num_rows();
  const std::int64_t num_values = rows.num_values();
  const bool large = num_values > max_list_values;

  OwnedBuffer offsets;
  if (large) {
    offsets = OwnedBuffer::adopt(std::move(rows.indptr));
  } else {
    std::vector<std::int32_t> narrow(rows.indptr.begin(), rows.indptr.end());
    std::vector<std::int64_t>().swap(rows.indptr);  // Free it before making the next buffers.
    offsets = OwnedBuffer::adopt(std::move(narrow));
  }

  OwnedBuffer values = typed_values(std::move(rows.values), column.dtype);
  UniqueArray indices_array = internal::export_array(
      num_values, {OwnedBuffer(), OwnedBuffer::adopt(std::move(rows.indices))});
  UniqueArray values_array = internal::export_array(num_values, {OwnedBuffer(), values});
  std::vector<UniqueArray> lists;
  lists.push_back(list_array(num_rows, offsets, std::move(indices_array)));
  lists.push_back(list_array(num_rows, offsets, std::move(values_array)));

  const std::string list_format = large ? "+L" : "+l";
  std::vector<UniqueSchema> fields;
  fields.push_back(list_schema(list_format, "indices", "i"));
  fields.push_back(list_schema(list_format, "values", arrow_format(column.dtype)));
  return {.schema = internal::export_schema("+s", std::move(column.name), std::move(fields)),
          .array = internal::export_array(num_rows, {OwnedBuffer()}, std::move(lists))};
}

}  // namespace

Result<Batch> internal::make_feature_batch(std::vector<FeatureColumn> columns,
                                           std::int64_t max_list_values) {
  const std::int64_t num_rows = columns.empty() ? 0 : feature_rows(columns.front());
  for (const FeatureColumn& column : columns) {
    PARAFEAT_RETURN_NOT_OK(validate_feature_column(column, num_rows, columns.front().name));
  }
  std::vector<ColumnArrays> arrays;
  arrays.reserve(columns.size());
  for (FeatureColumn& column : columns) {
    arrays.push_back(column.dense ? dense_column_arrays(std::move(column))
                                  : feature_column_arrays(std::move(column), max_list_values));
  }
  return internal::assemble_batch(num_rows, std::move(arrays));
}

Result<Batch> make_feature_batch(std::vector<FeatureColumn> columns) {
  return internal::make_feature_batch(std::move(columns), std::numeric_limits<std::int32_t>::max());
}

Result<Batch> make_string_batch(
    std::vector<std::pair<std::string, std::vector<std::optional<std::string>>>> columns) {
  const std::size_t num_rows = columns.empty() ? 0 : columns.front().second.size();
  for (const auto& [name, values] : columns) {
    if (values.size() != num_rows) {
      return Status::Invalid("column '" + name + "' has " + std::to_string(values.size()) +
                             " values; column '" + columns.front().first + "' has " +
                             std::to_string(num_rows));
    }
  }
  std::vector<ColumnArrays> arrays;
  arrays.reserve(columns.size());
  for (auto& [name, values] : columns) {
    std::int64_t bytes = 0;
    for (const auto& value : values) bytes += value ? static_cast<std::int64_t>(value->size()) : 0;
    internal::StringColumnBuilder builder;
    builder.reserve(static_cast<std::int64_t>(num_rows), bytes);
    for (const auto& value : values) {
      if (value.has_value()) {
        builder.append(*value);
      } else {
        builder.append_null();
      }
    }
    arrays.push_back(builder.finish(std::move(name)));
  }
  return internal::assemble_batch(static_cast<std::int64_t>(num_rows), std::move(arrays));
}

namespace {

// The text of a stream error that is a bug in parafeat, not in its input.
std::string internal_error(std::string_view what) {
  return "internal error: " + std::string(what);
}

// What an exported ArrowArrayStream's private_data points at.
struct StreamState {
  std::unique_ptr<BatchReader> reader;
  std::string last_error;
  UniqueSchema schema;  // The reader's schema, fetched at the first batch to check batches against.
  std::int64_t batches = 0;
  bool finished = false;
};

// The errno-style code a stream callback returns for a failed status.
int stream_error_code(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalid:
    case StatusCode::kTypeError:
    case StatusCode::kKeyError: return EINVAL;
    case StatusCode::kNotImplemented: return ENOSYS;
    case StatusCode::kCancelled: return ECANCELED;
    case StatusCode::kOk:
    case StatusCode::kIOError:
    case StatusCode::kInternal: break;
  }
  return EIO;
}

StreamState& stream_state(ArrowArrayStream* stream) {
  return *static_cast<StreamState*>(stream->private_data);
}

// Records `status` as the stream's last error and returns its error code. The error code carries
// the status's kind (a consumer raises its own error type for it), so the text is the message
// without the status's code name, which could contradict that type ("TypeError: " on a
// ValueError); only a bug in parafeat says that it is one.
int fail_stream(StreamState& state, const Status& status) {
  state.last_error =
      status.code() == StatusCode::kInternal ? internal_error(status.message()) : status.message();
  return stream_error_code(status.code());
}

// Runs `body` (returning a Status) for a stream callback: exceptions must not cross the C ABI, so
// they become errors too.
template <typename Body>
int run_stream_callback(ArrowArrayStream* stream, Body&& body) {
  StreamState& state = stream_state(stream);
  try {
    const Status status = body(state);
    return status.ok() ? 0 : fail_stream(state, status);
  } catch (const std::bad_alloc&) {
    state.last_error = "out of memory";
    return ENOMEM;
  } catch (const std::exception& e) {
    state.last_error = internal_error(e.what());
    return EIO;
  }
}

int stream_get_schema(ArrowArrayStream* stream, ArrowSchema* out) {
  return run_stream_callback(stream,
                             [out](StreamState& state) { return state.reader->schema(out); });
}

Status next_batch(StreamState& state, ArrowArray* out) {
  out->release = nullptr;  // Released: the end of the stream, unless a batch follows.
  if (state.finished) return Status::OK();
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<Batch> batch, state.reader->next());
  if (!batch.has_value()) {
    state.finished = true;
    return Status::OK();
  }
  if (state.schema.released()) {
    ArrowSchema schema{};
    PARAFEAT_RETURN_NOT_OK(state.reader->schema(&schema));
    state.schema = UniqueSchema(&schema);
  }
  ArrowArray array{};
  ArrowSchema schema{};
  std::move(*batch).export_to(&array, &schema);
  UniqueArray batch_array(&array);
  const UniqueSchema batch_schema(&schema);
  // Consumers read every batch with the stream's schema, so a mismatch would misread memory.
  if (!internal::same_schema(*batch_schema.get(), *state.schema.get())) {
    return Status::Internal("batch " + std::to_string(state.batches) + " has type " +
                            internal::arrow_type_name(*batch_schema.get()) +
                            ", but the stream's schema is " +
                            internal::arrow_type_name(*state.schema.get()));
  }
  ++state.batches;
  internal::move_struct(batch_array.get(), out);
  return Status::OK();
}

int stream_get_next(ArrowArrayStream* stream, ArrowArray* out) {
  return run_stream_callback(stream, [out](StreamState& state) { return next_batch(state, out); });
}

const char* stream_get_last_error(ArrowArrayStream* stream) {
  const StreamState& state = stream_state(stream);
  return state.last_error.empty() ? nullptr : state.last_error.c_str();
}

void stream_release(ArrowArrayStream* stream) {
  delete static_cast<StreamState*>(stream->private_data);
  stream->private_data = nullptr;
  stream->release = nullptr;
}

}  // namespace

void export_batch_stream(std::unique_ptr<BatchReader> reader, ArrowArrayStream* out) {
  auto state = std::make_unique<StreamState>();
  state->reader = std::move(reader);
  out->get_schema = &stream_get_schema;
  out->get_next = &stream_get_next;
  out->get_last_error = &stream_get_last_error;
  out->release = &stream_release;
  out->private_data = state.release();
}

}  // namespace parafeat
