"""HashingVectorizer behaves as a scikit-learn estimator and rejects bad input clearly."""

import pickle
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import make_pipeline

from csr_assertions import assert_same_csr
from parafeat import text as parafeat_text
from parafeat.text import HashingVectorizer


def test_get_params_lists_sklearn_parameters_plus_n_jobs_and_compat():
    from sklearn.feature_extraction.text import HashingVectorizer as Sklearn

    ours = set(HashingVectorizer().get_params())
    assert ours == set(Sklearn().get_params()) | {"n_jobs", "compat"}
    assert HashingVectorizer().get_params()["n_features"] == 2**20


def test_clone_and_pickle_round_trip():
    vectorizer = HashingVectorizer(n_features=64, ngram_range=(1, 2), n_jobs=1)
    documents = ["a bb ccc", "dd ee ff gg"]
    expected = vectorizer.transform(documents)
    cloned = clone(vectorizer)
    assert cloned.get_params() == vectorizer.get_params()
    assert_same_csr(cloned.transform(documents), expected)
    restored = pickle.loads(pickle.dumps(vectorizer))
    assert_same_csr(restored.transform(documents), expected)


def test_works_inside_an_sklearn_pipeline():
    documents = ["good great fine", "bad awful poor", "great good", "poor bad"] * 10
    labels = [1, 0, 1, 0] * 10
    model = make_pipeline(
        HashingVectorizer(n_features=256), TfidfTransformer(), SGDClassifier(random_state=0)
    )
    model.fit(documents, labels)
    assert list(model.predict(["good great", "awful bad"])) == [1, 0]


def test_fit_and_fit_transform_need_no_state():
    documents = ["x yy", "zz"]
    vectorizer = HashingVectorizer(n_features=32)
    assert vectorizer.fit(documents) is vectorizer
    assert vectorizer.partial_fit(documents) is vectorizer
    assert_same_csr(vectorizer.fit_transform(documents), vectorizer.transform(documents))


@pytest.mark.parametrize(
    ("document", "error", "message"),
    [
        (None, TypeError, "row 1: expected a document of type str or bytes, got NoneType"),
        (42, TypeError, "row 1: expected a document of type str or bytes, got int"),
        (["nested"], TypeError, "row 1: expected a document of type str or bytes, got list"),
        (np.nan, ValueError, "row 1: np.nan is an invalid document"),
        (b"\xff\xfe bad", UnicodeDecodeError, "invalid start byte in row 1"),
        ("lone \ud800 surrogate", ValueError, "row 1: the document cannot be encoded as UTF-8"),
    ],
)
def test_bad_document_error_names_the_row(document, error, message):
    with pytest.raises(error, match=message) as raised:
        HashingVectorizer().transform(["fine", document, "fine"])
    assert raised.value.row == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_features": 0}, r"'n_features' must be an int in \[1, 2147483647\], got 0"),
        ({"n_features": -5}, "'n_features' must be an int"),
        ({"n_features": 2**31}, "'n_features' must be an int"),
        ({"n_features": 10.0}, r"'n_features' must be an int .* got 10.0 \(float\)"),
        ({"analyzer": "sentence"}, "'analyzer' must be one of 'word', 'char', 'char_wb'"),
        ({"norm": "max"}, "'norm' must be one of 'l1', 'l2' or None"),
        ({"ngram_range": (2, 1)}, "lower boundary is larger than the upper boundary"),
        ({"ngram_range": (0, 1)}, "'ngram_range' must be a pair of ints"),
        ({"ngram_range": 3}, "'ngram_range' must be a pair of ints"),
        ({"binary": "yes"}, "'binary' must be True or False"),
        ({"dtype": np.int64}, "'dtype' must be one of 'float64', 'float32'"),
        ({"decode_error": "skip"}, "'decode_error' must be one of"),
        ({"strip_accents": "latin"}, "'strip_accents' must be one of 'ascii', 'unicode' or None"),
        ({"stop_words": [1, 2]}, "'stop_words' must be a list of str or None"),
    ],
)
def test_invalid_parameter_error_names_the_key(params, message):
    with pytest.raises(ValueError, match=message):
        HashingVectorizer(**params).transform(["text"])


@pytest.mark.parametrize(
    "params",
    [
        {"strip_accents": lambda text: text},
        {"tokenizer": str.split},
        {"preprocessor": str.strip},
        {"analyzer": str.split},
        {"input": "filename"},
    ],
)
def test_unsupported_options_fail_loudly_instead_of_being_ignored(params):
    with pytest.raises(NotImplementedError, match=next(iter(params))):
        HashingVectorizer(**params).transform(["text"])


