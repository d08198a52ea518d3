"""Excel functions: the termbook catalogue as xlwings custom functions.

One module for both runtimes:

* Classic xlwings (Windows desktop Excel with the free xlwings add-in): put ``udfs.xlfuncs``
  in "UDF Modules" and click "Import Functions".
* xlwings Server / xlwings Lite (Office.js custom functions, Excel on Windows, Mac and the
  web): ``from udfs.xlfuncs import *`` in the custom-functions module. They appear under the
  ``TERMBOOK`` namespace, e.g. ``=TERMBOOK.LSA_CAPACITY(A2:A400, B2:B400)``.

Names and argument order are those of ``udfs.functions`` (the catalogue). This module holds no
term logic: it converts what Excel sends (ranges, serial dates, empty and error cells) into the
catalogue's arguments, dispatches, and converts the answers (numbers, dates, tables, errors)
back into cell values.

Cell conventions
----------------
* Any per-row argument may be one cell or a range; ranges broadcast like numpy (equal sizes,
  or 1) and the answer has the broadcast shape, so a column of dates gives a column.
* Dates: Excel serials in the 1900 date system (serials below 61 follow Excel's phantom
  1900-02-29, which is refused), datetimes, or date text.
* A row whose first argument is empty gives an empty cell.
* Optional arguments may be omitted or empty. A cell holding an Excel error is never treated
  as empty: the error comes back (same code) for the rows it affects.
* Events are two columns, name | date delivered; offsets are two columns, date | amount.
  Blank rows are skipped, and so is a header row ("event"/"name" | ..., "date" | ...); a
  two-row range wider than two columns is read sideways.
* Errors: under Office.js a bad argument raises (``#VALUE!`` with the reason on hover) and a
  date outside the terms is ``#N/A``; inside a column each failing cell is its own error
  value. Under Classic xlwings a failing cell holds one line starting with the error code,
  e.g. ``#N/A: 2003-02-01 is after ...``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import inspect
import math
import os

import numpy as np
import xlwings

from udfs import functions as _catalogue
from udfs import spec as _spec
from udfs.engine.errors import TermsError

__all__ = [
    "LSA_AMENDMENT",
    "LSA_MAX_LIMIT",
    "LSA_CAPACITY",
    "LSA_OVERADVANCE_LIMIT",
    "LSA_AVAILABILITY",
    "LSA_PRIME",
    "LSA_MARGIN",
    "LSA_RATE",
    "LSA_INTEREST",
    "LSA_FEES_DUE",
    "LSA_FEE_SCHEDULE",
    "LSA_DEADLINES",
    "SEV_SCHEDULE",
    "SEV_PAYMENT",
    "SEV_LATE_INTEREST",
    "SEV_ELECTION",
    "TERMS_INFO",
    "LSA_EXPLAIN",
    "TermbookError",
]

# xlwings picks its decorators when xlwings itself is imported: Office.js ones when
# XLWINGS_ON_SERVER=true (xlwings Server, xlwings Lite), Classic ones on Windows. Deciding
# here, at this module's import, gives the same answer in production and lets a test switch
# runtimes by re-importing this module alone.
OFFICEJS = os.environ.get("XLWINGS_ON_SERVER") == "true"
if OFFICEJS:
    from xlwings import server as xw
else:
    import xlwings as xw

NAMESPACE = "TERMBOOK"  # Office.js: =TERMBOOK.LSA_CAPACITY(...)
CATEGORY = "termbook"  # Classic: the function wizard's category


class TermbookError(xlwings.XlwingsError):
    """A whole call that cannot be answered. xlwings Server and Lite show this message on
    the #VALUE! cell (they pass an XlwingsError's text through; other exceptions are
    hidden in production)."""


# --------------------------------------------------------------------------------------
# Errors as cell values
# --------------------------------------------------------------------------------------

VALUE = "#VALUE!"
NA = "#N/A"

# Error codes xlwings' Office.js engine turns into real error values (others stay text).
_OFFICEJS_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}
# Error codes as text: what an Office.js error object's basicValue holds (newer codes included).
_ERROR_TEXTS = _OFFICEJS_ERRORS | {
    "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!",
    "#UNKNOWN!", "#BUSY!", "#DATA!", "#PYTHON!", "#EXTERNAL!",
}
# Classic xlwings passes a raw error cell as its COM integer (0x800A0000 + the Excel error
# number).
_COM_ERROR_BASE = -2146828288
_COM_ERRORS = {
    2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?",
    2036: "#NUM!", 2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!", 2046: "#CONNECT!",
    2047: "#BLOCKED!", 2048: "#UNKNOWN!", 2049: "#FIELD!", 2050: "#CALC!",
}


class _Err:
    """One failing cell (or a whole call): an Excel error code and a one-line reason."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = " ".join(str(message).split())  # one line

    def __eq__(self, other):
        return isinstance(other, _Err) and (self.code, self.message) == (other.code, other.message)

    def __hash__(self):
        return hash((self.code, self.message))

    def __repr__(self):
        return f"_Err({self.code!r}, {self.message!r})"

    def classic_text(self) -> str:
        return f"{self.code}: {self.message}"[:255]


