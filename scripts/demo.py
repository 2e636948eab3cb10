#!/usr/bin/env python3
"""``make demo``: parafeat on the bundled sample corpus, next to scikit-learn.

1. Runs the command line, as a user would, on the sample corpus and the sample spec:
   ``python -m parafeat extract --spec data/sample/hashing.yaml
   --input data/sample/python_docs.jsonl --output build/demo/features.parquet``
2. Shows a few rows of the Parquet output (features per row, the largest entries and the words
   that hash to them).
3. Times scikit-learn's HashingVectorizer and parafeat's (1 thread, then all threads) on the same
   documents in this process, with the spec's parameters: median of 3 runs after a warm-up.
4. Checks that the command line's output equals scikit-learn's matrix, row by row, bit for bit.

Every figure printed is measured here and now; exits non-zero if anything fails or differs.
"""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq
import scipy.sparse as sp
import yaml

REPO_DIR = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))  # for bench.measure, shared with the benchmark suites

from bench.measure import first_csr_difference, median_seconds  # noqa: E402
from bench.runner import machine  # noqa: E402

SPEC = REPO_DIR / "data" / "sample" / "hashing.yaml"
CORPUS = REPO_DIR / "data" / "sample" / "python_docs.jsonl"
OUTPUT = REPO_DIR / "build" / "demo" / "features.parquet"
SHOWN_ROWS = (0, 1, 2)
TOP_ENTRIES = 5
TIMED_RUNS = 3


def spec_extractor(spec_path: pathlib.Path) -> dict:
    """The spec's single extractor entry, with its params as the Python class takes them."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    (extractor,) = spec["extractors"]
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in extractor["params"].items()}
    return {**extractor, "params": params}


def run_cli() -> None:
    """Runs ``python -m parafeat extract`` and prints its summary line."""
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    spec, corpus, output = (str(path.relative_to(REPO_DIR)) for path in (SPEC, CORPUS, OUTPUT))
    arguments = ["extract", "--spec", spec, "--input", corpus, "--output", output, "--no-progress"]
    print("$ python -m parafeat " + " ".join(arguments))
    finished = subprocess.run(
        [sys.executable, "-m", "parafeat", *arguments], cwd=REPO_DIR, capture_output=True, text=True
    )
    print(finished.stdout.strip())
    if finished.returncode != 0:
        sys.exit(f"the command line failed (exit {finished.returncode}):\n{finished.stderr}")


def read_features(column: str, n_features: int) -> sp.csr_matrix:
    """The command line's output column (a struct of indices/values lists) as a CSR matrix."""
    features = pq.read_table(OUTPUT, columns=[column]).column(column).combine_chunks()
    indices, values = features.field("indices"), features.field("values")
    return sp.csr_matrix(
        (values.values.to_numpy(), indices.values.to_numpy(), indices.offsets.to_numpy()),
        shape=(len(features), n_features),
    )


def show_rows(matrix, ids, texts, analyzer, hasher) -> None:
    """Prints, for a few rows, the feature count and the largest entries with their words."""
    print(f"\n{matrix.shape[0]:,} rows x {matrix.shape[1]:,} features, {matrix.nnz:,} non-zeros")
    for row in SHOWN_ROWS:
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        indices, values = matrix.indices[start:end], matrix.data[start:end]
        words_at = {}  # feature index -> the row's words that hash there
        for word in dict.fromkeys(analyzer(texts[row])):
            words_at.setdefault(int(hasher.transform([word]).indices[0]), []).append(word)
        excerpt = " ".join(texts[row].split())[:70]
        print(f"\nrow {row}  id={ids[row]}  features={end - start}  text: {excerpt!r}...")
        for k in np.argsort(-np.abs(values), kind="stable")[:TOP_ENTRIES]:
            words = "/".join(words_at.get(int(indices[k]), ["?"]))
            print(f"    [{indices[k]:>7}] {values[k]:+.4f}  {words}")


def compare_speed(documents, params) -> None:
    """Times scikit-learn and parafeat on the same documents, in this process."""
    from sklearn.feature_extraction.text import HashingVectorizer as SklearnHashingVectorizer

    from parafeat._threads import available_cpus
    from parafeat.text import HashingVectorizer

    megabytes = sum(len(d.encode("utf-8")) for d in documents) / 1e6
    cpu = machine()
    print(f"\nIn-process timing on the same {len(documents):,} documents ({megabytes:.2f} MB of "
          f"text), median of {TIMED_RUNS} runs after a warm-up, on {cpu['cpu_model']} with "
          f"{cpu['usable_cpus']} CPUs:")  # fmt: skip
    sklearn = SklearnHashingVectorizer(**params)
    sklearn_s = median_seconds(lambda: sklearn.transform(documents), TIMED_RUNS)
    print(f"    scikit-learn            {sklearn_s:7.3f} s  {megabytes / sklearn_s:8.1f} MB/s")
    for threads in sorted({1, available_cpus()}):
        vectorizer = HashingVectorizer(**params, n_jobs=threads)
        seconds = median_seconds(lambda: vectorizer.transform(documents), TIMED_RUNS)
        label = f"parafeat, {threads} thread{'s' if threads > 1 else ''}"
        print(
            f"    {label:<22}  {seconds:7.3f} s  {megabytes / seconds:8.1f} MB/s"
            f"  {sklearn_s / seconds:5.1f}x scikit-learn"
        )


def main() -> int:
    from sklearn.feature_extraction.text import HashingVectorizer as SklearnHashingVectorizer

    extractor = spec_extractor(SPEC)
    params = extractor["params"]
    print(f"parafeat demo: {extractor['name']}({params}) over the bundled sample corpus\n")
    run_cli()

    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    ids, texts = [r["id"] for r in rows], [r[extractor["column"]] for r in rows]
    reference = SklearnHashingVectorizer(**params)
    ours = read_features(extractor.get("output", extractor["name"]), params["n_features"])
    show_rows(ours, ids, texts, reference.build_analyzer(), reference)
    compare_speed(texts, params)

    difference = first_csr_difference(ours, reference.transform(texts))
    if difference is not None:
        print(f"\nidentical to scikit-learn: NO ({difference})")
        return 1
    print(
        f"\nidentical to scikit-learn: yes (all {ours.shape[0]:,} rows of the command line's "
        "output: same indices, same values bit for bit)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
