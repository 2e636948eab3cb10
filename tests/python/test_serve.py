"""parafeat-serve on loopback: the features of the library, every error status, concurrency,
bad clients and a draining shutdown, against the real binary."""

import http.client
import json
import random
import socket
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pytest

import parafeat
from parafeat.text import HashingVectorizer
from serve_support import ARROW_STREAM, RunningServer, arrow_body, post_arrow, with_bytes_replaced

SPEC = """
version: 1
extractors:
  - name: hashing_vectorizer
    column: text
    params: {n_features: 4096, ngram_range: [1, 2]}
    output: hashed
  - name: hashing_vectorizer
    column: text
    params: {n_features: 512, analyzer: char_wb, ngram_range: [2, 4], norm: l1, dtype: float32}
    output: chars
"""
FIT_SPEC = """
version: 1
extractors:
  - name: tfidf_vectorizer
    column: text
    params: {ngram_range: [1, 2], sublinear_tf: true}
    output: tfidf
  - name: count_vectorizer
    column: text
    params: {analyzer: char, ngram_range: [1, 3]}
    output: counts
"""
REQUEST_READ_MS = 3000  # the test server's deadline for a whole request to arrive
WORDS = "the quick brown fox ΣΟΦΙΑ wisdom naïve 😀 jumps over lazy dog İstanbul Straße".split()


def corpus(count, words_per_doc, seed=0):
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(words_per_doc)) for _ in range(count)]


def library_features(pipeline, texts):
    """What the library gives, in the server's JSON layout: features[row][column]."""
    table = pipeline.transform(pa.table({"text": pa.array(texts, pa.large_string())}))
    columns = [table.column(name).to_pylist() for name in table.column_names]
    return table.column_names, [list(row) for row in zip(*columns)]


def as_float32(features, column):
    """``features`` with column ``column``'s values read as float32, as a client of a float32
    column reads the shortest decimal text the server writes for each."""
    for row in features:
        row[column]["values"] = [np.float32(v).item() for v in row[column]["values"]]
    return features


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "spec.yaml"
    path.write_text(SPEC)
    return path


@pytest.fixture(scope="module")
def server(spec_path):
    with RunningServer(["--spec", str(spec_path), "--threads", "2", "--max-body-bytes",
                        str(4 << 20), "--read-timeout-ms", "700",
                        "--request-read-timeout-ms", str(REQUEST_READ_MS)]) as running:  # fmt: skip
        yield running


def test_json_features_equal_the_pipeline_and_the_text_classes(server, spec_path):
    texts = corpus(50, 30) + ["", "   ", "ΣΑΣ ὈΔΥΣΣΕΎΣ"]
    status, body = server.features(texts)
    assert status == 200
    names, expected = library_features(parafeat.Pipeline.from_yaml(str(spec_path)), texts)
    assert body["names"] == names == ["hashed", "chars"]
    assert as_float32(body["features"], 1) == expected
    # And the class a user would call directly.
    matrix = HashingVectorizer(n_features=4096, ngram_range=(1, 2)).transform(texts)
    first = body["features"][0][0]
    assert first["indices"] == matrix[0].indices.tolist()
    assert first["values"] == matrix[0].data.tolist()


def test_a_one_megabyte_input_split_across_threads_equals_the_library(server, spec_path):
    big = " ".join(corpus(1, 180_000, seed=3))
    assert len(big.encode()) > 1_000_000
    status, body = server.features([big, "small one"])
    assert status == 200
    _, expected = library_features(parafeat.Pipeline.from_yaml(str(spec_path)), [big, "small one"])
    assert as_float32(body["features"], 1) == expected


@pytest.fixture(scope="module")
def fitted_state(tmp_path_factory):
    """(path of a saved fitted FIT_SPEC pipeline, its training texts)."""
    texts = corpus(300, 20, seed=5)
    path = tmp_path_factory.mktemp("state") / "fitted.pfstate"
    parafeat.Pipeline.from_yaml(FIT_SPEC).fit({"text": texts}).save(path)
    return path, texts


@pytest.mark.parametrize("cli", [False, True], ids=["parafeat-serve", "parafeat serve"])
def test_a_fitted_state_is_served_with_the_librarys_features(fitted_state, cli):
    state, texts = fitted_state
    with RunningServer(["--state", str(state), "--threads", "2"], cli=cli) as running:
        queries = texts[:20] + [" ".join(corpus(1, 40_000, seed=9))]
        status, body = running.features(queries)
        assert status == 200
        names, expected = library_features(parafeat.Pipeline.load(state), queries)
        assert body["names"] == names
        assert body["features"] == expected
        assert running.stop() == 0


