"""parafeat.cassandra against a real Apache Cassandra node (scripts/cassandra-node): features of
1,000,000 rows written to Cassandra equal the local pipeline's for every row, writes that time
out while the node is paused are retried and stored once, a killed run resumes without loss or
duplicates, a node restart mid-read is survived or reported, and bad input is named."""

import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
import zlib

import pyarrow as pa
import pyarrow.compute as pac
import pytest

import parafeat
import parafeat.cassandra as pc
from cassandra_node import KEYSPACE, node, node_pid
from corpora import ADVERSARIAL_CORPUS
from parafeat.cassandra._ranges import MAX_TOKEN, MIN_TOKEN, split_ring
from parafeat.cassandra._session import table_id

ROUND_TRIP_ROWS = 50_000
MILLION_ROWS = 1_000_000
RESUMED_ROWS = 20_000
SPEC = """\
version: 1
extractors:
  - name: hashing_vectorizer
    column: text
    params: {n_features: 4096, ngram_range: [1, 2]}
    output: words
  - name: hashing_vectorizer
    column: text
    params: {n_features: 512, analyzer: char_wb, ngram_range: [2, 3], norm: null}
    output: chars
"""
MILLION_SPEC = """\
version: 1
extractors:
  - name: hashing_vectorizer
    column: text
    params: {n_features: 1048576}
    output: words
"""
WORDS = ["data", "Σοφία", "node", "token", "ring", "数据", "😀", "straße", "İstanbul", "rng"]


def documents(count: int, seed: int = 7) -> list:
    generator = random.Random(seed)
    texts = []
    for i in range(count):
        if i % 1000 < len(ADVERSARIAL_CORPUS):
            texts.append(ADVERSARIAL_CORPUS[i % 1000])
        else:
            words = generator.choices(WORDS, k=generator.randint(1, 30))
            texts.append(f"doc {i} " + " ".join(words))
    return texts


def load_documents(keyspace: str, table: str, texts: list) -> None:
    pc.write(
        pa.table({"id": pa.array(range(len(texts)), pa.int32()), "text": texts}),
        keyspace, table, key=["id"], create=True,
    )  # fmt: skip


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "parafeat", *args], capture_output=True, text=True, check=False
    )


def cassandra_uri(table: str) -> str:
    return f"cassandra://127.0.0.1/{KEYSPACE}/{table}"


def features_by_id(table: pa.Table, columns) -> dict:
    """{id: ((indices, values) per column)}, an empty map (stored as null) as empty lists."""
    ids = table.column("id").to_pylist()
    per_column = []
    for name in columns:
        cells = table.column(name).to_pylist()
        per_column.append(
            [(c["indices"], c["values"]) if c is not None else ([], []) for c in cells]
        )
    return {i: tuple(column[row] for column in per_column) for row, i in enumerate(ids)}


def checksum(features: dict) -> tuple:
    """(row count, sum of every value, CRC of every index in id order)."""
    crc, total = 0, 0.0
    for key in sorted(features):
        for indices, values in features[key]:
            crc = zlib.crc32(repr(indices).encode(), crc)
            total += sum(values)
    return len(features), total, crc


def local_features(pipeline, texts) -> dict:
    output = pipeline.transform({"text": texts})
    output = output.append_column("id", pa.array(range(len(texts)), pa.int32()))
    return features_by_id(output, pipeline.output_columns)


def stored_features(table: str, columns) -> dict:
    return features_by_id(pc.read(KEYSPACE, table, columns, n_jobs=4).read_all(), columns)


def count_rows(session, table: str) -> int:
    return session.execute(f"SELECT count(*) FROM {KEYSPACE}.{table}", timeout=120).one()[0]


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cassandra") / "spec.yaml"
    path.write_text(SPEC)
    return str(path)


@pytest.fixture(scope="module")
def corpus(cassandra):
    """ROUND_TRIP_ROWS documents in the table ``docs``."""
    texts = documents(ROUND_TRIP_ROWS)
    load_documents(KEYSPACE, "docs", texts)
    return texts


# --- without a node -------------------------------------------------------------------------


def test_token_ranges_cover_the_ring_once_in_order():
    tokens = [-(2**62), -(2**40), 0, 2**40, 2**62]
    for min_ranges in (1, 6, 64, 1000):
        ranges = split_ring(tokens, min_ranges)
        assert len(ranges) >= min_ranges
        assert ranges[0].start == MIN_TOKEN and ranges[-1].end == MAX_TOKEN
        assert all(a.end == b.start for a, b in zip(ranges, ranges[1:]))
        assert all(r.start < r.end for r in ranges)
        assert {t for t in tokens} <= {r.end for r in ranges}


