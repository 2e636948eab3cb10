// Turning a failed parafeat Status into the Python exception a user expects.
#pragma once

#include "parafeat/status.h"

namespace parafeat::python {

/// Raises the Python exception for `status` (ValueError, TypeError, KeyError, OSError,
/// NotImplementedError, KeyboardInterrupt for cancellation, RuntimeError for bugs) by throwing
/// nanobind::python_error; the exception's `row` attribute holds the failing row, or None.
/// Does nothing for an OK status.
void raise_if_error(const Status& status);

/// The value of `result`, or raises as raise_if_error does.
template <typename T>
T value_or_raise(Result<T> result) {
  raise_if_error(result.status());
  return result.move_value();
}

}  // namespace parafeat::python
