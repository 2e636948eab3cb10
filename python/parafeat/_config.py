"""``parafeat.config``: settings that apply to every call that does not set them itself.

A call sets the process's settings, which every thread reads. Used as a ``with`` block, it sets
them for the calling thread only, until the block ends: blocks in other threads neither see it
nor undo it, however their ends interleave (as scikit-learn's ``config_context``).
"""

import threading

_PROCESS_SETTINGS = {"progress": False}
_WRITES = dict.fromkeys(_PROCESS_SETTINGS, 0)  # how often each process setting was set
_LOCK = threading.Lock()
_THREAD = threading.local()  # .blocks: this thread's open ``with`` blocks' settings, innermost last


def _thread_blocks() -> list:
    if not hasattr(_THREAD, "blocks"):
        _THREAD.blocks = []
    return _THREAD.blocks


class _Block:
    """What :func:`config` returns. Entering it moves the settings it made from the process to
    the calling thread; leaving it ends them there."""

    def __init__(self, settings: dict, previous: dict, writes: dict):
        self._settings = settings
        self._previous = previous  # the process's values the call replaced
        self._writes = writes  # _WRITES as the call left them

    def __enter__(self):
        with _LOCK:
            for name, value in self._previous.items():
                if _WRITES[name] == self._writes[name]:  # nobody has set it since
                    _PROCESS_SETTINGS[name] = value
        _thread_blocks().append(self._settings)
        return self

    def __exit__(self, *exc_info):
        blocks = _thread_blocks()
        del blocks[next(i for i, block in enumerate(blocks) if block is self._settings)]


def config(**settings):
    """Sets defaults for every parafeat call: ``progress`` (bool, default False) shows a
    progress bar on long calls that take ``progress=None`` (``parallel_map``, the text
    vectorizers' ``fit``/``transform``, ``Pipeline.fit``/``transform``).

    ``parafeat.config(progress=True)`` sets it for the process; ``with
    parafeat.config(progress=True): ...`` only inside the block, in the calling thread. Returns
    the settings in force in the calling thread when called with no arguments."""
    unknown = sorted(set(settings) - set(_PROCESS_SETTINGS))
    if unknown:
        raise TypeError(f"unknown parafeat setting(s) {unknown}; known: {sorted(_PROCESS_SETTINGS)}")
    if not settings:
        return {name: setting(name) for name in _PROCESS_SETTINGS}
    with _LOCK:
        previous = {name: _PROCESS_SETTINGS[name] for name in settings}
        _PROCESS_SETTINGS.update(settings)
        for name in settings:
            _WRITES[name] += 1
        writes = {name: _WRITES[name] for name in settings}
    return _Block(dict(settings), previous, writes)


def setting(name: str, value=None):
    """``value``, or else the setting in force in the calling thread: its innermost ``with``
    block's that sets ``name``, or the process's."""
    if value is not None:
        return value
    for block in reversed(_thread_blocks()):
        if name in block:
            return block[name]
    return _PROCESS_SETTINGS[name]
