"""What the Spark and Ray doors share: a pipeline shipped from the driver with the driver's
parafeat version and opened once per worker process, the mapping of a DataFrame's columns onto
the pipeline's, and the run of one partition's Arrow record batches through the engine.

The driver checks everything it can before any task starts (the spec, the columns, their types:
the same code runs once on an empty batch there); the workers then only meet bad rows (a null
input, or one the engine rejects: e.g. a series holding NaN or a null value), which they report
with the partition and the row, or skip under ``on_error="skip"``.
"""

import dataclasses
import functools
import hashlib
import os
import pickle
import socket
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parafeat._version import __version__
from parafeat.pipeline import Pipeline

ON_ERROR = ("raise", "skip")
# Under on_error="skip", a batch holding a row the engine rejects is redone in pieces of this many
# rows, so that each rejected row costs at most one more pass over its piece, not over its batch.
SKIP_PIECE_ROWS = 64


class VersionMismatchError(RuntimeError):
    """A worker's parafeat is not the driver's: the pipeline would not give the driver's bytes."""


class NullInputError(ValueError):
    """A row has a null input; the message names where (partition) and which row and column."""


def check_on_error(on_error):
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")


def as_pipeline(pipeline) -> Pipeline:
    """A Pipeline as given, or one read from a YAML spec (a path or a string): validated here, on
    the driver, before any task starts."""
    if isinstance(pipeline, Pipeline):
        return pipeline
    if not isinstance(pipeline, (str, os.PathLike)):
        raise TypeError(
            "pipeline must be a parafeat.Pipeline or a YAML spec (a path or a string), got "
            f"{type(pipeline).__name__}"
        )
    return Pipeline.from_yaml(pipeline)


@dataclasses.dataclass(frozen=True)
class Shipment:
    """A pipeline as the driver sends it to the workers: its spec with, for transforming, the
    parameters fitting gave its learning steps (pickled), and the driver's parafeat version.
    Workers build the pipeline straight from these: they neither read fit states nor choose a
    vocabulary again, which would take longer than transforming a partition."""

    version: str
    digest: str  # of the payload: the key workers keep the opened pipeline under
    fitted: bytes | None
    spec: str

    @classmethod
    def fitted_pipeline(cls, pipeline: Pipeline) -> "Shipment":
        fitted = pickle.dumps(pipeline._fitted, protocol=pickle.HIGHEST_PROTOCOL)
        digest = hashlib.sha256(pipeline.spec.encode() + fitted).hexdigest()
        return cls(__version__, digest, fitted, pipeline.spec)

    @classmethod
    def spec_of(cls, pipeline: Pipeline) -> "Shipment":
        spec = pipeline.spec
        return cls(__version__, hashlib.sha256(spec.encode()).hexdigest(), None, spec)

    def open(self) -> Pipeline:
        """The pipeline, made once per worker process (later tasks reuse it); raises
        VersionMismatchError when this worker's parafeat is not the driver's."""
        if __version__ != self.version:
            raise VersionMismatchError(
                f"parafeat version mismatch: the driver runs parafeat {self.version}, but this "
                f"worker (host {socket.gethostname()}, Python {sys.executable}) has parafeat "
                f"{__version__}; install the driver's parafeat on every node, or ship one "
                "environment to all of them (see the README, 'Spark on a cluster')"
            )
        return _opened(self.digest, self.fitted, self.spec)


@functools.lru_cache(maxsize=4)
def _opened(digest, fitted, spec) -> Pipeline:
    del digest  # part of the key only
    if fitted is not None:
        return Pipeline(spec, _fitted=pickle.loads(fitted))
    return Pipeline(spec)


@dataclasses.dataclass(frozen=True)
class ColumnPlan:
    """Which source columns feed the pipeline's inputs and what its outputs are called."""

    inputs: dict  # pipeline input column -> source column
    outputs: dict  # pipeline output column -> destination column
    kept: tuple  # source columns passed through, ahead of the outputs
    input_types: dict  # pipeline input column -> the Arrow type its step reads


def _mapping(given, names, what, option):
    """``given`` (None, one name, or a dict by pipeline name) as a dict over ``names``."""
    if given is None:
        return {name: name for name in names}
    if isinstance(given, str):
        if len(names) != 1:
            raise ValueError(
                f"the pipeline has {len(names)} {what} columns {names}; pass {option} as a dict "
                "{pipeline column: DataFrame column}"
            )
        return {names[0]: given}
    unknown = [name for name in given if name not in names]
    if unknown:
        raise ValueError(
            f"{option} names {unknown}, which are not {what} columns of the pipeline {names}"
        )
    return {name: given.get(name, name) for name in names}


