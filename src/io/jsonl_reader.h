// A streaming reader of JSON Lines files (one JSON object per line) into batches of string columns.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "parafeat/batch.h"
#include "parafeat/status.h"

namespace parafeat {

/// How open_jsonl reads its file.
struct JsonlOptions {
  /// Rows per batch (the last batch may have fewer).
  std::int64_t batch_rows = 65536;
  /// Bytes read from the file at a time. The read buffer grows beyond this only to hold a line
  /// longer than it, so memory stays bounded by the batch plus the longest line.
  std::int64_t read_bytes = std::int64_t{1} << 20;
};

/// Opens the JSON Lines file `path` as a reader of batches whose columns are the string fields
/// `columns` of each line's object, as large_utf8 without nulls. Blank lines are skipped; a UTF-8
/// byte order mark at the start of the file is ignored; when an object has a key twice, the last
/// value counts (as in Python's json module). The file is read in chunks, never whole. The first
/// bad line ends the stream with an error naming its 1-based line number: invalid JSON or UTF-8
/// (Invalid), a line that is not an object or a field that is not a string, null included
/// (TypeError: no extractor reads a null, and only the reader knows the line), a missing field
/// (KeyError). A file that cannot be opened or read is an IOError naming the path.
Result<std::unique_ptr<BatchReader>> open_jsonl(const std::string& path,
                                                std::vector<std::string> columns,
                                                const JsonlOptions& options);

/// open_jsonl with default options but `batch_rows` rows per batch.
Result<std::unique_ptr<BatchReader>> open_jsonl(const std::string& path,
                                                std::vector<std::string> columns,
                                                std::int64_t batch_rows);

}  // namespace parafeat
