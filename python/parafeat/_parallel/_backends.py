"""Where chunks run: in the calling process (n_jobs=1), in threads (native parafeat code, which
releases the GIL), or in worker processes (any Python code).

Each backend has workers that take chunks (``send``), at most ``depth`` pending each (one
running, the next already there so that no worker waits for the parent), and ``wait``
returns what happened: ``("done", worker, chunk_id, count, seconds, values, failures)`` or
``("died", worker, exitcode)``. ``finish(clean)`` gives idle worker processes back to a cache
for the next call and stops the busy ones.
"""

import atexit
import collections
import os
import pickle
import queue
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for_connections

import cloudpickle

import parafeat
from parafeat._parallel import _wire
from parafeat._parallel._chunks import run_chunk
from parafeat._parallel._errors import revive

_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(parafeat.__file__)))
_WORKER_BOOT = (
    "import sys; sys.path.insert(0, {root!r}); "
    "from parafeat._parallel._worker import main; main({fd})"
)


class Inline:
    """Runs each chunk in the calling process when asked for its result."""

    name = "inline"
    depth = 1

    def __init__(self, fn, stop_at_failure, n_workers, fn_blob=None):
        self._fn, self._stop = fn, stop_at_failure
        self.workers = [0]
        self.pending = {0: collections.deque()}

    def send(self, worker, chunk_id, items):
        self.pending[worker].append((chunk_id, items))

    def wait(self, timeout):
        chunk_id, items = self.pending[0].popleft()
        values, failures, seconds = run_chunk(self._fn, items, self._stop)
        return [("done", 0, chunk_id, len(values), seconds, values, failures)]

    def busy(self, worker):
        return len(self.pending[worker])

    def finish(self, clean):
        self.pending[0].clear()


