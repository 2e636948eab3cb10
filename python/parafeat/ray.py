"""parafeat on Ray: a fitted pipeline's transform over a Ray Dataset with ``map_batches`` on Arrow
batches, the native engine in each Ray worker, giving exactly the local result row for row.

The pipeline travels once per job as a task argument (Ray keeps it in its object store) and is
opened once per worker process; a worker with another parafeat version is refused with
VersionMismatchError.
"""

import pyarrow as pa

from parafeat._distributed import (
    NullInputError,
    Shipment,
    VersionMismatchError,
    as_pipeline,
    check_on_error,
    empty_batch,
    plan_columns,
    transform_batches,
)

__all__ = ["NullInputError", "VersionMismatchError", "transform"]


def transform(dataset, pipeline, *, input_col=None, output_col=None, on_error="raise",
              batch_size=4096):  # fmt: skip
    """Extracts features from a Ray Dataset: its columns followed by one column per pipeline
    output (the engine's Arrow columns: sparse features as a struct of ``indices`` and ``values``
    lists), equal to ``pipeline.transform`` of the same rows bit for bit.

    ``pipeline``, ``input_col``, ``output_col`` and ``on_error`` are as in
    :func:`parafeat.spark.transform` (errors name the row within its Ray batch). Spec, columns
    and column types are checked here, before any task starts, when the dataset's schema is known.
    A dataset without rows (``ray.data.from_items([])``: Ray gives it no schema) gives a dataset
    without rows holding only the output columns.
    """
    pipeline = as_pipeline(pipeline)
    check_on_error(on_error)
    if not pipeline.is_fitted:
        raise ValueError(
            "the pipeline has steps that learn from data and is not fitted: fit it first "
            "(parafeat.Pipeline.fit, or parafeat.spark.fit)"
        )
    schema = dataset.schema()
    if schema is None:  # Ray knows no schema only for a dataset without rows
        return _features_of_no_rows(pipeline, output_col, on_error)
    plan = plan_columns(pipeline, schema.names, input_col, output_col)
    types = dict(zip(schema.names, schema.types))
    sources = list(plan.inputs.values())
    if all(isinstance(types[name], pa.DataType) for name in sources):
        input_schema = pa.schema([(name, types[name]) for name in sources])
        dry_plan = plan_columns(pipeline, sources, input_col, output_col, keep=False)
        list(transform_batches([empty_batch(input_schema)], pipeline, dry_plan, on_error=on_error,
                               where="driver"))  # fmt: skip
    return dataset.map_batches(
        _transform_table,
        batch_format="pyarrow",
        batch_size=batch_size,
        fn_kwargs={"shipment": Shipment.fitted_pipeline(pipeline), "plan": plan,
                   "on_error": on_error},
    )  # fmt: skip


def _features_of_no_rows(pipeline, output_col, on_error):
    """A Dataset of no rows with the pipeline's output columns: those of a dataset without rows,
    which has no columns to pass through (nor to check ``input_col`` against)."""
    import ray

    empty = pipeline._empty_input()
    plan = plan_columns(pipeline, empty.schema.names, output_col=output_col, keep=False)
    (features,) = transform_batches([empty], pipeline, plan, on_error=on_error, where="driver")
    return ray.data.from_arrow(pa.Table.from_batches([features]))


def _transform_table(table: pa.Table, *, shipment, plan, on_error) -> pa.Table:
    batches = table.to_batches() or [empty_batch(table.schema)]
    return pa.Table.from_batches(list(
        transform_batches(batches, shipment.open(), plan, on_error=on_error, where="Ray batch")
    ))  # fmt: skip
