"""tsfresh's input shapes (long, wide, dict of frames) as long-format arrays for the engine.

The engine sees ids and kinds as dense codes, sort keys as ranks and values as float64; this
module finds the columns as tsfresh does, checks them with tsfresh's rules and messages, and
keeps the labels that name the output's index and columns.
"""

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class LongArrays:
    id_codes: np.ndarray  # int64
    kind_codes: np.ndarray  # int32
    sort_ranks: object  # int64 array or None
    values: np.ndarray  # float64
    ids: pd.Index  # sorted unique ids, the output's index
    kinds: list  # kind labels (str), by kind code
    kind_order: list  # kind codes in the order tsfresh's columns appear


def to_pandas(data):
    """A pandas DataFrame (or a dict of them) from pandas, polars or pyarrow input."""
    if isinstance(data, dict):
        return {key: to_pandas(frame) for key, frame in data.items()}
    if isinstance(data, pd.DataFrame):
        return data
    module = type(data).__module__.split(".")[0]
    if module == "polars":
        return data.to_pandas()
    if module == "pyarrow":
        return data.to_pandas()
    raise ValueError(
        "df must be a DataFrame (pandas, polars or pyarrow) or a dict of DataFrames, "
        f"got {type(data).__name__}"
    )


def _require(frame, *columns):
    for column in columns:
        if column not in frame.columns:
            raise ValueError(
                f"Column not found: {column!r} (the frame has columns {list(frame.columns)})"
            )
        if frame[column].isnull().any():
            raise ValueError(f"Column must not contain NaN values: {column!r}")


def _check_kind_names(names):
    for name in names:
        if str(name).endswith("_"):
            raise ValueError(f"Dict keys are not allowed to end with '_': {name}")
        if "__" in str(name):
            raise ValueError(f"Dict keys are not allowed to contain '__': {name}")


def _values(series, column):
    if not (pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)):
        row = _first_non_number(series) if series.dtype == object else None
        where = "" if row is None else f" (row {row} holds {series.iloc[row]!r})"
        error = TypeError(
            f"value column {column!r} must be numeric, got dtype {series.dtype}{where}; convert "
            "it (e.g. pd.to_numeric) before extracting features"
        )
        error.row = row
        raise error
    return np.ascontiguousarray(series.to_numpy(dtype=np.float64))


def _first_non_number(series):
    """The 0-based position of the first value of the object ``series`` that is not a number (a
    bool is not), or None. Searched only once the column is refused."""
    for row, value in enumerate(series.to_numpy()):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return row
    return None


def _sort_ranks(series):
    """Keys that order and tie like the sort column: its own values when they are integers or
    datetimes (no copy for int64), else their ranks."""
    dtype = series.dtype
    if dtype.kind == "i" or (dtype.kind == "u" and dtype.itemsize < 8):
        return np.ascontiguousarray(series.to_numpy(dtype=np.int64))
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return np.ascontiguousarray(series.to_numpy().view(np.int64))
    codes, _ = pd.factorize(series, sort=True)
    return np.ascontiguousarray(codes, dtype=np.int64)


def _repeat_for_columns(array, num_columns):
    """``array`` once per value column, without a copy when there is one column."""
    return array if num_columns == 1 else np.tile(array, num_columns)


def _value_columns(frame, *used):
    columns = [c for c in frame.columns if c not in used]
    if not columns:
        raise ValueError(
            "Could not guess the value column! Please hand it to the function as an argument."
        )
    return columns


def _kind_order_of_appearance(id_codes, kind_codes, num_kinds):
    """Kind codes in the order their first (id, kind) series comes when ids then kinds are sorted."""
    pairs = np.unique(id_codes.astype(np.int64) * num_kinds + kind_codes)
    first = {}
    for kind in (pairs % num_kinds).tolist():
        first.setdefault(kind, len(first))
    return sorted(first, key=first.get)


def long_arrays(data, column_id, column_sort, column_kind, column_value):
    """The input as LongArrays, checked as tsfresh checks it."""
    data = to_pandas(data)
    if isinstance(data, dict):
        return _from_dict(data, column_id, column_sort, column_value)
    if column_id is None:
        raise ValueError("A value for column_id needs to be supplied")
    if column_kind is not None:
        return _from_long(data, column_id, column_sort, column_kind, column_value)
    return _from_wide(data, column_id, column_sort, column_value)


def _ids(id_column):
    codes, uniques = pd.factorize(id_column, sort=True)
    ids = pd.Index(uniques)
    return np.ascontiguousarray(codes, dtype=np.int64), ids


def _from_long(frame, column_id, column_sort, column_kind, column_value):
    if column_value is None:
        candidates = _value_columns(frame, column_id, column_sort, column_kind)
        if len(candidates) != 1:
            raise ValueError(
                "Could not guess the value column, as the number of unused columns is not equal "
                f"to 1. These columns were unused: {candidates}. Please hand it to the function "
                "as column_value."
            )
        column_value = candidates[0]
    _require(frame, column_id, column_kind, column_value)
    if column_sort is not None:
        _require(frame, column_sort)
    id_codes, ids = _ids(frame[column_id])
    kind_codes, kind_uniques = pd.factorize(frame[column_kind], sort=True)
    kind_codes = np.ascontiguousarray(kind_codes, dtype=np.int32)
    kinds = [str(kind) for kind in kind_uniques]
    return LongArrays(
        id_codes,
        kind_codes,
        None if column_sort is None else _sort_ranks(frame[column_sort]),
        _values(frame[column_value], column_value),
        ids,
        kinds,
        _kind_order_of_appearance(id_codes, kind_codes, len(kinds)),
    )


def _from_wide(frame, column_id, column_sort, column_value):
    _require(frame, column_id)
    columns = [column_value] if column_value is not None else _value_columns(frame, column_id, column_sort)
    _require(frame, *columns)
    _check_kind_names(columns)
    if column_sort is not None:
        _require(frame, column_sort)
    id_codes, ids = _ids(frame[column_id])
    rows = len(frame)
    sort = None
    if column_sort is not None:
        sort = _repeat_for_columns(_sort_ranks(frame[column_sort]), len(columns))
    if len(columns) == 1:
        values = _values(frame[columns[0]], columns[0])
    else:
        values = np.concatenate([_values(frame[c], c) for c in columns]) if columns else np.empty(0)
    return LongArrays(
        _repeat_for_columns(id_codes, len(columns)),
        np.repeat(np.arange(len(columns), dtype=np.int32), rows),
        sort,
        values,
        ids,
        [str(c) for c in columns],
        list(range(len(columns))),
    )


def _from_dict(frames, column_id, column_sort, column_value):
    _check_kind_names(list(frames))
    for frame in frames.values():
        _require(frame, column_id, column_value)
        if column_sort is not None:
            _require(frame, column_sort)
    all_ids = pd.concat([frame[column_id] for frame in frames.values()], ignore_index=True)
    id_codes, ids = _ids(all_ids)
    sizes = [len(frame) for frame in frames.values()]
    sort = None
    if column_sort is not None:
        # Sort keys only compare within one series, so each frame may rank its own.
        sort = np.concatenate([_sort_ranks(frame[column_sort]) for frame in frames.values()])
    return LongArrays(
        id_codes,
        np.repeat(np.arange(len(frames), dtype=np.int32), sizes),
        sort,
        np.concatenate([_values(frame[column_value], column_value) for frame in frames.values()]),
        ids,
        [str(kind) for kind in frames],
        list(range(len(frames))),
    )
