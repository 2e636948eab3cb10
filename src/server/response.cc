#include "server/response.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>

namespace parafeat::server {
namespace {

template <typename T>
void append_number(T value, std::string& out) {
  std::array<char, 32> text{};
  const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
  out.append(text.data(), result.ptr);
}

void append_value(double value, FeatureDType dtype, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";  // JSON has no NaN or infinity
    return;
  }
  if (value == 0 && std::signbit(value) &&
      (dtype == FeatureDType::kFloat32 || dtype == FeatureDType::kFloat64)) {
    out += "-0.0";  // "-0" reads back as the integer 0 in many parsers (Python's), losing the sign
    return;
  }
  switch (dtype) {
    case FeatureDType::kInt64:
    case FeatureDType::kInt32: append_number(static_cast<std::int64_t>(value), out); return;
    case FeatureDType::kFloat32: append_number(static_cast<float>(value), out); return;
    case FeatureDType::kFloat64: append_number(value, out); return;
  }
}

}  // namespace

void append_json_string(std::string_view text, std::string& out) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  out.push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

namespace {

// How many numbers one piece of a response holds at most (about 100 KB of text): small enough
// that a long row splits across threads, large enough that a piece costs more than handing it out.
constexpr std::size_t kNumbersPerPiece = 8192;

// A part of the response body: literal text, a block of whole rows, or a run of one row's
// indices or values (numbers [begin, end) of that row's array, which starts at `first`).
struct Piece {
  enum class Kind { kText, kRows, kIndices, kValues } kind = Kind::kText;
  std::string text;       // kText
  std::size_t begin = 0;  // kRows: rows [begin, end); else numbers [begin, end)
  std::size_t end = 0;
  std::size_t first = 0;                  // kIndices / kValues: the array's first number
  const FeatureColumn* column = nullptr;  // kIndices / kValues
};

// The row range of row `row` of `rows`.
std::pair<std::size_t, std::size_t> row_span(const SparseRows& rows, std::size_t row) {
  return {static_cast<std::size_t>(rows.indptr[row]),
          static_cast<std::size_t>(rows.indptr[row + 1])};
}

// Numbers [begin, end) of an array that starts at `first`, each after a comma but the first.
void append_numbers(const Piece& piece, std::string& out) {
  const SparseRows& rows = piece.column->rows;
  for (std::size_t k = piece.begin; k < piece.end; ++k) {
    if (k > piece.first) out.push_back(',');
    if (piece.kind == Piece::Kind::kIndices) {
      append_number(rows.indices[k], out);
    } else {
      append_value(rows.values[k], piece.column->dtype, out);
    }
  }
}

// The values of dense row `row` of every column, one array.
void append_dense_row(const std::vector<FeatureColumn>& columns, std::size_t row,
                      std::string& out) {
  out.push_back('[');
  bool first = true;
  for (const FeatureColumn& column : columns) {
    const auto width = static_cast<std::size_t>(column.dense->num_columns);
    const double* values = column.dense->values.data() + row * width;
    for (std::size_t k = 0; k < width; ++k) {
      if (!first) out.push_back(',');
      first = false;
      append_value(values[k], column.dtype, out);
    }
  }
  out.push_back(']');
}

// Row `row` whole, after a comma unless it is the first row.
void append_row(const std::vector<FeatureColumn>& columns, std::size_t row, std::string& out) {
  if (row > 0) out.push_back(',');
  if (columns.front().dense) {
    append_dense_row(columns, row, out);
    return;
  }
  out.push_back('[');
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto [begin, end] = row_span(columns[c].rows, row);
    if (c > 0) out.push_back(',');
    out += "{\"indices\":[";
    append_numbers({Piece::Kind::kIndices, {}, begin, end, begin, &columns[c]}, out);
    out += "],\"values\":[";
    append_numbers({Piece::Kind::kValues, {}, begin, end, begin, &columns[c]}, out);
    out += "]}";
  }
  out.push_back(']');
}

