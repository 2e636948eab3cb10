"""``parallel_map(..., checkpoint=path)``: an append-only file of finished results, so that a
rerun after a crash computes only what is missing.

Layout: the magic ``PFMAPCK1``, then records. A record is a 16-byte header (little-endian:
length of the pickled index list, length of the pickled value list, CRC-32 of both) and the two
pickles. The file is created whole (through ``_atomic``) with a first record naming ``fn``;
every later record is appended with one write, so a crash can only leave a torn last record,
which the next open detects (short or wrong CRC) and cuts off. A checkpoint written for a
function of another name is refused.
"""

import os
import pickle
import struct
import time
import zlib

from parafeat._atomic import atomic_write_bytes
from parafeat._parallel._wire import dumps_any

MAGIC = b"PFMAPCK1"
_HEADER = struct.Struct("<QQI")
_SYNC_SECONDS = 1.0  # fsync at most this often while running, and at close
_PIECE = 1 << 20  # bytes read at a time while checking a record


def _record(indices: list, values: list) -> bytes:
    head, body = pickle.dumps(indices, protocol=5), dumps_any(values)
    crc = zlib.crc32(body, zlib.crc32(head))
    return _HEADER.pack(len(head), len(body), crc) + head + body


def function_name(fn) -> str:
    """The name a checkpoint is checked against: a rerun of the same script (or notebook cell)
    gives the same, whatever module runs it."""
    return getattr(fn, "__name__", type(fn).__name__)


class Checkpoint:
    """The finished results of earlier runs (read lazily) and the appender of new ones."""

    def __init__(self, path, fn):
        self.path = os.fspath(path)
        self._where = {}  # item index -> (offset of its record's values, length, slot)
        self._cached = (None, None)  # (offset, values) of the last record read
        name = function_name(fn)
        if not os.path.exists(self.path):
            atomic_write_bytes(self.path, MAGIC + _record([], [name]))
        self._scan(name)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        self._synced = time.monotonic()

    def _scan(self, name):
        """Indexes the records (reading each once, in pieces, to check its CRC); cuts off a
        torn last record."""
        size = os.path.getsize(self.path)
        with open(self.path, "rb") as stream:
            if stream.read(len(MAGIC)) != MAGIC:
                raise ValueError(f"checkpoint {self.path!r} is not a parallel_map checkpoint")
            offset = len(MAGIC)
            while offset + _HEADER.size <= size:
                head_length, body_length, crc = _HEADER.unpack(stream.read(_HEADER.size))
                if offset + _HEADER.size + head_length + body_length > size:
                    break
                head = stream.read(head_length)
                body_offset, check = stream.tell(), zlib.crc32(head)
                remaining = body_length
                while remaining:
                    piece = stream.read(min(_PIECE, remaining))
                    check, remaining = zlib.crc32(piece, check), remaining - len(piece)
                if check != crc:
                    break  # a record torn by a crash: everything before it stands
                indices = pickle.loads(head)
                if offset == len(MAGIC):
                    self._check_function(name, body_offset, body_length)
                for slot, index in enumerate(indices):
                    self._where.setdefault(index, (body_offset, body_length, slot))
                offset = body_offset + body_length
        if offset != size:
            os.truncate(self.path, offset)

    def _check_function(self, name, offset, length):
        self._where[-1] = (offset, length, 0)
        recorded = self.value(-1)
        del self._where[-1]
        if recorded != name:
            raise ValueError(
                f"checkpoint {self.path!r} holds results of {recorded}, not of {name}; "
                "delete it (or pass another path) to start over"
            )

    def __contains__(self, index) -> bool:
        return index in self._where

    def __len__(self) -> int:
        return len(self._where)

    def value(self, index):
        offset, length, slot = self._where[index]
        if self._cached[0] != offset:
            with open(self.path, "rb") as stream:
                stream.seek(offset)
                self._cached = (offset, pickle.loads(stream.read(length)))
        return self._cached[1][slot]

    def record(self, indices: list, values: list) -> None:
        """Appends finished items (one write: whole, or torn and then ignored)."""
        data = _record(indices, values)
        written = os.write(self._fd, data)
        if written != len(data):
            raise OSError(f"short write to checkpoint {self.path!r}")
        if time.monotonic() - self._synced > _SYNC_SECONDS:
            os.fsync(self._fd)
            self._synced = time.monotonic()

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
