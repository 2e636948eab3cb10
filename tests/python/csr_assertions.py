"""Exact comparison of sparse matrices, shared by the oracle tests."""

import numpy as np
import scipy.sparse as sp


def assert_same_csr(actual, expected):
    """Asserts two CSR matrices are identical: type, shape, dtypes, indptr, indices, data bytes."""
    assert type(actual) is type(expected)
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    assert actual.indptr.dtype == expected.indptr.dtype
    assert actual.indices.dtype == expected.indices.dtype
    np.testing.assert_array_equal(actual.indptr, expected.indptr)
    np.testing.assert_array_equal(actual.indices, expected.indices)
    # Bit-identical values, not merely close ones.
    assert actual.data.tobytes() == expected.data.tobytes()


def column_to_csr(column, n_features):
    """Rebuilds the CSR matrix from a struct<indices, values> column."""
    column = column.combine_chunks()
    indices = column.field("indices")
    values = column.field("values")
    indptr = np.asarray(indices.offsets)
    data = np.asarray(values.values)
    return sp.csr_matrix(
        (data, np.asarray(indices.values), indptr), shape=(len(indptr) - 1, n_features)
    )