# The catalogue's argument names that Excel cannot use (Date and End are VBA keywords).
_EXCEL_NAMES = _spec.EXCEL_NAMES


def _from_terms_error(err: TermsError) -> _Err:
    code = getattr(err, "code", VALUE) or VALUE
    reason = getattr(err, "reason", None)
    if reason is None:
        return _Err(code, str(err))
    if code == NA:  # the date speaks for itself: "#N/A: 2003-02-01 is after ..."
        return _Err(NA, reason)
    argument = getattr(err, "argument", "")
    return _Err(code, f"{_EXCEL_NAMES.get(argument, argument)}: {reason}")


def _error_code(value) -> str | None:
    """The Excel error code if `value` is an error cell as xlwings delivers it."""
    if type(value) is str:
        return value if value in _ERROR_TEXTS else None
    if type(value) is int and 2000 <= value - _COM_ERROR_BASE <= 2100:
        return _COM_ERRORS.get(value - _COM_ERROR_BASE, VALUE)
    return None


# Office.js error cells (Excel.CellValue objects) by their errorType, for the rare payload
# without a basicValue.
_ERROR_TYPES = {
    "Div0": "#DIV/0!", "NotAvailable": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
    "Ref": "#REF!", "Value": "#VALUE!", "Spill": "#SPILL!", "Calc": "#CALC!", "GettingData": "#GETTING_DATA",
    "Field": "#FIELD!", "Blocked": "#BLOCKED!", "Connect": "#CONNECT!", "Busy": "#BUSY!", "Unknown": "#UNKNOWN!",
}


def _unwrap(value):
    """A cell that is not a plain value: an Office.js error object becomes its code text, any
    other data-type object its basic value; Pyodide's JsNull (an empty cell) becomes None."""
    if isinstance(value, dict):
        if value.get("type") == "Error":
            return value.get("basicValue") or _ERROR_TYPES.get(value.get("errorType"), VALUE)
        value = value.get("basicValue")
        return value if not isinstance(value, (dict, list)) else str(value)
    if type(value).__name__ == "JsNull":
        return None
    return value


def _wrapped(value) -> bool:
    return isinstance(value, dict) or type(value).__name__ == "JsNull"


def _upstream(code: str, argument: str) -> _Err:
    return _Err(code, f"{argument} refers to a cell holding {code}")


# --------------------------------------------------------------------------------------
# Cell values in
# --------------------------------------------------------------------------------------

_EPOCH = dt.date(1899, 12, 30)  # serial 61 and later: 1899-12-30 + serial
_LAST_SERIAL = 2958465  # 9999-12-31
_serial_cache: dict = {}


def _serial_to_date(serial, argument: str):
    """An Excel 1900-system serial as a date (time of day dropped), or an _Err."""
    date = _serial_cache.get(serial)
    if date is not None:
        return date
    if isinstance(serial, float) and not math.isfinite(serial):
        return _Err(VALUE, f"{argument}: {serial!r} is not a date")
    day = math.floor(serial)
    if day < 1 or day > _LAST_SERIAL:
        return _Err(VALUE, f"{argument}: {serial!r} is not an Excel date serial (1 to {_LAST_SERIAL})")
    if day == 60:
        return _Err(VALUE, f"{argument}: serial 60 is 1900-02-29, which Excel shows but never existed")
    # Excel counts a 1900-02-29 that never was: serials before it are one day earlier.
    date = _EPOCH + dt.timedelta(days=day if day > 60 else day + 1)
    if len(_serial_cache) < 100_000:
        _serial_cache[serial] = date
    return date


def _date_in(value, argument: str):
    """A date-ish cell as the catalogue takes it: date, text, or None when blank."""
    kind = type(value)
    if kind is float or kind is int:
        code = _error_code(value)
        if code:
            return _upstream(code, argument)
        return _serial_to_date(value, argument)
    if value is None:
        return None
    if kind is str:
        if value in _ERROR_TEXTS:
            return _upstream(value, argument)
        return value if value.strip() else None  # text: the engine parses it
    if isinstance(value, dt.datetime):  # Classic: date-formatted cells (pywintypes datetimes)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _wrapped(value):
        return _date_in(_unwrap(value), argument)
    return _Err(VALUE, f"{argument}: {value!r} is not a date")


