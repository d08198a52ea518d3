"""numpy: whether it is there (decided once, here), and imported on first use.

numpy is optional. With it, whole columns (Excel ranges, the workbook's daily schedules) go
through the engine's array path (udfs/engine/columns.py); without it (Pyodide offline, xlwings
Lite before numpy is fetched) every row goes through the one-value path, which gives the same
answers. `HAVE_NUMPY` is that one decision; the rest of termbook asks it, or `is_array`, and
never imports numpy itself.

A one-date question from the terminal never touches an array, and importing numpy costs more than
starting Python itself; column work imports it on its first attribute. After that, numpy's names
sit in this object's own dictionary, so `np.x` costs what a module attribute costs.
"""

from __future__ import annotations

import importlib.util
import sys


def _numpy_importable() -> bool:
    """True when `import numpy` would find it, without importing it (that costs tens of ms)."""
    try:
        return importlib.util.find_spec("numpy") is not None
    except (ImportError, ValueError):
        return False


HAVE_NUMPY = _numpy_importable()


class _Numpy:
    def __getattr__(self, name: str):
        import numpy

        self.__dict__.update(vars(numpy))
        return getattr(numpy, name)


np = _Numpy()


def is_array(value) -> bool:
    """A numpy array? Never imports numpy: an array exists only once numpy was imported."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray)


def minimum(a, b):
    """Element-wise for arrays (numpy); for plain numbers, numpy's own answer without numpy:
    `a < b ? a : b`, NaN when either is NaN, so min(0.0, -0.0) is -0.0 as np.minimum gives it
    (the builtin min keeps the first of equals and would give 0.0)."""
    if is_array(a) or is_array(b):
        return np.minimum(a, b)
    return a if a < b or a != a else b


def maximum(a, b):
    """As `minimum`: np.maximum's answer, `a > b ? a : b`, NaN when either is NaN."""
    if is_array(a) or is_array(b):
        return np.maximum(a, b)
    return a if a > b or a != a else b
