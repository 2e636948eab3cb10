// Arrow IPC stream framing for parafeat-serve, through the Arrow C++ library that the pyarrow
// wheel ships (libarrow and its headers; pyarrow is already a pinned runtime dependency). Only
// this binary links it: the engine itself speaks the Arrow C Data Interface, and batches cross
// over through it (arrow/c/bridge.h), so no Arrow C++ type reaches the engine or the server.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parafeat/batch.h"
#include "parafeat/status.h"

namespace parafeat::serve_tool {

/// The record batches of an Arrow IPC stream, combined into one batch. Invalid (naming what is
/// wrong) when `body` is not an IPC stream.
Result<Batch> read_ipc_stream(std::string_view body);

/// The feature columns as an Arrow IPC stream of one record batch (the layout of
/// make_feature_batch: struct<indices: list<int32>, values: list<float>> per sparse column,
/// fixed_size_list<float64> per dense one). A dense column's field carries its `feature_names`
/// (a JSON list under "parafeat.feature_names", as Pipeline.transform writes them).
Result<std::string> write_ipc_stream(std::vector<FeatureColumn> columns,
                                     const std::vector<std::vector<std::string>>& feature_names);

}  // namespace parafeat::serve_tool
