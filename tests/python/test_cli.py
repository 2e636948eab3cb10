"""The command line: streams inputs to Parquet, matches the Python API, fails cleanly."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from parafeat.text import HashingVectorizer

SPEC = """
version: 1
extractors:
  - name: hashing_vectorizer
    column: text
    params: {n_features: 1024, ngram_range: [1, 2]}
    output: features
"""
TEXTS = [f"document {i}: " + "ΣΟΦΙΑ wisdom " * (i % 5) + "😀" * (i % 2) for i in range(2500)]


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "parafeat", *args], capture_output=True, text=True, cwd=cwd,
        check=False,
    )  # fmt: skip


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC)
    return path


def write_input(tmp_path, fmt, texts):
    path = tmp_path / f"input.{fmt}"
    if fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as out:
            for i, text in enumerate(texts):
                out.write(json.dumps({"id": i, "text": text}, ensure_ascii=i % 2 == 0) + "\n")
    elif fmt == "csv":
        pa_csv.write_csv(pa.table({"id": range(len(texts)), "text": texts}), path)
    else:
        pq.write_table(pa.table({"id": range(len(texts)), "text": texts}), path, row_group_size=700)
    return path


def features_as_csr_parts(path):
    column = pq.read_table(path).column("features").combine_chunks()
    indices = column.field("indices")
    return np.asarray(indices.offsets), np.asarray(indices.values), np.asarray(
        column.field("values").values
    )


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_extract_writes_the_same_features_as_the_python_api(tmp_path, spec, fmt):
    source = write_input(tmp_path, fmt, TEXTS)
    output = tmp_path / "out.parquet"
    result = run_cli(
        "extract", "--spec", str(spec), "--input", str(source), "--output", str(output),
        "--threads", "2", "--batch-rows", "1000",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2,500 rows" in result.stdout and "rows/s" in result.stdout
    indptr, indices, data = features_as_csr_parts(output)
    expected = HashingVectorizer(n_features=1024, ngram_range=(1, 2)).transform(TEXTS)
    np.testing.assert_array_equal(indptr, expected.indptr)
    np.testing.assert_array_equal(indices, expected.indices)
    assert data.tobytes() == expected.data.tobytes()


def test_python_dash_m_and_console_script_are_the_same_command(tmp_path, spec):
    source = write_input(tmp_path, "jsonl", TEXTS[:10])
    script = os.path.join(os.path.dirname(sys.executable), "parafeat")
    result = subprocess.run(
        [script, "extract", "--spec", str(spec), "--input", str(source), "--output",
         str(tmp_path / "o.parquet")], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def assert_fails_without_touching_output(tmp_path, spec, source, message):
    output = tmp_path / "out.parquet"
    output.write_bytes(b"previous contents")
    result = run_cli("extract", "--spec", str(spec), "--input", str(source), "--output", str(output))
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert output.read_bytes() == b"previous contents"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".parafeat-")] == []


def test_non_string_value_fails_naming_the_line_and_field(tmp_path, spec):
    source = tmp_path / "bad.jsonl"
    lines = [json.dumps({"text": "fine"})] * 1500 + [json.dumps({"text": 42})]
    source.write_text("\n".join(lines) + "\n")
    assert_fails_without_touching_output(
        tmp_path, spec, source,
        "parafeat extract: error: line 1501: field 'text' is a number; expected a string\n",
    )  # fmt: skip


def test_null_value_fails_naming_the_row_across_batches(tmp_path, spec):
    texts = ["fine"] * 2500
    texts[2222] = None
    source = tmp_path / "nulls.parquet"
    pq.write_table(pa.table({"text": texts}), source, row_group_size=1000)
    assert_fails_without_touching_output(
        tmp_path, spec, source, "row 2222: expected a string, got null"
    )


def test_a_jsonl_null_fails_naming_its_line_as_other_jsonl_errors_do(tmp_path, spec):
    source = tmp_path / "nulls.jsonl"
    source.write_text('{"text": "fine"}\n\n{"text": "also fine"}\n{"text": null}\n')
    assert_fails_without_touching_output(
        tmp_path, spec, source, "error: line 4: field 'text' is null; expected a string\n"
    )


def test_missing_column_fails_naming_it(tmp_path, spec):
    source = tmp_path / "other.jsonl"
    source.write_text(json.dumps({"body": "x"}) + "\n")
    assert_fails_without_touching_output(tmp_path, spec, source, "'text'")


def test_invalid_utf8_fails_naming_the_line(tmp_path, spec):
    source = tmp_path / "latin1.jsonl"
    source.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    assert_fails_without_touching_output(tmp_path, spec, source, "line 2")


def test_bad_spec_fails_naming_the_parameter(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        "version: 1\nextractors: [{name: hashing_vectorizer, column: text, params: {n_features: 0}}]\n"
    )
    source = write_input(tmp_path, "jsonl", ["a"])
    assert_fails_without_touching_output(tmp_path, spec, source, "'n_features' must be an int")


def test_missing_input_file_fails(tmp_path, spec):
    result = run_cli("extract", "--spec", str(spec), "--input", str(tmp_path / "none.jsonl"),
                     "--output", str(tmp_path / "o.parquet"))  # fmt: skip
    assert result.returncode == 1
    assert "does not exist" in result.stderr


def test_unknown_input_format_fails(tmp_path, spec):
    source = tmp_path / "input.txt"
    source.write_text("hello\n")
    result = run_cli("extract", "--spec", str(spec), "--input", str(source), "--output",
                     str(tmp_path / "o.parquet"))  # fmt: skip
    assert result.returncode == 1
    assert "cannot tell the format" in result.stderr


@pytest.mark.parametrize("args", [["--threads", "0"], ["--batch-rows", "0"], []])
def test_usage_errors_exit_with_status_2(tmp_path, spec, args):
    base = ["extract", "--spec", str(spec), "--input", "x.jsonl"]
    if args:
        base += ["--output", "o.parquet"]
    result = run_cli(*base, *args)
    assert result.returncode == 2


def test_an_output_or_state_naming_the_input_is_refused_and_the_input_kept(tmp_path, spec):
    source = write_input(tmp_path, "jsonl", ["a b", "c d"])
    before = source.read_bytes()
    for command, option in [("extract", "--output"), ("fit", "--state")]:
        result = run_cli(command, "--spec", str(spec), "--input", str(source), option, str(source))
        assert result.returncode == 1
        assert f"{option} {source} is the input file" in result.stderr
        assert source.read_bytes() == before


def test_an_output_that_is_not_a_file_is_refused_and_a_link_is_written_through(tmp_path, spec):
    source = write_input(tmp_path, "jsonl", ["a b"])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = run_cli("extract", "--spec", str(spec), "--input", str(source), "--output", str(fifo))
    assert result.returncode == 1 and "is not a regular file" in result.stderr
    assert fifo.is_fifo()
    target, link = tmp_path / "target.parquet", tmp_path / "link.parquet"
    target.write_bytes(b"old")
    link.symlink_to(target)
    result = run_cli("extract", "--spec", str(spec), "--input", str(source), "--output", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and pq.read_table(target).num_rows == 1


def test_written_files_get_the_umasks_mode_or_keep_the_replaced_files(tmp_path, spec):
    source = write_input(tmp_path, "jsonl", ["a b"])
    fresh, kept = tmp_path / "fresh.parquet", tmp_path / "kept.parquet"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    previous = os.umask(0o022)
    try:
        for output in (fresh, kept):
            result = run_cli("extract", "--spec", str(spec), "--input", str(source), "--output",
                             str(output))  # fmt: skip
            assert result.returncode == 0, result.stderr
    finally:
        os.umask(previous)
    assert fresh.stat().st_mode & 0o777 == 0o644
    assert kept.stat().st_mode & 0o777 == 0o640


def test_sigterm_stops_extract_exits_143_and_leaves_no_partial_output(tmp_path):
    spec = tmp_path / "chars.yaml"  # character n-grams: slow enough to be caught mid-run
    spec.write_text(
        "version: 1\nextractors: [{name: hashing_vectorizer, column: text, params: "
        "{analyzer: char, ngram_range: [1, 6]}}]\n"
    )
    source = write_input(tmp_path, "jsonl", TEXTS * 60)
    output = tmp_path / "features.parquet"
    process = subprocess.Popen(
        [sys.executable, "-m", "parafeat", "extract", "--spec", str(spec), "--input", str(source),
         "--output", str(output), "--batch-rows", "500", "--threads", "1"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    partial = []
    for _ in range(600):  # the first batch is written: the run is under way
        partial = [p for p in tmp_path.iterdir() if p.name.startswith(".parafeat-")]
        if partial and partial[0].stat().st_size > 0 or process.poll() is not None:
            break
        time.sleep(0.05)
    assert process.poll() is None and partial, "extract ended before it could be stopped"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    assert "terminated" in process.stderr.read()
    process.stderr.close()
    assert not output.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".parafeat-")] == []


CHILD_OF_THE_CLI_GETS_SIGTERM = """
import os, signal, sys, time
from parafeat import cli
signal.signal(signal.SIGTERM, cli._sigterm_handler())
ready, started = os.pipe()
child = os.fork()
if child == 0:  # as a pool's worker forked by a bench suite's peer library
    os.write(started, b"1")  # a signal before this could be dropped by Python's fork handling
    time.sleep(30)
    os._exit(0)
os.read(ready, 1)
os.kill(child, signal.SIGTERM)
_, status = os.waitpid(child, 0)
print(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM)
"""


def test_a_child_forked_from_the_cli_dies_of_sigterm_as_by_default_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "-c", CHILD_OF_THE_CLI_GETS_SIGTERM],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.strip() == "True"
    assert "Traceback" not in result.stderr and "_Terminated" not in result.stderr


def test_an_output_folder_that_is_missing_or_an_input_that_is_a_folder_is_named(tmp_path, spec):
    source = write_input(tmp_path, "jsonl", ["a b"])
    missing = tmp_path / "no-such-folder"
    for command, option in [("extract", "--output"), ("fit", "--state")]:
        result = run_cli(command, "--spec", str(spec), "--input", str(source), option,
                         str(missing / "out"))  # fmt: skip
        assert result.returncode == 1
        assert f"cannot write {missing / 'out'}: folder {missing} does not exist" in result.stderr
    result = run_cli("extract", "--spec", str(spec), "--input", str(tmp_path), "--output",
                     str(tmp_path / "o.parquet"))  # fmt: skip
    assert result.returncode == 1 and "is a folder: give a file" in result.stderr
