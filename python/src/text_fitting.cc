#include "text_fitting.h"

#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arrow_capsules.h"
#include "common/java_string_order.h"
#include "common/prefix_key.h"
#include "documents.h"
#include "engine_run.h"
#include "errors.h"
#include "extractors/text/count_vectorizer.h"
#include "extractors/text/counted_corpus.h"
#include "extractors/text/spark_idf.h"
#include "extractors/text/tfidf.h"
#include "numpy_arrays.h"
#include "params.h"
#include "state/state_file.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace parafeat::python {
namespace {

// A vocabulary state with the spec (analysis parameters) it was counted under.
struct PyVocabularyState {
  std::string spec;
  state::VocabularyState state;

  static PyVocabularyState from_bytes(nb::bytes data) {
    state::StateEnvelope envelope = value_or_raise(state::decode_state(
        std::string_view(data.c_str(), data.size()), state::VocabularyState::kKind));
    return {std::move(envelope.spec),
            value_or_raise(state::VocabularyState::deserialize(envelope.payload))};
  }

  nb::bytes to_bytes() const {
    const std::string bytes =
        state::encode_state({std::string(state::VocabularyState::kKind), spec, state.serialize()});
    return nb::bytes(bytes.data(), bytes.size());
  }

  // Adds `later`'s statistics: `later` must count the part of the corpus after this one's.
  void merge(const PyVocabularyState& later) {
    check_mergeable(later.spec);
    state.merge(later.state);
  }

  // merge(from_bytes(data)), without building the later state.
  void merge_bytes(nb::bytes data) {
    const state::StateEnvelope envelope = value_or_raise(state::decode_state(
        std::string_view(data.c_str(), data.size()), state::VocabularyState::kKind));
    check_mergeable(envelope.spec);
    raise_if_error(state.merge_serialized(envelope.payload));
  }

  void check_mergeable(const std::string& later_spec) const {
    if (later_spec != spec) {
      raise_if_error(
          Status::Invalid("cannot merge vocabulary states counted with different parameters:\n" +
                          spec + "--- versus ---\n" + later_spec));
    }
  }

  // `id` as a term id of this state; raises when it names no term.
  TermTable::Id checked_id(std::int64_t id) const {
    if (id < 0 || id >= state.terms().size()) {
      raise_if_error(Status::Invalid("term id " + std::to_string(id) + " is out of range"));
    }
    return static_cast<TermTable::Id>(id);
  }

  nb::list terms() const {
    nb::list terms;
    for (TermTable::Id id = 0; id < state.terms().size(); ++id) {
      const std::string_view term = state.terms().term(id);
      terms.append(nb::str(term.data(), term.size()));
    }
    return terms;
  }

  // {term: column} for the terms with ids `ids`, term ids[i] taking column i: the vocabulary_
  // dict, built without a Python list of every term in between.
  nb::dict vocabulary(nb::ndarray<const std::int64_t, nb::ndim<1>, nb::c_contig> ids) const {
    nb::dict vocabulary;
    const TermTable& terms = state.terms();
    for (std::size_t column = 0; column < ids.size(); ++column) {
      const std::string_view term = terms.term(checked_id(ids.data()[column]));
      vocabulary[nb::str(term.data(), term.size())] = nb::int_(column);
    }
    return vocabulary;
  }

  // The term ids in the order of their terms' UTF-8 bytes, which is Python's str order. The ids
  // are sorted by each term's prefix key first, and only ties compare whole terms.
  nb::object sorted_order() const {
    const TermTable& terms = state.terms();
    std::vector<std::pair<std::uint64_t, std::int64_t>> keyed(
        static_cast<std::size_t>(terms.size()));
    for (TermTable::Id id = 0; id < terms.size(); ++id) {
      keyed[static_cast<std::size_t>(id)] = {prefix_key(terms.term(id)), id};
    }
    std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return terms.term(static_cast<TermTable::Id>(a.second)) <
             terms.term(static_cast<TermTable::Id>(b.second));
    });
    std::vector<std::int64_t> order(keyed.size());
    for (std::size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
    return to_numpy(std::move(order));
  }

