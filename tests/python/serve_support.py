"""A real parafeat-serve process on a loopback port, and a small HTTP client for the tests."""

import http.client
import json
import sys

import pyarrow as pa

from parafeat.serve import ServerProcess

ARROW_STREAM = "application/vnd.apache.arrow.stream"


def arrow_body(table):
    """``table`` as the bytes of an Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def with_bytes_replaced(body, old, new):
    """``body`` with its one run of bytes ``old`` (e.g. a packed offsets buffer) made ``new``."""
    assert body.count(old) == 1, "the bytes to corrupt must stand once in the body"
    return body.replace(old, new)


def post_arrow(server, body):
    """(status, Content-Type, body bytes) of an Arrow IPC POST /v1/features."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request("POST", "/v1/features", body=body, headers={"Content-Type": ARROW_STREAM})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


class RunningServer(ServerProcess):
    """``parafeat-serve`` (or ``parafeat serve`` with ``cli=True``) started on a free port."""

    def __init__(self, args, cli=False):
        command = [sys.executable, "-m", "parafeat", "serve"] if cli else None
        super().__init__(args, command)

    def request(self, method, path, body=None, content_type="application/json", timeout=60):
        """(status, parsed JSON or text body) of one request on a new connection."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            headers = {"Content-Type": content_type} if content_type else {}
            if isinstance(body, str):
                body = body.encode("utf-8")
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.getheader("Content-Type", "").startswith("application/json"):
                return response.status, json.loads(payload)
            return response.status, payload.decode("utf-8")
        finally:
            connection.close()

    def features(self, inputs, timeout=60):
        return self.request("POST", "/v1/features", json.dumps({"inputs": inputs}), timeout=timeout)

    def rss_bytes(self) -> int:
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def metrics(self) -> dict:
        """The /metrics samples as {name{labels}: value}."""
        _, text = self.request("GET", "/metrics", content_type=None)
        samples = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                samples[name] = float(value)
        return samples
