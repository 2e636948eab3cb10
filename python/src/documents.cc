#include "documents.h"

#include <nanobind/stl/string.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "common/unicode.h"
#include "errors.h"

namespace nb = nanobind;

namespace parafeat::python {
namespace {

std::string python_type_name(nb::handle object) {
  return nb::cast<std::string>(nb::getattr(nb::handle(Py_TYPE(object.ptr())), "__name__"));
}

// Raises the pending Python error again as a ValueError about `row`.
[[noreturn]] void raise_pending_as_row_error(std::int64_t row, const std::string& what) {
  nb::python_error pending;
  raise_if_error(Status::Invalid(what + ": " + pending.what()).with_row(row));
  throw pending;  // unreachable: raise_if_error throws for a failed status
}

using Text = PythonDocuments::Text;

Text text_of(PyObject* str) {
  return Text{PyUnicode_DATA(str), static_cast<std::size_t>(PyUnicode_GET_LENGTH(str)),
              static_cast<int>(PyUnicode_KIND(str)), PyUnicode_IS_ASCII(str) != 0};
}

constexpr std::int64_t kSurrogate = -1;

// The UTF-8 size of `chars`, or kSurrogate if one of them is a lone surrogate (not encodable).
template <typename Char>
std::int64_t utf8_size(const Char* chars, std::size_t length) {
  std::int64_t size = 0;
  bool surrogate = false;
  for (std::size_t i = 0; i < length; ++i) {  // branch-free, so the compiler vectorizes it
    const std::uint32_t cp = chars[i];
    surrogate |= cp - 0xD800 < 0x800;
    size += 1 + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000);
  }
  return surrogate ? kSurrogate : size;
}

// Writes the UTF-8 encoding of `chars` (which has no surrogates) to `out`.
template <typename Char>
void encode_utf8(const Char* chars, std::size_t length, char* out) {
  constexpr std::size_t kBlock = 32;
  for (std::size_t i = 0; i < length; ++i) {
    if (i % kBlock == 0 && i + kBlock <= length) {
      Char any = 0;
      for (std::size_t j = i; j < i + kBlock; ++j) any |= chars[j];
      if (any < 0x80) {  // an all-ASCII block: a plain narrowing copy
        for (std::size_t j = i; j < i + kBlock; ++j) *out++ = static_cast<char>(chars[j]);
        i += kBlock - 1;
        continue;
      }
    }
    out += unicode::encode_utf8(static_cast<char32_t>(chars[i]), out);
  }
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

std::int64_t utf8_size(const Text& str) {
  if (str.ascii) return static_cast<std::int64_t>(str.length);
  return with_code_units(str, [&](const auto* chars) { return utf8_size(chars, str.length); });
}

void encode_utf8(const Text& str, char* out) {
  if (str.ascii) {
    std::memcpy(out, str.chars, str.length);
    return;
  }
  with_code_units(str, [&](const auto* chars) { encode_utf8(chars, str.length, out); });
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
  for (nb::handle item : nb::iter(documents)) {
    if (PyUnicode_Check(item.ptr())) {
      strs.push_back(nb::borrow(item));
    } else if (PyBytes_Check(item.ptr())) {
      nb::object text =
          nb::steal(PyUnicode_Decode(PyBytes_AS_STRING(item.ptr()), PyBytes_GET_SIZE(item.ptr()),
                                     encoding.c_str(), decode_error.c_str()));
      if (!text.is_valid()) {
        raise_pending_as_row_error(row, "the document cannot be decoded with encoding '" +
                                            encoding + "' (decode_error='" + decode_error + "')");
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

PythonDocuments::PythonDocuments(nb::handle documents, const Params& params)
    : PythonDocuments(documents, string_param(params, "encoding", "utf-8"),
                      string_param(params, "decode_error", "strict")) {}

PythonDocuments::PythonDocuments(nb::handle documents, const std::string& encoding,
                                 const std::string& decode_error)
    : strs_(collect_strs(documents, encoding, decode_error)) {
  texts_.reserve(strs_.size());
  for (const nb::object& str : strs_) texts_.push_back(text_of(str.ptr()));
}

Result<StringColumn> PythonDocuments::read(RowRange rows, MorselBuffer& buffer) const {
  std::vector<std::int64_t>& offsets = buffer.offsets;
  offsets.assign(static_cast<std::size_t>(rows.size()) + 1, 0);
  for (std::int64_t row = rows.begin; row < rows.end; ++row) {
    const Text& text = texts_[static_cast<std::size_t>(row)];
    const std::int64_t size = utf8_size(text);
    if (size == kSurrogate) {
      return Status::Invalid("the document cannot be encoded as UTF-8: " + describe_surrogate(text))
          .with_row(row);
    }
    const auto local = static_cast<std::size_t>(row - rows.begin);
    offsets[local + 1] = offsets[local] + size;
  }
  buffer.data.resize(static_cast<std::size_t>(offsets.back()));
  for (std::int64_t row = rows.begin; row < rows.end; ++row) {
    const auto local = static_cast<std::size_t>(row - rows.begin);
    encode_utf8(texts_[static_cast<std::size_t>(row)], buffer.data.data() + offsets[local]);
  }
  return StringColumn::with_offsets64(buffer.data.data(), offsets.data(), nullptr, rows.size());
}

}  // namespace parafeat::python
