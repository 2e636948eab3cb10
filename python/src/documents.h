// Python documents (str, or bytes to decode) copied into one UTF-8 buffer in the Arrow
// large_utf8 layout, so the engine can read them without the GIL.
#pragma once

#include <nanobind/nanobind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "parafeat/column.h"
#include "parafeat/executor.h"

namespace parafeat::python {

class DocumentColumn {
 public:
  /// Reads every item of the iterable `documents`: a str is taken as is; bytes are decoded with
  /// `encoding` and `decode_error` (as bytes.decode does, like scikit-learn's decode step).
  /// Anything else raises TypeError, a float NaN raises ValueError, each naming the row. The
  /// UTF-8 encoding runs on `executor`'s threads with the GIL released.
  static DocumentColumn from_python(nanobind::handle documents, const std::string& encoding,
                                    const std::string& decode_error, const Executor& executor);

  std::int64_t size() const { return static_cast<std::int64_t>(offsets_.size()) - 1; }
  /// A view of the documents, valid while this object lives and is not modified.
  StringColumn view() const;

 private:
  std::vector<std::int64_t> offsets_{0};
  std::unique_ptr<char[]> data_;
};

}  // namespace parafeat::python