def test_a_state_without_a_fitted_spec_or_damaged_is_refused_saying_why(fitted_state, tmp_path):
    spec, payload = parafeat._core.decode_state(fitted_state[0].read_bytes(), "pipeline")
    states = parafeat.Pipeline.states_from_bytes(payload)
    older = tmp_path / "older.pfstate"  # as saved before states carried their fitted spec
    older.write_bytes(
        parafeat._core.encode_state("pipeline", spec, parafeat.Pipeline.states_to_bytes(states))
    )
    with pytest.raises(RuntimeError, match="load it and save it again"):
        RunningServer(["--state", str(older)])
    assert parafeat.Pipeline.load(older).is_fitted  # Python still reads it
    damaged = tmp_path / "damaged.pfstate"
    data = bytearray(fitted_state[0].read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="corrupted"):
        RunningServer(["--state", str(damaged)])


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ('{"inputs": ["a", ', 400, "malformed JSON"),
        (b'{"inputs": ["caf\xe9"]}', 400, "UTF-8"),
        ('{"inputs": ' + "[" * 1000 + "]" * 1000 + "}", 400, "malformed JSON"),
        ("[1, 2]", 422, "JSON object"),
        ('{"texts": ["a"]}', 422, '"inputs" field'),
        ('{"inputs": "a"}', 422, "array of strings"),
        ('{"inputs": ["a", 7]}', 422, '"inputs"[1] must be a string, got a number'),
        ('{"inputs": ["a", null]}', 422, '"inputs"[1] must be a string, got null'),
        ('{"inputs": []}', 422, "empty"),
    ],
)
def test_bad_bodies_get_the_right_status_and_say_why(server, body, status, message):
    answered, reply = server.request("POST", "/v1/features", body)
    assert answered == status
    assert message in reply["error"]


def test_a_lone_surrogate_escape_is_refused_not_crashed_on(server):
    status, reply = server.request("POST", "/v1/features", '{"inputs": ["a \\ud800 b"]}')
    assert status in (400, 422)
    assert reply["error"]


def test_a_port_out_of_range_is_refused(spec_path):
    with pytest.raises(RuntimeError, match=r"--port must be in \[0, 65535\].*got 99999"):
        RunningServer(["--spec", str(spec_path), "--port", "99999"]).stop()


def test_a_second_server_on_a_port_in_use_fails_to_start(server, spec_path):
    with pytest.raises(RuntimeError, match=f"cannot listen on 127.0.0.1:{server.port}"):
        # stop() is reached only when the port was shared: the test fails, leaving no server.
        RunningServer(["--spec", str(spec_path), "--port", str(server.port)]).stop()
    assert server.features(["still served"])[0] == 200


def test_a_body_over_the_limit_gets_413(server):
    status, reply = server.features(["x" * (5 << 20)])
    assert status == 413
    assert "limit" in reply["error"]


def test_a_chunked_body_over_the_limit_gets_413_too(server):
    body = json.dumps({"inputs": ["x" * (5 << 20)]}).encode()
    chunks = (body[i : i + (64 << 10)] for i in range(0, len(body), 64 << 10))
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request("POST", "/v1/features", body=chunks, encode_chunked=True,
                           headers={"Content-Type": "application/json"})  # fmt: skip
        response = connection.getresponse()
        assert response.status == 413
        assert "limit" in json.loads(response.read())["error"]
    finally:
        connection.close()
    assert server.features(["after"])[0] == 200


def test_parafeat_serve_passes_the_native_servers_options_on(spec_path):
    with RunningServer(["--spec", str(spec_path), "--max-body-bytes", "1000"], cli=True) as served:
        assert served.features(["x" * 10])[0] == 200
        assert served.features(["x" * 2000])[0] == 413


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/x-www-form-urlencoded"])
def test_a_wrong_content_type_gets_415(server, content_type):
    status, reply = server.request("POST", "/v1/features", '{"inputs": ["a"]}', content_type)
    assert status == 415
    assert "application/json" in reply["error"]


def test_unknown_paths_get_404_and_wrong_methods_405(server):
    assert server.request("GET", "/v2/nothing", content_type=None)[0] == 404
    assert server.request("GET", "/v1/features", content_type=None)[0] == 405
    assert server.request("DELETE", "/v1/features", content_type=None)[0] == 405
    assert server.request("POST", "/healthz", "{}")[0] == 405
    assert server.request("GET", "/healthz", content_type=None) == (200, "ok\n")


@pytest.mark.parametrize(
    ("path", "allow"),
    [("/v1/features", "POST, OPTIONS"), ("/healthz", "GET, HEAD, OPTIONS"), ("/metrics", "GET, HEAD, OPTIONS")],
)
def test_options_and_405_name_the_methods_an_endpoint_answers(server, path, allow):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request("OPTIONS", path)
        options = connection.getresponse()
        assert (options.status, options.getheader("Allow"), options.read()) == (204, allow, b"")
        connection.request("PUT", path, body="{}")
        refused = connection.getresponse()
        refused.read()
        assert (refused.status, refused.getheader("Allow")) == (405, allow)
    finally:
        connection.close()


