// The text vectorizers' fitting, for Python: vocabulary states, corpus counting, and TF-IDF
// weighting of count matrices in place.
#pragma once

#include <nanobind/nanobind.h>

namespace parafeat::python {

/// Adds VocabularyState, CountedCorpus, count_documents and weight_rows to module `m`.
void bind_text_fitting(nanobind::module_& m);

}  // namespace parafeat::python