  // The ids among `ids` of the first `max_features` terms in the order of Spark's vocabulary:
  // by descending total count, equal counts in the order of Java's String.compareTo. Terms are
  // compared by their counts and prefix keys, their whole text only where both tie; when fewer
  // than all are kept, only the kept ones are sorted.
  nb::object spark_vocabulary_order(nb::ndarray<const std::int64_t, nb::ndim<1>, nb::c_contig> ids,
                                    std::int64_t max_features) const {
    struct Entry {
      std::int64_t count;
      std::uint64_t key;
      TermTable::Id id;
    };
    const TermTable& terms = state.terms();
    std::vector<Entry> entries;
    entries.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const TermTable::Id term = checked_id(ids.data()[i]);
      entries.push_back({state.term_frequency()[static_cast<std::size_t>(term)],
                         java::string_prefix_key(terms.term(term)), term});
    }
    const auto before = [&](const Entry& a, const Entry& b) {
      if (a.count != b.count) return a.count > b.count;
      if (a.key != b.key) return a.key < b.key;
      return java::string_less(terms.term(a.id), terms.term(b.id));
    };
    const auto kept = static_cast<std::size_t>(
        std::clamp<std::int64_t>(max_features, 0, static_cast<std::int64_t>(entries.size())));
    if (kept < entries.size()) {
      std::nth_element(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(kept),
                       entries.end(), before);
    }
    std::sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(kept), before);
    std::vector<std::int64_t> order(kept);
    for (std::size_t i = 0; i < kept; ++i) order[i] = entries[i].id;
    return to_numpy(std::move(order));
  }
};

// A corpus counted for fit_transform, with the spec it was counted under.
struct PyCountedCorpus {
  std::string spec;
  text::CountedCorpus corpus;

  // The corpus statistics, moved out (a second call gives an empty state).
  PyVocabularyState take_state() { return {spec, corpus.take_state()}; }

  nb::tuple matrix(nb::ndarray<const std::int32_t, nb::ndim<1>, nb::c_contig> columns,
                   std::int64_t num_columns, bool binary, const std::string& dtype_text,
                   int num_threads) const {
    const std::optional<FeatureDType> dtype = dtype_from_name(dtype_text);
    if (!dtype) raise_if_error(Status::Invalid("unsupported dtype " + dtype_text));
    EngineRun run(num_threads, 1, nb::none());
    CsrMatrix matrix;
    run.run([&] {
      PARAFEAT_ASSIGN_OR_RAISE(
          matrix, corpus.matrix(std::span(columns.data(), columns.size()), num_columns, binary,
                                *dtype, Executor(run.options())));
      return Status::OK();
    });
    return csr_arrays(std::move(matrix));
  }
};

// count_vectorizer's options from `params`, validated.
text::CountVectorizerOptions read_count_options(const Params& params) {
  return value_or_raise(text::read_count_vectorizer_params(params)).options;
}

// Counts `source` as count_vectorizer `options` say. Errors name rows counted from `first_row`:
// the source's position in a larger input.
PyCountedCorpus count_source(text::CountVectorizerOptions options, const DocumentSource& source,
                             int num_threads, std::int64_t morsel_rows, bool keep_counts,
                             nb::object progress, std::int64_t first_row = 0) {
  EngineRun run(num_threads, morsel_rows, std::move(progress));
  std::optional<text::CountedCorpus> corpus;
  run.run([&] {
    Result<text::CountedCorpus> counted =
        text::count_corpus(options.cutter, source, Executor(run.options()), keep_counts);
    if (!counted.ok()) return counted.status().with_row_offset(first_row);
    corpus = counted.move_value();
    return Status::OK();
  });
  return {std::move(options.analysis_spec), std::move(*corpus)};
}

PyCountedCorpus count_documents(const nb::dict& params, nb::handle documents, int num_threads,
                                std::int64_t morsel_rows, bool keep_counts, nb::object progress) {
  const Params given = params_from_python(params);
  text::CountVectorizerOptions options = read_count_options(given);
  const PythonDocuments source(documents, given, options.cutter.preferred_text_form());
  return count_source(std::move(options), source, num_threads, morsel_rows, keep_counts,
                      std::move(progress));
}

