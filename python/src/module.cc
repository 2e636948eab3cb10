// parafeat._core: the extension module. It converts Python and Arrow objects into the engine's
// types and back, releases the GIL around engine work, and nothing more.
#include <nanobind/nanobind.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "arrow_capsules.h"
#include "documents.h"
#include "engine_run.h"
#include "errors.h"
#include "io/jsonl_reader.h"
#include "numpy_arrays.h"
#include "parafeat/executor.h"
#include "parafeat/extractor.h"
#include "parafeat/pipeline.h"
#include "params.h"
#include "state/pipeline_state.h"
#include "state/state_file.h"
#include "text_fitting.h"
#include "timeseries.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace parafeat::python {
namespace {

// A configured extractor, callable from Python.
class PyExtractor {
 public:
  PyExtractor(const std::string& name, const nb::dict& params)
      : extractor_(value_or_raise(make_extractor(name, params_from_python(params)))) {}

  std::string name() const { return std::string(extractor_->name()); }
  nb::dict params() const { return params_to_python(extractor_->params()); }
  std::int64_t num_columns() const { return extractor_->output_spec().num_columns; }
  std::string dtype() const { return std::string(dtype_name(extractor_->output_spec().dtype)); }

  // Extracts features of an iterable of documents; returns (data, indices, indptr) for a
  // scipy.sparse CSR matrix, with scikit-learn's index dtypes (int32 unless too large).
  nb::tuple transform_documents(nb::handle documents, int num_threads, std::int64_t morsel_rows,
                                nb::object progress) const {
    EngineRun run(num_threads, morsel_rows, std::move(progress));
    const PythonDocuments source(documents, extractor_->params(),
                                 extractor_->preferred_text_form());
    SparseRows rows;
    run.run([&] {
      PARAFEAT_ASSIGN_OR_RAISE(rows, Executor(run.options()).extract(*extractor_, source));
      return Status::OK();
    });
    return csr_arrays(std::move(rows), extractor_->output_spec().dtype);
  }

 private:
  std::unique_ptr<Extractor> extractor_;
};

// A validated pipeline, callable from Python on Arrow record batches.
class PyPipeline {
 public:
  PyPipeline(const std::string& yaml, const nb::dict& fitted)
      : pipeline_(value_or_raise(Pipeline::from_yaml(yaml, fitted_params(fitted)))) {}

  std::vector<std::string> input_columns() const { return pipeline_.input_columns(); }
  std::vector<std::string> output_columns() const {
    std::vector<std::string> names;
    for (const PipelineStep& step : pipeline_.steps()) names.push_back(step.output);
    return names;
  }
  std::string to_yaml() const { return pipeline_.to_yaml(); }
  bool is_fitted() const { return pipeline_.is_fitted(); }

  // Each step as a dict: name, column, output, params (resolved) and fitted.
  nb::list steps() const {
    nb::list steps;
    for (const PipelineStep& step : pipeline_.steps()) {
      nb::dict info;
      info["name"] = std::string(step.extractor->name());
      info["column"] = step.column;
      info["output"] = step.output;
      info["params"] = params_to_python(step.extractor->params());
      info["fitted"] = step.extractor->is_fitted();
      info["num_columns"] = step.extractor->output_spec().num_columns;
      info["dense"] = step.extractor->output_spec().dense;
      info["reads_series"] = step.extractor->input_kind() == InputKind::kSeries;
      info["feature_names"] = step.extractor->feature_names();
      steps.append(info);
    }
    return steps;
  }

  // The spec's long_format stage as a dict of its column names (None when it has none).
  nb::object long_format() const {
    if (!pipeline_.long_format()) return nb::none();
    const LongFormat& format = *pipeline_.long_format();
    const auto optional = [](const std::string& name) -> nb::object {
      if (name.empty()) return nb::none();
      return nb::str(name.c_str(), name.size());
    };
    nb::dict columns;
    columns["column_id"] = format.column_id;
    columns["column_sort"] = optional(format.column_sort);
    columns["column_kind"] = optional(format.column_kind);
    columns["column_value"] = format.column_value;
    return columns;
  }

  // Errors name rows counted from `first_row`: the batch's position in a larger input.
  nb::tuple transform_batch(nb::handle schema_capsule, nb::handle array_capsule, int num_threads,
                            std::int64_t morsel_rows, std::int64_t first_row,
                            nb::object progress) const {
    Batch input = import_batch(schema_capsule, array_capsule);
    EngineRun run(num_threads, morsel_rows, std::move(progress));
    Batch output;
    run.run([&] {
      Result<Batch> result = pipeline_.transform(input, Executor(run.options()));
      if (!result.ok()) return result.status().with_row_offset(first_row);
      output = result.move_value();
      return Status::OK();
    });
    return export_batch(std::move(output));
  }

 private:
  static Pipeline::FittedParams fitted_params(const nb::dict& fitted) {
    Pipeline::FittedParams params;
    for (auto [output, values] : fitted) {
      params.emplace(nb::cast<std::string>(output), params_from_python(nb::cast<nb::dict>(values)));
    }
    return params;
  }

