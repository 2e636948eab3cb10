"""parafeat on Apache Spark: a pipeline's transform and fit over a DataFrame's partitions, with the
native engine inside each executor's Python workers, giving exactly what the pipeline gives on one
machine.

Only the DataFrame API is used (``mapInArrow``: Arrow record batches go straight into the engine;
no RDDs), so both functions also run under Spark Connect. The pipeline is shipped once per job (a
broadcast variable on classic Spark; inside the UDF, which Spark sends once per stage, under Spark
Connect) and opened once per Python worker. Executors need the driver's parafeat installed (see
the README, "Spark on a cluster"): a different version is refused with VersionMismatchError.
"""

import dataclasses
import functools
import warnings

import pyarrow as pa

from parafeat._distributed import (
    NullInputError,
    Shipment,
    VersionMismatchError,
    as_pipeline,
    check_on_error,
    count_batches,
    empty_batch,
    plan_columns,
    transform_batches,
)
from parafeat.pipeline import Pipeline

__all__ = ["NullInputError", "SkippedRowsWarning", "VersionMismatchError", "fit", "transform"]

OUTPUT_FORMATS = ("vector", "arrow")


class SkippedRowsWarning(UserWarning):
    """Rows ``fit(..., on_error="skip")`` left out: ``count`` in all, ``by_partition`` each."""

    def __init__(self, count: int, by_partition: dict):
        super().__init__(
            f"parafeat.spark.fit skipped {count} rows with a null input or that the engine "
            f"rejects, as transform would (by partition: {by_partition})"
        )
        self.count = count
        self.by_partition = by_partition


def transform(df, pipeline, *, input_col=None, output_col=None, output_format="vector",
              on_error="raise", keep_columns=None):  # fmt: skip
    """Extracts features from a Spark DataFrame: ``df``'s columns (or the ``keep_columns`` named)
    followed by one column per pipeline output, row for row. Collected, the outputs equal
    ``pipeline.transform`` of the same rows on one machine, bit for bit, for any partitioning.

    ``pipeline``: a fitted :class:`parafeat.Pipeline`, or a YAML spec (path or string) with no
    step that learns from data. ``input_col`` / ``output_col``: the DataFrame column a
    one-input pipeline reads / the name of a one-output pipeline's column (a dict
    ``{pipeline column: DataFrame column}`` for several); by default the spec's names.
    ``output_format``: ``"vector"`` gives Spark ML vectors (``VectorUDT``: sparse features as
    ``SparseVector``, dense as ``DenseVector``), ``"arrow"`` the engine's own columns (sparse
    features as a struct of ``indices`` and ``values`` arrays). ``on_error``: ``"raise"`` fails
    the job on a row with a null input, or one the engine rejects (e.g. a series holding NaN),
    naming its partition and row; ``"skip"`` gives it a null output instead (count them with
    ``where(col(output).isNull())``). ``keep_columns``: the columns of ``df`` to pass through
    (default: all); each one comes back from the Python workers, so keeping fewer (e.g. only a
    key, not the input text) makes the transform faster.

    Spec, columns and column types are checked here, before any task starts.
    """
    from pyspark.ml.linalg import VectorUDT
    from pyspark.sql.pandas.types import from_arrow_type, to_arrow_schema
    from pyspark.sql.types import StructField, StructType

    pipeline = as_pipeline(pipeline)
    check_on_error(on_error)
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"output_format must be one of {OUTPUT_FORMATS}, got {output_format!r}")
    if not pipeline.is_fitted:
        raise ValueError(
            "the pipeline has steps that learn from data and is not fitted: fit it first, e.g. "
            "pipeline = parafeat.spark.fit(df, pipeline)"
        )
    if keep_columns is None:
        keep = True
    elif isinstance(keep_columns, str):
        keep = [keep_columns]
    else:
        keep = list(dict.fromkeys(keep_columns))
    plan = plan_columns(pipeline, df.columns, input_col, output_col, keep=keep)
    widths = pipeline.output_widths
    shape = _SparkColumns(
        output_format == "vector",
        {plan.outputs[output]: widths[output] for output in plan.outputs},
    )

    # The workers' code, run once here on no rows: it checks the input types and gives the
    # output schema.
    sources = list(plan.inputs.values())
    input_schema = to_arrow_schema(StructType([df.schema[name] for name in sources]))
    dry_plan = dataclasses.replace(plan, kept=())
    (outputs,) = transform_batches(
        [empty_batch(input_schema)], pipeline, dry_plan, on_error=on_error, where="driver",
        shape=shape,
    )  # fmt: skip
    if keep_columns is not None:
        # Only the columns the workers read or pass through travel to them.
        df = df.select(*map(_quoted, dict.fromkeys([*plan.kept, *sources])))
    fields = [field for field in df.schema.fields if field.name in plan.kept]
    for field in outputs.schema:
        spark_type = VectorUDT() if shape.vector else from_arrow_type(field.type)
        fields.append(StructField(field.name, spark_type, nullable=True))

    work = functools.partial(
        _transform_partition, shipped=_ship(df, Shipment.fitted_pipeline(pipeline)), plan=plan,
        on_error=on_error, shape=shape,
    )  # fmt: skip
    return _map_in_arrow(df, work, StructType(fields))


