"""parafeat.parallel_map and its WorkerError (see :mod:`parafeat._parallel._map`)."""

from parafeat._parallel._backends import shutdown_workers
from parafeat._parallel._errors import WorkerError
from parafeat._parallel._map import ParallelMap, parallel_map

__all__ = ["ParallelMap", "WorkerError", "parallel_map", "shutdown_workers"]
