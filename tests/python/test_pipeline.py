"""Pipeline.from_yaml specs: validation errors name the problem; output equals the estimators'."""

import copy
import pickle

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from parafeat import Pipeline
from parafeat.text import HashingVectorizer

from csr_assertions import column_to_csr

SPEC = """
version: 1
extractors:
  - name: hashing_vectorizer
    column: text
    params: {n_features: 4096, ngram_range: [1, 2], norm: l1}
    output: text_hash
  - name: hashing_vectorizer
    column: title
    params: {n_features: 64, analyzer: char_wb, ngram_range: [2, 3], dtype: float32}
"""

DATA = {
    "text": ["the quick brown fox", "", "ΟΔΟΣ Σ straße 😀", "jumps over the lazy dog"],
    "title": ["Fox", "Empty", "Greek", "Dog"],
    "unused": [1, 2, 3, 4],
}


def test_transform_outputs_equal_the_estimators():
    table = Pipeline.from_yaml(SPEC).transform(DATA, n_jobs=2)
    assert table.column_names == ["text_hash", "hashing_vectorizer"]
    expected = HashingVectorizer(n_features=4096, ngram_range=(1, 2), norm="l1").transform(
        DATA["text"]
    )
    actual = column_to_csr(table.column("text_hash"), 4096)
    np.testing.assert_array_equal(actual.indptr, expected.indptr)
    np.testing.assert_array_equal(actual.indices, expected.indices)
    assert actual.data.tobytes() == expected.data.tobytes()

    title = table.column("hashing_vectorizer")
    assert title.type.field("values").type == pa.list_(pa.float32())
    expected_title = HashingVectorizer(
        n_features=64, analyzer="char_wb", ngram_range=(2, 3), dtype=np.float32
    ).transform(DATA["title"])
    actual_title = column_to_csr(title, 64)
    np.testing.assert_array_equal(actual_title.indices, expected_title.indices)
    assert actual_title.data.tobytes() == expected_title.data.tobytes()


@pytest.mark.parametrize(
    "as_input",
    [
        lambda d: pa.table(d),
        lambda d: pa.table(d).to_batches()[0],
        lambda d: pa.table({k: pa.array(v, pa.large_string()) if k != "unused" else v
                            for k, v in d.items()}),
        lambda d: d,
        lambda d: pd.DataFrame(d, index=[7, 5, 3, 1]),
        lambda d: pl.DataFrame(d),
    ],
    ids=["table", "record_batch", "large_string", "dict", "pandas", "polars"],
)  # fmt: skip
def test_accepts_arrow_pandas_polars_and_dict_inputs(as_input):
    reference = Pipeline.from_yaml(SPEC).transform(DATA)
    assert Pipeline.from_yaml(SPEC).transform(as_input(DATA)).equals(reference)


def test_same_output_for_any_thread_count_and_chunking():
    texts = [f"doc {i} " + "word " * (i % 11) for i in range(3000)]
    spec = "version: 1\nextractors:\n  - {name: hashing_vectorizer, column: text}\n"
    pipeline = Pipeline.from_yaml(spec)
    reference = pipeline.transform({"text": texts}, n_jobs=1)
    chunked = pa.Table.from_batches(pa.table({"text": texts}).to_batches(max_chunksize=701))
    for n_jobs in (2, 8):
        assert pipeline.transform(chunked, n_jobs=n_jobs).equals(reference)


def test_reads_a_spec_file(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC)
    assert Pipeline.from_yaml(path).output_columns == ["text_hash", "hashing_vectorizer"]
    assert Pipeline.from_yaml(str(path)).input_columns == ["text", "title"]


def test_a_spec_path_that_is_missing_a_folder_or_not_utf8_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.yaml"):
        Pipeline.from_yaml(str(tmp_path / "nope.yaml"))
    with pytest.raises(IsADirectoryError):
        Pipeline.from_yaml(str(tmp_path))
    latin1 = tmp_path / "latin1.yaml"
    data = "version: 1\nextractors: [{name: hashing_vectorizer, column: caf\xe9}]\n".encode("latin-1")
    latin1.write_bytes(data)
    with pytest.raises(ValueError, match=rf"latin1.yaml: not UTF-8 text \(byte {data.index(0xE9)}\)"):
        Pipeline.from_yaml(latin1)


