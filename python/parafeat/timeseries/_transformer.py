"""TimeSeriesFeatures: extract_features as a scikit-learn transformer."""

import numpy as np

from parafeat._estimator import BaseEstimator, NotFittedError, TransformerMixin
from parafeat._progress import RowsProgress
from parafeat.timeseries._extract import extract_features, feature_names


class TimeSeriesFeatures(TransformerMixin, BaseEstimator):
    """Turns a long (or wide, or dict-of-frames) time-series container into one feature row per
    id, with tsfresh's feature names; the parameters are extract_features'. ``fit`` records the
    feature names the container's kinds give (``get_feature_names_out``); ``transform`` must see
    the same kinds, and gives their columns in fit's order whatever order the kinds come in."""

    def __init__(self, default_fc_parameters=None, kind_to_fc_parameters=None, column_id="id",
                 column_sort=None, column_kind=None, column_value=None, n_jobs=-1):
        self.default_fc_parameters = default_fc_parameters
        self.kind_to_fc_parameters = kind_to_fc_parameters
        self.column_id = column_id
        self.column_sort = column_sort
        self.column_kind = column_kind
        self.column_value = column_value
        self.n_jobs = n_jobs

    def _columns(self):
        return {
            "column_id": self.column_id,
            "column_sort": self.column_sort,
            "column_kind": self.column_kind,
            "column_value": self.column_value,
        }

    def fit(self, X, y=None):
        names = feature_names(X, self.default_fc_parameters, self.kind_to_fc_parameters,
                              **self._columns())
        self.feature_names_out_ = np.asarray(names, dtype=object)
        self.n_features_out_ = len(names)
        return self

    def transform(self, X, progress=None):
        """One feature row per id. ``progress``: a progress bar of the (id, kind) series done
        (None: as ``parafeat.config(progress=...)`` says)."""
        self._check_fitted()
        with RowsProgress(progress, "TimeSeriesFeatures.transform", unit=" series") as bar:
            result = extract_features(
                X, default_fc_parameters=self.default_fc_parameters,
                kind_to_fc_parameters=self.kind_to_fc_parameters, n_jobs=self.n_jobs,
                progress=bar.pass_(), **self._columns(),
            )  # fmt: skip
        return self._in_fitted_order(result)

    def _check_fitted(self):
        """Raises scikit-learn's NotFittedError before fit, as the other estimators do."""
        if not hasattr(self, "feature_names_out_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    def _in_fitted_order(self, result):
        """``result``'s columns in fit's order. extract_features orders kinds by their first
        appearance, so the same kinds can come in another order; other kinds are an error."""
        fitted = list(self.feature_names_out_)
        if set(result.columns) != set(fitted):
            raise ValueError(
                "the series' kinds differ from those seen in fit: "
                + _column_differences(list(result.columns), fitted)
            )
        return result if list(result.columns) == fitted else result[fitted]

    def fit_transform(self, X, y=None, progress=None):
        """Same as ``fit(X).transform(X, progress=progress)``."""
        return self.fit(X, y).transform(X, progress=progress)

    def get_feature_names_out(self, input_features=None):
        del input_features
        self._check_fitted()
        return self.feature_names_out_.copy()


def _column_differences(got, fitted):
    """The feature columns ``got`` lacks and adds, against fit's (abridged)."""
    got_set, fitted_set = set(got), set(fitted)
    missing = [name for name in fitted if name not in got_set]
    unexpected = [name for name in got if name not in fitted_set]
    return "; ".join(
        f"{label} {_abridged(names)}"
        for label, names in (("missing", missing), ("unexpected", unexpected)) if names
    )


def _abridged(names, shown=5):
    if len(names) <= shown:
        return str(names)
    return f"{names[:shown]} and {len(names) - shown} more"
