"""Arrow columns to CQL native-protocol values, a whole column at a time: fixed-width numbers
and the pipeline's sparse features (maps of int to double or float) and dense vectors (lists)
are encoded with numpy, about a hundred times faster than the driver's per-value encoding; any
other type goes through the driver's own encoder."""

import uuid

import numpy as np
import pyarrow as pa
import pyarrow.compute as pac

from parafeat.cassandra._types import CQL_TYPE_KEY, _strip_frozen, is_sparse, python_values

FIXED = {"int": ">i4", "bigint": ">i8", "smallint": ">i2", "tinyint": ">i1", "float": ">f4",
          "double": ">f8"}  # fmt: skip
TEXT = {"text", "varchar", "ascii"}
# Dates and times: an integer on the wire, a view of an integer in Arrow. {CQL type: (wire
# layout, the Arrow type of the integers, the wire's value of Arrow's 0)}: a timestamp is int64
# milliseconds since the epoch; a date is uint32 days with the epoch at 2**31.
TEMPORAL = {"timestamp": (">i8", pa.int64(), 0), "date": (">u4", pa.int32(), 2**31)}


def _with_nulls(column: pa.Array, values: list) -> list:
    if column.null_count:
        valid = column.is_valid().to_numpy(zero_copy_only=False)
        return [v if ok else None for v, ok in zip(values, valid)]
    return values


def _fixed(column: pa.Array, dtype: str) -> list:
    data = np.asarray(column.fill_null(0).to_numpy(zero_copy_only=False), dtype=dtype).tobytes()
    width = np.dtype(dtype).itemsize
    return _with_nulls(column, [data[i : i + width] for i in range(0, len(data), width)])


class UnencodableValue(ValueError):
    """A value that a column's CQL type cannot take; ``row``: its position in the column."""

    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row = row


def _each_encoded(values: list, encode, refusal) -> list:
    """``encode`` of each value but None (kept); UnencodableValue with ``refusal(value, error)``
    for the first value it refuses with a ValueError."""
    encoded = []
    for row, value in enumerate(values):
        try:
            encoded.append(None if value is None else encode(value))
        except ValueError as error:
            raise UnencodableValue(row, refusal(value, error)) from None
    return encoded


def _uuids(column: pa.Array, cql: str) -> list:
    """UUIDs read as text (``read`` gives uuid and timeuuid columns as strings) as their 16
    bytes; UnencodableValue naming a string that is no UUID, and the fix."""
    return _each_encoded(
        column.to_pylist(),
        lambda text: uuid.UUID(text).bytes,
        lambda text, _: (
            f"{text!r} is not a UUID, which a {cql} column takes: correct the value, or "
            f"write to a table whose column is text (a table created from a string column "
            f"whose Arrow field metadata has {CQL_TYPE_KEY.decode()}={cql}, as read gives "
            f"for a {cql} column, gets a {cql} column; drop the metadata to get text)"
        ),
    )


def _is_temporal(cql: str, arrow: pa.DataType) -> bool:
    """Whether a column of type ``arrow`` holds the values of the CQL date or time ``cql``."""
    if cql == "timestamp":
        return pa.types.is_timestamp(arrow)
    return cql == "date" and pa.types.is_date(arrow)


def _temporal(column: pa.Array, cql: str) -> list:
    """Timestamps as their exact int64 milliseconds (an error if that would drop a finer
    part), dates as their days: no value goes through a float."""
    wire, integers, epoch = TEMPORAL[cql]
    unit = pa.timestamp("ms", tz=column.type.tz) if cql == "timestamp" else pa.date32()
    numbers = column.cast(unit).cast(integers).cast(pa.int64())
    return _fixed(pac.add(numbers, epoch), wire)


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
    if cql in TEMPORAL and _is_temporal(cql, column.type):
        return _temporal(column, cql)
    is_text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    if cql in ("uuid", "timeuuid") and is_text:
        return _uuids(column, cql)
    if cql in TEXT and is_text:
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
    return _driver_encoded(column, cql_type, driver_type, protocol_version)


def _driver_encoded(column: pa.Array, cql_type: str, driver_type, protocol_version) -> list:
    """The column's values encoded by the driver; UnencodableValue naming a value it refuses."""
    return _each_encoded(
        python_values(column),
        lambda value: driver_type.serialize(value, protocol_version),
        lambda value, error: f"{value!r} is no {cql_type} value ({error}): correct the value",
    )
