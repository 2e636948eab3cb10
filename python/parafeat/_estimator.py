"""The base classes of parafeat's estimators.

When scikit-learn is installed, parafeat estimators are real scikit-learn estimators (they
subclass ``BaseEstimator`` and ``TransformerMixin``), so ``clone``, ``Pipeline``, grid search,
``set_output`` and the HTML repr work as for any scikit-learn transformer. Without it, a small
stand-in provides ``get_params``/``set_params``/``fit_transform`` with the same semantics.
"""

import inspect

try:
    from sklearn.base import BaseEstimator, TransformerMixin
except ImportError:  # scikit-learn is optional at run time

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


__all__ = ["BaseEstimator", "TransformerMixin"]
