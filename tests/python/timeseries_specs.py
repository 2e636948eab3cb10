"""Time-series pipeline specs for the tests: tsfresh's Efficient settings as a spec mapping."""

import json

import parafeat.timeseries as pt


def efficient_settings():
    """EfficientFCParameters without the calculators parafeat does not implement yet. Filtered by
    the calculator table's ``implemented`` flag, so once every Efficient calculator exists (e.g.
    augmented_dickey_fuller and number_cwt_peaks, in progress) this is the whole Efficient set."""
    implemented = set(pt.implemented_calculators())
    return {name: sets for name, sets in pt.EfficientFCParameters().items() if name in implemented}


def settings_yaml(settings):
    """A settings dict written as a YAML (flow, i.e. JSON) mapping; tuples become lists."""
    return json.dumps(settings)


def step_spec(column, settings, output=None, long_format=None):
    """A spec with one timeseries_features step reading ``column`` (and a long_format stage)."""
    lines = ["version: 1"]
    if long_format:
        lines.append(f"long_format: {json.dumps(long_format)}")
    lines.append("extractors:")
    lines.append(f"  - name: timeseries_features\n    column: {column}")
    lines.append(f"    params: {{features: {settings_yaml(settings)}}}")
    if output:
        lines.append(f"    output: {output}")
    return "\n".join(lines) + "\n"


def dense_values(column):
    """A fixed-size-list column (chunked or not) as a 2-d float64 array."""
    if hasattr(column, "combine_chunks"):
        column = column.combine_chunks()
    return column.flatten().to_numpy(zero_copy_only=False).reshape(len(column), column.type.list_size)
