"""Generated series for the time-series oracle tests: random walks, seasonal, constant, short,
integer-valued (repeated values), huge and tiny magnitudes, and infinities."""

import numpy as np
import pandas as pd


def series_collection(seed=7):
    """(name, values) pairs; every name is an id of the long frame built from them."""
    rng = np.random.default_rng(seed)
    t = np.arange(1000)
    out = [
        ("length_1", np.array([0.7])),
        ("length_2", np.array([1.5, -0.25])),
        ("length_3", np.array([2.0, 2.0, -1.0])),
        ("walk_10", np.cumsum(rng.normal(size=10))),
        ("walk_1000", np.cumsum(rng.normal(size=1000))),
        ("seasonal_1000", 3 * np.sin(2 * np.pi * t / 50) + 0.1 * rng.normal(size=1000)),
        ("constant_10", np.full(10, 4.25)),
        ("constant_1000", np.full(1000, -1.5)),
        ("zeros_20", np.zeros(20)),
        ("integers_200", rng.integers(-3, 4, size=200).astype(float)),
        ("huge_100", np.cumsum(rng.normal(size=100)) * 1e150),
        ("tiny_100", np.cumsum(rng.normal(size=100)) * 1e-150),
        ("noise_257", rng.normal(size=257)),
    ]
    return out


def long_frame(collection, shuffle_seed=3):
    """Long format (id, time, value) with rows shuffled, so sorting is exercised."""
    frames = [
        pd.DataFrame({"id": name, "time": np.arange(len(values)), "value": values})
        for name, values in collection
    ]
    frame = pd.concat(frames, ignore_index=True)
    order = np.random.default_rng(shuffle_seed).permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)


def varied_series(count, seed=13, max_length=300):
    """`count` (name, values) pairs of random kinds and lengths (1 to max_length): random walks,
    white noise, noisy sines, integer steps (ties and plateaus), sparse spikes on zeros, and
    walks with a constant stretch, for calculators whose exactness hinges on ties and edges."""
    rng = np.random.default_rng(seed)
    kinds = ("walk", "noise", "sine", "integers", "spikes", "plateau")
    out = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        n = int(rng.integers(1, max_length + 1))
        if kind == "walk":
            x = np.cumsum(rng.normal(size=n))
        elif kind == "noise":
            x = rng.normal(size=n)
        elif kind == "sine":
            x = np.sin(2 * np.pi * np.arange(n) / rng.uniform(3, 60)) + 0.2 * rng.normal(size=n)
        elif kind == "integers":
            x = rng.integers(-3, 4, size=n).astype(float)
        elif kind == "spikes":
            x = np.zeros(n)
            x[rng.integers(0, n, size=max(1, n // 15))] = rng.uniform(1, 10)
        else:
            x = np.cumsum(rng.normal(size=n))
            x[n // 3: 2 * n // 3] = x[n // 3] if n else 0.0
        out.append((f"{kind}_{seed}_{i}", x))
    return out
