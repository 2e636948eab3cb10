"""How items and results cross between processes: pickled (protocol 5; cloudpickle for what
plain pickle refuses, such as lambdas), with large buffers (numpy arrays, Arrow buffers,
anything exporting protocol-5 buffers of SHARED_MIN_BYTES or more) written once into a POSIX
shared-memory file instead of being copied through the pipe. The receiver maps the file (and
unlinks its name at once), so the array it gets is backed by that memory: no further copy.

Segment names are ``parafeat-<parent pid>-<writer>-<n>``, so the parent can remove what a dead
writer left behind (:func:`remove_segments`).
"""

import glob
import itertools
import mmap
import os
import pickle

import cloudpickle

SHM_DIR = "/dev/shm"
# Buffers from this size travel through shared memory; smaller ones are cheaper in the pipe.
SHARED_MIN_BYTES = 1 << 20
_SHARED = os.path.isdir(SHM_DIR) and os.access(SHM_DIR, os.W_OK)
_MAP_FLAGS = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)


def dumps_any(obj, buffer_callback=None) -> bytes:
    """pickle, then cloudpickle when pickle refuses (lambdas, closures, local classes)."""
    try:
        return pickle.dumps(obj, protocol=5, buffer_callback=buffer_callback)
    except Exception:  # pickle refuses with PicklingError, TypeError or AttributeError
        return cloudpickle.dumps(obj, protocol=5, buffer_callback=buffer_callback)


def segment_prefix(parent_pid: int, writer: str) -> str:
    return f"parafeat-{parent_pid}-{writer}"


def remove_segments(prefix: str) -> None:
    """Unlinks every segment named ``prefix-*`` (those no reader took)."""
    for path in glob.glob(os.path.join(SHM_DIR, glob.escape(prefix) + "-*")):
        unlink_segment(os.path.basename(path))


def unlink_segment(name: str) -> None:
    try:
        os.unlink(os.path.join(SHM_DIR, name))
    except FileNotFoundError:
        pass


class Wire:
    """Encodes with large buffers in shared memory (``prefix-<n>`` segments); decodes either."""

    def __init__(self, prefix: str):
        self._prefix = prefix
        self._count = itertools.count()

    def dumps(self, obj) -> tuple:
        """``(payload, segments)``: segments are ``(name, nbytes)`` to pass to :meth:`loads`."""
        if not _SHARED:
            return dumps_any(obj), []
        large = []

        def keep_large(buffer):
            try:
                raw = buffer.raw()
            except BufferError:  # not contiguous: let pickle copy it in-band
                return True
            if raw.nbytes < SHARED_MIN_BYTES:
                return True
            large.append(raw)
            return False

        payload = dumps_any(obj, keep_large)
        segments = []
        try:
            for raw in large:
                segments.append(self._write_segment(raw))
        except OSError:  # /dev/shm full or missing: send everything through the pipe
            for name, _ in segments:
                unlink_segment(name)
            return dumps_any(obj), []
        return payload, segments

    def _write_segment(self, raw) -> tuple:
        name = f"{self._prefix}-{next(self._count)}"
        path = os.path.join(SHM_DIR, name)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view, written = raw.cast("B"), 0
            while written < view.nbytes:
                written += os.write(fd, view[written:])
        except OSError:
            os.close(fd)
            unlink_segment(name)
            raise
        os.close(fd)
        return name, view.nbytes

    @staticmethod
    def loads(payload: bytes, segments: list):
        """Decodes ``payload``; each segment is mapped (pages populated) and its name removed."""
        return pickle.loads(payload, buffers=[_map_segment(n, size) for n, size in segments])


def _map_segment(name: str, nbytes: int):
    path = os.path.join(SHM_DIR, name)
    fd = os.open(path, os.O_RDWR)
    try:
        os.unlink(path)
        return mmap.mmap(fd, nbytes, flags=_MAP_FLAGS, prot=mmap.PROT_READ | mmap.PROT_WRITE)
    finally:
        os.close(fd)
