"""Writing files whole or not at all: a temporary file beside the target, renamed on success."""

import contextlib
import os
import stat
import tempfile


def file_to_write(path):
    """The file ``path`` names, checked before any work is done for it: a symbolic link's target
    (the link stays a link), in a folder that exists and can be written. A directory, a FIFO or
    a device is refused: replacing it with a file would not be writing to it."""
    target = os.path.realpath(path)
    if os.path.exists(target) and not os.path.isfile(target):
        raise ValueError(f"{path} is not a regular file: give the path of a file to write")
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"cannot write {path}: no permission to write in folder {folder}")
    return target


def _permissions_for(target):
    """The mode the written file gets: that of the file it replaces, or what open() would give a
    new file (0o666 less the umask), not mkstemp's 0o600."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path, suffix=".tmp"):
    """Yields a temporary path beside the file ``path`` names; renames it to that file when the
    block succeeds, removes it (leaving the file untouched) when the block raises."""
    target = file_to_write(path)
    handle, temporary = tempfile.mkstemp(
        prefix=".parafeat-", suffix=suffix, dir=os.path.dirname(target)
    )
    os.close(handle)
    try:
        os.chmod(temporary, _permissions_for(target))
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def atomic_write_bytes(path, data: bytes) -> None:
    """Writes ``data`` to ``path`` whole or not at all."""
    with atomic_path(path) as temporary, open(temporary, "wb") as out:
        out.write(data)
