"""Pipelines with steps that learn from data: fit gives what the parafeat.text vectorizers give,
in any batch split; fitted pipelines save to a versioned state file; the CLI fits and extracts."""

import json
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import scipy.sparse as sp

import parafeat
from parafeat.text import CountVectorizer, TfidfVectorizer
from test_count_tfidf_oracle import TEST, TRAIN, zipf_corpus

SPEC = """
version: 1
extractors:
  - name: tfidf_vectorizer
    column: text
    params: {ngram_range: [1, 2], min_df: 2, max_features: 300}
    output: tfidf
  - name: count_vectorizer
    column: text
    params: {max_df: 0.8, binary: true, dtype: int32}
    output: counts
  - name: hashing_vectorizer
    column: text
    params: {n_features: 64}
    output: hashed
"""
CORPUS = zipf_corpus(3000, seed=5) + TRAIN


def as_csr(table, output, num_columns, dtype):
    column = table.column(output).combine_chunks()
    indptr = np.asarray(column.field("indices").offsets)
    indices = np.asarray(column.field("indices").values)
    data = np.asarray(column.field("values").values).astype(dtype, copy=False)
    return sp.csr_matrix((data, indices, indptr), shape=(len(table), num_columns))


def assert_same_matrix(actual, expected):
    expected = expected.copy()
    expected.sort_indices()
    np.testing.assert_array_equal(actual.indptr, expected.indptr)
    np.testing.assert_array_equal(actual.indices, expected.indices)
    assert actual.data.tobytes() == expected.data.tobytes()


def check_against_vectorizers(pipeline, corpus, documents):
    table = pipeline.transform({"text": documents})
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=300).fit(corpus)
    counts = CountVectorizer(max_df=0.8, binary=True, dtype=np.int32).fit(corpus)
    assert_same_matrix(
        as_csr(table, "tfidf", len(tfidf.vocabulary_), np.float64), tfidf.transform(documents)
    )
    assert_same_matrix(
        as_csr(table, "counts", len(counts.vocabulary_), np.int32), counts.transform(documents)
    )


def test_fitted_pipeline_equals_the_fitted_vectorizers():
    pipeline = parafeat.Pipeline.from_yaml(SPEC)
    assert not pipeline.is_fitted
    with pytest.raises(ValueError, match="tfidf_vectorizer is not fitted"):
        pipeline.transform({"text": TEST})
    pipeline.fit({"text": CORPUS})
    assert pipeline.is_fitted
    check_against_vectorizers(pipeline, CORPUS, TEST)


@pytest.mark.parametrize("batch_rows", [1000, 333, 7])
def test_fitting_in_batches_equals_fitting_at_once(batch_rows):
    whole = parafeat.Pipeline.from_yaml(SPEC).fit({"text": CORPUS})
    batches = pa.table({"text": CORPUS}).to_batches(max_chunksize=batch_rows)
    streamed = parafeat.Pipeline.from_yaml(SPEC).fit_batches(batches)
    assert streamed.transform({"text": TEST}).equals(whole.transform({"text": TEST}))


def test_sublinear_tf_matches_the_vectorizer_to_the_last_bit_or_one_ulp():
    # The engine's sublinear log is the C library's; the vectorizer's is numpy's, which can differ
    # in the last bit on AVX-512 CPUs (see tfidf_vectorizer.cc).
    spec = SPEC.replace("max_features: 300", "max_features: 300, sublinear_tf: true")
    table = parafeat.Pipeline.from_yaml(spec).fit({"text": CORPUS}).transform({"text": TEST})
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=300, sublinear_tf=True)
    expected = vectorizer.fit(CORPUS).transform(TEST)
    expected.sort_indices()
    actual = as_csr(table, "tfidf", len(vectorizer.vocabulary_), np.float64)
    np.testing.assert_array_equal(actual.indices, expected.indices)
    np.testing.assert_array_max_ulp(actual.data, expected.data, maxulp=2)


def test_saved_pipeline_loads_and_transforms_the_same(tmp_path):
    pipeline = parafeat.Pipeline.from_yaml(SPEC).fit({"text": CORPUS})
    path = tmp_path / "fitted.pfstate"
    pipeline.save(path)
    loaded = parafeat.Pipeline.load(path)
    assert loaded.transform({"text": TEST}).equals(pipeline.transform({"text": TEST}))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 10])
    with pytest.raises(ValueError, match="truncated"):
        parafeat.Pipeline.load(path)
    with pytest.raises(ValueError, match="not fitted"):
        parafeat.Pipeline.from_yaml(SPEC).save(tmp_path / "unfitted.pfstate")


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "parafeat", *args], capture_output=True, text=True, check=False
    )


def test_cli_fits_then_extracts_with_the_state(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in CORPUS), encoding="utf-8")
    state = tmp_path / "fitted.pfstate"
    fitted = run_cli("fit", "--spec", str(spec), "--input", str(corpus), "--state", str(state),
                     "--batch-rows", "500")  # fmt: skip
    assert fitted.returncode == 0, fitted.stderr
    output = tmp_path / "features.parquet"
    extracted = run_cli("extract", "--state", str(state), "--input", str(corpus),
                        "--output", str(output))  # fmt: skip
    assert extracted.returncode == 0, extracted.stderr
    expected = parafeat.Pipeline.from_yaml(SPEC).fit({"text": CORPUS}).transform({"text": CORPUS})
    assert pq.read_table(output).equals(expected)

    unfitted = run_cli("extract", "--spec", str(spec), "--input", str(corpus),
                       "--output", str(tmp_path / "never.parquet"))  # fmt: skip
    assert unfitted.returncode == 1
    assert "fit them first" in unfitted.stderr
    assert not (tmp_path / "never.parquet").exists()


def test_fitting_bad_rows_names_the_row_counted_over_all_batches():
    batches = pa.table({"text": ["fine text", "more text", None]}).to_batches(max_chunksize=2)
    with pytest.raises(TypeError, match=r"column 'text': row 2: expected a string, got null"):
        parafeat.Pipeline.from_yaml(SPEC).fit_batches(batches)
