#include "documents.h"

#include <nanobind/stl/string.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

#include "common/unicode.h"
#include "errors.h"

namespace nb = nanobind;

namespace parafeat::python {
namespace {

std::string python_type_name(nb::handle object) {
  return nb::cast<std::string>(nb::getattr(nb::handle(Py_TYPE(object.ptr())), "__name__"));
}

// Raises the pending Python error again, about `row` when given, as an error of its own type (so
// that `except UnicodeDecodeError` or `except LookupError` still catches it) raised from it, with
// a one-line message (str() of the error, not the traceback of a codec written in Python) and a
// `row` attribute (None when not about a row). A UnicodeDecodeError keeps its attributes, the
// row added to its reason; another error says "row N: `what`: <its message>"; an error whose
// type takes other arguments is raised again as it is.
[[noreturn]] void raise_pending_in_context(const std::string& what,
                                           std::optional<std::int64_t> row) {
  nb::python_error pending;
  const nb::object original = nb::borrow(pending.value());
  const nb::handle type(Py_TYPE(original.ptr()));
  const std::string row_label = row ? "row " + std::to_string(*row) : "";
  nb::object error = original;
  try {
    if (row && PyObject_TypeCheck(original.ptr(),
                                  reinterpret_cast<PyTypeObject*>(PyExc_UnicodeDecodeError))) {
      // Its message is made of these attributes.
      const std::string reason = nb::cast<std::string>(original.attr("reason"));
      error = type(original.attr("encoding"), original.attr("object"), original.attr("start"),
                   original.attr("end"), nb::str((reason + " in " + row_label).c_str()));
    } else {
      const std::string message = nb::cast<std::string>(nb::str(original));
      error = type(nb::str(((row ? row_label + ": " : "") + what + ": " + message).c_str()));
    }
  } catch (nb::python_error&) {
    error = original;
  }
  nb::setattr(error, "row", row ? nb::cast(*row) : nb::none());
  if (!error.is(original)) PyException_SetCause(error.ptr(), original.inc_ref().ptr());
  PyErr_SetObject(type.ptr(), error.ptr());
  throw nb::python_error();
}

// Raises LookupError naming the `encoding` parameter when Python knows no codec by that name,
// rather than an error about the first row of bytes.
void check_encoding(const std::string& encoding) {
  if (!nb::steal(PyCodec_Decoder(encoding.c_str())).is_valid()) {
    raise_pending_in_context("encoding='" + encoding + "' names no codec", std::nullopt);
  }
}

using Text = PythonDocuments::Text;

Text text_of(PyObject* str) {
  return Text{PyUnicode_DATA(str), static_cast<std::size_t>(PyUnicode_GET_LENGTH(str)),
              static_cast<int>(PyUnicode_KIND(str)), PyUnicode_IS_ASCII(str) != 0};
}

// Calls fn(chars) with the str's code units typed by its kind.
template <typename Fn>
auto with_code_units(const Text& str, Fn&& fn) {
  switch (str.kind) {
    case PyUnicode_1BYTE_KIND: return fn(static_cast<const Py_UCS1*>(str.chars));
    case PyUnicode_2BYTE_KIND: return fn(static_cast<const Py_UCS2*>(str.chars));
    default: return fn(static_cast<const Py_UCS4*>(str.chars));
  }
}

// Makes `data` hold at least `size` bytes. It only grows, doubling: the bytes past the documents
// are scratch, so a buffer reused from morsel to morsel is not filled again.
void ensure_size(std::string& data, std::size_t size) {
  if (data.size() < size) data.resize(std::max(size, 2 * data.size()));
}

// Code units encoded per call of unicode::encode_code_units(), each call given room for their
// longest encoding: so the buffer holds little more than the UTF-8 itself, even for a huge str.
constexpr std::size_t kPieceUnits = std::size_t{1} << 16;

// Writes the UTF-8 encoding of `str`, or of its str.lower() for TextForm::kPythonLower, into
// `data` from byte `end` on, growing `data` as needed; returns where the encoding ends, or
// unicode::kLoneSurrogate.
std::size_t encode_utf8(const Text& str, TextForm form, std::string& data, std::size_t end) {
  const bool lower = form == TextForm::kPythonLower;
  if (str.ascii && !lower) {
    ensure_size(data, end + str.length);
    std::memcpy(data.data() + end, str.chars, str.length);  // compact ASCII data is UTF-8
    return end + str.length;
  }
  return with_code_units(str, [&](const auto* units) {
    using Unit = std::remove_cvref_t<decltype(*units)>;
    const std::span<const Unit> code_points(units, str.length);
    // A str holds whole code points (no surrogate pairs), so any piece boundary is one.
    for (std::size_t done = 0; done < str.length;) {
      const std::size_t piece = std::min(kPieceUnits, str.length - done);
      std::size_t size = 0;
      if (lower) {
        ensure_size(data, end + unicode::lower_code_units_room(piece));
        size = unicode::encode_lower_code_units(code_points, done, done + piece, data.data() + end);
      } else {
        ensure_size(data, end + unicode::code_units_room<Unit>(piece));
        size = unicode::encode_code_units(units + done, piece, data.data() + end);
      }
      if (size == unicode::kLoneSurrogate) return size;
      end += size;
      done += piece;
    }
    return end;
  });
}

// Every document as a str, references held: str items as they are, bytes decoded. Raises for
// anything else, naming the row.
std::vector<nb::object> collect_strs(nb::handle documents, const std::string& encoding,
                                     const std::string& decode_error) {
  std::vector<nb::object> strs;
  if (PyList_Check(documents.ptr()) || PyTuple_Check(documents.ptr())) {
    strs.reserve(static_cast<std::size_t>(PySequence_Fast_GET_SIZE(documents.ptr())));
  }
  std::int64_t row = 0;
  bool encoding_checked = false;  // when the first bytes are met: str documents need no codec
  for (nb::handle item : nb::iter(documents)) {
    if (PyUnicode_Check(item.ptr())) {
      strs.push_back(nb::borrow(item));
    } else if (PyBytes_Check(item.ptr())) {
      if (!std::exchange(encoding_checked, true)) check_encoding(encoding);
      nb::object text =
          nb::steal(PyUnicode_Decode(PyBytes_AS_STRING(item.ptr()), PyBytes_GET_SIZE(item.ptr()),
                                     encoding.c_str(), decode_error.c_str()));
      if (!text.is_valid()) {
        raise_pending_in_context("the document cannot be decoded with encoding '" + encoding +
                                     "' (decode_error='" + decode_error + "')",
                                 row);
      }
      strs.push_back(std::move(text));
    } else if (PyFloat_Check(item.ptr()) && std::isnan(PyFloat_AS_DOUBLE(item.ptr()))) {
      raise_if_error(
          Status::Invalid("np.nan is an invalid document, expected byte or unicode string.")
              .with_row(row));
    } else {
      raise_if_error(Status::TypeError("expected a document of type str or bytes, got " +
                                       python_type_name(item))
                         .with_row(row));
    }
    ++row;
  }
  return strs;
}

// The first lone surrogate of `str`, which UTF-8 cannot encode: its position and value.
std::string describe_surrogate(const Text& str) {
  return with_code_units(str, [&](const auto* chars) {
    for (std::size_t i = 0; i < str.length; ++i) {
      const std::uint32_t cp = chars[i];
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        char code[16];
        std::snprintf(code, sizeof(code), "U+%04X", cp);
        return "character " + std::string(code) + " at position " + std::to_string(i) +
               " is a lone surrogate";
      }
    }
    return std::string("no surrogate found");
  });
}

}  // namespace