// Counts the string column `column` of an Arrow record batch, read in place; errors name rows
// counted from `first_row`.
PyCountedCorpus count_arrow(const nb::dict& params, nb::handle schema_capsule,
                            nb::handle array_capsule, const std::string& column, int num_threads,
                            std::int64_t morsel_rows, std::int64_t first_row, nb::object progress) {
  const Batch batch = import_batch(schema_capsule, array_capsule);
  const StringColumn documents = value_or_raise(batch.string_column(column));
  return count_source(read_count_options(params_from_python(params)), ColumnSource(documents),
                      num_threads, morsel_rows, false, std::move(progress), first_row);
}

std::string count_spec(const nb::dict& params) {
  return read_count_options(params_from_python(params)).analysis_spec;
}

// The name of a numpy array's dtype ("float64", "int32", ...).
std::string dtype_name(nb::handle array) {
  return nb::cast<std::string>(array.attr("dtype").attr("name"));
}

// Checks that every one of `indices` names one of `num_columns` columns (`what`).
template <typename Index>
Status check_columns(std::span<const Index> indices, std::size_t num_columns,
                     const std::string& what) {
  for (const Index index : indices) {
    if (index < 0 || static_cast<std::size_t>(index) >= num_columns) {
      return Status::Invalid("column index " + std::to_string(index) + " is out of range for " +
                             std::to_string(num_columns) + " " + what);
    }
  }
  return Status::OK();
}

// Checks that (data, indices, indptr) is a CSR matrix whose columns `idf` covers.
template <typename Index>
Status check_csr(std::size_t num_values, std::span<const Index> indices,
                 std::span<const Index> indptr, std::size_t num_columns) {
  if (indptr.empty() || indptr.front() != 0 ||
      static_cast<std::size_t>(indptr.back()) != num_values || indices.size() != num_values ||
      !std::is_sorted(indptr.begin(), indptr.end())) {
    return Status::Invalid("not a valid CSR matrix: indptr must rise from 0 to len(data)");
  }
  return check_columns(indices, num_columns, "idf weights");
}

template <typename T, typename Index>
void weight_typed(nb::ndarray<T, nb::ndim<1>, nb::c_contig> data,
                  nb::ndarray<const Index, nb::ndim<1>, nb::c_contig> indices,
                  nb::ndarray<const Index, nb::ndim<1>, nb::c_contig> indptr,
                  std::span<const double> idf, std::size_t num_columns, text::Norm norm,
                  int num_threads, std::int64_t morsel_rows) {
  const std::span<T> values(data.data(), data.size());
  const std::span<const Index> columns(indices.data(), indices.size());
  const std::span<const Index> offsets(indptr.data(), indptr.size());
  raise_if_error(check_csr(values.size(), columns, offsets, num_columns));
  EngineRun run(num_threads, morsel_rows, nb::none());
  run.run([&] {
    return Executor(run.options())
        .for_each_morsel<bool>(
            static_cast<std::int64_t>(offsets.size()) - 1,
            [&](const Morsel& morsel) -> Result<bool> {
              text::weight_rows<T, Index>(values, columns, offsets, morsel.rows, idf, norm);
              return true;
            },
            [](const Morsel&, bool&&) { return Status::OK(); });
  });
}