class Threads:
    """Threads for native parafeat callables: they release the GIL, so threads run in parallel
    with no pickling at all."""

    name = "threads"
    depth = 2

    def __init__(self, fn, stop_at_failure, n_workers, fn_blob=None):
        self._fn, self._stop = fn, stop_at_failure
        self._results = queue.SimpleQueue()
        self._cancelled = threading.Event()
        self.workers = list(range(n_workers))
        self.pending = {w: collections.deque() for w in self.workers}
        self._inboxes = {w: queue.SimpleQueue() for w in self.workers}
        for worker in self.workers:
            thread = threading.Thread(target=self._serve, args=(worker,), daemon=True)
            thread.start()

    def _serve(self, worker):
        inbox = self._inboxes[worker]
        while True:
            message = inbox.get()
            if message is None or self._cancelled.is_set():
                return
            chunk_id, items = message
            values, failures, seconds = run_chunk(self._fn, items, self._stop)
            self._results.put(("done", worker, chunk_id, len(values), seconds, values, failures))

    def send(self, worker, chunk_id, items):
        self.pending[worker].append(chunk_id)
        self._inboxes[worker].put((chunk_id, items))

    def wait(self, timeout):
        try:
            events = [self._results.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                events.append(self._results.get_nowait())
            except queue.Empty:
                break
        for event in events:
            self.pending[event[1]].remove(event[2])
        return events

    def busy(self, worker):
        return len(self.pending[worker])

    def finish(self, clean):
        self._cancelled.set()
        for inbox in self._inboxes.values():
            inbox.put(None)


class _Connection(Connection):
    """A Connection that its finalizer marks closed. multiprocessing's finalizer closes the fd
    but keeps its number as the handle, so when the garbage collector finalizes the connection
    before the generator whose ``finally`` stops the worker (both in one unreachable cycle),
    that stop closed the number again: another file's by then, if the number was reused."""

    def __del__(self):
        self.close()


class ProcessWorker:
    """One worker process and the parent's end of its socket."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        with ours, theirs:
            command = _WORKER_BOOT.format(root=_PACKAGE_ROOT, fd=theirs.fileno())
            self.process = subprocess.Popen(
                [sys.executable, "-c", command], pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
            self.connection = _Connection(ours.detach())
        self.segment_prefix = _wire.segment_prefix(os.getpid(), f"w{self.process.pid}")
        self.fn_blob = None
        self.started = False  # its "ready" came: it imported parafeat and listens
        self.pending = collections.deque()  # chunk ids, in the order the worker runs them

    def send(self, header, payload=None):
        self.connection.send_bytes(pickle.dumps(header))
        if payload is not None:
            self.connection.send_bytes(payload)

    def alive(self):
        return self.process.poll() is None

    def reusable(self):
        """Alive and still connected: it can take more work, in this call or the next."""
        return self.alive() and not self.connection.closed

    def stop(self, kill):
        """Asks the worker to exit (it also exits when the socket closes) or kills it."""
        if kill and self.alive():
            self.process.kill()
        elif not self.connection.closed:
            try:
                self.send(("stop",))
            except OSError:
                pass
        self.connection.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        _wire.remove_segments(self.segment_prefix)


class _IdleWorkers:
    """Worker processes kept between calls, as joblib's executor is: a call starts none when
    enough are idle. They exit with the parent (closing its sockets ends them)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._workers = []
        atexit.register(self.stop_all)

    def take(self, count):
        taken = []
        with self._lock:
            while self._workers and len(taken) < count:
                worker = self._workers.pop()
                if worker.reusable():
                    taken.append(worker)
                else:
                    worker.stop(kill=True)
        return taken + [ProcessWorker() for _ in range(count - len(taken))]

    def give_back(self, workers):
        with self._lock:
            self._workers.extend(workers)
            surplus = self._workers[: max(0, len(self._workers) - os.cpu_count())]
            del self._workers[: len(surplus)]
        for worker in surplus:
            worker.stop(kill=False)

    def stop_all(self):
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            try:
                worker.send(("stop",))
            except OSError:
                pass
        for worker in workers:
            worker.stop(kill=False)


IDLE = _IdleWorkers()


def shutdown_workers():
    """Stops the worker processes parallel_map keeps idle between calls."""
    IDLE.stop_all()


class Processes:
    """Worker processes started with ``python -c`` (no fork of the caller: safe next to
    threads, no re-import of ``__main__``), reused between calls."""

    name = "processes"
    depth = 2

    def __init__(self, fn, stop_at_failure, n_workers, fn_blob=None):
        self._fn_blob = fn_blob if fn_blob is not None else cloudpickle.dumps(fn, protocol=5)
        self._stop_at_failure = stop_at_failure
        self._wire = _wire.Wire(_wire.segment_prefix(os.getpid(), "p"))
        self._inputs = {}  # chunk id -> segment names of its items, until its result is in
        self.workers = []
        for worker in IDLE.take(n_workers):
            self._adopt(worker)

    def _adopt(self, worker):
        worker.send(("path", list(sys.path)))
        if worker.fn_blob != (self._fn_blob, self._stop_at_failure):
            worker.send(("fn", self._stop_at_failure), self._fn_blob)
            worker.fn_blob = (self._fn_blob, self._stop_at_failure)
        self.workers.append(worker)

    def replace(self, dead):
        """Starts a fresh worker in place of ``dead``; returns it."""
        self.workers.remove(dead)
        worker = ProcessWorker()
        self._adopt(worker)
        return worker

    def send(self, worker, chunk_id, items):
        payload, segments = self._wire.dumps(items)
        self._inputs[chunk_id] = [name for name, _ in segments]
        worker.pending.append(chunk_id)
        try:
            worker.send(("run", chunk_id, segments), payload)
        except OSError:
            pass  # the worker died; wait() reports it

    def busy(self, worker):
        return len(worker.pending)

    def wait(self, timeout):
        by_connection = {w.connection: w for w in self.workers if w.pending}
        events = []
        for connection in wait_for_connections(list(by_connection), timeout):
            worker = by_connection[connection]
            try:
                header = pickle.loads(connection.recv_bytes())
                if header[0] == "ready":
                    worker.started = True
                    continue
                payload = connection.recv_bytes()
            except (EOFError, OSError):
                events.append(("died", worker, self._bury(worker)))
                continue
            _, chunk_id, count, seconds, segments, failures = header
            worker.pending.popleft()
            for name in self._inputs.pop(chunk_id, ()):
                _wire.unlink_segment(name)
            values = self._wire.loads(payload, segments)
            failures = [(offset, revive(failure)) for offset, failure in failures]
            events.append(("done", worker, chunk_id, count, seconds, values, failures))
        return events

    def _bury(self, worker):
        """Reaps a dead worker and removes what it left in shared memory; its exit code."""
        worker.stop(kill=True)
        for chunk_id in worker.pending:
            for name in self._inputs.pop(chunk_id, ()):
                _wire.unlink_segment(name)
        return worker.process.returncode

    def finish(self, clean):
        idle = [w for w in self.workers if not w.pending and w.reusable()]
        for worker in self.workers:
            if worker not in idle:
                worker.stop(kill=True)
                for chunk_id in worker.pending:
                    for name in self._inputs.pop(chunk_id, ()):
                        _wire.unlink_segment(name)
        IDLE.give_back(idle)
        self.workers = []
