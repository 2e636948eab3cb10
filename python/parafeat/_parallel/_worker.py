"""The worker process of parallel_map: ``python -c`` started by the parent with one end of a
socket pair (see ``_backends.ProcessWorker``).

Messages from the parent, each a pickled header, some followed by a payload:
``("path", sys_path)``, ``("fn", stop_at_failure)`` + cloudpickled fn,
``("run", chunk_id, segments)`` + items payload, ``("stop",)``. Answers: ``("ready",)`` once started, then
``("done", chunk_id, count, seconds, segments, failures)`` + values payload. A receiver thread reads the socket all the time, so
the parent never blocks on a send while this worker blocks on one; when the parent closes its
end (or dies), that thread ends the process at once: a worker never outlives its parent.
"""

import os
import pickle
import queue
import signal
import sys
import threading
from multiprocessing.connection import Connection

from parafeat._parallel import _wire
from parafeat._parallel._chunks import run_chunk
from parafeat._parallel._errors import describe, portable, type_name

WHOLE_CHUNK = -1  # failure offset meaning: every item of the chunk failed the same way


def _receive(connection: Connection, inbox: queue.SimpleQueue, prefix: str) -> None:
    try:
        while True:
            header = pickle.loads(connection.recv_bytes())
            if header[0] == "stop":
                break
            payload = connection.recv_bytes() if header[0] in ("fn", "run") else None
            inbox.put((header, payload))
    except (EOFError, OSError):
        pass
    _wire.remove_segments(prefix)
    os._exit(0)  # the parent is gone or done with this worker: stop whatever is running


def _unpicklable_results(values: list, failures: list) -> None:
    """Turns each value that cannot be pickled into a failure naming its type."""
    for offset, value in enumerate(values):
        try:
            _wire.dumps_any(value, lambda buffer: False)
        except Exception as error:  # the pickling error, whatever its type
            kind = type_name(type(value))
            message = f"its result, a {kind}, cannot be pickled to leave the worker: {error}"
            name, _, text, _ = describe(error, skip_frames=0)
            failures.append((offset, (name, message, text, None)))
            values[offset] = None
    failures.sort(key=lambda failure: failure[0])


def _run(fn, fn_failure, payload, segments, stop_at_failure, wire):
    try:
        items = wire.loads(payload, segments)
    except Exception as error:  # an item type the worker cannot import, for one
        return 0, [(WHOLE_CHUNK, portable(describe(error, 0)))], 0.0, b"", []
    if fn_failure is not None:
        return len(items), [(WHOLE_CHUNK, fn_failure)], 0.0, *wire.dumps([None] * len(items))
    values, failures, seconds = run_chunk(fn, items, stop_at_failure)
    del items
    try:
        out, out_segments = wire.dumps(values)
    except Exception:  # some result cannot be pickled: find which, send the rest
        _unpicklable_results(values, failures)
        out, out_segments = wire.dumps(values)
    failures = [(offset, portable(failure)) for offset, failure in failures]
    return len(values), failures, seconds, out, out_segments


def main(channel_fd: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops its workers on Ctrl-C
    connection = Connection(channel_fd)
    prefix = _wire.segment_prefix(os.getppid(), f"w{os.getpid()}")
    wire = _wire.Wire(prefix)
    inbox = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(connection, inbox, prefix), daemon=True).start()
    connection.send_bytes(pickle.dumps(("ready",)))
    fn, fn_failure, stop_at_failure = None, None, True
    while True:
        header, payload = inbox.get()
        kind = header[0]
        if kind == "path":
            sys.path[:] = header[1]
        elif kind == "fn":
            stop_at_failure = header[1]
            try:
                fn, fn_failure = pickle.loads(payload), None
            except Exception as error:  # e.g. fn's module cannot be imported here
                fn, fn_failure = None, portable(describe(error, 0))
        elif kind == "run":
            chunk_id, segments = header[1], header[2]
            count, failures, seconds, out, out_segments = _run(
                fn, fn_failure, payload, segments, stop_at_failure, wire
            )
            connection.send_bytes(
                pickle.dumps(("done", chunk_id, count, seconds, out_segments, failures))
            )
            connection.send_bytes(out)