// TfidfTransformer.transform's weighting of a CSR matrix, in place (see tfidf.h).
void weight_rows(nb::handle data, nb::handle indices, nb::handle indptr,
                 std::optional<nb::ndarray<const double, nb::ndim<1>, nb::c_contig>> idf,
                 std::size_t num_columns, std::optional<std::string> norm_name, int num_threads,
                 std::int64_t morsel_rows) {
  const text::Norm norm = !norm_name           ? text::Norm::kNone
                          : *norm_name == "l1" ? text::Norm::kL1
                                               : text::Norm::kL2;
  const std::span<const double> weights =
      idf ? std::span<const double>(idf->data(), idf->size()) : std::span<const double>();
  if (idf && idf->size() != num_columns) {
    raise_if_error(Status::Invalid("expected " + std::to_string(num_columns) +
                                   " idf weights, got " + std::to_string(idf->size())));
  }
  const auto dispatch = [&]<typename T, typename Index>() {
    weight_typed<T, Index>(nb::cast<nb::ndarray<T, nb::ndim<1>, nb::c_contig>>(data),
                           nb::cast<nb::ndarray<const Index, nb::ndim<1>, nb::c_contig>>(indices),
                           nb::cast<nb::ndarray<const Index, nb::ndim<1>, nb::c_contig>>(indptr),
                           weights, num_columns, norm, num_threads, morsel_rows);
  };
  const std::string data_type = dtype_name(data);
  const bool wide_index = dtype_name(indices) == "int64";
  if (data_type == "float32") {
    wide_index ? dispatch.operator()<float, std::int64_t>()
               : dispatch.operator()<float, std::int32_t>();
  } else {
    wide_index ? dispatch.operator()<double, std::int64_t>()
               : dispatch.operator()<double, std::int32_t>();
  }
}

// The stored values per column of a CSR matrix's `indices` (see text::count_columns), counted
// in parallel: each task counts one slice of the indices, and the integer counts are summed.
template <typename Index>
nb::object count_columns_typed(nb::ndarray<const Index, nb::ndim<1>, nb::c_contig> indices,
                               std::size_t num_columns, int num_threads) {
  const std::span<const Index> columns(indices.data(), indices.size());
  EngineRun run(num_threads, ExecutorOptions{}.morsel_rows, nb::none());
  const Executor executor(run.options());
  // A few slices per thread, each of at least kSliceValues indices and of no fewer indices than
  // columns: every slice has counts for all columns, which must not outweigh its indices.
  constexpr std::size_t kSliceValues = std::size_t{1} << 20;
  const std::size_t num_slices =
      std::clamp<std::size_t>(columns.size() / std::max(kSliceValues, num_columns), 1,
                              4 * static_cast<std::size_t>(executor.num_threads()));
  std::vector<std::vector<std::int64_t>> slice_counts(num_slices);
  run.run([&] {
    return executor.for_each_task(static_cast<std::int64_t>(num_slices), [&](std::int64_t task) {
      const auto slice = static_cast<std::size_t>(task);
      const std::size_t begin = columns.size() * slice / num_slices;
      const std::size_t end = columns.size() * (slice + 1) / num_slices;
      const std::span<const Index> part = columns.subspan(begin, end - begin);
      PARAFEAT_RETURN_NOT_OK(check_columns(part, num_columns, "columns"));
      slice_counts[slice].assign(num_columns, 0);
      text::count_columns(part, std::span<std::int64_t>(slice_counts[slice]));
      return Status::OK();
    });
  });
  std::vector<std::int64_t> counts = std::move(slice_counts.front());
  for (std::size_t slice = 1; slice < num_slices; ++slice) {
    for (std::size_t column = 0; column < num_columns; ++column) {
      counts[column] += slice_counts[slice][column];
    }
  }
  return to_numpy(std::move(counts));
}

// The number of stored values in each of `num_columns` columns of a CSR matrix with `indices`.
nb::object count_columns(nb::handle indices, std::size_t num_columns, int num_threads) {
  if (dtype_name(indices) == "int64") {
    return count_columns_typed<std::int64_t>(
        nb::cast<nb::ndarray<const std::int64_t, nb::ndim<1>, nb::c_contig>>(indices), num_columns,
        num_threads);
  }
  return count_columns_typed<std::int32_t>(
      nb::cast<nb::ndarray<const std::int32_t, nb::ndim<1>, nb::c_contig>>(indices), num_columns,
      num_threads);
}

// Spark's IDF weights of terms in `document_frequency` of `num_documents` (see spark_idf.h).
nb::object idf_of_spark(
    std::int64_t num_documents,
    nb::ndarray<const std::int64_t, nb::ndim<1>, nb::c_contig> document_frequency,
    std::int64_t min_doc_freq) {
  return to_numpy(text::spark_idf(num_documents,
                                  std::span(document_frequency.data(), document_frequency.size()),
                                  min_doc_freq));
}

}  // namespace