def _amount_in(value, argument: str):
    kind = type(value)
    if kind is float or kind is int:
        code = _error_code(value)
        return _upstream(code, argument) if code else value
    if value is None:
        return None
    if kind is str:
        if value in _ERROR_TEXTS:
            return _upstream(value, argument)
        return value if value.strip() else None  # text: the engine parses "1,000" or refuses
    if isinstance(value, bool):
        return _Err(VALUE, f"{argument}: {value!r} is not an amount")
    if isinstance(value, dt.date):
        return _Err(VALUE, f"{argument}: {value.isoformat()} is a date, not an amount")
    if _wrapped(value):
        return _amount_in(_unwrap(value), argument)
    return value


def _text_in(value, argument: str):
    if value is None:
        return None
    if _wrapped(value):
        return _text_in(_unwrap(value), argument)
    code = _error_code(value)
    if code:
        return _upstream(code, argument)
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return _Err(VALUE, f"{argument}: {value!r} is not text")
    return value  # a number where text is expected: the engine says why it is wrong


_TRUTH = {"true": True, "false": False, "yes": True, "no": False}


def _bool_in(value, argument: str):
    if value is None or isinstance(value, bool):
        return value
    if _wrapped(value):
        return _bool_in(_unwrap(value), argument)
    code = _error_code(value)
    if code:
        return _upstream(code, argument)
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        if not value.strip():
            return None
        if value.strip().lower() in _TRUTH:
            return _TRUTH[value.strip().lower()]
    return _Err(VALUE, f"{argument}: {value!r} is not TRUE or FALSE")


# "rate": an amount per row, unless it is a date | rate table (see _rate_table)
_CONVERT = {"date": _date_in, "amount": _amount_in, "rate": _amount_in, "text": _text_in, "bool": _bool_in}


