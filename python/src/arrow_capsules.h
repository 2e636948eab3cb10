// The Arrow PyCapsule interface: record batches and streams cross between pyarrow and the engine
// as capsules named "arrow_schema", "arrow_array" and "arrow_array_stream".
#pragma once

#include <nanobind/nanobind.h>

#include <memory>

#include "parafeat/batch.h"

namespace parafeat::python {

/// Takes the record batch out of the capsules that `__arrow_c_array__()` returned.
Batch import_batch(nanobind::handle schema_capsule, nanobind::handle array_capsule);

/// Returns (schema_capsule, array_capsule) owning `batch`, for pyarrow's _import_from_c_capsule.
nanobind::tuple export_batch(Batch batch);

/// Returns an "arrow_array_stream" capsule owning `reader`.
nanobind::capsule export_stream(std::unique_ptr<BatchReader> reader);

}  // namespace parafeat::python
