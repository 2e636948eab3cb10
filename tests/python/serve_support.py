"""A real parafeat-serve process on a loopback port, and a small HTTP client for the tests."""

import http.client
import json
import os
import signal
import subprocess
import sys

from parafeat.serve import server_binary


class RunningServer:
    """``parafeat-serve`` (or ``parafeat serve`` with ``cli=True``) started on a free port."""

    def __init__(self, args, cli=False):
        command = (
            [sys.executable, "-m", "parafeat", "serve", "--port", "0", *args]
            if cli
            else [server_binary(), "--port", "0", *args]
        )
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        line = self.process.stdout.readline()
        if not line.startswith("listening on http://"):
            self.process.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.process.stderr.read()!r}")
        self.host, port = line.strip().removeprefix("listening on http://").rsplit(":", 1)
        self.port = int(port)

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

    def stop(self, timeout=30) -> int:
        """SIGTERM, then the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.process.stdout.close()
            self.process.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.stop()
            if self.process.poll() is None:
                os.kill(self.process.pid, signal.SIGKILL)
