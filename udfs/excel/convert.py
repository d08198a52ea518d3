"""Cells in and answers out: what xlwings hands a function (ranges as rows of cells, serial dates,
empty and error cells, Office.js value objects, Classic COM values) as the catalogue's arguments,
and the catalogue's answers as cell values.

Every payload shape is checked here: a range is a rectangle of rows, a cell holds one plain value
(number, text, TRUE/FALSE, date, empty, an error), numbers are finite. Anything else is an Err
naming the argument and why, never an exception.
"""

from __future__ import annotations

import datetime as dt
import math

from udfs.excel import errors
from udfs.excel.errors import VALUE, Err, error_code, shown, upstream

# -- one cell ------------------------------------------------------------------------------------

_EPOCH = dt.date(1899, 12, 30)  # serial 61 and later: 1899-12-30 + serial
LAST_SERIAL = 2958465  # 9999-12-31
UNIX_SERIAL = 25569  # 1970-01-01
_serial_cache: dict = {}
_SCALARS = (str, int, float, dt.date)  # bool is an int; datetime a date


def plain(value, argument: str):
    """A cell that is not a number, text, TRUE/FALSE, date or empty as its plain value: an Office.js
    error object becomes its code text, a value object (formatted number, entity) its basic value,
    Pyodide's JsNull (an empty cell) None. Anything else a cell cannot hold is an Err."""
    if value is None or isinstance(value, _SCALARS):
        if isinstance(value, float) and not math.isfinite(value):
            return errors.not_finite(argument, value)
        return value
    if isinstance(value, dict):
        kind = value.get("type")
        if kind == "Error":
            code = value.get("basicValue") or errors.ERROR_TYPES.get(value.get("errorType"), VALUE)
            return code if code in errors.ERROR_TEXTS else VALUE
        if isinstance(kind, str) and "basicValue" in value:
            inner = value["basicValue"]
            if inner is None or (isinstance(inner, _SCALARS) and not isinstance(inner, dt.date)):
                return plain(inner, argument)
        return Err(VALUE, f"{argument}: a cell holds {shown(value)}, which is not a value Excel sends")
    if type(value).__name__ == "JsNull":
        return None
    if isinstance(value, (list, tuple)):
        return Err(VALUE, f"{argument}: a cell holds a list ({shown(value)}); a cell holds one value")
    return Err(VALUE, f"{argument}: a cell holds a {type(value).__name__} ({shown(value)}), not a value")


def serial_to_date(serial, argument: str):
    """An Excel 1900-system serial as a date (time of day dropped), or an Err."""
    date = _serial_cache.get(serial)
    if date is not None:
        return date
    if isinstance(serial, float) and not math.isfinite(serial):
        return Err(VALUE, f"{argument}: {serial!r} is not a date")
    day = math.floor(serial)
    if day < 1 or day > LAST_SERIAL:
        return Err(VALUE, f"{argument}: {shown(serial)} is not an Excel date serial (1 to {LAST_SERIAL})")
    if day == 60:
        return Err(VALUE, f"{argument}: serial 60 is 1900-02-29, which Excel shows but never existed")
    # Excel counts a 1900-02-29 that never was: serials before it are one day earlier.
    date = _EPOCH + dt.timedelta(days=day if day > 60 else day + 1)
    if len(_serial_cache) < 100_000:
        _serial_cache[serial] = date
    return date


def date_in(value, argument: str):
    """A date-ish cell as the catalogue takes it: date, text, or None when blank."""
    kind = type(value)
    if kind is float or kind is int:
        code = error_code(value)
        if code:
            return upstream(code, argument)
        return serial_to_date(value, argument)
    if value is None:
        return None
    if kind is str:
        if value in errors.ERROR_TEXTS:
            return upstream(value, argument)
        return value if value.strip() else None  # text: the engine parses it
    if isinstance(value, dt.datetime):  # Classic: date-formatted cells (pywintypes datetimes)
        return value.date()
    if kind is dt.date:
        return value
    if kind is Err:
        return value
    cell = plain(value, argument)
    if cell is value:  # a plain value of no kind a date can be (TRUE/FALSE)
        return Err(VALUE, f"{argument}: {shown(value)} is not a date")
    return date_in(cell, argument)


