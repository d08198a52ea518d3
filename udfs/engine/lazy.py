"""numpy, imported on first use.

A one-date question from the terminal never touches an array, and importing numpy costs more than
starting Python itself; column work imports it on its first attribute. After that, numpy's names
sit in this object's own dictionary, so `np.x` costs what a module attribute costs.
"""

from __future__ import annotations


class _Numpy:
    def __getattr__(self, name: str):
        import numpy

        self.__dict__.update(vars(numpy))
        return getattr(numpy, name)


np = _Numpy()
