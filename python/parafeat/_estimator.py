"""The base classes of parafeat's estimators.

When scikit-learn is installed, parafeat estimators are real scikit-learn estimators (they
subclass ``BaseEstimator`` and ``TransformerMixin``), so ``clone``, ``Pipeline``, grid search,
``set_output`` and the HTML repr work as for any scikit-learn transformer. Without it, a small
stand-in provides ``get_params``/``set_params``/``fit_transform`` with the same semantics.
"""

import inspect

try:
    from sklearn.base import BaseEstimator, TransformerMixin
    from sklearn.exceptions import NotFittedError
except ImportError:  # scikit-learn is optional at run time

    class NotFittedError(ValueError, AttributeError):
        """Raised when an estimator is used before it is fitted."""

    class BaseEstimator:
        """get_params/set_params from the constructor signature, as scikit-learn defines them."""

        @classmethod
        def _get_param_names(cls):
            signature = inspect.signature(cls.__init__)
            return sorted(
                p.name
                for p in signature.parameters.values()
                if p.name != "self" and p.kind != p.VAR_KEYWORD
            )

        def get_params(self, deep=True):
            return {name: getattr(self, name) for name in self._get_param_names()}

        def set_params(self, **params):
            valid = self._get_param_names()
            for name, value in params.items():
                if name not in valid:
                    raise ValueError(
                        f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                        f"Valid parameters are: {valid!r}."
                    )
                setattr(self, name, value)
            return self

        def __repr__(self):
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
            return f"{type(self).__name__}({args})"

    class TransformerMixin:
        def __init_subclass__(cls, auto_wrap_output_keys=("transform",), **kwargs):
            # Accepts scikit-learn's class keyword; there is no output wrapping to configure.
            super().__init_subclass__(**kwargs)

        def fit_transform(self, X, y=None, **fit_params):
            return self.fit(X, y, **fit_params).transform(X)




_OUTPUTS = ("default", "pandas", "polars")


class SparseOutputMixin:
    """``set_output`` for transformers whose output is a scipy sparse matrix (the text
    vectorizers).

    scikit-learn's own vectorizers have no ``set_output`` and ignore
    ``sklearn.set_config(transform_output=...)``; parafeat's ignore that global setting too, so
    they stay drop-ins inside pipelines configured for DataFrames. ``set_output(transform=
    "default")`` keeps the sparse matrix; ``"pandas"`` or ``"polars"`` make transform raise the
    ``ValueError`` scikit-learn raises for any sparse output asked to be a DataFrame (before any
    work is done): a DataFrame of 2**20 dense columns is never what a user wants.
    """

    def set_output(self, *, transform=None):
        """Sets the output container of ``transform`` and ``fit_transform`` (see the class)."""
        if transform is None:
            return self
        if transform not in _OUTPUTS:
            raise ValueError(f"output config must be in {list(_OUTPUTS)}, got {transform!r}")
        self._sklearn_output_config = {"transform": transform}
        return self

    def _check_sparse_output(self):
        """Raises scikit-learn's error when a DataFrame output was asked of this sparse output."""
        container = getattr(self, "_sklearn_output_config", {}).get("transform", "default")
        if container != "default":
            raise ValueError(
                "The transformer outputs a scipy sparse matrix. Try to set the transformer "
                f"output to a dense array or disable {container.capitalize()} output with "
                "set_output(transform='default')."
            )


__all__ = ["BaseEstimator", "NotFittedError", "SparseOutputMixin", "TransformerMixin"]