def _grid(value):
    """An argument as a 2-D list (a range as xlwings passes it raw: a scalar for one cell under
    Classic, a list of rows; tuples under Classic), or None if omitted."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        if not value:
            return None
        if isinstance(value[0], (list, tuple)):
            return value if value[0] else None
        return [list(value)]
    return [[value]]


def _clean_grid(value):
    """A small range (events, offsets, rules, one-cell arguments) with every cell unwrapped."""
    grid = _grid(value)
    return None if grid is None else [[_unwrap(cell) for cell in row] for row in grid]


def _single(value, argument: str):
    """One cell from a grid, for arguments that cannot vary by row."""
    grid = _clean_grid(value)
    if grid is None:
        return None
    cells = [c for row in grid for c in row]
    if len(cells) == 1:
        return cells[0]
    non_blank = [c for c in cells if not (c is None or (isinstance(c, str) and not c.strip()))]
    if not non_blank:
        return None
    return _Err(VALUE, f"{argument}: give one cell, not a range of {len(grid)}x{len(grid[0])}")


_HEADER_WORDS = {
    "events": {"event", "events", "name", "event name"},
    "offsets": {"date", "received", "date received"},
    "prime": {"date", "from", "effective", "effective date"},
}


def _pairs_in(value, argument: str, date_column: int):
    """A two-column range of pairs (events: name | date; offsets: date | amount).

    Blank rows are dropped, a header row is skipped, serials in the date column become dates
    and an error cell anywhere makes the whole argument that error."""
    grid = _clean_grid(value)
    if grid is None:
        return None
    if len(grid) == 1 and len(grid[0]) == 1:
        only = grid[0][0]
        if only is None or (isinstance(only, str) and not only.strip()):
            return None
        code = _error_code(only)
        if code:
            return _upstream(code, argument)
        return _Err(VALUE, f"{argument}: give a two-column range ({_pair_names(argument)}), not one cell")
    width = len(grid[0])
    if width > 2 and len(grid) == 2:  # a two-row range laid out sideways (a 2x2 reads as rows)
        grid = [list(col) for col in zip(*grid, strict=True)]
        width = 2
    if width != 2:
        return _Err(VALUE, f"{argument}: give a two-column range ({_pair_names(argument)}), not {width} columns")
    pairs = []
    for number, row in enumerate(grid, start=1):
        first, second = row[0], row[1]
        for cell in row:
            code = _error_code(cell)
            if code:
                return _Err(code, f"{argument} row {number} holds {code}")
        if _blank(first) and _blank(second):
            continue
        if number == 1 and isinstance(first, str) and first.strip().lower() in _HEADER_WORDS[argument]:
            continue
        if date_column == 1:
            second = _date_in(second, f"{argument} row {number} date")
        else:
            first = _date_in(first, f"{argument} row {number} date")
            if first is None:
                return _Err(VALUE, f"{argument} row {number}: the date is empty")
        for cell in (first, second):
            if isinstance(cell, _Err):
                return cell
        pairs.append((first, second))
    return pairs


def _pair_names(argument: str) -> str:
    return {"events": "name | date", "prime": "date | rate"}.get(argument, "date | amount")


def _rate_table(value, argument: str):
    """A prime argument that is a date | rate table (two columns whose first holds dates) as
    pairs, or None when it is one rate or rates per row. Rates are fractions below 1 and dates
    are serials from 1 on, text or date cells, so the first column tells them apart."""
    grid = _clean_grid(value)
    if grid is None or len(grid[0]) != 2:
        return None
    firsts = [row[0] for row in grid if not _blank(row[0])]
    if not firsts:
        return None

    def datelike(cell):
        if isinstance(cell, str):
            try:
                float(cell)
            except ValueError:
                return True  # date text or a header
            return False  # a number typed as text: a rate
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            return cell >= 1
        return isinstance(cell, dt.date)

    if not all(datelike(cell) or _error_code(cell) for cell in firsts):
        return None
    return _pairs_in(value, argument, date_column=0)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _rules_in(value, argument: str):
    """Rules as the catalogue takes them: None, one text, or a list of texts from a range."""
    grid = _clean_grid(value)
    if grid is None:
        return None
    texts = []
    for row in grid:
        for cell in row:
            code = _error_code(cell)
            if code:
                return _upstream(code, argument)
            if _blank(cell):
                continue
            texts.append(cell if isinstance(cell, str) else str(cell))
    if not texts:
        return None
    return texts[0] if len(texts) == 1 else texts


_WHOLE = {
    "events": lambda v, a: _pairs_in(v, a, date_column=1),
    "offsets": lambda v, a: _pairs_in(v, a, date_column=0),
    "rules": _rules_in,
}


# --------------------------------------------------------------------------------------
# Answers out
# --------------------------------------------------------------------------------------


def _cell_out(value):
    if value is None or isinstance(value, (str, float, bool)):
        return value
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, _Err):
        return _err_cell(value)
    try:
        return float(value)  # Decimal, numpy numbers
    except (TypeError, ValueError):
        return str(value)


def _err_cell(err: _Err):
    if OFFICEJS:
        return err.code if err.code in _OFFICEJS_ERRORS else VALUE
    return err.classic_text()


def _whole_call_error(err: _Err):
    """A call that fails as a whole: one cell."""
    if OFFICEJS and err.code == VALUE:
        raise TermbookError(err.message)
    return [[_err_cell(err)]]


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------


@functools.cache
def _engine_defaults(name: str, count: int) -> tuple:
    """The catalogue's own defaults for its optional arguments (an omitted or empty optional
    argument gets exactly what the catalogue would give it)."""
    target = getattr(getattr(_catalogue, "Catalogue", None), name, None) or getattr(_catalogue, name)
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    defaults = [
        None if p.default is p.empty else p.default
        for p in params
        if p.name != "self" and p.kind in positional
    ][:count]
    return tuple(defaults) + (None,) * (count - len(defaults))


def _evaluate(name: str, spec, values):
    """Per-row functions: broadcast the per-row arguments, convert each cell, then answer all
    the rows that are neither blank nor already failed in one call to the catalogue."""
    defaults = _engine_defaults(name, len(spec))
    fixed = list(defaults)
    columns = []  # (position, argument, kind, required, grid)
    for position, ((argument, kind, required, _doc), value) in enumerate(zip(spec, values, strict=True)):
        table = _rate_table(value, argument) if kind == "rate" else None
        if kind in _WHOLE or table is not None:
            converted = table if table is not None else _WHOLE[kind](value, argument)
            if isinstance(converted, _Err):
                return _whole_call_error(converted)
            if converted is not None:
                fixed[position] = converted
        else:
            grid = _grid(value)
            if grid is not None:
                columns.append((position, argument, kind, required, grid))

    rows, cols = 1, 1
    for *_ignored, grid in columns:
        height, width = len(grid), len(grid[0])
        if height != 1:
            if rows not in (1, height):
                return _whole_call_error(_shape_error(columns))
            rows = height
        if width != 1:
            if cols not in (1, width):
                return _whole_call_error(_shape_error(columns))
            cols = width
    size = rows * cols

    # Single cells apply to every row: convert them once. Ranges become flat per-row lists.
    primary = spec[0][0]
    shared_error = None
    ranges = []  # (position, argument, kind, required, flat cells as sent)
    for position, argument, kind, required, grid in columns:
        if len(grid) == 1 and len(grid[0]) == 1:
            cell = _CONVERT[kind](grid[0][0], argument)
            if isinstance(cell, _Err):
                shared_error = shared_error or cell
            elif cell is None:
                if argument == primary:
                    return [[None] * cols for _ in range(rows)]
                if required:
                    shared_error = shared_error or _empty(argument)
            else:
                fixed[position] = cell
        else:
            ranges.append((position, argument, kind, required, _flatten(grid, rows, cols)))

    converted = _numpy_columns(ranges) if shared_error is None else None
    if converted is None:
        converted = [
            (position, argument, required,
             _date_column(flat, argument) if kind == "date" else [_CONVERT[kind](v, argument) for v in flat])
            for position, argument, kind, required, flat in ranges
        ]
    if shared_error is None and all(_clean_column(cells) for *_ignored, cells in converted):
        live = None  # every row goes to the catalogue: the common case, a column of dates
        per_row = {position: cells for position, _argument, _required, cells in converted}
        out = None
    else:
        out, live, per_row = _sort_rows(converted, size, primary, shared_error, defaults)
    if live is None or live:
        args = list(fixed)
        for position, cells in per_row.items():
            args[position] = cells
        amended_by_row = any(spec[position][0] == "amended_through" for position in per_row)
        n = size if live is None else len(live)
        answers = _answer(name, args, list(per_row), n, amended_by_row)
        if live is None:
            out = answers
        else:
            for k, answer in zip(live, answers, strict=True):
                out[k] = answer
    return _finish(out, rows, cols)


def _numpy_columns(ranges):
    """Ranges as numpy arrays when the catalogue's column path takes them (it says so in
    udfs.functions.MANY_ACCEPTS) and every cell is a plain number: date serials become
    datetime64[D] with no per-row Python. None when any range needs the cell-by-cell path."""
    accepts = getattr(_catalogue, "MANY_ACCEPTS", ())
    if not ranges or "datetime64[D]" not in accepts:
        return None
    out = []
    for position, argument, kind, required, flat in ranges:
        if argument == "amended_through":
            return None  # per-row amended_through goes row by row (see _answer)
        if kind == "date":
            array = _serial_array(flat)
        elif kind == "amount" and "float64" in accepts:
            array = _number_array(flat)
        else:
            array = None
        if array is None:
            return None
        out.append((position, argument, required, array))
    return out


def _number_array(flat: list):
    """Plain numbers (no bools, text or blanks) as float64, or None. Negative numbers go the
    cell-by-cell way too: they are refused there by name, and under Classic an error cell
    arrives as a negative COM integer that must come back as its own error."""
    if not set(map(type, flat)) <= _PLAIN_NUMBERS:
        return None
    array = np.array(flat, dtype=np.float64)
    if not len(array) or array.min() < 0:
        return None
    return array


def _serial_array(flat: list):
    """1900-system serials from 61 (1900-03-01) on as datetime64[D], or None. numpy turns a
    bool into 0 or 1 and a COM error into a negative number: both fall below 61 and send the
    column the cell-by-cell way."""
    try:
        array = np.asarray(flat)
    except (TypeError, ValueError):
        return None
    if array.ndim != 1 or array.dtype.kind not in "if" or not len(array):
        return None
    days = np.floor(array)
    if not (np.isfinite(days).all() and days.min() >= 61 and days.max() <= _LAST_SERIAL):
        return None
    return (days.astype(np.int64) - _UNIX_SERIAL).astype("datetime64[D]")


_UNIX_SERIAL = 25569  # 1970-01-01


def _date_column(flat: list, argument: str) -> list:
    """A range of date cells converted; serials already seen come straight from the cache."""
    get = _serial_cache.get
    out = []
    append = out.append
    for value in flat:
        kind = type(value)
        if kind is int or kind is float:
            date = get(value)
            if date is not None:
                append(date)
                continue
        append(_date_in(value, argument))
    return out


def _clean_column(cells) -> bool:
    """True when no cell is empty or failed (so no row needs sorting out)."""
    if isinstance(cells, np.ndarray):
        return True  # built only from plain numbers
    kinds = set(map(type, cells))
    return type(None) not in kinds and _Err not in kinds


def _sort_rows(ranges, size: int, primary: str, shared_error, defaults):
    """Rows that stay blank, rows that already failed, and rows for the catalogue."""
    out = [None] * size
    live = []
    per_row = {position: [] for position, *_ignored in ranges}
    for k in range(size):
        failed = shared_error
        blank = False
        row = []
        for position, argument, required, cells in ranges:
            cell = cells[k]
            if cell is None:
                if argument == primary:
                    blank = True
                    break
                if required:
                    failed = failed or _empty(argument)
                cell = defaults[position]
            elif type(cell) is _Err:
                failed = failed or cell
            row.append((position, cell))
        if blank:
            continue
        if failed is not None:
            out[k] = failed
            continue
        live.append(k)
        for position, cell in row:
            per_row[position].append(cell)
    return out, live, per_row


def _empty(argument: str) -> _Err:
    return _Err(VALUE, f"{argument}: the cell is empty; a value is required")


def _flatten(grid, rows: int, cols: int) -> list:
    """A range broadcast to rows x cols, flattened row by row."""
    if len(grid) == rows and len(grid[0]) == cols:
        if cols == 1:
            return [row[0] for row in grid]
        return [cell for row in grid for cell in row]
    if len(grid) == 1:  # one row repeated down
        return list(grid[0]) * rows
    return [row[0] for row in grid for _ in range(cols)]  # one column repeated across


def _answer(name: str, args: list, row_positions: list, n: int, amended_by_row: bool) -> list:
    """The catalogue's answers for n rows: `args` holds a list of n values at `row_positions`.

    Uses the engine's whole-column entry point (Catalogue.many) when it can take the call; it
    treats amended_through as one value for all rows, so a per-row amended_through goes row by
    row here instead."""
    default = getattr(_catalogue, "default_catalogue", None)
    many = getattr(default(), "many", None) if default is not None else None
    if many is not None and not amended_by_row:
        try:
            answers = many(name, args, n)
        except Exception:  # the column path could not take it: answer row by row below
            answers = None
        if answers is not None and len(answers) == n:
            return answers  # failed rows hold TermsErrors: _finish turns them into cells
    function = getattr(_catalogue, name)
    args = [a.tolist() if isinstance(a, np.ndarray) else a for a in args]  # datetime64[D] -> dates
    answers = []
    row_args = list(args)
    for i in range(n):
        for position in row_positions:
            row_args[position] = args[position][i]
        try:
            answers.append(function(*row_args))
        except TermsError as err:
            answers.append(_from_terms_error(err))
        except Exception as err:  # an engine bug must not become a traceback in a cell
            answers.append(_Err(VALUE, f"unexpected {type(err).__name__} in {name}: {err}"))
    return answers


def _shape_error(columns) -> _Err:
    shapes = ", ".join(
        f"{argument} {len(grid)}x{len(grid[0])}" for _p, argument, _k, _r, grid in columns if grid is not None
    )
    return _Err(VALUE, f"ranges of different sizes: {shapes}; use equal sizes or single cells")


def _finish(flat: list, rows: int, cols: int):
    """Cells out, rows x cols; a column in which every answer is the same #VALUE! fails as a
    whole (one cell, with the message)."""
    kinds = set(map(type, flat))
    if kinds <= _PLAIN_NUMBERS:
        total = sum(flat)  # NaN or an infinity anywhere shows in the sum
        if total == total and total not in (math.inf, -math.inf):
            with _gc_paused():
                if cols == 1:
                    return _Numbers([cell] for cell in flat)
                return _Numbers(flat[r * cols:(r + 1) * cols] for r in range(rows))
    else:  # anything but numbers: look at each cell
        flat = [_from_terms_error(cell) if isinstance(cell, TermsError) else cell for cell in flat]
        errors = {cell for cell in flat if type(cell) is _Err}
        answered = any(cell is not None and type(cell) is not _Err for cell in flat)
        if len(errors) == 1 and not answered:
            (err,) = errors
            if err.code == VALUE:
                return _whole_call_error(err)
        flat = [cell if type(cell) is float else _cell_out(cell) for cell in flat]
    with _gc_paused():
        if cols == 1:
            return [[cell] for cell in flat]
        return [flat[r * cols:(r + 1) * cols] for r in range(rows)]


class _Numbers(list):
    """An answer made only of finite plain numbers, so already in cell form: the Office.js
    result converter hands it on without looking at each cell again."""


@contextlib.contextmanager
def _gc_paused():
    """Build a 10,000-row answer (10,000 small lists) without the garbage collector running
    full passes over the whole process in the middle of it: that tripled the cost of a column.
    The lists hold no cycles; collection resumes right after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_PLAIN_NUMBERS = {float, int}


