#include "documents.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <nanobind/stl/string.h>

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

// Appends the UTF-8 encoding of `chars` (one Python str's code units) to `out`, a chunk at a
// time through a stack buffer. Returns false, leaving `out` partly appended, at a lone surrogate,
// which UTF-8 cannot encode.
template <typename Char>
bool append_utf8(const Char* chars, std::size_t length, std::string& out) {
  constexpr std::size_t kChunk = 256;
  char buffer[kChunk * 4];
  for (std::size_t begin = 0; begin < length; begin += kChunk) {
    const std::size_t end = std::min(length, begin + kChunk);
    Char any = 0;
    for (std::size_t i = begin; i < end; ++i) any |= chars[i];
    if (any < 0x80) {  // an all-ASCII chunk: a plain narrowing copy
      for (std::size_t i = begin; i < end; ++i) buffer[i - begin] = static_cast<char>(chars[i]);
      out.append(buffer, end - begin);
      continue;
    }
    char* p = buffer;
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t cp = chars[i];
      if (cp < 0x80) {
        *p++ = static_cast<char>(cp);
      } else if (cp < 0x800) {
        *p++ = static_cast<char>(0xC0 | (cp >> 6));
        *p++ = static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        *p++ = static_cast<char>(0xE0 | (cp >> 12));
        *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *p++ = static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        *p++ = static_cast<char>(0xF0 | (cp >> 18));
        *p++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *p++ = static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    out.append(buffer, static_cast<std::size_t>(p - buffer));
  }
  return true;
}

}  // namespace

void DocumentColumn::append_str(nb::handle text, std::int64_t row) {
  PyObject* object = text.ptr();
  const auto length = static_cast<std::size_t>(PyUnicode_GET_LENGTH(object));
  const void* chars = PyUnicode_DATA(object);
  if (PyUnicode_IS_ASCII(object)) {
    data_.append(static_cast<const char*>(chars), length);
    return;
  }
  // Encoded straight into the column: no temporary bytes object, and nothing cached on the str.
  bool encoded = false;
  switch (PyUnicode_KIND(object)) {
    case PyUnicode_1BYTE_KIND:
      encoded = append_utf8(static_cast<const Py_UCS1*>(chars), length, data_);
      break;
    case PyUnicode_2BYTE_KIND:
      encoded = append_utf8(static_cast<const Py_UCS2*>(chars), length, data_);
      break;
    default:
      encoded = append_utf8(static_cast<const Py_UCS4*>(chars), length, data_);
      break;
  }
  if (!encoded) {
    // Let Python describe the unencodable character, as str.encode would.
    nb::object failed = nb::steal(PyUnicode_AsUTF8String(object));
    raise_pending_as_row_error(row, "the document cannot be encoded as UTF-8");
  }
}

DocumentColumn DocumentColumn::from_python(nb::handle documents, const std::string& encoding,
                                           const std::string& decode_error) {
  DocumentColumn column;
  if (PyList_Check(documents.ptr()) || PyTuple_Check(documents.ptr())) {
    // Reserve what ASCII documents need exactly (others grow the buffer as they are encoded).
    nb::object sequence = nb::borrow(documents);
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(sequence.ptr());
    PyObject** items = PySequence_Fast_ITEMS(sequence.ptr());
    std::size_t characters = 0;
    for (Py_ssize_t i = 0; i < n; ++i) {
      if (PyUnicode_Check(items[i])) characters += static_cast<std::size_t>(PyUnicode_GET_LENGTH(items[i]));
    }
    column.offsets_.reserve(static_cast<std::size_t>(n) + 1);
    column.data_.reserve(characters);
  }
  std::int64_t row = 0;
  for (nb::handle item : nb::iter(documents)) {
    if (PyUnicode_Check(item.ptr())) {
      column.append_str(item, row);
    } else if (PyBytes_Check(item.ptr())) {
      nb::object text = nb::steal(PyUnicode_Decode(PyBytes_AS_STRING(item.ptr()),
                                                   PyBytes_GET_SIZE(item.ptr()), encoding.c_str(),
                                                   decode_error.c_str()));
      if (!text.is_valid()) {
        raise_pending_as_row_error(row, "the document cannot be decoded with encoding '" +
                                            encoding + "' (decode_error='" + decode_error + "')");
      }
      column.append_str(text, row);
    } else if (PyFloat_Check(item.ptr()) && std::isnan(PyFloat_AS_DOUBLE(item.ptr()))) {
      raise_if_error(Status::Invalid(
                         "np.nan is an invalid document, expected byte or unicode string.")
                         .with_row(row));
    } else {
      raise_if_error(Status::TypeError("expected a document of type str or bytes, got " +
                                       python_type_name(item))
                         .with_row(row));
    }
    column.offsets_.push_back(static_cast<std::int64_t>(column.data_.size()));
    ++row;
  }
  return column;
}

StringColumn DocumentColumn::view() const {
  return StringColumn::with_offsets64(data_.data(), offsets_.data(), nullptr, size());
}

}  // namespace parafeat::python