@pytest.mark.parametrize(
    "cql, column",
    [
        ("int", pa.array([1, None, -(2**31), 2**31 - 1], pa.int32())),
        ("bigint", pa.array([2**40, None, -1], pa.int64())),
        ("double", pa.array([0.1, None, -1e300], pa.float64())),
        ("float", pa.array([0.5, None], pa.float32())),
        ("text", pa.array(["Σοφία 😀", None, ""], pa.large_string())),
        ("frozen<map<int, double>>", pa.array(
            [{"indices": [3, 70000], "values": [0.25, -1.5]}, None,
             {"indices": [], "values": []}, {"indices": [1], "values": [1e-300]}],
            pa.struct([("indices", pa.list_(pa.int32())), ("values", pa.list_(pa.float64()))]),
        ).slice(0)),
        ("map<int, float>", pa.array(
            [{"indices": [9], "values": [0.5]}, {"indices": [1, 2], "values": [1.0, 2.0]}],
            pa.struct([("indices", pa.list_(pa.int32())), ("values", pa.list_(pa.float32()))]),
        ).slice(1)),
        ("list<double>", pa.array([[1.0, 2.5], None, []], pa.list_(pa.float64())).slice(1)),
        ("list<double>", pa.array([[1.0, 2.5], None, [3.0, -4.0], [5.0, 6.0]],
                                  pa.list_(pa.float64(), 2)).slice(1)),
        ("frozen<list<float>>", pa.array([[1.0], [2.5]], pa.large_list(pa.float32()))),
    ],
)  # fmt: skip
def test_column_encoding_equals_the_drivers_value_by_value(cql, column):
    from parafeat.cassandra._serialize import serialize_column
    from parafeat.cassandra._types import python_values

    driver_type = _driver_type(cql)
    expected = [None if v is None else driver_type.serialize(v, 5) for v in python_values(column)]
    assert serialize_column(column, cql, driver_type, 5) == expected


@pytest.mark.parametrize(
    "cql, values",
    [
        ("int", [1, None, -(2**31), 2**31 - 1]),
        ("bigint", [2**40, None, -1]),
        ("smallint", [None, -5, 300]),
        ("double", [0.1, None, -1e300]),
        ("float", [0.5, None]),
        ("text", ["Σοφία 😀", None, ""]),
        ("frozen<map<int, double>>", [{3: 0.25, 70000: -1.5}, None, {}, {1: 1e-300}]),
        ("map<int, float>", [{9: 0.5}, {1: 1.0, 2: 2.0}]),
        ("list<double>", [[1.0, 2.5], None, []]),
        ("list<float>", [[0.5], [], None]),
        ("boolean", [True, None, False]),  # through the driver's decoder
        ("int", [None, None]),
    ],
)  # fmt: skip
def test_raw_cells_decode_to_the_arrow_of_the_drivers_values(cql, values):
    from parafeat.cassandra._deserialize import from_cells
    from parafeat.cassandra._types import arrow_type, to_arrow

    driver_type = _driver_type(cql)
    cells = [None if v is None else driver_type.serialize(v, 5) for v in values]
    arrow = arrow_type(cql, "test")
    decoded = from_cells(cells, cql, arrow, driver_type, 5)
    assert decoded.equals(to_arrow(values, cql, arrow))
    assert decoded.to_pylist() == to_arrow(values, cql, arrow).to_pylist()


# Milliseconds since the epoch: the first and last of years 1..9999, values whose float
# seconds round below the millisecond, and a random sample of the whole span.
EXACT_MILLISECONDS = [-62135596800000, 253402300799999, 18661950659418, -1, 0, 1] + [
    random.Random(5).randrange(-62135596800000, 253402300800000) for _ in range(2000)
]


def test_timestamps_and_dates_decode_and_encode_exactly_over_years_1_to_9999():
    from cassandra import cqltypes

    from parafeat.cassandra._deserialize import from_cells
    from parafeat.cassandra._serialize import serialize_column

    cells = [int(ms).to_bytes(8, "big", signed=True) for ms in EXACT_MILLISECONDS] + [None]
    arrow = pa.timestamp("ms", tz="UTC")
    decoded = from_cells(cells, "timestamp", arrow, cqltypes.DateType, 5)
    assert decoded.cast(pa.int64()).to_pylist() == EXACT_MILLISECONDS + [None]
    assert serialize_column(decoded, "timestamp", cqltypes.DateType, 5) == cells
    days = [0, 2**31 - 719162, 2**31, 2**31 + 2932896, 2**32 - 1]  # 0001-01-01, 9999-12-31
    cells = [day.to_bytes(4, "big") for day in days] + [None]
    decoded = from_cells(cells, "date", pa.date32(), cqltypes.SimpleDateType, 5)
    assert decoded.cast(pa.int32()).to_pylist() == [d - 2**31 for d in days] + [None]
    assert serialize_column(decoded, "date", cqltypes.SimpleDateType, 5) == cells