def _table(name: str, spec, values):
    """Table functions: every argument is one cell (or a two-column range); a header row."""
    args = list(_engine_defaults(name, len(spec)))
    for position, ((argument, kind, _required, _doc), value) in enumerate(zip(spec, values, strict=True)):
        if kind in _WHOLE:
            converted = _WHOLE[kind](value, argument)
        else:
            cell = _single(value, argument)
            converted = cell if isinstance(cell, _Err) else _CONVERT[kind](cell, argument)
        if isinstance(converted, _Err):
            return _whole_call_error(converted)
        if converted is not None:
            args[position] = converted
    try:
        table = getattr(_catalogue, name)(*args)
    except TermsError as err:
        return _whole_call_error(_from_terms_error(err))
    except Exception as err:  # an engine bug must not become a traceback in a cell
        return _whole_call_error(_Err(VALUE, f"unexpected {type(err).__name__} in {name}: {err}"))
    rows = [list(row) for row in table]
    width = max((len(row) for row in rows), default=0)
    return [[_cell_out(cell) for cell in row] + [None] * (width - len(row)) for row in rows]


# --------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------

# name -> [(argument, kind, required, description)] in Excel's names, from the one declaration (udfs.spec).
SPECS: dict[str, list[tuple[str, str, bool, str]]] = {
    f.name: [(a.excel_name, a.kind, a.required, a.help) for a in f.args] for f in _spec.FUNCTIONS
}