def test_a_spec_that_is_neither_a_path_nor_a_string_is_a_type_error(tmp_path):
    """An int is no file descriptor to read a spec from: the caller's descriptor stays open."""
    with open(tmp_path / "log", "w") as log:
        takes = r"a path \(str or os.PathLike\) or a YAML string, got int"
        with pytest.raises(TypeError, match=takes):
            Pipeline.from_yaml(log.fileno())
        log.write("still open\n")
    with pytest.raises(TypeError, match="got bytes"):
        Pipeline.from_yaml(SPEC.encode())


def test_to_yaml_round_trips_with_resolved_parameters():
    pipeline = Pipeline.from_yaml(SPEC)
    again = Pipeline.from_yaml(pipeline.to_yaml())
    assert again.to_yaml() == pipeline.to_yaml()
    assert "alternate_sign: true" in pipeline.to_yaml()
    assert again.transform(DATA).equals(pipeline.transform(DATA))


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [
        ("version: 1\nextractors: []\n", ValueError, "'extractors' must be a non-empty list"),
        ("version: 2\nextractors: [{name: hashing_vectorizer, column: t}]\n", ValueError,
         "'version' must be 1"),
        ("version: 1\nextractors: [{name: hashing_vectorizer, column: t}]\nextra: 1\n",
         ValueError, "unknown key 'extra'"),
        ("version: 1\nextractors: [{name: hashing_vectoriser, column: t}]\n", KeyError,
         "extractors\\[0\\]: unknown extractor 'hashing_vectoriser'; registered extractors: "
         "'hashing_vectorizer'"),
        ("version: 1\nextractors: [{name: hashing_vectorizer}]\n", ValueError,
         "extractors\\[0\\]: missing key 'column'"),
        ("version: 1\nextractors: [{name: hashing_vectorizer, column: t, colour: red}]\n",
         ValueError, "extractors\\[0\\]: unknown key 'colour'"),
        ("version: 1\nextractors: [{name: hashing_vectorizer, column: t, params: {nfeatures: 8}}]\n",
         ValueError, "unknown parameter\\(s\\) 'nfeatures'"),
        ("version: 1\nextractors: [{name: hashing_vectorizer, column: t, params: {n_features: 0}}]\n",
         ValueError, "'n_features' must be an int in \\[1, 2147483647\\], got 0"),
        ("version: 1\nextractors: [{name: hashing_vectorizer, column: t, params: {n_features: '8'}}]\n",
         ValueError, "'n_features' must be an int .* got '8' \\(str\\)"),
        ("version: 1\nextractors:\n  - {name: hashing_vectorizer, column: t}\n"
         "  - {name: hashing_vectorizer, column: u}\n", ValueError,
         "extractors\\[1\\]: output 'hashing_vectorizer' is already written"),
        ("version: 1\nextractors: [ {name: \n", ValueError, "not valid YAML"),
        ("- a list\n", ValueError, "must be a mapping"),
    ],
)  # fmt: skip
def test_invalid_spec_error_names_the_problem(spec, error, message):
    with pytest.raises(error, match=message):
        Pipeline.from_yaml(spec)


def test_missing_input_column_is_named():
    spec = "version: 1\nextractors: [{name: hashing_vectorizer, column: body}]\n"
    with pytest.raises(KeyError, match="input has no column 'body'"):
        Pipeline.from_yaml(spec).transform({"text": ["a"]})


def test_wrong_column_type_is_named():
    spec = "version: 1\nextractors: [{name: hashing_vectorizer, column: text}]\n"
    with pytest.raises(TypeError, match="column 'text'.*int64"):
        Pipeline.from_yaml(spec).transform({"text": [1, 2]})


def _text_with(value, at=450, rows=600):
    texts = np.array([f"doc {i} about foxes" for i in range(rows)], dtype=object)
    texts[at] = value
    return texts