def _driver_type(cql: str):
    """The driver's type class for a CQL type name, as a prepared statement's metadata has."""
    from cassandra import cqltypes

    cql = cql.replace("frozen<", "").replace(">>", ">").replace(" ", "")
    scalars = {"int": cqltypes.Int32Type, "bigint": cqltypes.LongType,
               "smallint": cqltypes.ShortType, "double": cqltypes.DoubleType,
               "float": cqltypes.FloatType, "text": cqltypes.UTF8Type,
               "boolean": cqltypes.BooleanType}  # fmt: skip
    if cql.startswith("map<"):
        key, value = cql[4:-1].split(",")
        return cqltypes.MapType.apply_parameters([scalars[key], scalars[value]])
    if cql.startswith("list<"):
        return cqltypes.ListType.apply_parameters([scalars[cql[5:-1]]])
    return scalars[cql]


def test_table_addresses_are_parsed_and_bad_ones_named():
    assert pc.parse_uri("cassandra://h1:9142,h2/ks/t") == (("h1", "h2"), 9142, "ks", "t")
    assert pc.parse_uri("cassandra://localhost/ks/t") == (("localhost",), 9042, "ks", "t")
    assert pc.parse_uri("cassandra://[::1]:9142/ks/t") == (("::1",), 9142, "ks", "t")
    assert pc.parse_uri("cassandra://h1:9142,[::1]:9142/ks/t") == (("h1", "::1"), 9142, "ks", "t")
    for bad in ("cassandra://host/ks", "http://host/ks/t", "cassandra:///ks/t",
                "Cassandra://host/ks/t", "cassandra://[::1/ks/t"):  # fmt: skip
        with pytest.raises(ValueError, match="cassandra://host"):
            pc.parse_uri(bad)
    with pytest.raises(ValueError, match=r"different ports \[9042, 9142\].*the same port"):
        pc.parse_uri("cassandra://h1:9042,h2:9142/ks/t")
    for empty in ("cassandra://:9042/ks/t", "cassandra://h1,,h2/ks/t"):
        with pytest.raises(ValueError, match="a host name is empty"):
            pc.parse_uri(empty)
    with pytest.raises(ValueError, match=r"takes no \?query .*'consistency=ALL'"):
        pc.parse_uri("cassandra://h/ks/t?consistency=ALL")


def test_unreachable_host_is_a_clear_error_within_the_timeout():
    started = time.monotonic()
    with pytest.raises(ConnectionError, match=r"cannot reach Cassandra at 127\.0\.0\.1 port 9"):
        pc.read("ks", "t", ["text"], port=9, connect_timeout=2)
    assert time.monotonic() - started < 15