def fit(df, pipeline, *, input_col=None, on_error="raise") -> Pipeline:
    """Fits the pipeline's steps that learn from data on a Spark DataFrame and returns it.

    Each partition is counted into partial fit states on its executor (serialised, one row per
    partition); the driver merges them in partition order, whatever order the tasks finished in,
    and fits once, so the pipeline equals ``pipeline.fit`` on the same rows, in the order
    ``df.collect()`` gives them, byte for byte (``to_bytes``). All of ``df``'s columns travel to
    the Python workers, so that they count the rows in that order; when ``df`` has wide columns
    the pipeline does not read, fitting on ``df.select(input)`` is faster (and equals the local fit
    in that DataFrame's ``collect()`` order). Under ``on_error="skip"`` the rows
    ``transform(..., on_error="skip")`` skips (a null input, or one the engine rejects, e.g.
    invalid UTF-8) are left out and counted in a :class:`SkippedRowsWarning`.
    """
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import BinaryType, IntegerType, LongType, StructField, StructType

    pipeline = as_pipeline(pipeline)
    check_on_error(on_error)
    plan = plan_columns(pipeline, df.columns, input_col, keep=False)
    sources = list(plan.inputs.values())
    input_schema = to_arrow_schema(StructType([df.schema[name] for name in sources]))
    count_batches([empty_batch(input_schema)], pipeline, plan, on_error=on_error, where="driver")

    work = functools.partial(
        _count_partition, shipped=_ship(df, Shipment.spec_of(pipeline)), plan=plan,
        on_error=on_error,
    )  # fmt: skip
    partial_fit_schema = StructType([
        StructField("partition", IntegerType()), StructField("states", BinaryType()),
        StructField("rows", LongType()), StructField("skipped", LongType()),
    ])  # fmt: skip
    # Whole rows go to the workers: Spark would move a narrowing select below a round-robin
    # repartition (df.repartition(n)), which then deals the rows out in another order than
    # df.collect() gives them.
    partials = _map_in_arrow(df, work, partial_fit_schema).collect()

    states, rows, skipped = {}, 0, {}
    for partial in sorted(partials, key=lambda row: row.partition):
        Pipeline.merge_states_from_bytes(states, partial.states)
        rows += partial.rows
        if partial.skipped:
            skipped[partial.partition] = partial.skipped
    if skipped:
        warnings.warn(SkippedRowsWarning(sum(skipped.values()), skipped), stacklevel=2)
    if rows == 0:
        every_row = " (every row was skipped)" if skipped else ""
        raise ValueError(f"cannot fit on an empty DataFrame{every_row}")
    return pipeline.fit_from_states(states)


def _quoted(name):
    """A reference to the column ``name`` that Spark reads whole (not a dot in it as a field of a
    struct column)."""
    return "`" + name.replace("`", "``") + "`"


def _map_in_arrow(df, work, schema):
    """``df.mapInArrow(work, schema)`` for columns of any name: pyspark's mapInArrow refers to
    ``df``'s columns by name, which Spark parses (``my.text`` as the field ``text`` of a column
    ``my``), so the columns travel under positional names and ``work`` sees their own."""
    from pyspark.sql.types import StructField, StructType

    positional = StructType([
        StructField(f"_{i}", field.dataType, field.nullable, field.metadata)
        for i, field in enumerate(schema.fields)
    ])  # fmt: skip
    renaming = functools.partial(
        _renamed, work=work, names=df.columns, positional_names=positional.fieldNames()
    )
    return (
        df.toDF(*(f"_{i}" for i in range(len(df.columns))))
        .mapInArrow(renaming, positional)
        .toDF(*schema.fieldNames())
    )


def _renamed(batches, *, work, names, positional_names):
    """``work`` over ``batches`` (under positional names) with their columns called ``names``;
    its batches come out under ``positional_names``."""
    named = (pa.RecordBatch.from_arrays(batch.columns, names=names) for batch in batches)
    for batch in work(named):
        yield pa.RecordBatch.from_arrays(batch.columns, names=positional_names)


