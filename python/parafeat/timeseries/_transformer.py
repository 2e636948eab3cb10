"""TimeSeriesFeatures: extract_features as a scikit-learn transformer."""

import numpy as np

from parafeat._estimator import BaseEstimator, TransformerMixin
from parafeat.timeseries._extract import extract_features, feature_names


class TimeSeriesFeatures(TransformerMixin, BaseEstimator):
    """Turns a long (or wide, or dict-of-frames) time-series container into one feature row per
    id, with tsfresh's feature names; the parameters are extract_features'. ``fit`` records the
    feature names the container's kinds give (``get_feature_names_out``); ``transform`` must see
    the same kinds."""

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

    def transform(self, X):
        if not hasattr(self, "feature_names_out_"):
            raise ValueError("TimeSeriesFeatures is not fitted yet; call fit first")
        result = extract_features(
            X, default_fc_parameters=self.default_fc_parameters,
            kind_to_fc_parameters=self.kind_to_fc_parameters, n_jobs=self.n_jobs,
            **self._columns(),
        )  # fmt: skip
        if list(result.columns) != list(self.feature_names_out_):
            raise ValueError(
                "the series' kinds differ from those seen in fit: got features "
                f"{len(result.columns)}, expected {self.n_features_out_}"
            )
        return result

    def get_feature_names_out(self, input_features=None):
        del input_features
        return self.feature_names_out_.copy()