def test_a_get_with_a_body_to_an_unknown_path_closes_and_the_next_request_is_served(server):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        body = json.dumps({"inputs": ["a"]})
        connection.request("GET", "/nope", body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 404 and response.getheader("Connection") == "close"
        # http.client opens a new connection, as the server asked; on the old one, the unread
        # body would have been read as this request.
        connection.request("POST", "/v1/features", body=body, headers={"Content-Type": "application/json"})
        assert connection.getresponse().status == 200
    finally:
        connection.close()


def test_a_post_without_a_length_gets_411_saying_so(server):
    with socket.create_connection((server.host, server.port), timeout=60) as raw:
        raw.sendall(b"POST /v1/features HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n")
        response = http.client.HTTPResponse(raw)
        response.begin()
        assert response.status == 411
        assert "Content-Length" in json.loads(response.read())["error"]


def test_metrics_count_requests_by_status_with_a_latency_histogram(server):
    code = 'parafeat_requests_total{path="/v1/features",code="%d"}'
    before = server.metrics()
    server.features(["a b c"])
    server.request("POST", "/v1/features", "{")
    # A request is counted just after its answer is sent: wait until both are.
    deadline = time.monotonic() + 10
    while True:
        after = server.metrics()
        if after.get(code % 400, 0) > before.get(code % 400, 0) or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert after.get(code % 200, 0) == before.get(code % 200, 0) + 1
    assert after.get(code % 400, 0) == before.get(code % 400, 0) + 1
    count = "parafeat_request_duration_seconds_count"
    assert after[count] >= before.get(count, 0) + 2
    assert after['parafeat_request_duration_seconds_bucket{le="+Inf"}'] == after[count]
    assert after["parafeat_requests_in_flight"] == 0


def test_a_slow_loris_client_is_dropped_and_others_are_served(server):
    stalled = [socket.create_connection((server.host, server.port)) for _ in range(3)]
    for sock in stalled:
        sock.sendall(b"POST /v1/features HTTP/1.1\r\nHost: x\r\nContent-Le")
    time.sleep(0.2)
    assert server.features(["still serving"])[0] == 200
    for sock in stalled:
        sock.settimeout(10)
        started = time.monotonic()
        reply = sock.recv(1024)  # the server's read timeout is 0.7 s
        assert reply == b"" or reply.startswith(b"HTTP/1.1 4"), reply
        assert time.monotonic() - started < 5
        sock.close()


@pytest.mark.parametrize("phase", ["headers", "body"])
def test_a_client_trickling_a_request_is_dropped_at_the_whole_request_deadline(server, phase):
    # One byte every 0.2 s never trips the 0.7 s per-read timeout; the deadline for the whole
    # request (headers and body) ends it.
    sock = socket.create_connection((server.host, server.port))
    sock.sendall(b"POST /v1/features HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
    if phase == "body":
        sock.sendall(b"Content-Length: 100000\r\n\r\n")
    started, dropped = time.monotonic(), None
    sock.settimeout(0.2)
    while time.monotonic() - started < 4 * REQUEST_READ_MS / 1000:
        try:
            sock.sendall(b"a" if phase == "body" else b"X")
            reply = sock.recv(1024)
        except socket.timeout:
            continue
        except OSError:  # reset by the server
            reply = b""
        assert reply == b"" or reply.startswith(b"HTTP/1.1 4"), reply
        dropped = time.monotonic() - started
        break
    sock.close()
    assert dropped is not None, "the trickling client was never dropped"
    assert REQUEST_READ_MS / 1000 - 0.5 < dropped < REQUEST_READ_MS / 1000 + 3
    assert server.features(["still serving"])[0] == 200


def test_a_client_that_disconnects_mid_body_does_not_hurt_the_server(server):
    for _ in range(20):
        sock = socket.create_connection((server.host, server.port))
        sock.sendall(b"POST /v1/features HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n{\"inputs\": [\"abc")  # fmt: skip
        sock.close()
    assert server.features(["after the disconnects"])[0] == 200


def test_a_thousand_concurrent_mixed_requests_are_all_answered_correctly(server, spec_path):
    pipeline = parafeat.Pipeline.from_yaml(str(spec_path))
    good = corpus(40, 25, seed=11)
    _, expected = library_features(pipeline, good)
    bad = [('{"inputs": [1]}', 422), ("{", 400), ('{"inputs": []}', 422)]

    def one(i):
        if i % 4 == 3:
            body, status = bad[i % len(bad)]
            return server.request("POST", "/v1/features", body)[0] == status
        rows = [i % len(good), (i * 7) % len(good)]
        status, reply = server.features([good[r] for r in rows])
        return status == 200 and as_float32(reply["features"], 1) == [expected[r] for r in rows]

    with ThreadPoolExecutor(max_workers=64) as pool:
        assert all(pool.map(one, range(1000)))  # warm-up round: allocators reach steady state
        rss_after_first = server.rss_bytes()
        assert all(pool.map(one, range(1000)))
        assert all(pool.map(one, range(1000)))
    growth = server.rss_bytes() - rss_after_first
    assert growth < 32 << 20, f"RSS grew by {growth / 2**20:.1f} MiB over 2000 more requests"
    assert server.process.poll() is None


def test_a_request_over_the_timeout_gets_503(spec_path):
    with RunningServer(["--spec", str(spec_path), "--threads", "1", "--timeout-ms", "1"]) as running:
        status, reply = running.features(corpus(20_000, 20))
        assert status == 503
        assert "timeout" in reply["error"]
        assert running.features(["small"])[0] in (200, 503)


def test_sigterm_drains_requests_in_flight_then_exits_0(spec_path):
    texts = corpus(8_000, 30, seed=2)
    with RunningServer(["--spec", str(spec_path), "--threads", "1"]) as running:
        answer = {}

        def slow_request():
            answer["reply"] = running.features(texts, timeout=120)

        worker = threading.Thread(target=slow_request)
        worker.start()
        deadline = time.monotonic() + 30
        while running.metrics().get("parafeat_requests_in_flight", 0) < 1:
            assert time.monotonic() < deadline, "the request never started"
            time.sleep(0.01)
        exit_status = running.stop(timeout=120)
        worker.join()
        assert exit_status == 0
        status, body = answer["reply"]
        assert status == 200
        assert len(body["features"]) == len(texts)
        with pytest.raises(OSError):
            socket.create_connection((running.host, running.port), timeout=2).close()


@pytest.mark.parametrize("string_type", [pa.string(), pa.large_string()])
def test_arrow_ipc_in_and_out_equals_the_pipeline(server, spec_path, string_type):
    texts = corpus(30, 20, seed=8) + [" ".join(corpus(1, 30_000, seed=4))]
    table = pa.table({"id": list(range(len(texts))), "text": pa.array(texts, string_type)})
    # Two record batches in the stream: rows come back in order, as one batch.
    status, content_type, body = post_arrow(server, arrow_body(pa.concat_tables([table[:10], table[10:]])))
    assert status == 200, body
    assert content_type == ARROW_STREAM
    served = pa.ipc.open_stream(body).read_all()
    expected = parafeat.Pipeline.from_yaml(str(spec_path)).transform(table.select(["text"]))
    assert served.equals(expected.combine_chunks())


def test_bad_arrow_requests_get_400_or_422(server):
    status, _, body = post_arrow(server, b"not arrow at all")
    assert status == 400 and b"Arrow IPC" in body
    status, _, body = post_arrow(server, arrow_body(pa.table({"other": ["a"]})))
    assert status == 422 and b"no column 'text'" in body
    status, _, body = post_arrow(server, arrow_body(pa.table({"text": [1, 2]})))
    assert status == 422
    status, _, body = post_arrow(server, arrow_body(pa.table({"text": pa.array([], pa.string())})))
    assert status == 422 and b"no rows" in body
    status, _, body = post_arrow(server, arrow_body(pa.table({"text": ["a", None]})))
    assert status == 422 and b"null" in body
    bad_utf8 = pa.Array.from_buffers(
        pa.binary(), 1, [None, pa.py_buffer(b"\x00\x00\x00\x00\x02\x00\x00\x00"), pa.py_buffer(b"\xff\xfe")]
    ).view(pa.string())
    status, _, body = post_arrow(server, arrow_body(pa.table({"text": bad_utf8})))
    assert status == 422 and b"UTF-8" in body


@pytest.mark.parametrize(
    ("string_type", "width", "corrupt"),
    [
        (pa.string(), "i", (0, 11, 0x7FFFFFF0, 28)),  # far past the data
        (pa.string(), "i", (0, 11, 5, 28)),  # going back: a negative length
        (pa.large_string(), "q", (0, 11, 1 << 40, 28)),
    ],
)
def test_an_arrow_stream_with_corrupt_offsets_gets_400_and_the_server_stays_up(
    server, string_type, width, corrupt
):
    body = arrow_body(pa.table({"text": pa.array(["hello world", "foo bar baz", "abcdef"], string_type)}))
    offsets = struct.pack(f"<4{width}", 0, 11, 22, 28)
    status, _, answer = post_arrow(server, with_bytes_replaced(body, offsets, struct.pack(f"<4{width}", *corrupt)))
    assert status == 400 and b"corrupt Arrow IPC stream" in answer, answer
    assert post_arrow(server, body)[0] == 200