@pytest.mark.parametrize(
    "data, error, message",
    [
        (pd.DataFrame({"text": _text_with(5)}), TypeError,
         "column 'text', row 450: expected a document of type str or bytes, got int"),
        ({"text": _text_with(np.nan)}, ValueError,
         "column 'text', row 450: np.nan is an invalid document"),
    ],
    ids=["pandas, int", "dict of numpy object array, NaN"],
)  # fmt: skip
def test_a_value_arrow_cannot_convert_is_named_by_column_and_row_with_the_fix(data, error, message):
    spec = "version: 1\nextractors: [{name: count_vectorizer, column: text}]\n"
    for call in (Pipeline.from_yaml(spec).fit, Pipeline.from_yaml(spec).transform):
        with pytest.raises(error, match=message) as raised:
            call(data)
        assert "every row must be a str: convert the column's values" in str(raised.value)
        assert raised.value.row == 450


SERIES_SPEC = """
version: 1
extractors: [{name: timeseries_features, column: value, params: {features: {mean: null}}}]
"""
LONG_FORMAT = "long_format: {column_id: id, column_sort: time, column_value: value}\n"
LONG_SPEC = SERIES_SPEC.replace("version: 1\n", "version: 1\n" + LONG_FORMAT)


def _with(values, value, at=450):
    values = list(values)
    values[at] = value
    return values


def _long(ids=(7,) * 600, values=tuple(map(float, range(600)))):
    return {"id": list(ids), "time": list(range(600)), "value": list(values)}


@pytest.mark.parametrize(
    "spec, data, column",
    [
        (SERIES_SPEC, {"value": _with([[1.0, 2.0]] * 600, [1.0, "x"])}, "value"),
        (SERIES_SPEC, pd.DataFrame({"value": _with([[1.0, 2.0]] * 600, [1.0, "x"])},
                                   index=range(1000, 1600)), "value"),
        (LONG_SPEC, _long(values=_with(map(float, range(600)), "oops")), "value"),
        (LONG_SPEC, _long(ids=[7] * 450 + ["b"] * 150), "id"),
        (LONG_SPEC, pd.DataFrame(_long(ids=[7] * 450 + ["b"] * 150)), "id"),
        ("version: 1\nextractors: [{name: count_vectorizer, column: text}]\n",
         {"text": ["doc"] * 600, "unused": _with(range(600), "x")}, "unused"),
    ],
    ids=["series, dict", "series, pandas", "long values, dict", "long ids, dict",
         "long ids, pandas", "a column no step reads"],
)  # fmt: skip
def test_a_value_arrow_cannot_convert_in_another_column_is_named_by_column_and_row_with_the_fix(
    spec, data, column
):
    located = f"^column '{column}', row 450: Could not convert"
    with pytest.raises(ValueError, match=located) as raised:
        Pipeline.from_yaml(spec).transform(data)
    assert "convert the column's values" in str(raised.value)
    assert raised.value.row == 450


@pytest.mark.parametrize("copy_of", [lambda p: pickle.loads(pickle.dumps(p)), copy.deepcopy],
                         ids=["pickle", "copy.deepcopy"])
def test_fitted_and_unfitted_pipelines_pickle_and_deep_copy_to_equal_pipelines(copy_of):
    spec = "version: 1\nextractors: [{name: count_vectorizer, column: text, output: counts}]\n"
    table = pa.table({"text": ["alpha beta", "beta gamma", "gamma delta alpha"]})
    unfitted = copy_of(Pipeline.from_yaml(spec))
    assert not unfitted.is_fitted and unfitted.spec == Pipeline.from_yaml(spec).spec
    fitted = Pipeline.from_yaml(spec).fit(table)
    copied = copy_of(fitted)
    assert copied.is_fitted and copied.to_yaml() == fitted.to_yaml()
    assert copied.transform(table).equals(fitted.transform(table))
    assert unfitted.fit(table).transform(table).equals(fitted.transform(table))


def test_null_row_error_counts_rows_across_batches():
    spec = "version: 1\nextractors: [{name: hashing_vectorizer, column: text}]\n"
    texts = ["fine"] * 2500
    texts[2100] = None
    table = pa.Table.from_batches(pa.table({"text": texts}).to_batches(max_chunksize=1000))
    with pytest.raises(TypeError, match="row 2100: expected a string, got null") as raised:
        Pipeline.from_yaml(spec).transform(table)
    assert raised.value.row == 2100
