#include "common/arrow_c_internal.h"

#include <cstring>

#include "common/check.h"

namespace parafeat::internal {

const void* OwnedBuffer::empty_data() {
  alignas(64) static constexpr std::uint8_t kZeros[64] = {};
  return kZeros;
}

namespace {

// What an exported ArrowArray's private_data points at: the owners of its buffers and children,
// and the pointer arrays the struct's `buffers` and `children` fields point into.
struct ExportedArray {
  std::vector<OwnedBuffer> buffers;
  std::vector<const void*> buffer_pointers;
  std::vector<UniqueArray> children;
  std::vector<ArrowArray*> child_pointers;
};

// What an exported ArrowSchema's private_data points at.
struct ExportedSchema {
  std::string format;
  std::string name;
  std::vector<UniqueSchema> children;
  std::vector<ArrowSchema*> child_pointers;
};

// Deleting the private data drops the buffer references and releases, through ~UniqueArray, every
// child the consumer has not moved out (a moved-out child is already marked released).
void release_exported_array(ArrowArray* array) {
  PARAFEAT_DCHECK(array->release == &release_exported_array);
  delete static_cast<ExportedArray*>(array->private_data);
  array->private_data = nullptr;
  array->release = nullptr;
}

void release_exported_schema(ArrowSchema* schema) {
  PARAFEAT_DCHECK(schema->release == &release_exported_schema);
  delete static_cast<ExportedSchema*>(schema->private_data);
  schema->private_data = nullptr;
  schema->release = nullptr;
}

}  // namespace

UniqueArray export_array(std::int64_t length, std::vector<OwnedBuffer> buffers,
                         std::vector<UniqueArray> children, std::int64_t null_count) {
  auto exported = std::make_unique<ExportedArray>();
  exported->buffers = std::move(buffers);
  exported->children = std::move(children);
  for (const OwnedBuffer& buffer : exported->buffers) {
    exported->buffer_pointers.push_back(buffer.data());
  }
  for (UniqueArray& child : exported->children) {
    PARAFEAT_DCHECK(!child.released());
    exported->child_pointers.push_back(child.get());
  }

  ArrowArray array{};
  array.length = length;
  array.null_count = null_count;
  array.offset = 0;
  array.n_buffers = static_cast<std::int64_t>(exported->buffer_pointers.size());
  array.n_children = static_cast<std::int64_t>(exported->child_pointers.size());
  array.buffers = exported->buffer_pointers.empty() ? nullptr : exported->buffer_pointers.data();
  array.children = exported->child_pointers.empty() ? nullptr : exported->child_pointers.data();
  array.dictionary = nullptr;
  array.release = &release_exported_array;
  array.private_data = exported.release();
  return UniqueArray(&array);
}

UniqueSchema export_schema(std::string format, std::string name, std::vector<UniqueSchema> children,
                           std::int64_t flags) {
  auto exported = std::make_unique<ExportedSchema>();
  exported->format = std::move(format);
  exported->name = std::move(name);
  exported->children = std::move(children);
  for (UniqueSchema& child : exported->children) {
    PARAFEAT_DCHECK(!child.released());
    exported->child_pointers.push_back(child.get());
  }

  ArrowSchema schema{};
  schema.format = exported->format.c_str();
  schema.name = exported->name.c_str();
  schema.metadata = nullptr;
  schema.flags = flags;
  schema.n_children = static_cast<std::int64_t>(exported->child_pointers.size());
  schema.children = exported->child_pointers.empty() ? nullptr : exported->child_pointers.data();
  schema.dictionary = nullptr;
  schema.release = &release_exported_schema;
  schema.private_data = exported.release();
  return UniqueSchema(&schema);
}

Result<Batch> assemble_batch(std::int64_t num_rows, std::vector<ColumnArrays> columns) {
  std::vector<UniqueSchema> schemas;
  std::vector<UniqueArray> arrays;
  for (ColumnArrays& column : columns) {
    PARAFEAT_DCHECK(column.array->length == num_rows);
    schemas.push_back(std::move(column.schema));
    arrays.push_back(std::move(column.array));
  }
  // A record batch's top-level struct is not nullable and has no validity bitmap.
  UniqueSchema schema = export_schema("+s", "", std::move(schemas), /*flags=*/0);
  UniqueArray array = export_array(num_rows, {OwnedBuffer()}, std::move(arrays));
  // On failure import leaves both structs to us; their destructors release them.
  return Batch::import(array.get(), schema.get());
}

UniqueSchema string_batch_schema(const std::vector<std::string>& names) {
  std::vector<UniqueSchema> columns;
  columns.reserve(names.size());
  for (const std::string& name : names) columns.push_back(export_schema("U", name));
  return export_schema("+s", "", std::move(columns), /*flags=*/0);
}

namespace {

// Names of the formats that are a type by themselves.
struct FormatName {
  std::string_view format;
  std::string_view name;
};
constexpr FormatName kSimpleFormats[] = {
    {"n", "null"},
    {"b", "bool"},
    {"c", "int8"},
    {"C", "uint8"},
    {"s", "int16"},
    {"S", "uint16"},
    {"i", "int32"},
    {"I", "uint32"},
    {"l", "int64"},
    {"L", "uint64"},
    {"e", "float16"},
    {"f", "float32"},
    {"g", "float64"},
    {"z", "binary"},
    {"Z", "large_binary"},
    {"vz", "binary_view"},
    {"u", "utf8"},
    {"U", "large_utf8"},
    {"vu", "string_view"},
    {"tdD", "date32[day]"},
    {"tdm", "date64[ms]"},
    {"tts", "time32[s]"},
    {"ttm", "time32[ms]"},
    {"ttu", "time64[us]"},
    {"ttn", "time64[ns]"},
    {"tDs", "duration[s]"},
    {"tDm", "duration[ms]"},
    {"tDu", "duration[us]"},
    {"tDn", "duration[ns]"},
    {"tiM", "month_interval"},
    {"tiD", "day_time_interval"},
    {"tin", "month_day_nano_interval"},
};

std::string_view time_unit_name(char unit) {
  switch (unit) {
    case 's': return "s";
    case 'm': return "ms";
    case 'u': return "us";
    case 'n': return "ns";
    default: return "?";
  }
}

std::string child_type_name(const ArrowSchema& schema, std::int64_t i) {
  if (i >= schema.n_children || schema.children == nullptr || schema.children[i] == nullptr) {
    return "?";
  }
  return arrow_type_name(*schema.children[i]);
}

std::string value_type_name(const ArrowSchema& schema) {
  const std::string_view format = schema.format == nullptr ? "" : schema.format;
  for (const FormatName& entry : kSimpleFormats) {
    if (entry.format == format) return std::string(entry.name);
  }
  if (format == "+l") return "list<" + child_type_name(schema, 0) + ">";
  if (format == "+L") return "large_list<" + child_type_name(schema, 0) + ">";
  if (format == "+vl") return "list_view<" + child_type_name(schema, 0) + ">";
  if (format.starts_with("+w:")) {
    return "fixed_size_list<" + child_type_name(schema, 0) + ", " + std::string(format.substr(3)) +
           ">";
  }
  if (format == "+m") return "map<" + child_type_name(schema, 0) + ">";
  if (format == "+s") {
    std::string name = "struct<";
    for (std::int64_t i = 0; i < schema.n_children; ++i) {
      if (i > 0) name += ", ";
      const ArrowSchema* child = schema.children == nullptr ? nullptr : schema.children[i];
      name += child != nullptr && child->name != nullptr ? child->name : "";
      name += ": " + child_type_name(schema, i);
    }
    return name + ">";
  }
  if (format.starts_with("+u")) return "union";
  if (format.starts_with("d:")) return "decimal(" + std::string(format.substr(2)) + ")";
  if (format.starts_with("w:")) return "fixed_size_binary[" + std::string(format.substr(2)) + "]";
  if (format.size() >= 4 && format.starts_with("ts") && format[3] == ':') {
    std::string name = "timestamp[" + std::string(time_unit_name(format[2]));
    if (format.size() > 4) name += ", tz=" + std::string(format.substr(4));
    return name + "]";
  }
  return std::string(format);
}

}  // namespace

std::string arrow_type_name(const ArrowSchema& schema) {
  if (schema.dictionary != nullptr) {
    return "dictionary<values=" + arrow_type_name(*schema.dictionary) +
           ", indices=" + value_type_name(schema) + ">";
  }
  return value_type_name(schema);
}

bool same_schema(const ArrowSchema& a, const ArrowSchema& b) {
  const auto same_text = [](const char* x, const char* y) {
    return std::strcmp(x == nullptr ? "" : x, y == nullptr ? "" : y) == 0;
  };
  if (!same_text(a.format, b.format) || !same_text(a.name, b.name)) return false;
  if (a.n_children != b.n_children) return false;
  for (std::int64_t i = 0; i < a.n_children; ++i) {
    if (!same_schema(*a.children[i], *b.children[i])) return false;
  }
  if ((a.dictionary == nullptr) != (b.dictionary == nullptr)) return false;
  return a.dictionary == nullptr || same_schema(*a.dictionary, *b.dictionary);
}

void StringColumnBuilder::reserve(std::int64_t rows, std::int64_t bytes) {
  offsets_.reserve(offsets_.size() + static_cast<std::size_t>(rows));
  data_.reserve(data_.size() + static_cast<std::size_t>(bytes));
}

void StringColumnBuilder::append(std::string_view value) {
  if (null_count_ > 0) append_validity(true);
  data_.append(value);
  offsets_.push_back(static_cast<std::int64_t>(data_.size()));
}

void StringColumnBuilder::append_null() {
  if (null_count_ == 0) {
    // The first null: start the bitmap with every earlier row valid.
    const std::int64_t rows = length();
    validity_.assign(static_cast<std::size_t>((rows + 7) / 8), 0xFF);
    if (rows % 8 != 0) validity_.back() = static_cast<std::uint8_t>((1U << (rows % 8)) - 1);
  }
  append_validity(false);
  ++null_count_;
  offsets_.push_back(static_cast<std::int64_t>(data_.size()));
}

void StringColumnBuilder::append_validity(bool valid) {
  const std::int64_t row = length();
  if (row % 8 == 0) validity_.push_back(0);
  if (valid) validity_.back() |= static_cast<std::uint8_t>(1U << (row % 8));
}

ColumnArrays StringColumnBuilder::finish(std::string name) {
  const std::int64_t rows = length();
  std::vector<OwnedBuffer> buffers;
  buffers.push_back(null_count_ > 0 ? OwnedBuffer::adopt(std::move(validity_)) : OwnedBuffer());
  buffers.push_back(OwnedBuffer::adopt(std::move(offsets_)));
  buffers.push_back(OwnedBuffer::adopt(std::move(data_)));
  ColumnArrays column{.schema = export_schema("U", std::move(name)),
                      .array = export_array(rows, std::move(buffers), {}, null_count_)};
  offsets_.assign(1, 0);
  data_.clear();
  validity_.clear();
  null_count_ = 0;
  return column;
}

}  // namespace parafeat::internal
