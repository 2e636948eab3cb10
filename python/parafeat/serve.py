"""The door to the native feature server ``parafeat-serve``, which the package installs in
``parafeat/bin``."""

import os
import pathlib
import shutil

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
