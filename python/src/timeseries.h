// parafeat._core's time-series functions: the calculator table and feature extraction over
// long-format numpy arrays.
#pragma once

#include <nanobind/nanobind.h>

namespace parafeat::python {

/// Adds ts_calculators() and ts_extract() to the module.
void bind_timeseries(nanobind::module_& m);

}  // namespace parafeat::python