TABLES = _spec.TABLES


def _described(f):
    """Every argument raw, with its one-line description from SPECS.

    Raw: this module reads the cells itself (empty cells, error cells kept as their codes so an
    error is never mistaken for an empty cell, Office.js data-type objects, Classic COM values).
    xlwings' own cleaning of Office.js arguments costs ~0.2 ms per cell outside Pyodide (it
    retries importing pyodide for every cell), which would dominate a 10,000-row column.
    The docstring, Excel's description of the function, is made one line."""
    f.__doc__ = _spec.function(f.__name__).help
    for argument, _kind, _required, doc in SPECS[f.__name__]:
        f = xw.arg(argument, "raw", doc=doc)(f)
    return _returns(f)


# category: Classic's function wizard; namespace: Office.js. None is volatile.
_OPTIONS = {"category": CATEGORY, "namespace": NAMESPACE, "volatile": False}

if OFFICEJS:
    from xlwings.conversion import Converter
    from xlwings.pro import _xlofficejs

    class _Cells(Converter):
        """Office.js results: numbers go out as they are (a _Numbers answer without another
        look); every other cell (dates, blanks, error codes, NaN) through xlwings' own
        Office.js cell conversion, with the runtime version and the workbook's date format
        that xlwings passes in `options`. Same output as xlwings' default, without its
        per-cell overhead on a numeric column."""

        base_type = "raw"

        @staticmethod
        def write_value(value, options):
            if type(value) is _Numbers:
                return list(value)
            prepare = _xlofficejs.engine.prepare_xl_data_element
            return [
                [x if (type(x) is float and x == x) or type(x) is int else prepare(x, options) for x in row]
                for row in value
            ]

    def _returns(f):
        return xw.ret(_Cells)(f)

