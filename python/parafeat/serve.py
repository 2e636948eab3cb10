"""The door to the native feature server ``parafeat-serve``, which the package installs in
``parafeat/bin``."""

import os
import pathlib
import shutil
import signal
import subprocess

_BINARY = "parafeat-serve"


def server_binary() -> str:
    """The path of the ``parafeat-serve`` executable: the one installed with the package, else
    one on PATH. FileNotFoundError says how to get it when there is neither."""
    packaged = pathlib.Path(__file__).resolve().parent / "bin" / _BINARY
    if os.access(packaged, os.X_OK):
        return str(packaged)
    found = shutil.which(_BINARY)
    if found:
        return found
    raise FileNotFoundError(
        f"the native server {_BINARY!r} is not installed with this parafeat package (build it "
        "with PARAFEAT_BUILD_SERVER=ON, the default) nor on PATH"
    )


def exec_server(spec_path, spec_text, server_args) -> None:
    """Replaces this process with the server for the spec at ``spec_path`` or, when that is
    None, for ``spec_text`` (passed through an in-memory file the server inherits)."""
    binary = server_binary()
    if spec_path is None:
        memory_file = os.memfd_create("parafeat-spec", 0)  # no CLOEXEC: the server reads it
        os.write(memory_file, spec_text.encode("utf-8"))
        spec_path = f"/proc/self/fd/{memory_file}"
    os.execv(binary, [binary, "--spec", spec_path, *server_args])


class ServerProcess:
    """A ``parafeat-serve`` child process listening on a free loopback port (for tests and
    benchmarks): ``ServerProcess(["--spec", "s.yaml", "--threads", "2"])``. ``stop()`` sends
    SIGTERM (the server drains) and returns the exit status."""

    def __init__(self, server_args, command=None):
        command = command or [server_binary()]
        self.process = subprocess.Popen(
            [*command, "--port", "0", *server_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        line = self.process.stdout.readline()
        if not line.startswith("listening on http://"):
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"parafeat-serve did not start: {line!r} {self.process.stderr.read()!r}")
        self.host, port = line.strip().removeprefix("listening on http://").rsplit(":", 1)
        self.port = int(port)

    def stop(self, timeout=60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            self.process.stdout.close()
            self.process.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.stop()
