"""Progress bars for the long calls of estimators and pipelines, fed by the native executor.

The executor reports ``(rows_done, rows_total)`` after each morsel; the binding (EngineRun in
python/src/engine_run.cc) hands that to Python, taking the GIL, at most every 50 ms and once at
the end. With progress off no callback is passed at all, so the hot path is untouched.
"""

from parafeat._config import setting


def check_progress(progress) -> None:
    """Refuses a ``progress`` argument other than True, False or None (None: as
    ``parafeat.config(progress=...)`` says), as a TypeError naming what it takes."""
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(
            "progress must be True or False (a progress bar or none) or None (as "
            f"parafeat.config(progress=...) says), got {type(progress).__name__} {progress!r:.60}"
        )


class RowsProgress:
    """One bar for one call (``fit``, ``transform``...), which may run several engine passes.

    ``with RowsProgress(progress, "CountVectorizer.fit") as bar:`` then hand ``bar.pass_()`` as
    the ``progress`` argument of each native call: each pass adds its rows to the bar's total
    when it starts reporting, so the bar ends at 100% whatever the number of passes. ``pass_()``
    is None when progress is off (``progress=False``, or None with ``parafeat.config`` off).
    """

    def __init__(self, progress, description: str, total=None, unit=" rows"):
        check_progress(progress)
        self._enabled = bool(setting("progress", progress))
        self._description = description
        self._unit = unit
        self._total = total  # known up front (a table's rows), else summed from the passes
        self._bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._bar is not None:
            self._bar.close()

    def _open(self, total):
        from tqdm.auto import tqdm

        self._bar = tqdm(
            total=total, unit=self._unit, unit_scale=total >= 1000, desc=self._description
        )  # counts under 1000 unscaled ("40/40", not "40.0/40.0")
        return self._bar

    def pass_(self):
        """The callable(rows_done, rows_total) of the next engine pass, or None when off."""
        if not self._enabled:
            return None
        counted = None  # rows of this pass already on the bar; None before its first report

        def update(done, total):
            nonlocal counted
            bar = self._bar
            if bar is None:
                bar = self._open(total if self._total is None else self._total)
            elif counted is None and self._total is None:
                bar.total += total  # a later pass of a call whose total was not known
            bar.update(done - (counted or 0))
            counted = done

        return update
