"""parafeat.ray on a local Ray instance: Ray Data's map_batches over Arrow batches gives exactly
the local pipeline's features, row for row, and reports or skips null rows."""

import pyarrow as pa
import pytest
import ray

import parafeat
import parafeat.ray
from corpora import ADVERSARIAL_CORPUS
from spark_corpora import word_documents
from spark_frames import assert_same_features

TEXTS = ADVERSARIAL_CORPUS + word_documents(seed=5, count=1500)

SPEC = """
version: 1
extractors:
  - {name: hashing_vectorizer, column: text, output: words, params: {n_features: 1024}}
  - {name: tfidf_vectorizer, column: text, output: tfidf, params: {min_df: 2}}
"""


@pytest.fixture(scope="module")
def ray_instance():
    """A local Ray instance with two CPUs (no dashboard, a small object store)."""
    ray.init(
        num_cpus=2, include_dashboard=False, object_store_memory=256 * 1024**2,
        log_to_driver=False, configure_logging=False,
    )  # fmt: skip
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def fitted():
    return parafeat.Pipeline.from_yaml(SPEC).fit({"text": TEXTS})


def dataset(texts, blocks):
    """A Ray Dataset of (id, text) in ``blocks`` blocks."""
    table = pa.table({"id": range(len(texts)), "text": texts})
    return ray.data.from_arrow(table).repartition(blocks)


def collected_in_id_order(features):
    table = pa.concat_tables(ray.get(features.to_arrow_refs()))
    return table.sort_by("id")


def test_ray_transform_equals_the_local_pipeline_for_any_batching(ray_instance, fitted):
    local = fitted.transform({"text": TEXTS})
    for blocks, batch_size in ((1, 4096), (5, 100)):
        features = parafeat.ray.transform(dataset(TEXTS, blocks), fitted, batch_size=batch_size)
        collected = collected_in_id_order(features)
        assert collected.column_names == ["id", "text", "words", "tfidf"]
        assert collected.column("text").to_pylist() == TEXTS
        for output in ("words", "tfidf"):
            assert_same_features(collected.column(output), local.column(output))


def test_ray_reports_a_null_row_or_skips_it(ray_instance, fitted):
    texts = [None if i == 7 else text for i, text in enumerate(TEXTS[:40])]
    with pytest.raises(Exception, match=r"Ray batch, row 7, column 'text': null input"):
        collected_in_id_order(parafeat.ray.transform(dataset(texts, 1), fitted))
    skipping = parafeat.ray.transform(dataset(texts, 2), fitted, on_error="skip")
    skipped = collected_in_id_order(skipping)
    words = skipped.column("words").combine_chunks()
    assert words.null_count == 1 and not words[7].is_valid


def test_ray_checks_the_spec_and_columns_before_any_task(ray_instance, fitted):
    with pytest.raises(KeyError, match="no column 'body'"):
        parafeat.ray.transform(dataset(TEXTS[:10], 1), fitted, input_col="body")
    with pytest.raises(ValueError, match="not fitted"):
        parafeat.ray.transform(dataset(TEXTS[:10], 1), SPEC)


def test_ray_time_series_features_equal_the_local_pipeline(ray_instance):
    from timeseries_data import series_collection
    from timeseries_specs import dense_values, efficient_settings, step_spec

    series = [values.tolist() for _, values in series_collection(seed=11)] * 3
    pipeline = parafeat.Pipeline.from_yaml(step_spec("series", efficient_settings(), "features"))
    table = pa.table({"id": range(len(series)), "series": pa.array(series, pa.list_(pa.float64()))})
    local = dense_values(pipeline.transform(table.select(["series"])).column("features"))
    features = parafeat.ray.transform(ray.data.from_arrow(table).repartition(4), pipeline,
                                      batch_size=7)  # fmt: skip
    collected = collected_in_id_order(features)
    assert dense_values(collected.column("features")).tobytes() == local.tobytes()



def test_ray_reports_a_series_holding_nan_or_skips_it(ray_instance):
    from timeseries_specs import step_spec

    pipeline = parafeat.Pipeline.from_yaml(step_spec("series", {"mean": None}, "features"))
    series = [[float(i), 1.0] for i in range(30)]
    series[12] = [1.0, float("nan")]

    def dataset_of(series):
        arrays = {"id": range(30), "series": pa.array(series, pa.list_(pa.float64()))}
        return ray.data.from_arrow(pa.table(arrays)).repartition(2)

    with pytest.raises(Exception, match=r"Ray batch: .*row 12: series contains NaN"):
        collected_in_id_order(parafeat.ray.transform(dataset_of(series), pipeline))
    series[20] = None
    skipping = parafeat.ray.transform(dataset_of(series), pipeline, on_error="skip")
    means = collected_in_id_order(skipping).column("features").to_pylist()
    assert [i for i, row in enumerate(means) if row is None] == [12, 20]
    assert [row for row in means if row is not None] == [
        [(i + 1.0) / 2] for i in range(30) if i not in (12, 20)
    ]


def test_ray_skip_gives_a_batch_of_only_null_series_null_features(ray_instance):
    """Ray types a block whose series are all None as Arrow's null type: its rows are null
    rows, skipped as any other, not a column of the wrong type that fails the job."""
    from timeseries_specs import step_spec

    pipeline = parafeat.Pipeline.from_yaml(step_spec("series", {"mean": None}, "features"))
    items = [{"id": 0, "series": None}, {"id": 1, "series": None},
             {"id": 2, "series": [1.0, 2.0]}, {"id": 3, "series": [3.0]}]  # fmt: skip
    dataset = ray.data.from_items(items, override_num_blocks=2)
    skipping = parafeat.ray.transform(dataset, pipeline, on_error="skip", batch_size=2)
    rows = sorted(skipping.take_all(), key=lambda row: row["id"])  # blocks of unlike schemas
    assert [row["features"] for row in rows] == [None, None, [1.5], [3.0]]


def test_ray_transform_of_a_dataset_without_rows_or_schema_gives_no_rows(ray_instance, fitted):
    features = parafeat.ray.transform(ray.data.from_items([]), fitted, output_col={"words": "w"})
    assert features.count() == 0
    assert features.schema().names == ["w", "tfidf"]


def test_an_int_is_no_pipeline_and_its_file_descriptor_is_left_alone(ray_instance, tmp_path):
    with open(tmp_path / "log", "w") as log:
        with pytest.raises(TypeError, match="pipeline must be a parafeat.Pipeline or a YAML spec"):
            parafeat.ray.transform(dataset(TEXTS[:10], 1), log.fileno())
        log.write("still open\n")