// The pieces of the "features" array: runs of rows of about kNumbersPerPiece numbers together,
// and rows longer than that cut into runs of their arrays.
std::vector<Piece> plan_pieces(const std::vector<FeatureColumn>& columns, std::size_t num_rows) {
  std::vector<Piece> pieces;
  const auto text = [&pieces](std::string literal) {
    pieces.push_back({Piece::Kind::kText, std::move(literal)});
  };
  std::size_t block_begin = 0;
  std::size_t block_numbers = 0;
  const auto close_block = [&](std::size_t row) {
    if (row > block_begin) pieces.push_back({Piece::Kind::kRows, {}, block_begin, row});
    block_begin = row;
    block_numbers = 0;
  };
  const bool dense = !columns.empty() && columns.front().dense;
  for (std::size_t row = 0; row < num_rows; ++row) {
    std::size_t numbers = 1;  // an empty row still costs some text
    for (const FeatureColumn& column : columns) {
      if (dense) {
        numbers += static_cast<std::size_t>(column.dense->num_columns);
        continue;
      }
      const auto [begin, end] = row_span(column.rows, row);
      numbers += 2 * (end - begin);
    }
    if (numbers <= kNumbersPerPiece || dense) {  // a dense row is never cut
      if (block_numbers + numbers > kNumbersPerPiece) close_block(row);
      block_numbers += numbers;
      continue;
    }
    close_block(row);
    text(row > 0 ? ",[" : "[");
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto [begin, end] = row_span(columns[c].rows, row);
      for (const Piece::Kind kind : {Piece::Kind::kIndices, Piece::Kind::kValues}) {
        if (kind == Piece::Kind::kIndices) {
          text(c > 0 ? ",{\"indices\":[" : "{\"indices\":[");
        } else {
          text("],\"values\":[");
        }
        for (std::size_t k = begin; k < end; k += kNumbersPerPiece) {
          pieces.push_back({kind, {}, k, std::min(end, k + kNumbersPerPiece), begin, &columns[c]});
        }
      }
      text("]}");
    }
    text("]");
    block_begin = row + 1;
  }
  close_block(num_rows);
  return pieces;
}

// The text of `piece` (whose literal text, if any, is moved out).
Result<std::string> write_piece(const std::vector<FeatureColumn>& columns, Piece& piece) {
  std::string text;
  switch (piece.kind) {
    case Piece::Kind::kText: return std::move(piece.text);
    case Piece::Kind::kRows:
      for (std::size_t row = piece.begin; row < piece.end; ++row) append_row(columns, row, text);
      return text;
    case Piece::Kind::kIndices:
    case Piece::Kind::kValues: append_numbers(piece, text); return text;
  }
  return text;
}

}  // namespace

Result<std::string> features_json(const std::vector<FeatureColumn>& columns,
                                  const std::vector<std::string>& names, const Executor& executor) {
  std::string out = "{\"names\":[";
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (c > 0) out.push_back(',');
    append_json_string(names[c], out);
  }
  out += "],\"features\":[";
  std::size_t num_rows = 0;
  if (!columns.empty()) {
    const FeatureColumn& first = columns.front();
    num_rows =
        static_cast<std::size_t>(first.dense ? first.dense->num_rows : first.rows.num_rows());
  }
  std::vector<Piece> pieces = plan_pieces(columns, num_rows);
  // Each piece is written on a worker thread into its own string; they are joined once all are
  // written, into a body allocated once at its final size.
  std::vector<std::string> texts(pieces.size());
  PARAFEAT_RETURN_NOT_OK(
      executor.for_each_task(static_cast<std::int64_t>(pieces.size()), [&](std::int64_t task) {
        const auto index = static_cast<std::size_t>(task);
        PARAFEAT_ASSIGN_OR_RAISE(texts[index], write_piece(columns, pieces[index]));
        return Status::OK();
      }));
  std::size_t size = out.size() + 2;
  for (const std::string& text : texts) size += text.size();
  out.reserve(size);
  for (const std::string& text : texts) out += text;
  out += "]}";
  return out;
}

std::string error_json(std::string_view message) {
  std::string out = "{\"error\":";
  append_json_string(message, out);
  out.push_back('}');
  return out;
}

}  // namespace parafeat::server
