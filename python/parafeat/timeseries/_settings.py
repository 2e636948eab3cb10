"""tsfresh's settings objects, built from the native calculator table (one source of truth)."""

from parafeat import _core


def _table():
    return _core.ts_calculators()


def implemented_calculators():
    """Names of the calculators parafeat computes, in tsfresh's order."""
    return [row["name"] for row in _table() if row["implemented"]]


class ComprehensiveFCParameters(dict):
    """Every tsfresh calculator with tsfresh's default parameter sets, in tsfresh's order."""

    def __init__(self):
        super().__init__((row["name"], row["defaults"]) for row in _table() if self._keep(row))

    @staticmethod
    def _keep(row):
        return True


class MinimalFCParameters(ComprehensiveFCParameters):
    """The calculators tsfresh marks as minimal."""

    @staticmethod
    def _keep(row):
        return row["minimal"]


class EfficientFCParameters(ComprehensiveFCParameters):
    """Every calculator except those tsfresh marks as of high computational cost."""

    @staticmethod
    def _keep(row):
        return not row["high_comp_cost"]
