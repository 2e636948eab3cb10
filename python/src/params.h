// Extractor parameters between Python objects and the engine's Params.
#pragma once

#include <nanobind/nanobind.h>

#include "parafeat/params.h"

namespace parafeat::python {

/// Converts keyword arguments: None, bool, int, float, str, lists/tuples of those, and numpy
/// scalars. Raises TypeError naming the key for any other type.
Params params_from_python(const nanobind::dict& values);

/// The parameters as a dict (lists become tuples, as scikit-learn's ngram_range is).
nanobind::dict params_to_python(const Params& params);

}  // namespace parafeat::python
