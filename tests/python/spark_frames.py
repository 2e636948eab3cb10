"""DataFrames with a known row order and partitioning for the parafeat.spark tests, and the
comparison of collected features with the local pipeline's, bit for bit."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def text_frame(session, texts, partitions, before_rows=None):
    """A DataFrame of (id, text) in id order, cut into exactly ``partitions`` contiguous
    partitions (``spark.range`` splits ids evenly and keeps their order; no shuffle), so that
    collecting it gives ``texts`` in order. ``before_rows(partition, attempt)``, if given, runs
    in each task after its first batch (the hook of the fault-injection test)."""
    texts = pa.array(texts, pa.string())

    def rows(batches):
        from pyspark import TaskContext

        for number, batch in enumerate(batches):
            if number == 1 and before_rows is not None:
                context = TaskContext.get()
                before_rows(context.partitionId(), context.attemptNumber())
            ids = batch.column("id")
            yield pa.RecordBatch.from_arrays([ids, texts.take(ids)], names=["id", "text"])

    ids = session.range(0, len(texts), 1, numPartitions=partitions)
    return ids.mapInArrow(rows, "id long, text string")


def series_frame(session, series, partitions, arrow_type=None):
    """A DataFrame of (id, series array<double>) in id order, cut into exactly ``partitions``
    contiguous partitions, as text_frame does for texts; ``arrow_type`` gives the series column
    another type (e.g. ``pa.list_(pa.int32())`` for array<int>)."""
    from pyspark.sql.pandas.types import from_arrow_type

    series = pa.array(series, arrow_type or pa.list_(pa.float64()))

    def rows(batches):
        for batch in batches:
            ids = batch.column("id")
            yield pa.RecordBatch.from_arrays([ids, series.take(ids)], names=["id", "series"])

    ids = session.range(0, len(series), 1, numPartitions=partitions)
    return ids.mapInArrow(rows, f"id long, series {from_arrow_type(series.type).simpleString()}")


def _parts(column, values_type):
    """(row lengths, -1 for a null row; indices; values as ``values_type`` bytes) of a column of
    sparse features: the engine's struct<indices, values> or Spark ML's vector struct."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    fields = dict(zip((field.name for field in column.type), column.flatten()))
    lengths = pc.list_value_length(fields["indices"]).fill_null(-1)
    indices = pc.list_flatten(fields["indices"]).to_numpy()
    values = pc.list_flatten(fields["values"]).cast(values_type).to_numpy(zero_copy_only=False)
    return lengths.to_numpy(zero_copy_only=False), indices, np.ascontiguousarray(values).tobytes()


def assert_same_features(collected, local, width=None):
    """``collected`` (from Spark, either output format) holds exactly ``local``'s features: same
    rows, indices and values bit for bit (Spark ML vectors hold them as doubles, of ``width``)."""
    local_type = local.type.field("values").type.value_type
    as_vectors = "size" in [field.name for field in collected.type]
    values_type = pa.float64() if as_vectors else local_type
    actual, expected = _parts(collected, values_type), _parts(local, values_type)
    np.testing.assert_array_equal(actual[0], expected[0])
    np.testing.assert_array_equal(actual[1], expected[1])
    assert actual[2] == expected[2]
    if as_vectors:
        column = collected.combine_chunks() if isinstance(collected, pa.ChunkedArray) else collected
        fields = dict(zip((field.name for field in column.type), column.flatten()))
        valid = column.is_valid()
        assert set(fields["type"].filter(valid).to_pylist()) <= {0}  # SparseVector
        assert set(fields["size"].filter(valid).to_pylist()) <= {width}