def test_single_string_and_empty_input_are_rejected_like_sklearn():
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        HashingVectorizer().transform("just one string")
    with pytest.raises(ValueError, match="Cannot vectorize empty sequence"):
        HashingVectorizer().transform([])


def test_non_iterable_input_is_a_type_error():
    with pytest.raises(TypeError):
        HashingVectorizer().transform(42)


@pytest.mark.parametrize("n_jobs", [0, 1.5, "2"])
def test_invalid_n_jobs_is_rejected(n_jobs):
    with pytest.raises((ValueError, TypeError), match="n_jobs"):
        HashingVectorizer(n_jobs=n_jobs).transform(["text"])


@pytest.mark.parametrize("n_jobs", [np.int64(2), np.int32(-1), np.uint8(1)], ids=repr)
@pytest.mark.parametrize("vectorizer", ["HashingVectorizer", "CountVectorizer", "TfidfVectorizer"])
def test_numpy_integer_n_jobs_is_taken_as_joblib_takes_it(vectorizer, n_jobs):
    documents = ["the cat sat", "the dog ran fast"]
    ours = getattr(parafeat_text, vectorizer)(n_jobs=n_jobs).fit_transform(documents)
    assert_same_csr(ours, getattr(parafeat_text, vectorizer)(n_jobs=1).fit_transform(documents))


@pytest.mark.parametrize("n_jobs", [True, np.True_], ids=repr)
def test_bool_n_jobs_is_rejected(n_jobs):
    with pytest.raises(TypeError, match="n_jobs must be an int or None, got"):
        HashingVectorizer(n_jobs=n_jobs).transform(["text"])


def test_estimator_base_works_without_scikit_learn():
    # With scikit-learn hidden, parafeat still offers get_params/set_params/fit_transform.
    script = textwrap.dedent(
        """
        import sys
        sys.modules["sklearn"] = None  # make `import sklearn` fail
        from parafeat.text import HashingVectorizer
        v = HashingVectorizer(n_features=8)
        assert v.get_params()["n_features"] == 8
        v.set_params(n_features=16)
        assert v.fit_transform(["aa bb"]).shape == (1, 16)
        try:
            v.set_params(bogus=1)
        except ValueError as error:
            assert "bogus" in str(error)
        else:
            raise AssertionError("set_params accepted an unknown parameter")
        print(repr(v).startswith("HashingVectorizer("))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_earliest_unencodable_document_is_reported_when_several_are():
    documents = ["fine text"] * 10_000
    documents[7000] = "late \udfff surrogate"
    documents[3000] = "early \ud800 surrogate"
    with pytest.raises(ValueError, match="row 3000: the document cannot be encoded") as raised:
        HashingVectorizer(n_jobs=2).transform(documents)
    assert raised.value.row == 3000


@pytest.mark.parametrize("progress", [False, True])
def test_ctrl_c_interrupts_a_long_transform_promptly(progress):
    # The native work runs without the GIL; the calling thread still sees SIGINT, cancels the
    # executor and raises KeyboardInterrupt within a few morsels, not at the end of the input;
    # with a progress bar too (its updates take the GIL once per morsel).
    script = textwrap.dedent(
        f"""
        import signal, sys, time
        from parafeat.text import HashingVectorizer
        # Python's own Ctrl-C handler, even if this test runs where SIGINT is ignored (a
        # background job of a shell, which the child would otherwise inherit).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        documents = [f"document {{i}} " + "many words to hash again " * 40 for i in range(150_000)]
        vectorizer = HashingVectorizer(ngram_range=(1, 3), n_jobs=1)
        print("started", flush=True)
        started = time.perf_counter()
        try:
            vectorizer.transform(documents, progress={progress})
        except KeyboardInterrupt:
            print(f"interrupted after {{time.perf_counter() - started:.2f}}", flush=True)
            sys.exit(3)
        print(f"finished after {{time.perf_counter() - started:.2f}}", flush=True)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "started"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    signalled = time.perf_counter()
    out, err = process.communicate(timeout=60)
    assert process.returncode == 3, (out, err)
    assert out.startswith("interrupted after")
    assert ("HashingVectorizer.transform" in err) == progress
    assert time.perf_counter() - signalled < 5