def _check_distinct_destinations(outputs):
    """Raises ValueError naming the outputs ``output_col`` gives one column name."""
    by_destination = {}
    for output, destination in outputs.items():
        by_destination.setdefault(destination, []).append(output)
    for destination, sharing in by_destination.items():
        if len(sharing) > 1:
            raise ValueError(
                f"output_col names column {destination!r} for the outputs {sharing}; give each "
                "output its own column"
            )


def plan_columns(pipeline, source_columns, input_col=None, output_col=None, keep=True):
    """Maps the pipeline onto a DataFrame with ``source_columns``, passing through all of them
    (``keep=True``), none (``False``) or the ones named in ``keep``; errors name what is wrong."""
    if pipeline.long_format is not None:
        raise ValueError(
            "a spec with a long_format stage groups a whole input by id, which a partition "
            "cannot do: group the rows first (one array<double> column per kind, one row per id, "
            "e.g. with collect_list ordered by the sort column) and use a spec without "
            "long_format whose steps read those columns"
        )
    inputs = _mapping(input_col, pipeline.input_columns, "input", "input_col")
    missing = [source for source in inputs.values() if source not in source_columns]
    if missing:
        raise KeyError(f"the DataFrame has no column {missing[0]!r}; it has {list(source_columns)}")
    outputs = _mapping(output_col, pipeline.output_columns, "output", "output_col")
    _check_distinct_destinations(outputs)
    if isinstance(keep, bool):
        kept = tuple(source_columns) if keep else ()
    else:
        kept = tuple(keep)
        unknown = [name for name in kept if name not in source_columns]
        if unknown:
            raise KeyError(
                f"keep_columns names {unknown[0]!r}, which the DataFrame does not have; it has "
                f"{list(source_columns)}"
            )
    clash = [name for name in outputs.values() if name in kept]
    if clash:
        raise ValueError(
            f"output column {clash[0]!r} already exists in the DataFrame; name another with "
            "output_col"
        )
    return ColumnPlan(inputs, outputs, kept, pipeline._input_types())


def _engine_input(batch, plan):
    """The batch's input columns under the pipeline's names; all-null columns typed as their
    steps read them (a source that cannot know their type, e.g. a Ray block of null series, gives
    them Arrow's null type)."""
    arrays = []
    for name, source in plan.inputs.items():
        array = batch.column(source)
        if pa.types.is_null(array.type):
            array = array.cast(plan.input_types[name])
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, names=list(plan.inputs))


def _valid_rows(batch):
    """A mask of the rows with no null input, or None when every row is valid."""
    valid = None
    for array in batch.columns:
        if array.null_count:
            valid = array.is_valid() if valid is None else pc.and_(valid, array.is_valid())
    return valid


def _raise_on_null(batch, plan, where, first_row):
    for name, source in plan.inputs.items():
        array = batch.column(name)
        if array.null_count:
            row = pc.index(array.is_null(), True).as_py()
            raise NullInputError(
                f"{where}, row {first_row + row}, column {source!r}: null input; drop or fill "
                "such rows, or pass on_error='skip' to skip them"
            )


def _located(error, where, plan):
    """``error`` again (same type), its message prefixed with where it happened and followed by
    the DataFrame columns read under another name."""
    renamed = [f"{source!r} as {name!r}" for name, source in plan.inputs.items() if source != name]
    reading = f" (reading DataFrame column {', '.join(renamed)})" if renamed else ""
    return type(error)(f"{where}: {error}{reading}")


def _run_pipeline(pipeline, batch, plan, where, first_row, n_jobs):
    try:
        return pipeline.transform_batch(batch, n_jobs=n_jobs, first_row=first_row)
    except (TypeError, ValueError, KeyError) as error:
        raise _located(error, where, plan) from error


def transform_batches(batches, pipeline, plan, *, on_error, where, n_jobs=1, shape=None):
    """Yields, for each record batch, its kept columns followed by the pipeline's outputs
    (passed through ``shape(destination, array)`` when given). Rows are numbered from the start
    of ``batches`` in errors, which begin with ``where`` (e.g. "partition 3"); under
    ``on_error="skip"`` a row with a null input, or one the engine rejects, gets a null output
    instead."""
    first_row = 0
    for batch in batches:
        engine_input = _engine_input(batch, plan)
        if on_error == "raise":
            _raise_on_null(engine_input, plan, where, first_row)
            features = _run_pipeline(pipeline, engine_input, plan, where, first_row, n_jobs)
        else:
            features = _features_skipping_bad_rows(pipeline, engine_input, plan, where, n_jobs)
        arrays = [batch.column(name) for name in plan.kept]
        names = list(plan.kept)
        for output, destination in plan.outputs.items():
            array = features.column(output)
            arrays.append(shape(destination, array) if shape else array)
            names.append(destination)
        yield pa.RecordBatch.from_arrays(arrays, names=names)
        first_row += batch.num_rows