def _ship(df, shipment):
    """A broadcast variable holding ``shipment`` on classic Spark (each executor fetches it once);
    Spark Connect has none, so there it travels inside the UDF."""
    if type(df).__module__.startswith("pyspark.sql.connect"):
        return shipment
    return df.sparkSession.sparkContext.broadcast(shipment)


def _received(shipped) -> Pipeline:
    shipment = shipped if isinstance(shipped, Shipment) else shipped.value
    return shipment.open()


def _task():
    """(partition id, CPUs of the task) of the running Spark task."""
    from pyspark import TaskContext

    context = TaskContext.get()
    return context.partitionId(), max(1, context.cpus())


def _transform_partition(batches, *, shipped, plan, on_error, shape):
    partition, cpus = _task()
    yield from transform_batches(
        batches, _received(shipped), plan, on_error=on_error, where=f"partition {partition}",
        n_jobs=cpus, shape=shape,
    )  # fmt: skip


def _count_partition(batches, *, shipped, plan, on_error):
    partition, cpus = _task()
    states, rows, skipped = count_batches(
        batches, _received(shipped), plan, on_error=on_error, where=f"partition {partition}",
        n_jobs=cpus,
    )  # fmt: skip
    yield pa.RecordBatch.from_pydict({
        "partition": pa.array([partition], pa.int32()),
        "states": pa.array([Pipeline.states_to_bytes(states)], pa.binary()),
        "rows": pa.array([rows], pa.int64()),
        "skipped": pa.array([skipped], pa.int64()),
    })  # fmt: skip


@dataclasses.dataclass(frozen=True)
class _SparkColumns:
    """Turns the engine's output columns into what Spark reads: Spark ML vectors (``VectorUDT``
    is stored as struct<type, size, indices, values>), or Arrow lists in place of large lists."""

    vector: bool
    widths: dict  # destination column -> width of its feature space

    def __call__(self, destination, array):
        if self.vector:
            return _vector_column(destination, array, self.widths[destination])
        target = _spark_arrow_type(array.type)
        return array if target == array.type else array.cast(target)


_VECTOR_SPARSE, _VECTOR_DENSE = 0, 1


def _is_list(arrow_type):
    return (
        pa.types.is_list(arrow_type)
        or pa.types.is_large_list(arrow_type)
        or pa.types.is_fixed_size_list(arrow_type)
    )


def _is_numeric_list(arrow_type):
    if not _is_list(arrow_type):
        return False
    return pa.types.is_integer(arrow_type.value_type) or pa.types.is_floating(arrow_type.value_type)


def _vector_column(destination, array, width):
    """Spark ML vectors of the rows of ``array``: a struct of ``indices``/``values`` lists makes
    SparseVectors of size ``width``; a list of numbers, DenseVectors. Values become doubles
    (exact: the engine's values are float32, integers below 2**53, or doubles)."""
    arrow_type = array.type
    num_rows = len(array)
    names = [field.name for field in arrow_type] if pa.types.is_struct(arrow_type) else []
    if sorted(names) == ["indices", "values"]:
        children = dict(zip(names, array.flatten()))
        kind = _VECTOR_SPARSE
        size = pa.repeat(pa.scalar(width, pa.int32()), num_rows)
        indices = children["indices"].cast(pa.list_(pa.int32()))
        values = children["values"].cast(pa.list_(pa.float64()))
    elif _is_numeric_list(arrow_type):
        kind = _VECTOR_DENSE
        size = pa.nulls(num_rows, pa.int32())
        indices = pa.nulls(num_rows, pa.list_(pa.int32()))
        values = array.cast(pa.list_(pa.float64()))
    else:
        raise TypeError(
            f"output column {destination!r} has Arrow type {arrow_type}, which is no Spark ML "
            "vector; pass output_format='arrow'"
        )
    return pa.StructArray.from_arrays(
        [pa.repeat(pa.scalar(kind, pa.int8()), num_rows), size, indices, values],
        names=["type", "size", "indices", "values"],
        mask=array.is_null() if array.null_count else None,
    )


def _spark_arrow_type(arrow_type):
    """``arrow_type`` with list, string and timestamp types Spark reads (large and fixed-size
    lists become lists, large strings strings, timestamps microseconds)."""
    if _is_list(arrow_type):
        return pa.list_(_spark_arrow_type(arrow_type.value_type))
    if pa.types.is_struct(arrow_type):
        return pa.struct([field.with_type(_spark_arrow_type(field.type)) for field in arrow_type])
    if pa.types.is_large_string(arrow_type):
        return pa.string()
    if pa.types.is_timestamp(arrow_type):
        return pa.timestamp("us", tz=arrow_type.tz)
    return arrow_type
