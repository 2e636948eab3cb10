#include "documents.h"

#include <cmath>

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

}  // namespace

void DocumentColumn::append_str(nb::handle text, std::int64_t row) {
  if (PyUnicode_IS_ASCII(text.ptr())) {
    data_.append(static_cast<const char*>(PyUnicode_DATA(text.ptr())),
                 static_cast<std::size_t>(PyUnicode_GET_LENGTH(text.ptr())));
    return;
  }
  // Not cached on the str (PyUnicode_AsUTF8AndSize would keep a UTF-8 copy alive in every
  // document the caller holds).
  nb::object utf8 = nb::steal(PyUnicode_AsUTF8String(text.ptr()));
  if (!utf8.is_valid()) raise_pending_as_row_error(row, "the document cannot be encoded as UTF-8");
  data_.append(PyBytes_AS_STRING(utf8.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(utf8.ptr())));
}

DocumentColumn DocumentColumn::from_python(nb::handle documents, const std::string& encoding,
                                           const std::string& decode_error) {
  DocumentColumn column;
  if (PySequence_Check(documents.ptr())) {
    const Py_ssize_t n = PySequence_Size(documents.ptr());
    if (n > 0) column.offsets_.reserve(static_cast<std::size_t>(n) + 1);
    PyErr_Clear();
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
