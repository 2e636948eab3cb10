"""Running ``fn`` over one chunk of items, the same way in every backend (in the calling
process, in threads, in worker processes)."""

import time

from parafeat._parallel._errors import describe


def run_chunk(fn, items: list, stop_at_failure: bool) -> tuple:
    """Calls ``fn`` on each item. Returns ``(values, failures, seconds)``: ``values`` has one
    entry per item run (None for a failed one), ``failures`` is ``[(offset, failure)]`` with
    failures as :func:`describe` gives them. With ``stop_at_failure``, the items after the first
    failure are not run. KeyboardInterrupt is never caught."""
    started = time.perf_counter()
    values, failures = [], []
    append = values.append
    remaining = items
    while remaining:
        try:
            for item in remaining:
                append(fn(item))
            break
        except (Exception, SystemExit) as error:  # any failure of the user's fn is the item's
            failures.append((len(values), describe(error)))
            append(None)
            if stop_at_failure:
                break
            remaining = items[len(values) :]
    return values, failures, time.perf_counter() - started
