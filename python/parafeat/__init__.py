"""parafeat: parallel feature extraction with a native engine and a scikit-learn-style front.

The public doors are :mod:`parafeat.text` (scikit-learn-compatible vectorizers),
:class:`parafeat.Pipeline` (YAML pipeline specs), :mod:`parafeat.spark` and :mod:`parafeat.ray`
(the same pipelines on a Spark DataFrame or a Ray Dataset) and the ``parafeat`` command line.
Submodules load on first use, so the command line starts without importing scikit-learn.
"""

import importlib

from parafeat._version import __version__

__all__ = ["Pipeline", "WorkerError", "__version__", "config", "parallel_map", "text", "timeseries"]


def __getattr__(name):
    if name == "text":
        return importlib.import_module("parafeat.text")
    if name == "timeseries":
        return importlib.import_module("parafeat.timeseries")
    if name == "Pipeline":
        return importlib.import_module("parafeat.pipeline").Pipeline
    if name == "config":
        return importlib.import_module("parafeat._config").config
    if name in ("spark", "ray"):  # the Spark and Ray doors (need pyspark / ray installed)
        return importlib.import_module(f"parafeat.{name}")
    if name in ("parallel_map", "WorkerError"):
        return getattr(importlib.import_module("parafeat._parallel"), name)
    raise AttributeError(f"module 'parafeat' has no attribute {name!r}")
