"""Cells to numpy columns, with no per-row Python: 1900-system date serials as datetime64[D], amounts as
float64; None when a cell is anything else, and the column then goes the cell-by-cell way
(udfs.excel.broadcast)."""

from __future__ import annotations

import math
from array import array

from udfs.engine.lazy import np
from udfs.excel import convert


def _numbers(flat: list):
    """Plain numbers as an int64 or float64 array (through the array module: a C loop, about twice
    as fast as numpy reading a list), or None when a cell is anything else (text, empty, a list)."""
    try:
        return np.frombuffer(array("q", flat), dtype=np.int64)  # Office.js sends whole numbers as ints
    except (TypeError, OverflowError):
        pass
    try:
        return np.frombuffer(array("d", flat), dtype=np.float64)
    except (TypeError, OverflowError):
        return None


def number_array(flat: list):
    """Amounts as float64, or None. Negative, non-finite and TRUE/FALSE cells go the cell-by-cell
    way: they are refused there by name, and under Classic an error cell arrives as a negative
    COM integer that must come back as its own error."""
    values = _numbers(flat)
    if values is None or not len(values):
        return None
    values = values.astype(np.float64, copy=False)
    if not (values.min() >= 0 and values.max() < math.inf):  # NaN fails both
        return None
    zero_or_one = np.flatnonzero(values <= 1).tolist()
    if zero_or_one and any(type(flat[i]) is bool for i in zero_or_one):  # bool is an int to the array module
        return None
    return values


def serial_array(flat: list):
    """1900-system serials from 61 (1900-03-01) on as datetime64[D], or None. A TRUE/FALSE reads
    as 1 or 0 and a COM error as a negative number: both fall below 61 and send the column the
    cell-by-cell way."""
    values = _numbers(flat)
    if values is None or not len(values):
        return None
    if values.dtype != np.int64:
        values = np.floor(values)  # a time of day is dropped
    if not (values.min() >= 61 and values.max() <= convert.LAST_SERIAL):  # NaN fails both
        return None
    return (values.astype(np.int64, copy=False) - convert.UNIX_SERIAL).view("datetime64[D]")
