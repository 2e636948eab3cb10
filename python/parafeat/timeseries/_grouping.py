"""The ``long_format`` stage of a pipeline spec: long-format rows (one observation per row)
grouped into one row per id holding one series column per kind, as extract_features groups them.

The input is read and checked by the code extract_features uses (same column rules and messages),
and the rows are grouped by the engine's own grouping (rows by id, then kind; sorted by the sort
key within a series; a repeated sort key within one series an error naming the id), so the
pipeline's ``timeseries_features`` steps see exactly the series extract_features sees.
"""

import numpy as np
import pyarrow as pa

from parafeat import _core
from parafeat.timeseries._input import long_arrays


def long_format_columns(long_format: dict) -> list:
    """The input columns a ``long_format`` stage reads: id, sort, kind, value (those given)."""
    keys = ("column_id", "column_sort", "column_kind", "column_value")
    return [long_format[key] for key in keys if long_format.get(key) is not None]


def _kind_series(order_values, starts, num_ids, num_kinds, kind):
    """The series of kind code ``kind`` of every id, as a large_list<double> array (an id
    without such a series gets an empty list)."""
    groups = np.arange(num_ids, dtype=np.int64) * num_kinds + kind
    begins = starts[groups]
    lengths = starts[groups + 1] - begins
    offsets = np.zeros(num_ids + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if num_kinds == 1:
        values = order_values
    else:
        take = np.repeat(begins - offsets[:-1], lengths) + np.arange(offsets[-1], dtype=np.int64)
        values = order_values[take]
    return pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(values, pa.float64()))


def group_long_format(data, long_format: dict, kinds: list) -> pa.Table:
    """One row per id (sorted, as extract_features' index): the id column, then one series column
    per kind of ``kinds`` (a kind label, or the value column's name without a kind column).
    KeyError for a wanted kind the data does not have."""
    data = long_arrays(
        data, long_format["column_id"], long_format.get("column_sort"),
        long_format.get("column_kind"), long_format["column_value"],
    )  # fmt: skip
    missing = [kind for kind in kinds if kind not in data.kinds]
    if missing:
        where = (
            f"column {long_format['column_kind']!r} has kinds {data.kinds}"
            if long_format.get("column_kind")
            else f"the series column is {long_format['column_value']!r}"
        )
        raise KeyError(f"no series of kind {missing[0]!r} in the input: {where}")
    order, starts = _core.ts_group(
        data.id_codes, data.kind_codes, data.sort_ranks, data.values,
        [repr(i) for i in data.ids], data.kinds,
    )  # fmt: skip
    order_values = data.values[order]
    columns = {long_format["column_id"]: pa.array(data.ids.to_numpy())}
    for kind in kinds:
        columns[kind] = _kind_series(
            order_values, starts, len(data.ids), len(data.kinds), data.kinds.index(kind)
        )
    return pa.table(columns)