def amount_in(value, argument: str):
    kind = type(value)
    if kind is float or kind is int:
        code = error_code(value)
        if code:
            return upstream(code, argument)
        if kind is float and not math.isfinite(value):
            return errors.not_finite(argument, value)
        return value
    if value is None:
        return None
    if kind is str:
        if value in errors.ERROR_TEXTS:
            return upstream(value, argument)
        return value if value.strip() else None  # text: the engine parses "1,000" or refuses
    if kind is Err:
        return value
    cell = plain(value, argument)
    if cell is not value:
        return amount_in(cell, argument)
    if isinstance(value, bool):
        return Err(VALUE, f"{argument}: {value!r} is not an amount")
    if isinstance(value, dt.date):
        return Err(VALUE, f"{argument}: {value.isoformat()} is a date, not an amount")
    return amount_in(float(value), argument)  # an int or float subclass (numpy numbers)


def text_in(value, argument: str):
    if value is None:
        return None
    if type(value) is str:
        if value in errors.ERROR_TEXTS:
            return upstream(value, argument)
        return value if value.strip() else None
    if type(value) is Err:
        return value
    cell = plain(value, argument)
    if cell is not value:
        return text_in(cell, argument)
    code = error_code(value)
    if code:
        return upstream(code, argument)
    if isinstance(value, (bool, dt.date)):
        return Err(VALUE, f"{argument}: {shown(value)} is not text")
    return value  # a number where text is expected: the engine says why it is wrong


_TRUTH = {"true": True, "false": False, "yes": True, "no": False}


def bool_in(value, argument: str):
    if value is None or isinstance(value, bool) or type(value) is Err:
        return value
    cell = plain(value, argument)
    if cell is not value:
        return bool_in(cell, argument)
    code = error_code(value)
    if code:
        return upstream(code, argument)
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        if not value.strip():
            return None
        if value.strip().lower() in _TRUTH:
            return _TRUTH[value.strip().lower()]
    return Err(VALUE, f"{argument}: {shown(value)} is not TRUE or FALSE")


# "rate": an amount per row, unless it is a date | rate table (see rate_table)
CONVERT = {"date": date_in, "amount": amount_in, "rate": amount_in, "text": text_in, "bool": bool_in}


def blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# -- ranges --------------------------------------------------------------------------------------


