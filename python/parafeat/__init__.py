"""parafeat: parallel feature extraction with a native engine and a scikit-learn-style front.

The public doors are :mod:`parafeat.text` (scikit-learn-compatible vectorizers),
:class:`parafeat.Pipeline` (YAML pipeline specs) and the ``parafeat`` command line.
"""

from parafeat import text
from parafeat._version import __version__
from parafeat.pipeline import Pipeline

__all__ = ["Pipeline", "__version__", "text"]
