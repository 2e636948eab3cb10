"""parafeat.parallel_map: ``fn`` over any iterable, in parallel, results as they are ready.

The caller's thread drives everything (no helper threads in the parent): it takes items from
the iterable only as workers need them (at most ``depth`` chunks per worker in flight, and at
most ``4 * workers`` finished chunks waiting to be handed out, e.g. for an earlier one in
ordered mode), sizes chunks
from how long items took so far, hands results out, records them in the checkpoint, and turns
failures into :class:`WorkerError`.
"""

import collections
import functools
import itertools
import math
import types
import warnings

from parafeat._config import setting
from parafeat._parallel import _backends
from parafeat._parallel._checkpoint import Checkpoint
from parafeat._parallel._errors import WorkerError
from parafeat._parallel._worker import WHOLE_CHUNK
from parafeat._progress import check_progress
from parafeat._threads import is_integer, resolve_n_jobs

ON_ERROR = ("raise", "skip", "collect")
TARGET_CHUNK_SECONDS = 0.03  # per-chunk costs (~0.1 ms) stay under 1% of the work
MAX_CHUNK_ITEMS = 10_000
STARTUP_DEATHS_LIMIT = 3  # workers dying before they could start, in a row: give up
_WAIT_SECONDS = 0.2  # the longest the parent sleeps between checks (threads backend)


def parallel_map(fn, items, n_jobs=-1, ordered=True, chunk_size=None, progress=None,
                 checkpoint=None, on_error="raise"):  # fmt: skip
    """Applies ``fn`` to every item of ``items`` in parallel; returns an iterator of results.

    Parameters
    ----------
    fn : callable
        Any picklable-by-cloudpickle callable: functions, lambdas, closures, bound methods.
        Python code runs in worker processes; a method of a parafeat estimator (native code
        that releases the GIL) runs in threads of this process instead.
    items : iterable
        Consumed lazily: only as many items are taken as workers have room for, so a
        generator of 10**8 items is never held in memory.
    n_jobs : int
        Workers: -1 for one per CPU, -2 for all but one, or a positive count; 1 runs
        everything in this process (no pickling; debuggers work).
    ordered : bool
        Results in the order of ``items`` (default) or as soon as each is ready.
    chunk_size : int or None
        Items sent to a worker at once; None sizes chunks to about
        30 ms of work from the time items took so far.
    progress : bool or None
        A tqdm progress bar with rate and ETA (on stderr); None: as ``parafeat.config`` says
        (off unless ``parafeat.config(progress=True)``).
    checkpoint : path or None
        A file recording finished results. A rerun with the same path yields the recorded
        results without computing them again and computes only the rest; the output equals
        that of one uninterrupted run. The file stays after a complete run.
    on_error : {"raise", "skip", "collect"}
        What a failing item does: raise :class:`WorkerError` at its turn (after every earlier
        result in ordered mode); leave it out of the results; or yield its WorkerError in its
        place. The iterator's ``errors`` lists the failures of "skip" and "collect", and
        "skip" warns at the end when there were any.

    An item whose worker process dies (segfault, SIGKILL, out of memory) is retried once alone
    on a fresh worker before it counts as failed. Large buffers in results and items (numpy
    arrays, Arrow buffers) travel through shared memory, not through a pipe.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__} {fn!r:.60}")
    try:
        iterator = iter(items)
    except TypeError:
        raise TypeError(
            f"items must be an iterable (a list, a generator...), got {type(items).__name__}"
        ) from None
    check_progress(progress)
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
    if chunk_size is not None:
        if not is_integer(chunk_size) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive int or None, got {chunk_size!r}")
        chunk_size = int(chunk_size)
    workers = _worker_count(n_jobs)
    try:
        total = len(items)
    except TypeError:  # a generator or another iterable without a length
        total = None
    fn_blob = None
    if workers == 1:
        backend = _backends.Inline
    elif _runs_native_code(fn):
        backend = _backends.Threads
    else:
        backend = _backends.Processes
        fn_blob = _pickled(fn)
    run = _Run(fn, fn_blob, iterator, total, workers, backend, ordered, chunk_size, progress,
               checkpoint, on_error)  # fmt: skip
    return ParallelMap(run)


def _worker_count(n_jobs) -> int:
    if is_integer(n_jobs) and n_jobs > 0:
        return int(n_jobs)  # more processes than CPUs is allowed (functions that wait on I/O)
    return resolve_n_jobs(n_jobs)


def _runs_native_code(fn) -> bool:
    """True for a method of a parafeat object (estimators, pipelines: native code that
    releases the GIL) and for functions of the native module."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    owner = getattr(fn, "__self__", None)
    if owner is not None and not isinstance(owner, types.ModuleType):
        module = type(owner).__module__ or ""
        return module.startswith("parafeat.") and not module.startswith("parafeat._parallel")
    return getattr(fn, "__module__", None) == "parafeat._core"