def grid(value, argument: str):
    """An argument as a rectangle of rows (a list of lists), None if omitted, or an Err.

    xlwings passes a range raw: a list of rows (tuples under Classic), a bare list for a one-row
    range Office.js unwrapped, a scalar for one cell. Rows of different lengths, rows mixed with
    cells, and lists inside cells are refused here."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if not value:
        return None
    first = value[0]
    if not isinstance(first, (list, tuple)):
        if any(isinstance(cell, (list, tuple)) for cell in value):
            return Err(VALUE, f"{argument}: mixes cells and rows; give a rectangular range")
        return [list(value)]
    width = len(first)
    for number, row in enumerate(value, start=1):
        if not isinstance(row, (list, tuple)):
            return Err(VALUE, f"{argument}: row {number} is {shown(row)}, not a row of cells; "
                              "give a rectangular range")
        if len(row) != width:
            return Err(VALUE, f"{argument}: rows of different lengths ({width} and {len(row)} cells, row "
                              f"{number}); give a rectangular range")
    if not width:
        return None
    return value


def clean_grid(value, argument: str):
    """A small range (events, offsets, rules, one-cell arguments) with every cell made plain, or an Err."""
    rows = grid(value, argument)
    if rows is None or type(rows) is Err:
        return rows
    out = []
    for row in rows:
        cells = []
        for cell in row:
            cell = plain(cell, argument)
            if type(cell) is Err:
                return cell
            cells.append(cell)
        out.append(cells)
    return out


def single(value, argument: str):
    """One cell from a grid, for arguments that cannot vary by row."""
    rows = clean_grid(value, argument)
    if rows is None or type(rows) is Err:
        return rows
    cells = [c for row in rows for c in row]
    if len(cells) == 1:
        return cells[0]
    if not [c for c in cells if not blank(c)]:
        return None
    return Err(VALUE, f"{argument}: give one cell, not a range of {len(rows)}x{len(rows[0])}")


_HEADER_WORDS = {
    "events": {"event", "events", "name", "event name"},
    "offsets": {"date", "received", "date received"},
    "prime": {"date", "from", "effective", "effective date"},
    "collateral": {"component", "collateral", "name"},
}


def _pair_names(argument: str) -> str:
    return {"events": "name | date", "prime": "date | rate", "collateral": "component | amount"}.get(
        argument, "date | amount")


def pairs_in(value, argument: str, date_column: int):
    """A two-column range of pairs (events: name | date; offsets: date | amount).

    Blank rows are dropped, a header row is skipped, serials in the date column become dates
    and an error cell anywhere makes the whole argument that error."""
    rows = clean_grid(value, argument)
    if rows is None or type(rows) is Err:
        return rows
    if len(rows) == 1 and len(rows[0]) == 1:
        only = rows[0][0]
        if blank(only):
            return None
        code = error_code(only)
        if code:
            return upstream(code, argument)
        return Err(VALUE, f"{argument}: give a two-column range ({_pair_names(argument)}), not one cell")
    width = len(rows[0])
    if width > 2 and len(rows) == 2:  # a two-row range laid out sideways (a 2x2 reads as rows)
        rows = [list(col) for col in zip(*rows, strict=True)]
        width = 2
    if width != 2:
        return Err(VALUE, f"{argument}: give a two-column range ({_pair_names(argument)}), not {width} columns")
    pairs = []
    for number, (first, second) in enumerate(rows, start=1):
        for cell in (first, second):
            code = error_code(cell)
            if code:
                return Err(code, f"{argument} row {number} holds {code}")
        if blank(first) and blank(second):
            continue
        if number == 1 and isinstance(first, str) and first.strip().lower() in _HEADER_WORDS.get(argument, ()):
            continue
        if date_column is None:
            pass  # name | amount: the catalogue checks both
        elif date_column == 1:
            second = date_in(second, f"{argument} row {number} date")
        else:
            first = date_in(first, f"{argument} row {number} date")
            if first is None:
                return Err(VALUE, f"{argument} row {number}: the date is empty")
        for cell in (first, second):
            if type(cell) is Err:
                return cell
        pairs.append((first, second))
    return pairs


def rate_table(value, argument: str):
    """A prime argument that is a date | rate table (two columns whose first holds dates) as
    pairs, or None when it is one rate or rates per row. Rates are fractions below 1 and dates
    are serials from 1 on, text or date cells, so the first column tells them apart."""
    rows = clean_grid(value, argument)
    if rows is None or type(rows) is Err or len(rows[0]) != 2:
        return None  # not a table: read cell by cell (which refuses what is wrong)
    firsts = [row[0] for row in rows if not blank(row[0])]
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

    if not all(datelike(cell) or error_code(cell) for cell in firsts):
        return None
    return pairs_in(value, argument, date_column=0)


def rules_in(value, argument: str):
    """Rules as the catalogue takes them: None, one text, or a list of texts from a range."""
    rows = clean_grid(value, argument)
    if rows is None or type(rows) is Err:
        return rows
    texts = []
    for row in rows:
        for cell in row:
            code = error_code(cell)
            if code:
                return upstream(code, argument)
            if blank(cell):
                continue
            texts.append(cell if isinstance(cell, str) else str(cell))
    if not texts:
        return None
    return texts[0] if len(texts) == 1 else texts


WHOLE = {
    "events": lambda v, a: pairs_in(v, a, date_column=1),
    "offsets": lambda v, a: pairs_in(v, a, date_column=0),
    "collateral": lambda v, a: pairs_in(v, a, date_column=None),
    "rules": rules_in,
}


def date_column(flat: list, argument: str) -> list:
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
        append(date_in(value, argument))
    return out


# -- answers out ---------------------------------------------------------------------------------


def cell_out(value, officejs: bool, name: str):
    """One answer as a cell: numbers finite, dates as dates, errors by the runtime's convention."""
    kind = type(value)
    if kind is float:
        if math.isfinite(value):
            return value
        return errors.cell(not_finite_answer(name, value), officejs)
    if value is None or kind is str or kind is bool or kind is int:
        return value
    if isinstance(value, dt.date):
        return value
    if kind is Err:
        return errors.cell(value, officejs)
    try:
        return cell_out(float(value), officejs, name)  # Decimal, numpy numbers
    except (TypeError, ValueError, OverflowError):
        return str(value)


def not_finite_answer(name: str, value) -> Err:
    return Err(errors.NUM, f"{name}: the answer ({value!r}) is not a finite number; check the amounts given")
