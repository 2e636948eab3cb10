"""``parafeat.config``: settings that apply to every call that does not set them itself."""

_SETTINGS = {"progress": False}


class _Previous:
    """What :func:`config` returns: leaving a ``with`` block restores the earlier settings."""

    def __init__(self, previous: dict):
        self._previous = previous

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        _SETTINGS.update(self._previous)


def config(**settings):
    """Sets defaults for every parafeat call: ``progress`` (bool, default False) shows a
    progress bar on long calls that take ``progress=None`` (``parallel_map``, the text
    vectorizers' ``fit``/``transform``, ``Pipeline.fit``/``transform``).

    ``parafeat.config(progress=True)`` sets it for the session; ``with
    parafeat.config(progress=True): ...`` only inside the block. Returns the settings in force
    when called with no arguments."""
    unknown = sorted(set(settings) - set(_SETTINGS))
    if unknown:
        raise TypeError(f"unknown parafeat setting(s) {unknown}; known: {sorted(_SETTINGS)}")
    previous = {name: _SETTINGS[name] for name in settings}
    _SETTINGS.update(settings)
    if not settings:
        return dict(_SETTINGS)
    return _Previous(previous)


def setting(name: str, value=None):
    """``value``, or the configured setting when ``value`` is None."""
    return _SETTINGS[name] if value is None else value