else:

    def _returns(f):
        return f


def _dispatch(name, *values):
    if name in TABLES:
        return _table(name, SPECS[name], values)
    return _evaluate(name, SPECS[name], values)


@xw.func(**_OPTIONS)
@_described
def LSA_AMENDMENT(as_of, amended_through=None):
    """The document whose terms govern each date, e.g. "Amendment No. 11"."""
    return _dispatch("LSA_AMENDMENT", as_of, amended_through)


@xw.func(**_OPTIONS)
@_described
def LSA_MAX_LIMIT(as_of, events=None, amended_through=None, rules=None):
    """Maximum Limit of the revolving loan on each date, in dollars, given the events delivered."""
    return _dispatch("LSA_MAX_LIMIT", as_of, events, amended_through, rules)


@xw.func(**_OPTIONS)
@_described
def LSA_CAPACITY(as_of, receivables, acceptances=None, guaranties=None, letters_of_credit=None,
                 events=None, amended_through=None, rules=None):
    """Borrowing Capacity on each date: the lesser of the Maximum Limit and 85% of receivables, less
    acceptances, guaranties and letters of credit."""
    return _dispatch("LSA_CAPACITY", as_of, receivables, acceptances, guaranties, letters_of_credit,
                     events, amended_through, rules)


@xw.func(**_OPTIONS)
@_described
def LSA_OVERADVANCE_LIMIT(as_of, term_loan_reserve=None, amended_through=None):
    """Largest overadvance permitted on each date, in dollars (0 when none is allowed)."""
    return _dispatch("LSA_OVERADVANCE_LIMIT", as_of, term_loan_reserve, amended_through)


