#include "errors.h"

#include <nanobind/nanobind.h>

namespace nb = nanobind;

namespace parafeat::python {
namespace {

PyObject* exception_type(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalid: return PyExc_ValueError;
    case StatusCode::kTypeError: return PyExc_TypeError;
    case StatusCode::kKeyError: return PyExc_KeyError;
    case StatusCode::kIOError: return PyExc_OSError;
    case StatusCode::kCancelled: return PyExc_KeyboardInterrupt;
    case StatusCode::kNotImplemented: return PyExc_NotImplementedError;
    case StatusCode::kOk:
    case StatusCode::kInternal: break;
  }
  return PyExc_RuntimeError;
}

}  // namespace

void raise_if_error(const Status& status) {
  if (status.ok()) return;
  nb::handle type(exception_type(status.code()));
  nb::object error = type(nb::str(status.message().c_str()));
  nb::object row = status.row() ? nb::cast(*status.row()) : nb::none();
  nb::setattr(error, "row", row);
  PyErr_SetObject(type.ptr(), error.ptr());
  throw nb::python_error();
}

}  // namespace parafeat::python