def _rows_of(engine_input, rows):
    """The rows ``rows`` (ascending positions) of ``engine_input``."""
    if len(rows) == engine_input.num_rows:
        return engine_input
    return engine_input.take(pa.array(rows))


def _accepted_runs(run, engine_input, where, plan):
    """``[(rows, run(rows))]`` over the rows of ``engine_input`` that have no null input and that
    the engine accepts, in order. ``run`` goes over all of them first; when the engine rejects a
    row (its error names it), they are redone in pieces of SKIP_PIECE_ROWS rows."""
    valid = _valid_rows(engine_input)
    if valid is None:
        rows = np.arange(engine_input.num_rows)
    else:
        rows = np.flatnonzero(valid.to_numpy(zero_copy_only=False))
    try:
        return [(rows, run(rows))]
    except (TypeError, ValueError) as error:
        _rejected_row(error, len(rows), where, plan)
    pieces = []
    for start in range(0, len(rows), SKIP_PIECE_ROWS):
        pieces += _accepted_pieces(run, rows[start : start + SKIP_PIECE_ROWS], where, plan)
    return pieces


def _features_skipping_bad_rows(pipeline, engine_input, plan, where, n_jobs):
    """The pipeline's outputs for ``engine_input``, row for row, with null rows where the input
    is null or the engine rejects the row (see _accepted_runs)."""

    def run(rows):
        return pipeline.transform_batch(_rows_of(engine_input, rows), n_jobs=n_jobs)

    pieces = _accepted_runs(run, engine_input, where, plan)
    pieces = pieces or [(np.arange(0), run(np.arange(0)))]  # every row rejected: the schema
    if len(pieces) == 1 and len(pieces[0][0]) == engine_input.num_rows:
        return pieces[0][1]
    accepted = pa.concat_batches([piece for _, piece in pieces])
    # Each input row's position among the accepted rows, null where it has none.
    positions = np.full(engine_input.num_rows, -1, np.int64)
    accepted_rows = np.concatenate([piece_rows for piece_rows, _ in pieces])
    positions[accepted_rows] = np.arange(len(accepted_rows))
    return accepted.take(pa.array(positions, mask=positions < 0))


def _count_skipping_bad_rows(pipeline, engine_input, plan, where, n_jobs):
    """``(states, rows counted)`` of the rows of ``engine_input`` that transform under
    ``on_error="skip"`` would not skip (see _accepted_runs)."""

    def run(rows):
        states, _ = pipeline.count_states([_rows_of(engine_input, rows)], n_jobs=n_jobs)
        return states

    states, counted = {}, 0
    for rows, part in _accepted_runs(run, engine_input, where, plan):
        Pipeline.merge_states(states, part)
        counted += len(rows)
    return states, counted


def _accepted_pieces(run, rows, where, plan):
    """[(rows, outputs)] of the rows among ``rows`` that the engine accepts, in order."""
    pieces = []
    while len(rows):
        try:
            pieces.append((rows, run(rows)))
            break
        except (TypeError, ValueError) as error:
            rejected = _rejected_row(error, len(rows), where, plan)
            # The engine names the first rejected row, so the rows before it are accepted.
            pieces += _accepted_pieces(run, rows[:rejected], where, plan)
            rows = rows[rejected + 1 :]
    return pieces


def _rejected_row(error, num_rows, where, plan):
    """The row (among ``num_rows``) that ``error`` rejects; ``error``, located, if it names none
    (a wrong column type or spec is no bad row: skipping cannot help)."""
    row = getattr(error, "row", None)
    if row is None or not 0 <= row < num_rows:
        raise _located(error, where, plan) from error
    return row


def count_batches(batches, pipeline, plan, *, on_error, where, n_jobs=1):
    """The partial fit of one partition: ``(states, rows, skipped)`` as
    :meth:`Pipeline.count_states` gives them. Under ``on_error="skip"`` the rows transform would
    skip (a null input, or one the engine rejects) are left out and counted; otherwise they are
    reported with ``where`` and their row."""
    if on_error == "skip":
        states, rows, skipped = {}, 0, 0
        for batch in batches:
            part, counted = _count_skipping_bad_rows(
                pipeline, _engine_input(batch, plan), plan, where, n_jobs
            )
            Pipeline.merge_states(states, part)
            rows += counted
            skipped += batch.num_rows - counted
        return states, rows, skipped

    def engine_batches():
        nonlocal first_row
        for batch in batches:
            engine_input = _engine_input(batch, plan)
            _raise_on_null(engine_input, plan, where, first_row)
            first_row += batch.num_rows
            yield engine_input

    first_row = 0
    try:
        states, rows = pipeline.count_states(engine_batches(), n_jobs=n_jobs)
    except NullInputError:
        raise
    except (TypeError, ValueError, KeyError) as error:
        raise _located(error, where, plan) from error
    return states, rows, 0


def empty_batch(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)
