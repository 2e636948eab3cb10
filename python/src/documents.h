// Python documents (str, or bytes to decode) as a DocumentSource: references to the str objects
// are taken with the GIL held, and each morsel is encoded to UTF-8 by the worker thread that
// processes it, without the GIL. The whole input is never copied at once.
#pragma once

#include <nanobind/nanobind.h>

#include <cstdint>
#include <string>
#include <vector>

#include "parafeat/executor.h"
#include "parafeat/params.h"

namespace parafeat::python {

class PythonDocuments final : public DocumentSource {
 public:
  /// Reads every item of the iterable `documents` (GIL held): a str is taken as is; bytes are
  /// decoded with `encoding` and `decode_error`, as bytes.decode does (scikit-learn's decode
  /// step); a decoding error is raised as the codec raised it (UnicodeDecodeError...), the row
  /// added, and an unknown `encoding` is a LookupError naming it. Anything else raises
  /// TypeError, a float NaN raises ValueError, each naming the row.
  /// Morsels are read in `form`: TextForm::kPythonLower lowers each str while encoding it, in
  /// the same pass.
  PythonDocuments(nanobind::handle documents, const std::string& encoding,
                  const std::string& decode_error, TextForm form);

  /// The same, with the text extractor parameters `encoding` and `decode_error` of `params`
  /// (scikit-learn's defaults "utf-8" and "strict" when absent).
  PythonDocuments(nanobind::handle documents, const Params& params, TextForm form);

  std::int64_t num_rows() const override { return static_cast<std::int64_t>(texts_.size()); }
  /// The documents' length in code points: their UTF-8 size for ASCII text, less otherwise.
  std::int64_t size_bytes() const override { return num_code_points_; }
  /// Encodes rows `rows` to UTF-8 (in the form given at construction) into `buffer`; safe
  /// without the GIL. A str holding a lone surrogate, which UTF-8 cannot encode, is an Invalid
  /// status naming its row.
  Result<StringColumn> read(RowRange rows, MorselBuffer& buffer) const override;

  /// The code units of one str, read once with the GIL held. Valid while the str is referenced:
  /// a str's characters never move or change.
  struct Text {
    const void* chars = nullptr;
    std::size_t length = 0;  // in code points
    int kind = 1;            // bytes per code unit: 1, 2 or 4
    bool ascii = true;
  };

 private:
  std::vector<nanobind::object> strs_;  // keeps every str alive while workers read it
  std::vector<Text> texts_;
  std::int64_t num_code_points_ = 0;
  TextForm form_ = TextForm::kAsGiven;
};

}  // namespace parafeat::python