@xw.func(**_OPTIONS)
@_described
def LSA_AVAILABILITY(as_of, receivables, outstanding, acceptances=None, guaranties=None,
                     letters_of_credit=None, term_loan_reserve=None, events=None,
                     amended_through=None, rules=None):
    """Room left to borrow on each date, in dollars: capacity (with any permitted overadvance) less
    what is outstanding."""
    return _dispatch("LSA_AVAILABILITY", as_of, receivables, outstanding, acceptances, guaranties,
                     letters_of_credit, term_loan_reserve, events, amended_through, rules)


@xw.func(**_OPTIONS)
@_described
def LSA_PRIME(as_of):
    """US bank prime rate on each date, as a fraction (built-in table, Federal Reserve H.15)."""
    return _dispatch("LSA_PRIME", as_of)


@xw.func(**_OPTIONS)
@_described
def LSA_MARGIN(as_of, facility, amended_through=None):
    """Margin over prime for the facility on each date, as a fraction (pricing grid)."""
    return _dispatch("LSA_MARGIN", as_of, facility, amended_through)


@xw.func(**_OPTIONS)
@_described
def LSA_RATE(as_of, facility, prime=None, amended_through=None):
    """Interest rate for the facility on each date: prime plus margin, as a fraction."""
    return _dispatch("LSA_RATE", as_of, facility, prime, amended_through)


@xw.func(**_OPTIONS)
@_described
def LSA_INTEREST(start_date, end_date, balance, facility, prime=None, day_count=None,
                 amended_through=None, rules=None):
    """Interest on a balance from start_date up to (not including) end_date, each day at that day's rate."""
    return _dispatch("LSA_INTEREST", start_date, end_date, balance, facility, prime, day_count,
                     amended_through, rules)


@xw.func(**_OPTIONS)
@_described
def LSA_FEES_DUE(start_date, end_date, events=None, amended_through=None, rules=None):
    """Fee installments due from start_date to end_date (both included) after waivers, in dollars."""
    return _dispatch("LSA_FEES_DUE", start_date, end_date, events, amended_through, rules)


@xw.func(**_OPTIONS)
@_described
def LSA_FEE_SCHEDULE(events=None, amended_through=None, rules=None):
    """Table of every fee installment: scheduled and due dates, amount, status, reason, citation."""
    return _dispatch("LSA_FEE_SCHEDULE", events, amended_through, rules)


@xw.func(**_OPTIONS)
@_described
def LSA_DEADLINES(amended_through=None):
    """Table of covenant and condition deadlines in the documents, with citations."""
    return _dispatch("LSA_DEADLINES", amended_through)


@xw.func(**_OPTIONS)
@_described
def SEV_SCHEDULE(annual_salary, offsets=None, rule=None):
    """Table of severance installments: due date, gross, offset and net amounts."""
    return _dispatch("SEV_SCHEDULE", annual_salary, offsets, rule)


@xw.func(**_OPTIONS)
@_described
def SEV_PAYMENT(as_of, annual_salary, offsets=None, rule=None):
    """Net severance installment due on each date, after offsets (0 on other days)."""
    return _dispatch("SEV_PAYMENT", as_of, annual_salary, offsets, rule)


@xw.func(**_OPTIONS)
@_described
def SEV_LATE_INTEREST(due_date, paid_date, amount, rule=None):
    """Interest at 18% a year on a severance installment paid more than ten days late."""
    return _dispatch("SEV_LATE_INTEREST", due_date, paid_date, amount, rule)


@xw.func(**_OPTIONS)
@_described
def SEV_ELECTION(election, outplacement_cost, lease_cost, transfer_accepted=None):
    """Amount for the outplacement / auto lease election under the severance letter (greater-of rule)."""
    return _dispatch("SEV_ELECTION", election, outplacement_cost, lease_cost, transfer_accepted)


@xw.func(**_OPTIONS)
@_described
def TERMS_INFO(rules=None, amended_through=None):
    """(help from udfs.spec)"""
    return _dispatch("TERMS_INFO", rules, amended_through)


@xw.func(**_OPTIONS)
@_described
def LSA_EXPLAIN(as_of, events=None, amended_through=None, rules=None):
    """(help from udfs.spec)"""
    return _dispatch("LSA_EXPLAIN", as_of, events, amended_through, rules)