  Pipeline pipeline_;
};

nb::list extractor_infos() {
  nb::list infos;
  for (const ExtractorInfo& info : registered_extractors()) {
    infos.append(nb::make_tuple(std::string(info.name), std::string(info.summary)));
  }
  return infos;
}

}  // namespace
}  // namespace parafeat::python

NB_MODULE(_core, m) {
  using namespace parafeat::python;
  m.doc() = "parafeat's native engine (private: use the parafeat package)";

  nb::class_<PyExtractor>(m, "Extractor", "A configured native extractor")
      .def(nb::init<const std::string&, const nb::dict&>(), "name"_a, "params"_a)
      .def_prop_ro("name", &PyExtractor::name)
      .def_prop_ro("params", &PyExtractor::params, "Parameters in use, defaults filled in")
      .def_prop_ro("num_columns", &PyExtractor::num_columns)
      .def_prop_ro("dtype", &PyExtractor::dtype)
      .def("transform_documents", &PyExtractor::transform_documents, "documents"_a, "num_threads"_a,
           "morsel_rows"_a, "progress"_a = nb::none(),
           "Features of an iterable of str/bytes as (data, indices, indptr) CSR arrays");

  nb::class_<PyPipeline>(m, "Pipeline", "A validated pipeline spec")
      .def(nb::init<const std::string&, const nb::dict&>(), "yaml"_a, "fitted"_a = nb::dict(),
           "From a YAML spec, plus fitted parameters by output name")
      .def_prop_ro("input_columns", &PyPipeline::input_columns)
      .def_prop_ro("output_columns", &PyPipeline::output_columns)
      .def("to_yaml", &PyPipeline::to_yaml)
      .def_prop_ro("is_fitted", &PyPipeline::is_fitted)
      .def_prop_ro("steps", &PyPipeline::steps,
                   "Each step: name, column, output, params, fitted, num_columns, dense, "
                   "reads_series, feature_names")
      .def_prop_ro("long_format", &PyPipeline::long_format,
                   "The long_format stage's column names, or None")
      .def("transform_batch", &PyPipeline::transform_batch, "schema_capsule"_a, "array_capsule"_a,
           "num_threads"_a, "morsel_rows"_a, "first_row"_a = 0, "progress"_a = nb::none(),
           "Runs the pipeline on one Arrow record batch given as PyCapsules");

  m.def(
      "open_jsonl",
      [](const std::string& path, const std::vector<std::string>& columns,
         std::int64_t batch_rows) {
        return export_stream(value_or_raise(parafeat::open_jsonl(path, columns, batch_rows)));
      },
      "path"_a, "columns"_a, "batch_rows"_a,
      "Streams the given string fields of a JSON-Lines file as an Arrow C stream capsule");
  bind_text_fitting(m);
  bind_timeseries(m);
  m.def(
      "encode_state",
      [](const std::string& kind, const std::string& spec, nb::bytes payload) {
        const std::string bytes = parafeat::state::encode_state(
            {kind, spec, std::string(payload.c_str(), payload.size())});
        return nb::bytes(bytes.data(), bytes.size());
      },
      "kind"_a, "spec"_a, "payload"_a, "Wraps a state payload in the versioned state container");
  m.def(
      "decode_state",
      [](nb::bytes data, const std::string& kind) {
        parafeat::state::StateEnvelope envelope = value_or_raise(
            parafeat::state::decode_state(std::string_view(data.c_str(), data.size()), kind));
        return nb::make_tuple(envelope.spec,
                              nb::bytes(envelope.payload.data(), envelope.payload.size()));
      },
      "data"_a, "kind"_a, "(spec, payload) of a state container of the given kind");
  m.def(
      "encode_pipeline_entries",
      [](const std::vector<std::pair<std::string, nb::bytes>>& entries) {
        std::vector<parafeat::state::PipelineEntry> native;
        native.reserve(entries.size());
        for (const auto& [name, value] : entries) {
          native.emplace_back(name, std::string(value.c_str(), value.size()));
        }
        const std::string bytes = parafeat::state::encode_pipeline_entries(native);
        return nb::bytes(bytes.data(), bytes.size());
      },
      "entries"_a, "The payload of a saved pipeline from its (name, bytes) entries");
  m.def(
      "decode_pipeline_entries",
      [](nb::bytes payload) {
        std::vector<parafeat::state::PipelineEntry> entries =
            value_or_raise(parafeat::state::decode_pipeline_entries(
                std::string_view(payload.c_str(), payload.size())));
        nb::list decoded;
        for (const auto& [name, value] : entries) {
          decoded.append(nb::make_tuple(name, nb::bytes(value.data(), value.size())));
        }
        return decoded;
      },
      "payload"_a, "The (name, bytes) entries of a saved pipeline's payload, in order");
  m.def("registered_extractors", &extractor_infos, "(name, summary) of every native extractor");
}
