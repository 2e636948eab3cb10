#include "io/jsonl_reader.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "common/arrow_c_internal.h"
#include "common/json_type_phrase.h"
#include "common/text_format.h"

namespace parafeat {
namespace {

// simdjson may read this many bytes past the end of a document; their content does not matter.
constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;
// At most this many keys are listed when a line lacks a requested field.
constexpr std::size_t kMaxListedKeys = 20;
// simdjson's DOM parser keeps buffers of about 14 bytes per byte of the longest document it has
// parsed; after a line longer than this it is replaced, so one huge line does not pin that memory.
constexpr std::size_t kMaxRetainedParserBytes = std::size_t{4} << 20;

// Owns a POSIX file descriptor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&&) = delete;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads a file in chunks and hands out its lines. Each line stays in one buffer that has at least
// kPadding readable bytes after it, as simdjson requires; a line that does not fit in the buffer
// grows it, so lines of any length work while memory stays bounded by the longest line.
class LineSplitter {
 public:
  LineSplitter(FileDescriptor file, std::string path, std::size_t read_bytes)
      : file_(std::move(file)), path_(std::move(path)), buffer_(read_bytes + kPadding, '\0') {}

  // The next line without its '\n', valid until the next call; nullopt at the end of the file.
  Result<std::optional<std::string_view>> next() {
    while (true) {
      const char* newline =
          static_cast<const char*>(std::memchr(buffer_.data() + scan_, '\n', end_ - scan_));
      if (newline != nullptr) {
        const std::size_t line_end = static_cast<std::size_t>(newline - buffer_.data());
        return take_line(line_end, line_end + 1);
      }
      scan_ = end_;
      if (at_eof_) {
        if (begin_ == end_) return std::optional<std::string_view>();
        return take_line(end_, end_);  // The last line has no '\n'.
      }
      PARAFEAT_RETURN_NOT_OK(read_more());
    }
  }

 private:
  std::size_t capacity() const { return buffer_.size() - kPadding; }

  std::optional<std::string_view> take_line(std::size_t line_end, std::size_t next_begin) {
    const std::string_view line(buffer_.data() + begin_, line_end - begin_);
    begin_ = scan_ = next_begin;
    return line;
  }

  // Moves the unfinished line to the front of the buffer, grows the buffer when that line fills
  // it, and reads more of the file after it.
  Status read_more() {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ -= begin_;
      begin_ = 0;
    }
    if (end_ == capacity()) buffer_.resize(2 * capacity() + kPadding, '\0');
    while (true) {
      const ssize_t n = ::read(file_.get(), buffer_.data() + end_, capacity() - end_);
      if (n > 0) {
        end_ += static_cast<std::size_t>(n);
        return Status::OK();
      }
      if (n == 0) {
        at_eof_ = true;
        return Status::OK();
      }
      if (errno != EINTR) {
        return Status::IOError("error reading '" + path_ + "': " + std::strerror(errno));
      }
    }
  }

  FileDescriptor file_;
  std::string path_;
  std::string buffer_;     // capacity() bytes of file data, then kPadding bytes of padding.
  std::size_t begin_ = 0;  // Start of the first line not handed out yet.
  std::size_t scan_ = 0;   // Where the search for the next '\n' resumes.
  std::size_t end_ = 0;    // End of the bytes read so far.
  bool at_eof_ = false;
};

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == line.npos;
}

class JsonlReader final : public BatchReader {
 public:
  JsonlReader(LineSplitter lines, std::vector<std::string> columns, std::int64_t batch_rows)
      : lines_(std::move(lines)),
        columns_(std::move(columns)),
        batch_rows_(batch_rows),
        builders_(columns_.size()),
        values_(columns_.size()),
        found_(columns_.size()) {}

  Status schema(ArrowSchema* out) override {
    internal::move_struct(internal::string_batch_schema(columns_).get(), out);
    return Status::OK();
  }

  Result<std::optional<Batch>> next() override {
    if (!error_.ok()) return error_;  // A failed stream keeps failing the same way.
    Result<std::optional<Batch>> batch = read_batch();
    if (!batch.ok()) error_ = batch.status();
    return batch;
  }

 private:
  Result<std::optional<Batch>> read_batch() {
    std::int64_t rows = 0;
    while (rows < batch_rows_) {
      PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::string_view> line, lines_.next());
      if (!line.has_value()) break;
      ++line_number_;
      if (line_number_ == 1 && line->starts_with("\xEF\xBB\xBF")) line->remove_prefix(3);
      if (is_blank(*line)) continue;
      const Status parsed = parse_line(*line);
      if (line->size() > kMaxRetainedParserBytes) parser_ = simdjson::dom::parser();
      PARAFEAT_RETURN_NOT_OK(parsed);
      ++rows;
    }
    if (rows == 0) return std::optional<Batch>();

