// TF-IDF weighting of count rows, as scikit-learn's TfidfTransformer.transform does it after its
// sublinear step (whose logarithm, like idf_'s, is numpy's: see python/parafeat/text.py).
#pragma once

#include <cstdint>
#include <span>

#include "extractors/text/row_norm.h"
#include "parafeat/column.h"

namespace parafeat::text {

/// Weights one row: with `idf` not empty, each value (held as T, stored as Stored) times
/// idf[its column], multiplied in double and rounded to T as numpy's in-place
/// `X.data *= idf_[X.indices]` rounds (exact for float32 operands too: their product fits a
/// double); then the row normalised to unit `norm` in T's arithmetic.
template <typename T, typename Stored, typename Index>
void weight_row(std::span<Stored> values, std::span<const Index> columns,
                std::span<const double> idf, Norm norm) {
  if (!idf.empty()) {
    for (std::size_t k = 0; k < values.size(); ++k) {
      values[k] = static_cast<T>(static_cast<double>(static_cast<T>(values[k])) *
                                 idf[static_cast<std::size_t>(columns[k])]);
    }
  }
  normalize_row<T>(values, norm);
}

/// Adds 1 to counts[c] for each column c in `indices` (every one below counts.size()): a CSR
/// matrix's stored values per column, which in a count matrix is each term's document frequency
/// (scikit-learn's _document_frequency, np.bincount(X.indices)).
template <typename Index>
void count_columns(std::span<const Index> indices, std::span<std::int64_t> counts) {
  for (const Index column : indices) ++counts[static_cast<std::size_t>(column)];
}

/// Weights the CSR rows `rows` of (data, indices, indptr) in place, each as weight_row() does.
template <typename T, typename Index>
void weight_rows(std::span<T> data, std::span<const Index> indices, std::span<const Index> indptr,
                 RowRange rows, std::span<const double> idf, Norm norm) {
  for (std::int64_t row = rows.begin; row < rows.end; ++row) {
    const auto begin = static_cast<std::size_t>(indptr[static_cast<std::size_t>(row)]);
    const auto end = static_cast<std::size_t>(indptr[static_cast<std::size_t>(row) + 1]);
    weight_row<T>(data.subspan(begin, end - begin), indices.subspan(begin, end - begin), idf, norm);
  }
}

}  // namespace parafeat::text
