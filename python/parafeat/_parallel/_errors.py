"""What a failed item becomes: :class:`WorkerError`, carrying the item's index, the original
exception's type and message, and the traceback text from where it ran."""

import pickle
import traceback

from parafeat._parallel._wire import dumps_any


class WorkerError(Exception):
    """An item of :func:`parafeat.parallel_map` failed: ``fn`` raised, its result could not be
    sent back, or the worker process running it died (twice: once more on a fresh worker).

    Attributes: ``index`` (the item's position in ``items``), ``exc_type`` (the original
    exception's class, when it could be carried over; else None), ``exc_type_name`` (its
    qualified name, always), ``message`` (its message), ``traceback`` (the traceback text from
    the worker), ``exitcode`` (the dead worker's exit code, or None).
    """

    def __init__(self, index, exc_type_name, message, traceback_text, exception=None,
                 exitcode=None):  # fmt: skip
        self.index = index
        self.exc_type_name = exc_type_name
        self.exc_type = type(exception) if exception is not None else None
        self.message = message
        self.traceback = traceback_text
        self.exitcode = exitcode
        self.exception = exception
        text = f"item {index} failed: {exc_type_name}: {message}"
        if traceback_text:
            text += "\n\nWorker traceback:\n" + traceback_text.rstrip("\n")
        super().__init__(text)

    def __reduce__(self):
        return (
            WorkerError,
            (self.index, self.exc_type_name, self.message, self.traceback, self.exception,
             self.exitcode),
        )  # fmt: skip


def type_name(kind: type) -> str:
    """``ValueError`` for builtins, ``module.Qualified`` for the rest."""
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def describe(error: BaseException, skip_frames: int = 1) -> tuple:
    """``(type name, message, traceback text, exception)`` of a caught exception; the first
    ``skip_frames`` frames (parafeat's own calling code) are left out of the traceback."""
    tb = error.__traceback__
    for _ in range(skip_frames):
        if tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
    text = "".join(traceback.format_exception(type(error), error, tb))
    return (type_name(type(error)), _message(error), text, error)


def _message(error: BaseException) -> str:
    """``str(error)``, or a note saying why there is none: an exception whose ``__str__``
    raises must still be reported as the item's failure, not replace it."""
    try:
        return str(error)
    except Exception as failure:  # whatever the user's __str__ raises
        return f"<the message could not be rendered: str() raised {type_name(type(failure))}>"


def portable(failure: tuple) -> tuple:
    """The failure with its exception pickled (or None when it cannot be), to cross processes.
    cloudpickle, as for ``fn``, carries exception classes the parent cannot import (defined in
    its ``__main__`` or in a function): the parent gets its own class back, as with n_jobs=1."""
    name, message, text, error = failure
    try:
        blob = dumps_any(error)
        pickle.loads(blob)  # an exception whose __init__ cannot take its args fails here
    except Exception:  # any exception type may refuse pickling; the text still carries it
        blob = None
    return (name, message, text, blob)


def revive(failure: tuple) -> tuple:
    """The inverse of :func:`portable`, in the parent."""
    name, message, text, blob = failure
    error = blob
    if isinstance(blob, bytes):
        try:
            error = pickle.loads(blob)
        except Exception:  # a type importable in the worker but not here
            error = None
    return (name, message, text, error)