namespace {

std::string string_param(const Params& params, const char* key, const char* fallback) {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  const auto* text = std::get_if<std::string>(&it->second.storage());
  return text ? *text : fallback;
}

}  // namespace

PythonDocuments::PythonDocuments(nb::handle documents, const Params& params, TextForm form)
    : PythonDocuments(documents, string_param(params, "encoding", "utf-8"),
                      string_param(params, "decode_error", "strict"), form) {}

PythonDocuments::PythonDocuments(nb::handle documents, const std::string& encoding,
                                 const std::string& decode_error, TextForm form)
    : strs_(collect_strs(documents, encoding, decode_error)), form_(form) {
  texts_.reserve(strs_.size());
  for (const nb::object& str : strs_) {
    texts_.push_back(text_of(str.ptr()));
    num_code_points_ += static_cast<std::int64_t>(texts_.back().length);
  }
}

Result<StringColumn> PythonDocuments::read(RowRange rows, MorselBuffer& buffer) const {
  std::vector<std::int64_t>& offsets = buffer.offsets;
  offsets.assign(static_cast<std::size_t>(rows.size()) + 1, 0);
  std::size_t end = 0;
  for (std::int64_t row = rows.begin; row < rows.end; ++row) {
    const Text& text = texts_[static_cast<std::size_t>(row)];
    end = encode_utf8(text, form_, buffer.data, end);
    if (end == unicode::kLoneSurrogate) {
      return Status::Invalid("the document cannot be encoded as UTF-8: " + describe_surrogate(text))
          .with_row(row);
    }
    offsets[static_cast<std::size_t>(row - rows.begin) + 1] = static_cast<std::int64_t>(end);
  }
  return StringColumn::with_offsets64(buffer.data.data(), offsets.data(), nullptr, rows.size())
      .with_text_form(form_);
}

}  // namespace parafeat::python