void bind_text_fitting(nb::module_& m) {
  nb::class_<PyVocabularyState>(m, "VocabularyState",
                                "Corpus statistics a vocabulary is fitted from (mergeable)")
      .def_static("from_bytes", &PyVocabularyState::from_bytes, "data"_a)
      .def("to_bytes", &PyVocabularyState::to_bytes)
      .def(
          "copy", [](const PyVocabularyState& s) { return s; },
          "An independent copy, to merge into while keeping this state")
      .def("merge", &PyVocabularyState::merge, "later"_a,
           "Adds the statistics of the part of the corpus that follows this one")
      .def("merge_bytes", &PyVocabularyState::merge_bytes, "data"_a,
           "merge(from_bytes(data)) without building the later state")
      .def_prop_ro("spec", [](const PyVocabularyState& s) { return s.spec; })
      .def_prop_ro("num_documents",
                   [](const PyVocabularyState& s) { return s.state.num_documents(); })
      .def("terms", &PyVocabularyState::terms, "The terms in order of first occurrence")
      .def_prop_ro("num_terms", [](const PyVocabularyState& s) { return s.state.terms().size(); })
      .def("vocabulary", &PyVocabularyState::vocabulary, "ids"_a,
           "{term: column} of the terms with the given ids, by column")
      .def("document_frequency",
           [](const PyVocabularyState& s) { return to_numpy(s.state.document_frequency()); })
      .def("term_frequency",
           [](const PyVocabularyState& s) { return to_numpy(s.state.term_frequency()); })
      .def("sorted_order", &PyVocabularyState::sorted_order,
           "Term ids ordered as Python sorts the terms")
      .def("spark_vocabulary_order", &PyVocabularyState::spark_vocabulary_order, "ids"_a,
           "max_features"_a,
           "The first max_features of the term ids given in Spark's vocabulary order: by "
           "descending total count, then Java's String.compareTo");

  nb::class_<PyCountedCorpus>(m, "CountedCorpus", "A corpus counted for fitting")
      .def("take_state", &PyCountedCorpus::take_state,
           "The corpus statistics as a VocabularyState, moved out: a second call gives an "
           "empty state; matrix() is unaffected")
      .def("matrix", &PyCountedCorpus::matrix, "columns"_a, "num_columns"_a, "binary"_a, "dtype"_a,
           "num_threads"_a,
           "CSR arrays of fit_transform's matrix, given each term's column (-1 drops it)");

  m.def("count_documents", &count_documents, "params"_a, "documents"_a, "num_threads"_a,
        "morsel_rows"_a, "keep_counts"_a, "progress"_a = nb::none(),
        "Counts documents with count_vectorizer params for fitting");
  m.def("count_arrow", &count_arrow, "params"_a, "schema_capsule"_a, "array_capsule"_a, "column"_a,
        "num_threads"_a, "morsel_rows"_a, "first_row"_a = 0, "progress"_a = nb::none(),
        "Counts a string column of an Arrow record batch (given as PyCapsules) for fitting");
  m.def("count_spec", &count_spec, "params"_a,
        "The analysis spec a vocabulary state counted with these params carries");
  m.def("spark_idf", &idf_of_spark, "num_documents"_a, "document_frequency"_a, "min_doc_freq"_a,
        "Spark ML's IDF weights: log((m + 1) / (df + 1)), 0 below min_doc_freq");
  m.def("count_columns", &count_columns, "indices"_a, "num_columns"_a, "num_threads"_a,
        "The stored values per column of a CSR matrix (its indices): document frequencies");
  m.def("weight_rows", &weight_rows, "data"_a, "indices"_a, "indptr"_a, "idf"_a.none(),
        "num_columns"_a, "norm"_a.none(), "num_threads"_a, "morsel_rows"_a,
        "TF-IDF weighting and row normalisation of CSR arrays, in place");
}

}  // namespace parafeat::python
