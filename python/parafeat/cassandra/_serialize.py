"""Arrow columns to CQL native-protocol values, a whole column at a time: fixed-width numbers
and the pipeline's sparse features (maps of int to double or float) and dense vectors (lists)
are encoded with numpy, about a hundred times faster than the driver's per-value encoding; any
other type goes through the driver's own encoder."""

import numpy as np
import pyarrow as pa

from parafeat.cassandra._types import _strip_frozen, is_sparse, python_values

FIXED = {"int": ">i4", "bigint": ">i8", "smallint": ">i2", "tinyint": ">i1", "float": ">f4",
          "double": ">f8"}  # fmt: skip
TEXT = {"text", "varchar", "ascii"}


def _with_nulls(column: pa.Array, values: list) -> list:
    if column.null_count:
        valid = column.is_valid().to_numpy(zero_copy_only=False)
        return [v if ok else None for v, ok in zip(values, valid)]
    return values


def _fixed(column: pa.Array, dtype: str) -> list:
    data = np.asarray(column.fill_null(0).to_numpy(zero_copy_only=False), dtype=dtype).tobytes()
    width = np.dtype(dtype).itemsize
    return _with_nulls(column, [data[i : i + width] for i in range(0, len(data), width)])


def _list_parts(lists: pa.Array):
    """(offsets, values) of a list, large_list or fixed_size_list array: row i holds
    ``values[offsets[i] - offsets[0] : offsets[i + 1] - offsets[0]]``."""
    if pa.types.is_fixed_size_list(lists.type):
        offsets = (np.arange(len(lists) + 1) + lists.offset) * lists.type.list_size
    else:
        offsets = lists.offsets.to_numpy()
    values = lists.values.slice(offsets[0], offsets[-1] - offsets[0])
    return offsets, np.asarray(values.to_numpy(zero_copy_only=False))


def _collection(column: pa.Array, lists: pa.Array, keys, value_dtype: str) -> list:
    """Each row's ``[n][len][key][len][value]...`` (a map) or ``[n][len][value]...`` (a list)."""
    offsets, values = _list_parts(lists)
    fields = [("vl", ">i4"), ("v", value_dtype)]
    if keys is not None:
        fields = [("kl", ">i4"), ("k", ">i4")] + fields
    entries = np.empty(len(values), dtype=np.dtype(fields))
    if keys is not None:
        entries["kl"], entries["k"] = 4, keys
    entries["vl"], entries["v"] = np.dtype(value_dtype).itemsize, values
    body, size = entries.tobytes(), entries.dtype.itemsize
    counts = np.diff(offsets).astype(">i4").tobytes()
    starts = ((offsets - offsets[0]) * size).tolist()
    rows = [
        counts[4 * i : 4 * i + 4] + body[starts[i] : starts[i + 1]]
        for i in range(len(starts) - 1)
    ]  # fmt: skip
    return _with_nulls(column, rows)


def _value_dtype(cql: str):
    return FIXED.get(cql) if cql in ("double", "float") else None


def serialize_column(column: pa.Array, cql_type: str, driver_type, protocol_version) -> list:
    """The column's values encoded for a prepared statement's ``values`` (None for null)."""
    cql = _strip_frozen(cql_type)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if cql in FIXED and pa.types.is_integer(column.type) | pa.types.is_floating(column.type):
        return _fixed(column, FIXED[cql])
    if cql in TEXT and (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return [None if v is None else v.encode("utf-8") for v in column.to_pylist()]
    if cql.startswith("map<int,") and is_sparse(column.type):
        dtype = _value_dtype(cql[len("map<int,") : -1])
        if dtype is not None:
            indices, values = column.flatten()
            keys = np.asarray(_list_parts(indices)[1], dtype=np.int32)
            return _collection(column, values, keys, dtype)
    if cql.startswith("list<") and (
        pa.types.is_list(column.type) or pa.types.is_large_list(column.type)
        or pa.types.is_fixed_size_list(column.type)
    ):  # fmt: skip
        dtype = _value_dtype(cql[len("list<") : -1])
        if dtype is not None:
            return _collection(column, column, None, dtype)
    return [
        None if v is None else driver_type.serialize(v, protocol_version)
        for v in python_values(column)
    ]  # fmt: skip
