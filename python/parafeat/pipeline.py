"""Pipeline: a YAML spec of extractors, run by the native engine on Arrow data."""

import os

import pyarrow as pa

from parafeat import _core
from parafeat._threads import MORSEL_ROWS, resolve_n_jobs

__all__ = ["Pipeline"]



def as_arrow_table(data) -> pa.Table:
    """Converts a pyarrow Table/RecordBatch, a pandas or polars DataFrame, or a dict of columns."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if isinstance(data, dict):
        return pa.table(data)
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return pa.Table.from_pandas(data, preserve_index=False)
    if module == "polars":
        return data.to_arrow()
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    raise TypeError(
        "expected a pyarrow Table or RecordBatch, a pandas or polars DataFrame, or a dict of "
        f"columns; got {type(data).__name__}"
    )


class Pipeline:
    """An ordered list of extractors read from a YAML spec (see the project README).

    Each extractor reads one input column and writes one output column. ``transform`` returns a
    pyarrow Table with one column per extractor; sparse features are a struct of ``indices`` and
    ``values`` lists per row, equal to the matching scikit-learn-style class's output rows.
    """

    def __init__(self, spec: str):
        self._native = _core.Pipeline(spec)

    @classmethod
    def from_yaml(cls, path_or_yaml) -> "Pipeline":
        """Reads a spec from a file path or from a YAML string."""
        text = str(path_or_yaml)
        if isinstance(path_or_yaml, os.PathLike) or (
            "\n" not in text and os.path.isfile(text)
        ):
            with open(path_or_yaml, encoding="utf-8") as spec_file:
                text = spec_file.read()
        return cls(text)

    @property
    def input_columns(self) -> list:
        """The input columns the extractors read, in first-use order."""
        return self._native.input_columns

    @property
    def output_columns(self) -> list:
        """The output column names, one per extractor, in spec order."""
        return self._native.output_columns

    def to_yaml(self) -> str:
        """The spec with every parameter resolved to the value in use."""
        return self._native.to_yaml()

    def fit(self, data=None):
        """Returns self: the extractors available so far need no fitting."""
        return self

    def transform_batch(self, batch: pa.RecordBatch, n_jobs=-1, progress=None, first_row=0):
        """Runs the pipeline on one record batch; errors name rows counted from ``first_row``."""
        schema_capsule, array_capsule = batch.__arrow_c_array__()
        out_schema, out_array = self._native.transform_batch(
            schema_capsule, array_capsule, resolve_n_jobs(n_jobs), MORSEL_ROWS, first_row, progress
        )
        return pa.RecordBatch._import_from_c_capsule(out_schema, out_array)

    def transform(self, data, n_jobs=-1) -> pa.Table:
        """Extracts features from ``data`` (see :func:`as_arrow_table` for accepted types)."""
        table = as_arrow_table(data)
        missing = [c for c in self.input_columns if c not in table.column_names]
        if missing:
            raise KeyError(
                f"input has no column {missing[0]!r}; it has columns: {table.column_names}"
            )
        table = table.select(self.input_columns)
        batches, first_row = [], 0
        for batch in table.to_batches():
            batches.append(self.transform_batch(batch, n_jobs=n_jobs, first_row=first_row))
            first_row += batch.num_rows
        if not batches:
            empty = pa.RecordBatch.from_pydict(
                {c: pa.array([], pa.large_string()) for c in self.input_columns}
            )
            batches.append(self.transform_batch(empty, n_jobs=n_jobs))
        return pa.Table.from_batches(batches)

