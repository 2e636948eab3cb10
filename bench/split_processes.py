"""The machine's own ceiling for doing one piece of work on several CPUs at once.

``SplitAcrossProcesses(parts)`` starts a process per part, each handed its part once, at the
start. Each ``run(work)`` then runs ``work(part)`` in every process at the same time and returns
when all are done. The processes share nothing but the machine, so the wall time of a run is
what an ideal parallel implementation of the same work could reach here: what slows the parts
down is the CPUs' shared caches and memory, and the host's scheduling of them, not the work's own
code. Against one process doing the whole work, it is the speed-up the machine allows.
"""

import multiprocessing
import time


def _serve(connection, part) -> None:
    """A worker: runs ``work(part)`` for each ``work`` received, replying with the CPU seconds
    the process has used so far; stops at ``None``."""
    while (work := connection.recv()) is not None:
        result = work(part)
        del result
        connection.send(time.process_time())
    connection.close()


class SplitAcrossProcesses:
    """Holds each of ``parts`` in a process of its own, spawned (not forked, so that no thread
    pool of this process is copied into them)."""

    def __init__(self, parts):
        context = multiprocessing.get_context("spawn")
        self._connections, self._processes = [], []
        for part in parts:
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, part), daemon=True)
            process.start()
            theirs.close()
            self._connections.append(ours)
            self._processes.append(process)
        self._cpu_seconds = [0.0] * len(self._processes)

    def run(self, work) -> None:
        """Runs ``work(part)`` in every process at once; returns when all are done. ``work``
        must be picklable: a module-level function, or a ``functools.partial`` of one."""
        for connection in self._connections:
            connection.send(work)
        for index, connection in enumerate(self._connections):
            try:
                self._cpu_seconds[index] = connection.recv()
            except EOFError:
                self._processes[index].join(timeout=5)
                code = self._processes[index].exitcode
                raise RuntimeError(
                    f"worker process {index} of {len(self._processes)} ended (exit code {code}); "
                    "its error is printed above"
                ) from None

    def cpu_seconds(self) -> float:
        """The CPU seconds all worker processes have used, as of the end of the last run."""
        return sum(self._cpu_seconds)

    def close(self) -> None:
        """Stops the worker processes (those that do not stop within a few seconds are
        terminated)."""
        for connection in self._connections:
            try:
                connection.send(None)
            except (BrokenPipeError, OSError):
                pass  # already gone
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        for connection in self._connections:
            connection.close()
