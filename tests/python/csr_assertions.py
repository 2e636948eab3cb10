"""Exact comparison of sparse matrices, shared by the oracle tests."""

import numpy as np


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
