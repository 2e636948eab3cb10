"""extract_features: tsfresh's signature and result, the native engine's speed."""

import pandas as pd

from parafeat import _core
from parafeat._progress import RowsProgress
from parafeat._threads import resolve_n_jobs
from parafeat.timeseries._input import long_arrays
from parafeat.timeseries._settings import ComprehensiveFCParameters


def _requests(fc_parameters):
    """A settings dict as (calculator name, list of parameter dicts) pairs, checked."""
    if not isinstance(fc_parameters, dict):
        raise TypeError(
            f"fc_parameters must be a dict of calculator name to parameter sets, "
            f"got {type(fc_parameters).__name__}"
        )
    requests = []
    for name, sets in fc_parameters.items():
        if callable(name):
            raise NotImplementedError(
                f"custom calculator functions ({name!r}) are not supported by parafeat; "
                "only tsfresh's calculators by name"
            )
        if not isinstance(name, str):
            raise TypeError(f"calculator names must be str, got {name!r}")
        if sets is None:
            sets = []
        if not isinstance(sets, (list, tuple)) or not all(isinstance(s, dict) for s in sets):
            raise TypeError(
                f"calculator {name!r}: parameters must be None or a list of dicts, got {sets!r}"
            )
        requests.append((name, [dict(s) for s in sets]))
    return requests


def _threads(n_jobs):
    if n_jobs in (0, 1):  # tsfresh's "no parallelisation"
        return 1
    return resolve_n_jobs(n_jobs)


def feature_names(timeseries_container, default_fc_parameters=None, kind_to_fc_parameters=None,
                  column_id=None, column_sort=None, column_kind=None, column_value=None):
    """The columns extract_features gives for these arguments, in order, computing nothing."""
    default_fc_parameters, kind_to_fc_parameters = _settings_defaults(
        default_fc_parameters, kind_to_fc_parameters
    )
    data = long_arrays(timeseries_container, column_id, column_sort, column_kind, column_value)
    names = []
    for code in data.kind_order:
        kind = data.kinds[code]
        settings = _requests(kind_to_fc_parameters.get(kind, default_fc_parameters))
        names += _core.ts_feature_names(kind, settings)
    return names


def _settings_defaults(default_fc_parameters, kind_to_fc_parameters):
    """tsfresh's defaults: Comprehensive settings when none are given."""
    if default_fc_parameters is None and kind_to_fc_parameters is None:
        default_fc_parameters = ComprehensiveFCParameters()
    elif default_fc_parameters is None:
        default_fc_parameters = {}
    return default_fc_parameters, kind_to_fc_parameters or {}


def extract_features(
    timeseries_container,
    default_fc_parameters=None,
    kind_to_fc_parameters=None,
    column_id=None,
    column_sort=None,
    column_kind=None,
    column_value=None,
    n_jobs=-1,
    disable_progressbar=False,
    progress=None,
):
    """Extracts tsfresh's features of every (id, kind) series; one row per id.

    Parameters are tsfresh's: ``default_fc_parameters`` (default
    :class:`ComprehensiveFCParameters`) applies to every kind not in ``kind_to_fc_parameters``.
    ``n_jobs`` is the number of threads (``-1``: all CPUs; ``0`` or ``1``: one). The result is
    the pandas DataFrame tsfresh returns: index the sorted ids (with the id column's dtype),
    columns ``<kind>__<calculator>[__<parameters>]`` in tsfresh's order, float64 values, NaN
    where an id has no series of a kind. ``progress``: True for a progress bar of the series
    done, or a callable called as ``progress(series_done, series_total)``; None or False for
    neither. ``disable_progressbar`` is accepted for compatibility (it draws no bar: pass
    ``progress=True`` for one).
    """
    del disable_progressbar  # accepted for tsfresh compatibility
    if isinstance(progress, bool):
        with RowsProgress(progress, "extract_features", unit=" series") as bar:
            return extract_features(
                timeseries_container, default_fc_parameters, kind_to_fc_parameters, column_id,
                column_sort, column_kind, column_value, n_jobs, progress=bar.pass_(),
            )  # fmt: skip
    if progress is not None and not callable(progress):
        raise TypeError(
            "progress must be True or False (a progress bar or none), None, or a "
            f"callable(series_done, series_total), got {type(progress).__name__} {progress!r:.60}"
        )
    default_fc_parameters, kind_to_fc_parameters = _settings_defaults(
        default_fc_parameters, kind_to_fc_parameters
    )
    data = long_arrays(timeseries_container, column_id, column_sort, column_kind, column_value)
    settings = [
        _requests(kind_to_fc_parameters.get(kind, default_fc_parameters)) for kind in data.kinds
    ]
    values, names = _core.ts_extract(
        data.id_codes,
        data.kind_codes,
        data.sort_ranks,
        data.values,
        [repr(i) for i in data.ids],
        data.kinds,
        settings,
        data.kind_order,
        _threads(n_jobs),
        progress,
    )
    return pd.DataFrame(values, index=data.ids, columns=pd.Index(names, dtype=object))