    std::vector<internal::ColumnArrays> columns;
    columns.reserve(columns_.size());
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      // The next batch will likely be about as big: reserve that much up front.
      const std::int64_t bytes = builders_[i].data_bytes();
      columns.push_back(builders_[i].finish(columns_[i]));
      builders_[i].reserve(rows, bytes);
    }
    PARAFEAT_ASSIGN_OR_RAISE(Batch batch, internal::assemble_batch(rows, std::move(columns)));
    return std::optional<Batch>(std::move(batch));
  }

  Status line_error(StatusCode code, const std::string& message) const {
    return {code, "line " + std::to_string(line_number_) + ": " + message};
  }

  // Parses one non-blank line and appends its requested fields to the column builders.
  Status parse_line(std::string_view line) {
    simdjson::dom::element document;
    const simdjson::error_code error =
        parser_.parse(line.data(), line.size(), /*realloc_if_needed=*/false).get(document);
    if (error == simdjson::UTF8_ERROR) return line_error(StatusCode::kInvalid, "invalid UTF-8");
    if (error) {
      return line_error(StatusCode::kInvalid,
                        std::string("invalid JSON: ") + simdjson::error_message(error));
    }
    simdjson::dom::object object;
    if (document.get(object) != simdjson::SUCCESS) {
      return line_error(StatusCode::kTypeError, std::string("expected a JSON object, got ") +
                                                    json_type_phrase(document.type()));
    }

    std::fill(found_.begin(), found_.end(), false);
    for (const simdjson::dom::key_value_pair field : object) {
      for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (field.key == columns_[i]) {
          values_[i] = field.value;  // A later duplicate key overrides an earlier one.
          found_[i] = true;
        }
      }
    }

    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (!found_[i]) return missing_field_error(object, columns_[i]);
    }
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      std::string_view text;
      if (values_[i].get(text) != simdjson::SUCCESS) {
        return line_error(StatusCode::kTypeError, "field '" + columns_[i] + "' is " +
                                                      json_type_phrase(values_[i].type()) +
                                                      "; expected a string");
      }
      builders_[i].append(text);
    }
    return Status::OK();
  }

  Status missing_field_error(const simdjson::dom::object& object, const std::string& name) const {
    std::vector<std::string_view> keys;
    for (const simdjson::dom::key_value_pair field : object) {
      if (keys.size() == kMaxListedKeys) break;
      keys.push_back(field.key);
    }
    std::string listed = keys.empty() ? "the object has no fields" : "fields: " + quoted_list(keys);
    if (keys.size() == kMaxListedKeys && object.size() > kMaxListedKeys) listed += ", ...";
    return line_error(StatusCode::kKeyError, "no field '" + name + "' (" + listed + ")");
  }

  LineSplitter lines_;
  std::vector<std::string> columns_;
  std::int64_t batch_rows_;
  std::int64_t line_number_ = 0;  // 1-based number of the line last read.
  simdjson::dom::parser parser_;
  std::vector<internal::StringColumnBuilder> builders_;  // One per column.
  // Per line: each column's value and whether the object has it.
  std::vector<simdjson::dom::element> values_;
  std::vector<bool> found_;
  Status error_;
};

}  // namespace

Result<std::unique_ptr<BatchReader>> open_jsonl(const std::string& path,
                                                std::vector<std::string> columns,
                                                const JsonlOptions& options) {
  if (options.batch_rows <= 0) {
    return Status::Invalid("batch_rows must be positive, got " +
                           std::to_string(options.batch_rows));
  }
  if (options.read_bytes <= 0) {
    return Status::Invalid("read_bytes must be positive, got " +
                           std::to_string(options.read_bytes));
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (columns[i] == columns[j]) {
        return Status::Invalid("column '" + columns[i] + "' is requested twice");
      }
    }
  }
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) {
    return Status::IOError("cannot open '" + path + "': " + std::strerror(errno));
  }
  LineSplitter lines(std::move(file), path, static_cast<std::size_t>(options.read_bytes));
  return std::unique_ptr<BatchReader>(
      std::make_unique<JsonlReader>(std::move(lines), std::move(columns), options.batch_rows));
}

Result<std::unique_ptr<BatchReader>> open_jsonl(const std::string& path,
                                                std::vector<std::string> columns,
                                                std::int64_t batch_rows) {
  JsonlOptions options;
  options.batch_rows = batch_rows;
  return open_jsonl(path, std::move(columns), options);
}

}  // namespace parafeat