def test_cli_reports_an_unreachable_host_on_one_line(spec_path):
    result = run_cli(
        "extract", "--spec", spec_path, "--from", "cassandra://127.0.0.1:9/ks/docs",
        "--to", "cassandra://127.0.0.1:9/ks/features",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("parafeat extract: error: cannot reach Cassandra at 127.0.0.1")


def test_host_name_that_does_not_resolve_is_named_by_the_api_and_the_cli(spec_path):
    with pytest.raises(ConnectionError, match="cannot resolve the Cassandra host name "
                                              "cassandar-typo.invalid: check its spelling"):
        pc.read("ks", "t", ["text"], hosts=["cassandar-typo.invalid"])
    result = run_cli(
        "extract", "--spec", spec_path, "--from", "cassandra://cassandar-typo.invalid/ks/docs",
        "--to", "cassandra://cassandar-typo.invalid/ks/features",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith(
        "parafeat extract: error: cannot resolve the Cassandra host name cassandar-typo.invalid"
    )
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_max_in_flight_below_one_is_refused_before_connecting(bad):
    features = pa.table({"id": pa.array([1], pa.int32()), "x": [1.0]})
    with pytest.raises(ValueError, match=f"max_in_flight must be a positive count .* {bad!r}"):
        pc.write(features, "ks", "t", port=9, max_in_flight=bad)
    with pytest.raises(ValueError, match="max_in_flight must be a positive count"):
        pc.extract(parafeat.Pipeline.from_yaml(SPEC), "cassandra://127.0.0.1:9/ks/t",
                   "cassandra://127.0.0.1:9/ks/f", max_in_flight=bad)  # fmt: skip


# --- round trips ----------------------------------------------------------------------------


def test_read_returns_every_row_once_with_its_key(cassandra, corpus):
    table = pc.read(KEYSPACE, "docs", ["text"], n_jobs=3, fetch_size=1000).read_all()
    assert table.column_names == ["id", "text"]
    assert table.num_rows == len(corpus)
    by_id = dict(zip(table.column("id").to_pylist(), table.column("text").to_pylist()))
    assert by_id == dict(enumerate(corpus))


@pytest.mark.slow
def test_cli_round_trip_of_a_million_rows_equals_the_local_pipeline_for_every_row(
    cassandra, tmp_path
):
    texts = documents(MILLION_ROWS, seed=13)
    load_documents(KEYSPACE, "million_docs", texts)
    spec = tmp_path / "million.yaml"
    spec.write_text(MILLION_SPEC)
    result = run_cli(
        "extract", "--spec", str(spec), "--from", cassandra_uri("million_docs"),
        "--to", cassandra_uri("million_features"), "--threads", "2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{MILLION_ROWS:,} rows" in result.stdout
    pipeline = parafeat.Pipeline.from_yaml(MILLION_SPEC)
    expected = pipeline.transform({"text": texts})
    expected = expected.append_column("id", pa.array(range(MILLION_ROWS), pa.int32()))
    expected = expected.select(["id", *pipeline.output_columns])
    stored = pc.read(KEYSPACE, "million_features", pipeline.output_columns).read_all()
    stored = stored.sort_by("id").combine_chunks()
    assert stored.num_rows == MILLION_ROWS
    assert arrow_checksum(stored) == arrow_checksum(expected)
    assert_equal_row_by_row(stored, expected.cast(stored.schema))


def arrow_checksum(features: pa.Table) -> tuple:
    """(rows, sum of every value, CRC of every row's indices) of an id-ordered features table
    (a null map counts as an empty one)."""
    crc, total = 0, 0.0
    for name in features.column_names[1:]:
        column = features.column(name).combine_chunks()
        indices, values = column.field("indices"), column.field("values")
        lengths = pac.fill_null(pac.list_value_length(indices), 0)
        crc = zlib.crc32(lengths.to_numpy().tobytes(), crc)
        crc = zlib.crc32(indices.flatten().to_numpy().tobytes(), crc)
        total += float(pac.sum(values.flatten()).as_py() or 0.0)
    return features.num_rows, total, crc


def assert_equal_row_by_row(stored: pa.Table, expected: pa.Table) -> None:
    """Every row of two id-ordered features tables is equal (a null map equals an empty one)."""
    assert stored.column("id").equals(expected.column("id"))
    for name in stored.column_names[1:]:
        mine, theirs = stored.column(name).combine_chunks(), expected.column(name).combine_chunks()
        for part in ("indices", "values"):
            same = pac.equal(
                pac.fill_null(pac.list_value_length(mine.field(part)), 0),
                pac.list_value_length(theirs.field(part)),
            ).to_numpy(zero_copy_only=False).all()
            same = same and mine.field(part).flatten().equals(theirs.field(part).flatten())
            if not same:
                first = next(i for i, (a, b) in enumerate(zip(mine, theirs))
                             if (a.as_py() or {part: []})[part] != b.as_py()[part])  # fmt: skip
                raise AssertionError(
                    f"column {name!r}, row id={stored.column('id')[first]}: "
                    f"{mine[first]} != {theirs[first]}"
                )


def test_rewriting_the_same_rows_leaves_the_same_table(cassandra):
    texts = documents(300, seed=3)
    load_documents(KEYSPACE, "idempotent_docs", texts)
    pipeline = parafeat.Pipeline.from_yaml(SPEC)
    source, target = cassandra_uri("idempotent_docs"), cassandra_uri("idempotent_features")
    pc.extract(pipeline, source, target)
    first = stored_features("idempotent_features", pipeline.output_columns)
    summary = pc.extract(pipeline, source, target, restart=True)
    assert summary["rows"] == len(texts) and summary["skipped_ranges"] == 0
    assert stored_features("idempotent_features", pipeline.output_columns) == first
    assert count_rows(cassandra, "idempotent_features") == len(texts)


def test_writes_that_time_out_while_the_node_is_paused_are_retried_and_stored_once(
    cassandra, caplog
):
    """The node is stopped (SIGSTOP) for 3 s in the middle of a write whose requests time out
    after 1 s: the requests in flight time out, are sent again with backoff once the node runs
    again (some of them were applied already), and every row is stored once with its value."""
    rows = 20_000
    texts = documents(rows, seed=5)
    table = pa.table({"id": pa.array(range(rows), pa.int32()), "text": texts})
    pid = node_pid()
    resume = threading.Timer(3.0, os.kill, (pid, signal.SIGCONT))

    def batches():
        for number, batch in enumerate(table.to_batches(max_chunksize=2000)):
            if number == 2:
                os.kill(pid, signal.SIGSTOP)
                resume.start()
            yield batch

    caplog.set_level(logging.INFO, logger="parafeat.cassandra")
    try:
        written = pc.write(
            pa.RecordBatchReader.from_batches(table.schema, batches()), KEYSPACE, "paused",
            key=["id"], create=True, request_timeout=1.0, retry_seconds=60,
        )  # fmt: skip
    finally:
        if resume.is_alive():
            resume.join()
        os.kill(pid, signal.SIGCONT)
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]
    assert retries, "no write timed out while the node was paused"
    assert any("OperationTimedOut" in message for message in retries), retries[:3]
    assert written == rows
    assert count_rows(cassandra, "paused") == rows
    stored = pc.read(KEYSPACE, "paused", ["text"], n_jobs=2).read_all()
    assert dict(zip(stored.column("id").to_pylist(), stored.column("text").to_pylist())) == (
        dict(enumerate(texts))
    )


def test_rerun_after_the_writer_is_killed_resumes_without_loss_or_duplicates(
    cassandra, spec_path
):
    corpus = documents(RESUMED_ROWS, seed=11)
    load_documents(KEYSPACE, "resumed_docs", corpus)
    args = (
        "extract", "--spec", spec_path, "--from", cassandra_uri("resumed_docs"),
        "--to", cassandra_uri("resumed"), "--threads", "1", "--batch-rows", "200",
    )  # fmt: skip
    writer = subprocess.Popen([sys.executable, "-m", "parafeat", *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 120
    finished = []
    while time.monotonic() < deadline and writer.poll() is None and len(finished) < 10:
        if _exists(cassandra, pc.PROGRESS_TABLE) and _exists(cassandra, "resumed"):
            job = pc.job_id(f"{KEYSPACE}.resumed_docs", f"{KEYSPACE}.resumed",
                            parafeat.Pipeline.from_yaml(SPEC).to_yaml(), None,
                            table_id(cassandra, KEYSPACE, "resumed"))  # fmt: skip
            finished = list(cassandra.execute(
                f"SELECT rows FROM {KEYSPACE}.{pc.PROGRESS_TABLE} WHERE job = %s", (job,)
            ))  # fmt: skip
        time.sleep(0.1)
    assert writer.poll() is None, "the writer finished before it could be killed; slow it down"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert 0 < count_rows(cassandra, "resumed") < len(corpus)

    result = run_cli(*args[:-4], "--threads", "2")
    assert result.returncode == 0, result.stderr
    skipped = int(result.stdout.split(" token ranges done, ")[1].split(" ")[0])
    assert skipped >= len(finished), result.stdout
    pipeline = parafeat.Pipeline.from_yaml(SPEC)
    assert count_rows(cassandra, "resumed") == len(corpus)
    stored = stored_features("resumed", pipeline.output_columns)
    assert stored == local_features(pipeline, corpus)


def test_features_table_dropped_and_created_again_or_truncated_is_filled_again(cassandra):
    load_documents(KEYSPACE, "refilled_docs", documents(100, seed=5))
    pipeline = parafeat.Pipeline.from_yaml(SPEC)
    source, target = cassandra_uri("refilled_docs"), cassandra_uri("refilled")
    assert pc.extract(pipeline, source, target)["rows"] == 100
    cassandra.cluster.refresh_schema_metadata()
    definition = cassandra.cluster.metadata.keyspaces[KEYSPACE].tables["refilled"].as_cql_query()
    cassandra.execute(f"DROP TABLE {KEYSPACE}.refilled", timeout=60)
    cassandra.execute(definition, timeout=60)
    assert pc.extract(pipeline, source, target)["rows"] == 100
    assert count_rows(cassandra, "refilled") == 100
    cassandra.execute(f"TRUNCATE {KEYSPACE}.refilled", timeout=60)
    assert pc.extract(pipeline, source, target)["rows"] == 100
    assert count_rows(cassandra, "refilled") == 100
    assert pc.extract(pipeline, source, target)["rows"] == 0  # the job is done: all skipped


def _exists(session, table) -> bool:
    keyspace = session.cluster.metadata.keyspaces.get(KEYSPACE)
    return keyspace is not None and table in keyspace.tables


def test_node_restart_mid_read_is_retried_or_reported_never_silent(cassandra, corpus):
    patient = pc.read(KEYSPACE, "docs", ["text"], n_jobs=2, fetch_size=500, retry_seconds=240)
    hasty = pc.read(KEYSPACE, "docs", ["text"], n_jobs=2, fetch_size=500, retry_seconds=3)
    patient_batches = [patient.read_next_batch() for _ in range(3)]
    hasty_rows = sum(hasty.read_next_batch().num_rows for _ in range(3))
    assert node("stop").returncode == 0
    with pytest.raises(TimeoutError, match=r"reading page \d+ of token range .* failed"):
        for batch in hasty:
            hasty_rows += batch.num_rows
    assert hasty_rows < len(corpus)

    restart = threading.Thread(target=node, args=("start",))
    restart.start()
    try:
        patient_batches.extend(patient)
    finally:
        restart.join()
    table = pa.Table.from_batches(patient_batches)
    ids = table.column("id").to_pylist()
    assert len(ids) == len(set(ids)) == len(corpus)
    _wait_until_answering(cassandra)  # the shared session, for the tests after this one


def _wait_until_answering(session, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            session.execute("SELECT release_version FROM system.local")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


# --- bad input ------------------------------------------------------------------------------


def _milliseconds(session, table: str, column: str) -> list:
    rows = session.execute(f"SELECT toUnixTimestamp({column}) AS ms FROM {KEYSPACE}.{table}")
    return sorted(row.ms for row in rows)


def test_timestamp_keys_are_read_and_extracted_to_the_exact_millisecond(cassandra):
    cassandra.execute(
        f"CREATE TABLE {KEYSPACE}.valid_to (valid_to timestamp PRIMARY KEY, text text)"
    )
    for ms in EXACT_MILLISECONDS[:200]:
        cassandra.execute(
            f"INSERT INTO {KEYSPACE}.valid_to (valid_to, text) VALUES ({ms}, 'until then')"
        )
    stored = _milliseconds(cassandra, "valid_to", "valid_to")
    read = pc.read(KEYSPACE, "valid_to", ["text"]).read_all()
    assert sorted(read.column("valid_to").cast(pa.int64()).to_pylist()) == stored
    pipeline = parafeat.Pipeline.from_yaml(SPEC)
    pc.extract(pipeline, cassandra_uri("valid_to"), cassandra_uri("valid_to_features"))
    assert _milliseconds(cassandra, "valid_to_features", "valid_to") == stored


def _keys(session, table: str) -> set:
    return {row.id for row in session.execute(f"SELECT id FROM {KEYSPACE}.{table}")}


def _create_uuid_keyed(session, table: str, kind: str, make) -> None:
    """Creates ``table`` (id KIND PRIMARY KEY, text text) with three rows of ids from ``make``."""
    session.execute(f"CREATE TABLE {KEYSPACE}.{table} (id {kind} PRIMARY KEY, text text)")
    for i in range(3):
        session.execute(
            f"INSERT INTO {KEYSPACE}.{table} (id, text) VALUES (%s, %s)", (make(), f"doc {i}")
        )


@pytest.mark.parametrize("kind, make", [("uuid", uuid.uuid4), ("timeuuid", uuid.uuid1)])
def test_uuid_keys_are_extracted_and_written_back_to_a_table_of_uuids(cassandra, kind, make):
    source = f"{kind}_keyed"
    _create_uuid_keyed(cassandra, source, kind, make)
    pipeline = parafeat.Pipeline.from_yaml(SPEC)
    pc.extract(pipeline, cassandra_uri(source), cassandra_uri(f"{source}_features"))
    assert _keys(cassandra, f"{source}_features") == _keys(cassandra, source)

    cassandra.execute(  # read -> transform -> write into an existing table keyed by uuids
        f"CREATE TABLE {KEYSPACE}.{source}_written (id {kind} PRIMARY KEY, "
        "words frozen<map<int, double>>, chars frozen<map<int, double>>)"
    )
    rows = pc.read(KEYSPACE, source, ["text"]).read_all()
    features = pipeline.transform(rows).append_column("id", rows.column("id"))
    assert pc.write(features, KEYSPACE, f"{source}_written") == 3
    assert _keys(cassandra, f"{source}_written") == _keys(cassandra, source)


def _column_type(session, table: str, column: str) -> str:
    return session.execute(
        "SELECT type FROM system_schema.columns WHERE keyspace_name = %s AND table_name = %s "
        "AND column_name = %s", (KEYSPACE, table, column),
    ).one().type  # fmt: skip


@pytest.mark.parametrize("kind, make", [("uuid", uuid.uuid4), ("timeuuid", uuid.uuid1)])
def test_a_table_created_from_read_uuid_keys_has_uuid_keys_equal_to_the_sources(
    cassandra, kind, make
):
    source = f"{kind}_source"
    _create_uuid_keyed(cassandra, source, kind, make)
    rows = pc.read(KEYSPACE, source, ["text"]).read_all()
    assert rows.schema.field("id").type == pa.large_string()  # read's output type is unchanged
    features = parafeat.Pipeline.from_yaml(SPEC).transform(rows)
    features = features.append_column(rows.schema.field("id"), rows.column("id"))

    assert pc.write(features, KEYSPACE, f"{source}_created", key=["id"], create=True) == 3
    assert _column_type(cassandra, f"{source}_created", "id") == kind
    assert _keys(cassandra, f"{source}_created") == _keys(cassandra, source)

    cassandra.execute(
        f"CREATE TABLE {KEYSPACE}.{source}_as_text (id text PRIMARY KEY, "
        "words frozen<map<int, double>>, chars frozen<map<int, double>>)"
    )
    assert pc.write(features, KEYSPACE, f"{source}_as_text") == 3  # text still takes them
    assert _keys(cassandra, f"{source}_as_text") == set(rows.column("id").to_pylist())


def test_a_string_that_is_no_uuid_names_the_column_the_row_and_the_fix(cassandra):
    cassandra.execute(f"CREATE TABLE {KEYSPACE}.uuid_checked (id uuid PRIMARY KEY, n int)")
    ids = [str(uuid.uuid4()), "not-a-uuid"]
    features = pa.table({"id": ids, "n": pa.array([1, 2], pa.int32())})
    with pytest.raises(ValueError, match=r"uuid_checked, column 'id' of the row with primary key "
                                         r"\(id='not-a-uuid'\) \(row 1 of the features\): "
                                         r"'not-a-uuid' is not a UUID.*correct the value, or write "
                                         r"to a table whose column is text"):  # fmt: skip
        pc.write(features, KEYSPACE, "uuid_checked")


def test_value_arrow_cannot_hold_names_the_column_the_key_and_the_fix(cassandra):
    cassandra.execute(f"CREATE TABLE {KEYSPACE}.huge (id int PRIMARY KEY, n varint, text text)")
    cassandra.execute(f"INSERT INTO {KEYSPACE}.huge (id, n, text) VALUES (1, 5, 'a')")
    cassandra.execute(
        f"INSERT INTO {KEYSPACE}.huge (id, n, text) VALUES (2, 123456789012345678901234567890, 'b')"
    )
    with pytest.raises(ValueError, match=r"huge, column 'n' of the row with primary key \(id=2\): "
                                         r"parafeat reads varint as int64.*leave the column out"):
        pc.read(KEYSPACE, "huge", ["n", "text"]).read_all()


def test_dates_and_times_beyond_pythons_range_are_read_exactly(cassandra):
    cassandra.execute(f"CREATE TABLE {KEYSPACE}.ancient (id int PRIMARY KEY, at timestamp, d date)")
    cassandra.execute(f"INSERT INTO {KEYSPACE}.ancient (id, at, d) VALUES (1, -62135596800001, 0)")
    table = pc.read(KEYSPACE, "ancient", ["at", "d"]).read_all()
    assert table.column("at").cast(pa.int64()).to_pylist() == [-62135596800001]
    assert table.column("d").cast(pa.int32()).to_pylist() == [-(2**31)]


def test_one_column_named_by_a_string_is_read(cassandra):
    pc.write(pa.table({"id": pa.array([1], pa.int32()), "text": ["a"]}), KEYSPACE, "single",
             key=["id"], create=True)  # fmt: skip
    assert pc.read(KEYSPACE, "single", "text").read_all().to_pylist() == [{"id": 1, "text": "a"}]


def test_date_and_timestamp_keys_read_are_written_back_under_the_same_key(cassandra):
    cassandra.execute(
        f"CREATE TABLE {KEYSPACE}.daily (day date, at timestamp, text text, PRIMARY KEY (day, at))"
    )
    cassandra.execute(
        f"INSERT INTO {KEYSPACE}.daily (day, at, text) VALUES ('9999-12-31', 253402300799999, 'a')"
    )
    rows = pc.read(KEYSPACE, "daily", ["text"]).read_all()
    features = parafeat.Pipeline.from_yaml(SPEC).transform(rows)
    features = features.append_column("day", rows.column("day"))
    features = features.append_column("at", rows.column("at"))
    assert pc.write(features, KEYSPACE, "daily_features", key=["day", "at"], create=True) == 1
    written = pc.read(KEYSPACE, "daily_features", ["words"]).read_all()
    assert written.select(["day", "at"]).equals(rows.select(["day", "at"]))


NODE_LOG = os.path.join(
    os.environ.get("CASSANDRA_NODE_DIR")
    or os.path.join(os.path.dirname(__file__), "..", "..", "build", "cassandra"),
    "logs", "system.log",
)  # fmt: skip


def _batches_refused(table: str) -> int:
    """Batches for ``table`` the node refused as larger than batch_size_fail_threshold."""
    with open(NODE_LOG, errors="replace") as log:
        return sum(f"{KEYSPACE}.{table}]" in line and "exceeding" in line for line in log)


def test_write_batches_stay_under_the_nodes_batch_size_limit(cassandra):
    refused_before = _batches_refused("ten_doubles") + _batches_refused("unfrozen")
    numbers = random.Random(3)
    doubles = {f"c{j}": [numbers.random() for _ in range(2000)] for j in range(10)}
    doubles["id"] = pa.array(range(2000), pa.int32())
    assert pc.write(pa.table(doubles), KEYSPACE, "ten_doubles", key=["id"], create=True) == 2000
    cassandra.execute(
        f"CREATE TABLE {KEYSPACE}.unfrozen (id int PRIMARY KEY, v list<double>, m map<int, double>)"
    )
    series = pa.table({
        "id": pa.array(range(500), pa.int32()), "v": [[0.5] * 50] * 500,
        "m": pa.array([{"indices": list(range(20)), "values": [1.0] * 20}] * 500,
                      pa.struct([("indices", pa.list_(pa.int32())),
                                 ("values", pa.list_(pa.float64()))])),
    })  # fmt: skip
    assert pc.write(series, KEYSPACE, "unfrozen") == 500
    time.sleep(1)  # the node's log is written asynchronously
    assert _batches_refused("ten_doubles") + _batches_refused("unfrozen") == refused_before


class _CountingSession:
    """A driver session that counts the requests it has sent and not had answered, at most."""

    def __init__(self, session):
        self.session, self.cluster = session, session.cluster
        self.lock = threading.Lock()
        self.pending = self.most = 0

    def execute_async(self, statement):
        with self.lock:
            self.pending += 1
            self.most = max(self.most, self.pending)
        future = self.session.execute_async(statement)
        future.add_callbacks(self._answered, self._answered)
        return future

    def _answered(self, _result):
        with self.lock:
            self.pending -= 1


def test_rows_of_a_batch_the_node_refuses_are_resent_within_max_in_flight(cassandra):
    from parafeat.cassandra._session import connect
    from parafeat.cassandra._write import Writer, prepare_insert

    rows = pa.record_batch({"id": pa.array(range(400), pa.int32()), "text": ["x" * 200] * 400})
    pc.write(rows.slice(0, 1), KEYSPACE, "resent", key=["id"], create=True)
    with connect() as session:
        counting = _CountingSession(session)
        insert = prepare_insert(session, KEYSPACE, "resent", ["id", "text"])
        writer = Writer(counting, insert, ["id"], max_in_flight=2, batch_rows=400,
                        batch_bytes=10**9)  # one batch of 400 rows, over the node's 50 KiB
        writer.write_batch(rows)
        assert writer.flush() == 400
    assert counting.most <= 2
    assert count_rows(cassandra, "resent") == 400


def test_missing_keyspace_table_or_column_is_named(cassandra, corpus):
    with pytest.raises(KeyError, match="no keyspace 'nowhere'"):
        pc.read("nowhere", "docs", ["text"])
    with pytest.raises(KeyError, match=f"keyspace '{KEYSPACE}' has no table 'nothing'"):
        pc.read(KEYSPACE, "nothing", ["text"])
    with pytest.raises(KeyError, match=f"table {KEYSPACE}.docs has no column 'body'"):
        pc.read(KEYSPACE, "docs", ["body"])


def test_value_of_the_wrong_type_is_reported_with_the_primary_key_or_column(cassandra):
    cassandra.execute(f"CREATE TABLE {KEYSPACE}.numbers (id int PRIMARY KEY, text int)")
    cassandra.execute(f"INSERT INTO {KEYSPACE}.numbers (id, text) VALUES (41, 7)")
    cassandra.execute(f"CREATE TABLE {KEYSPACE}.gaps (id int PRIMARY KEY, text text)")
    for i in range(20):
        cassandra.execute(f"INSERT INTO {KEYSPACE}.gaps (id, text) VALUES ({i}, 'words {i}')")
    cassandra.execute(f"INSERT INTO {KEYSPACE}.gaps (id) VALUES (1234)")  # text is null
    pipeline = parafeat.Pipeline.from_yaml(SPEC)
    with pytest.raises(TypeError, match=r"numbers: columns 'text' is int: .*expected a string"):
        pc.extract(pipeline, cassandra_uri("numbers"), cassandra_uri("numbers_features"))
    with pytest.raises(TypeError, match=r"the row with primary key \(id=1234\).*got null"):
        pc.extract(pipeline, cassandra_uri("gaps"), cassandra_uri("gaps_features"))


def test_features_table_that_does_not_match_fails_before_writing(cassandra, corpus, spec_path):
    cassandra.execute(
        f"CREATE TABLE {KEYSPACE}.mismatched (id int PRIMARY KEY, words list<double>, "
        "chars map<int, double>)"
    )
    result = run_cli(
        "extract", "--spec", spec_path, "--from", cassandra_uri("docs"),
        "--to", cassandra_uri("mismatched"),
    )  # fmt: skip
    assert result.returncode == 1
    assert "column 'words' is list<double>, the output is frozen<map<int, double>>" in result.stderr
    assert count_rows(cassandra, "mismatched") == 0

    cassandra.execute(
        f"CREATE TABLE {KEYSPACE}.rekeyed (id bigint PRIMARY KEY, words map<int, double>, "
        "chars map<int, double>)"
    )
    with pytest.raises(ValueError, match="column 'id' is bigint, the output is int"):
        pipeline = parafeat.Pipeline.from_yaml(SPEC)
        pc.extract(pipeline, cassandra_uri("docs"), cassandra_uri("rekeyed"))
    assert count_rows(cassandra, "rekeyed") == 0


def test_missing_features_table_is_not_created_unless_asked(cassandra, corpus):
    features = pa.table({"id": pa.array([1], pa.int32()), "x": [1.5]})
    with pytest.raises(KeyError, match="no table .*pass create=True"):
        pc.write(features, KEYSPACE, "not_there")
    assert pc.write(features, KEYSPACE, "not_there", key=["id"], create=True) == 1
