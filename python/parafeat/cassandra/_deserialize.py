"""CQL native-protocol cells to Arrow columns, a whole column at a time (the reverse of
``_serialize``): a scan's session keeps each cell's raw bytes (:class:`RawProtocolHandler`), and
text, fixed-width number, timestamp, date, map<int, float|double> and list<float|double>
columns are decoded here with Arrow and numpy instead of one Python object per value and per
map entry (timestamps and dates exactly, as the integers they are on the wire). Other columns,
and cells without the expected layout, go through the driver's own decoder."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pac
from cassandra.protocol import ProtocolHandler, ResultMessage, read_int

from parafeat.cassandra._serialize import FIXED, TEMPORAL, TEXT
from parafeat.cassandra._types import _strip_frozen, to_arrow


def _entry_dtype(cql: str):
    """The numpy layout of one map or list entry (``[len][key][len][value]`` or
    ``[len][value]``), or None for a column read through the driver."""
    if cql.startswith("map<int,") and cql[len("map<int,") : -1] in ("float", "double"):
        value = FIXED[cql[len("map<int,") : -1]]
        return np.dtype([("kl", ">i4"), ("k", ">i4"), ("vl", ">i4"), ("v", value)])
    if cql.startswith("list<") and cql[len("list<") : -1] in ("float", "double"):
        return np.dtype([("vl", ">i4"), ("v", FIXED[cql[len("list<") : -1]])])
    return None


def decodes_raw(cql_type: str) -> bool:
    """Whether a column of ``cql_type`` is read as raw cells and decoded here."""
    cql = _strip_frozen(cql_type)
    return cql in TEXT or cql in FIXED or cql in TEMPORAL or _entry_dtype(cql) is not None


class _RawRowsMessage(ResultMessage):
    """A RESULT message whose rows are lists of raw cells (bytes, None for null)."""

    def recv_results_rows(self, f, protocol_version, user_type_map, result_metadata,
                          column_encryption_policy):  # fmt: skip
        self.recv_results_metadata(f, user_type_map)
        column_metadata = self.column_metadata or result_metadata
        self.parsed_rows = [self.recv_row(f, len(column_metadata)) for _ in range(read_int(f))]
        self.column_names = [c[2] for c in column_metadata]
        self.column_types = [c[3] for c in column_metadata]


class RawProtocolHandler(ProtocolHandler):
    """The driver's protocol handler with rows left as raw cells (a session's
    ``client_protocol_handler``)."""

    message_types_by_opcode = {
        **ProtocolHandler.message_types_by_opcode, _RawRowsMessage.opcode: _RawRowsMessage
    }  # fmt: skip


def from_cells(cells: list, cql_type: str, arrow: pa.DataType, driver_type, protocol_version):
    """An Arrow array of one column's raw cells (bytes, None for null); ``driver_type`` decodes
    the columns (or cells of an unexpected layout) that are not decoded here."""
    if decodes_raw(cql_type):
        array = _decode(pa.array(cells, pa.large_binary()), _strip_frozen(cql_type), arrow)
        if array is not None:
            return array
    return to_arrow([driver_type.from_binary(c, protocol_version) for c in cells], cql_type, arrow)


def _layout(binary: pa.Array):
    """(cell offsets, bytes, valid mask) of a large_binary array."""
    _, offsets, data = binary.buffers()
    offsets = np.frombuffer(offsets, np.int64)[binary.offset : binary.offset + len(binary) + 1]
    data = np.frombuffer(data, np.uint8) if data is not None else np.empty(0, np.uint8)
    return offsets, data, binary.is_valid().to_numpy(zero_copy_only=False)


def _numbers(offsets, data, valid, wire: str, arrow: pa.DataType):
    """The Arrow array of fixed-width cells of layout ``wire`` (None if a cell has another
    width)."""
    if np.any(np.diff(offsets)[valid] != np.dtype(wire).itemsize):
        return None
    values = np.zeros(len(valid), arrow.to_pandas_dtype())
    values[valid] = data[offsets[0] : offsets[-1]].view(wire)
    return pa.array(values, arrow, mask=None if valid.all() else ~valid)


def _decode(binary: pa.Array, cql: str, arrow: pa.DataType):
    if cql in TEXT:
        return binary.cast(arrow)  # checks that the bytes are UTF-8
    offsets, data, valid = _layout(binary)
    lengths = np.diff(offsets)
    mask = pa.array(~valid) if not valid.all() else None
    if cql in FIXED:
        return _numbers(offsets, data, valid, FIXED[cql], arrow)
    if cql in TEMPORAL:  # the exact integers, never through the driver's float seconds
        wire, integers, epoch = TEMPORAL[cql]
        numbers = _numbers(offsets, data, valid, wire, pa.int64())
        return None if numbers is None else pac.subtract(numbers, epoch).cast(integers).view(arrow)
    entry = _entry_dtype(cql)
    starts = offsets[:-1][valid]
    if np.any(lengths[valid] < 4):
        return None
    header = data[starts[:, None] + np.arange(4)].copy().view(">i4").ravel()
    counts = np.zeros(len(binary), np.int64)
    counts[valid] = header
    if np.any(lengths[valid] != 4 + entry.itemsize * header):
        return None
    keep = np.ones(len(data), bool)
    keep[: offsets[0]] = keep[offsets[-1] :] = False
    keep[(starts[:, None] + np.arange(4)).ravel()] = False
    entries = data[keep].view(entry)
    value_width = entry["v"].itemsize
    if np.any(entries["vl"] != value_width) or ("kl" in entry.names and np.any(entries["kl"] != 4)):
        return None
    list_offsets = np.concatenate([[0], np.cumsum(counts)])
    if pa.types.is_struct(arrow):  # a map: the sparse struct of indices and values
        index_type, value_type = (f.type.value_type for f in arrow)
        children = [
            pa.ListArray.from_arrays(pa.array(list_offsets, pa.int32()),
                                     pa.array(entries[name].astype(child.to_pandas_dtype()), child))
            for name, child in (("k", index_type), ("v", value_type))
        ]  # fmt: skip
        return pa.StructArray.from_arrays(children, fields=list(arrow), mask=mask)
    values = pa.array(entries["v"].astype(arrow.value_type.to_pandas_dtype()), arrow.value_type)
    return pa.LargeListArray.from_arrays(pa.array(list_offsets, pa.int64()), values, mask=mask)