def _pickled(fn) -> bytes:
    import cloudpickle

    try:
        return cloudpickle.dumps(fn, protocol=5)
    except Exception as error:  # whatever pickling raises
        raise TypeError(
            f"fn cannot be sent to worker processes: {type(error).__name__}: {error}; "
            "use n_jobs=1 to run it in this process"
        ) from error


class _ChunkSizer:
    """Chunk sizes from the measured time per item: about TARGET_CHUNK_SECONDS of work per
    chunk, at most a quarter of each worker's share of a known total (so that workers finish
    together), one item until the first measurement."""

    def __init__(self, fixed, total, workers):
        self._fixed = fixed
        self._cap = MAX_CHUNK_ITEMS
        if total is not None:
            self._cap = max(1, min(self._cap, math.ceil(total / (4 * workers))))
        self._per_item = None

    def next_size(self) -> int:
        if self._fixed is not None:
            return self._fixed
        if self._per_item is None:
            return 1
        if self._per_item <= 0:
            return self._cap
        return max(1, min(self._cap, int(TARGET_CHUNK_SECONDS / self._per_item)))

    def observe(self, count, seconds) -> None:
        if count:
            sample = seconds / count
            self._per_item = sample if self._per_item is None else (self._per_item + sample) / 2


class _Source:
    """The items, taken lazily in chunks; remembers where and how the iterable failed."""

    def __init__(self, iterator):
        self._iterator = iterator
        self.next_index = 0
        self.exhausted = False
        self.error = None  # (index, exception) when the iterable raised

    def take(self, count) -> tuple:
        batch = []
        try:
            batch.extend(itertools.islice(self._iterator, count))
        except Exception as error:  # the user's generator failed: stop there, keep the rest
            self.error = (self.next_index + len(batch), error)
            self.exhausted = True
        if len(batch) < count:
            self.exhausted = True
        start = self.next_index
        self.next_index += len(batch)
        return start, batch


class _Outcome:
    """Results of ``count`` consecutive items from ``start``: ``values`` (or None when they are
    in the checkpoint), ``failures`` as ``[(offset, failure)]``."""

    __slots__ = ("start", "count", "values", "failures")

    def __init__(self, start, count, values, failures):
        self.start, self.count, self.values, self.failures = start, count, values, failures


def _died(exitcode) -> tuple:
    if exitcode is not None and exitcode < 0:
        import signal

        try:
            how = f"killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    message = (
        f"the worker process running it died ({how}), and again when the item was retried "
        "alone on a fresh worker"
    )
    return ("WorkerDied", message, "", None, exitcode)


