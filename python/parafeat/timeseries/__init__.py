"""Time-series features with tsfresh's names, settings and results, computed by the native engine.

:func:`extract_features` takes tsfresh's input shapes (long, wide, or a dict of frames; pandas,
polars or pyarrow) and settings (:class:`MinimalFCParameters`, :class:`EfficientFCParameters`,
:class:`ComprehensiveFCParameters` or any dict of calculator name to parameter sets) and returns
the pandas DataFrame tsfresh returns: same column names, column order and index.
:class:`TimeSeriesFeatures` is the same as a scikit-learn transformer. Calculators
parafeat does not implement yet are an error naming them, never silently left out.
"""

from parafeat.timeseries._extract import extract_features
from parafeat.timeseries._settings import (
    ComprehensiveFCParameters,
    EfficientFCParameters,
    MinimalFCParameters,
    implemented_calculators,
)
from parafeat.timeseries._transformer import TimeSeriesFeatures

__all__ = [
    "ComprehensiveFCParameters",
    "EfficientFCParameters",
    "MinimalFCParameters",
    "TimeSeriesFeatures",
    "extract_features",
    "implemented_calculators",
]
