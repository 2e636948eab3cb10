"""Writing files whole or not at all: a temporary file beside the target, renamed on success."""

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_path(path, suffix=".tmp"):
    """Yields a temporary path beside ``path``; renames it to ``path`` when the block succeeds,
    removes it (leaving ``path`` untouched) when the block raises."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".parafeat-", suffix=suffix, dir=directory)
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def atomic_write_bytes(path, data: bytes) -> None:
    """Writes ``data`` to ``path`` whole or not at all."""
    with atomic_path(path) as temporary, open(temporary, "wb") as out:
        out.write(data)
