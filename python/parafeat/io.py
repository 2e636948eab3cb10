"""Streaming readers and atomic writers for the command line: JSON Lines (native, simdjson),
CSV and Parquet (pyarrow). Readers yield record batches holding only the requested columns."""

import contextlib
import os

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from parafeat import _core
from parafeat._atomic import atomic_path

__all__ = ["InputFile", "atomic_parquet_writer", "input_format"]

_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def input_format(path: str) -> str:
    """The format of ``path`` from its extension: jsonl, csv or parquet."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in _FORMATS:
        raise ValueError(
            f"cannot tell the format of {path!r} from its extension; use one of "
            f"{', '.join(sorted(_FORMATS))}"
        )
    return _FORMATS[extension]


class InputFile:
    """An input file read in batches of at most ``batch_rows`` rows. CSV columns are read as
    strings, or with ``as_text=False`` as pyarrow infers their types (numbers as numbers)."""

    def __init__(self, path: str, columns: list, batch_rows: int, as_text=True):
        if os.path.isdir(path):
            raise IsADirectoryError(f"input {path!r} is a folder: give a file")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"input file {path!r} does not exist")
        self.path = path
        self.columns = list(columns)
        self.batch_rows = batch_rows
        self.as_text = as_text  # CSV: read the columns as strings (else as pyarrow infers them)
        self.format = input_format(path)
        self.size_bytes = os.path.getsize(path)

    @property
    def num_rows(self):
        """The row count when the format records it (Parquet), else None."""
        if self.format == "parquet":
            return pq.ParquetFile(self.path).metadata.num_rows
        return None

    def batches(self):
        """Yields pyarrow RecordBatches with exactly the requested columns."""
        if self.format == "jsonl":
            stream = _core.open_jsonl(self.path, self.columns, self.batch_rows)
            yield from pa.RecordBatchReader._import_from_c_capsule(stream)
        elif self.format == "csv":
            yield from self._csv_batches()
        else:
            yield from self._parquet_batches()

    def _csv_batches(self):
        convert = pa_csv.ConvertOptions(
            include_columns=self.columns,
            column_types={c: pa.large_string() for c in self.columns} if self.as_text else {},
            strings_can_be_null=False,
        )
        try:
            reader = pa_csv.open_csv(self.path, convert_options=convert)
        except pa.ArrowInvalid as error:
            raise ValueError(f"{self.path}: {error}") from None
        for batch in reader:
            for start in range(0, batch.num_rows, self.batch_rows):
                yield batch.slice(start, self.batch_rows)

    def table(self) -> pa.Table:
        """The whole file's requested columns as one table."""
        batches = list(self.batches())
        if not batches:
            raise ValueError(f"input file {self.path!r} has no rows")
        return pa.Table.from_batches(batches)

    def _parquet_batches(self):
        parquet = pq.ParquetFile(self.path)
        names = parquet.schema_arrow.names
        for column in self.columns:
            if column not in names:
                raise KeyError(f"{self.path} has no column {column!r}; it has columns: {names}")
        yield from parquet.iter_batches(batch_size=self.batch_rows, columns=self.columns)


@contextlib.contextmanager
def atomic_parquet_writer(path: str, schema: pa.Schema):
    """A ParquetWriter to a temporary file beside ``path``, renamed to ``path`` only when the
    block succeeds; on any error the temporary file is removed and ``path`` is untouched."""
    with atomic_path(path, suffix=".parquet.tmp") as temporary:
        with pq.ParquetWriter(temporary, schema) as writer:
            yield writer