class ParallelMap:
    """The iterator :func:`parallel_map` returns. ``errors`` lists the WorkerErrors of skipped
    or collected items; ``backend`` says where ``fn`` runs ("inline", "threads", "processes").
    ``close()`` (or leaving a ``with`` block, or dropping the iterator) stops the workers."""

    def __init__(self, run):
        self.errors = run.errors
        self.backend = run.backend_name
        self.n_jobs = run.n_jobs
        # The generator holds the run, and nothing it holds refers back to this object: with no
        # reference cycle, dropping the iterator closes the generator at once (its finally stops
        # the workers) while the workers' connections are still open. In a cycle, the garbage
        # collector would do it later, maybe after finalizing those connections.
        self._generator = run.results()

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._generator)

    def close(self):
        self._generator.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class _Run:
    """One call of :func:`parallel_map`: its state and :meth:`results`, the generator that
    drives the workers."""

    def __init__(self, fn, fn_blob, iterator, total, workers, backend, ordered, chunk_size,
                 progress, checkpoint, on_error):  # fmt: skip
        self.errors = []
        self.backend_name, self.n_jobs = backend.name, workers
        self._fn, self._fn_blob, self._total = fn, fn_blob, total
        self._backend_class = backend
        self._ordered, self._on_error = ordered, on_error
        self._progress = setting("progress", progress)
        self._checkpoint_path = checkpoint
        self._source = _Source(iterator)
        self._sizer = _ChunkSizer(chunk_size, total, workers)

    # ---- the run -----------------------------------------------------------------------------

    def results(self):
        """The generator behind :class:`ParallelMap`; its ``finally`` stops the workers."""
        self._chunks = {}  # chunk id -> (start, items, is_retry), from sending to its result
        self._ids = itertools.count()
        self._queue = collections.deque()  # (start, items, is_retry) to send before new items
        self._finished = collections.OrderedDict()  # start -> _Outcome not yet handed out
        self._next_start = 0  # ordered mode: the first item not handed out yet
        self._startup_deaths = 0
        self._recorded_streak = 0  # items to take at once while they are all in the checkpoint
        checkpoint = bar = backend = None
        clean = False
        try:
            if self._checkpoint_path is not None:
                checkpoint = Checkpoint(self._checkpoint_path, self._fn)
            self._checkpoint = checkpoint
            if self._progress:
                from tqdm.auto import tqdm

                bar = tqdm(total=self._total, unit="item", desc="parallel_map")
            self._bar = bar
            backend = self._backend_class(
                self._fn, self._on_error == "raise", self.n_jobs, self._fn_blob
            )
            self._backend = backend
            while True:
                self._dispatch()
                for outcome in self._ready():
                    yield from self._hand_out(outcome)
                if not self._chunks and not self._queue and not self._finished:
                    if self._source.exhausted:
                        break
                    continue
                if self._chunks:
                    for event in backend.wait(_WAIT_SECONDS):
                        self._handle(event)
            if self._source.error is not None:
                self._raise_items_error()
            if self.errors and self._on_error == "skip":
                first = ", ".join(str(e.index) for e in self.errors[:5])
                warnings.warn(
                    f"parallel_map skipped {len(self.errors)} failed item(s) (indices {first}"
                    f"{', ...' if len(self.errors) > 5 else ''}); see the iterator's .errors",
                    RuntimeWarning, stacklevel=2,
                )  # fmt: skip
            clean = True
        finally:
            if backend is not None:
                backend.finish(clean)
            if checkpoint is not None:
                checkpoint.close()
            if bar is not None:
                bar.close()

    def _dispatch(self):
        backend = self._backend
        for level in range(backend.depth):
            for worker in list(backend.workers):
                if backend.busy(worker) > level:
                    continue
                chunk = self._next_chunk()
                if chunk is None:
                    return
                chunk_id = next(self._ids)
                self._chunks[chunk_id] = chunk
                backend.send(worker, chunk_id, chunk[1])

    def _next_chunk(self):
        while not self._queue:
            if self._source.exhausted:
                return None
            if len(self._finished) >= 4 * self.n_jobs:
                return None  # results wait for an earlier one: take no more items for now
            size = max(self._sizer.next_size(), self._recorded_streak)
            start, batch = self._source.take(size)
            if batch:
                self._split_recorded(start, batch)
            # Items all found in the checkpoint: take more at once next time.
            streak = not self._queue and bool(batch)
            self._recorded_streak = min(MAX_CHUNK_ITEMS, 2 * size) if streak else 0
        return self._queue.popleft()

    def _split_recorded(self, start, batch):
        """Queues the items to compute; items found in the checkpoint become finished."""
        checkpoint = self._checkpoint
        if checkpoint is None or not len(checkpoint):
            self._queue.append((start, batch, False))
            return
        run_start = start
        for offset in range(1, len(batch) + 1):
            index = start + offset
            if offset < len(batch) and (index in checkpoint) == (run_start in checkpoint):
                continue
            items = batch[run_start - start : offset]
            if run_start in checkpoint:
                self._finish(_Outcome(run_start, len(items), None, []))
            else:
                self._queue.append((run_start, items, False))
            run_start = index

    def _finish(self, outcome):
        self._finished[outcome.start] = outcome

    def _ready(self):
        """Finished outcomes that may be handed out now, in order."""
        if not self._ordered:
            while self._finished:
                yield self._finished.popitem(last=False)[1]
            return
        while self._next_start in self._finished:
            outcome = self._finished.pop(self._next_start)
            self._next_start += outcome.count
            yield outcome

    def _handle(self, event):
        if event[0] == "died":
            self._on_death(event[1], event[2])
            return
        _, worker, chunk_id, count, seconds, values, failures = event
        start, items, _ = self._chunks.pop(chunk_id)
        if failures and failures[0][0] == WHOLE_CHUNK:
            failures = [(offset, failures[0][1]) for offset in range(len(items))]
            values, count = [None] * len(items), len(items)
        self._sizer.observe(count, seconds)
        if self._checkpoint is not None:
            self._record(start, values, failures)
        self._finish(_Outcome(start, len(items), values, failures))

    def _record(self, start, values, failures):
        if not failures:
            self._checkpoint.record(list(range(start, start + len(values))), values)
            return
        failed = {offset for offset, _ in failures}
        kept = [k for k in range(len(values)) if k not in failed]
        if kept:
            self._checkpoint.record([start + k for k in kept], [values[k] for k in kept])

    def _on_death(self, worker, exitcode):
        """Requeues a dead worker's chunks: the one it was running as single items marked as
        retries (a retry that dies again is a failure), the others as they were."""
        pending = [self._chunks.pop(chunk_id) for chunk_id in worker.pending]
        self._startup_deaths = 0 if worker.started else self._startup_deaths + 1
        if self._startup_deaths >= STARTUP_DEATHS_LIMIT:
            raise RuntimeError(
                f"parallel_map: {self._startup_deaths} worker processes in a row died while "
                f"starting (last exit code {exitcode}); their stderr says why"
            )
        self._backend.replace(worker)
        if not pending:
            return
        running, waiting = pending[0], pending[1:]
        self._queue.extendleft(reversed(waiting))
        start, items, is_retry = running
        if is_retry:
            self._finish(_Outcome(start, 1, [None], [(0, _died(exitcode))]))
        else:
            singles = [(start + k, [item], True) for k, item in enumerate(items)]
            self._queue.extendleft(reversed(singles))

    def _hand_out(self, outcome):
        """Yields an outcome's results; raises, skips or yields its failures."""
        if outcome.values is None:  # recorded in the checkpoint
            for index in range(outcome.start, outcome.start + outcome.count):
                yield self._checkpoint.value(index)
            self._advance(outcome.count)
            return
        if not outcome.failures:
            yield from outcome.values
            self._advance(outcome.count)
            return
        failed = dict(outcome.failures)
        for offset in range(outcome.count):
            if offset not in failed:
                yield outcome.values[offset]
                continue
            failure = failed[offset]
            error = WorkerError(outcome.start + offset, *failure)
            if self._on_error == "raise":
                self._advance(offset)
                raise error from failure[3]
            self.errors.append(error)
            if self._on_error == "collect":
                yield error
        self._advance(outcome.count)

    def _advance(self, count):
        if self._bar is not None:
            self._bar.update(count)

    def _raise_items_error(self):
        index, error = self._source.error
        note = (
            f"parallel_map: the items iterable raised this when asked for item {index}; the "
            f"results of the {index} items before it were handed out first"
        )
        if hasattr(error, "add_note"):
            error.add_note(note)
        try:
            error.index = index
        except AttributeError:
            pass
        raise error


__all__ = ["ParallelMap", "WorkerError", "parallel_map"]
