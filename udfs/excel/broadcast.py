"""Answering a call: per-row arguments broadcast over ranges and handed to the catalogue's `many`
column by column; table functions answered once.

* Any per-row argument may be one cell or a range; ranges broadcast like numpy (equal sizes, or
  1) and the answer has the broadcast shape, so a column of dates gives a column.
* A row whose first argument is empty gives an empty cell; a row that fails is its own error
  cell; a column in which every row fails with the same #VALUE! fails as a whole.
* A column of plain numbers (date serials, amounts) goes to `Catalogue.many` as a numpy array
  (datetime64[D], float64) with no per-row Python; anything else is converted cell by cell, and
  so is every column when numpy is not installed (udfs.engine.lazy decides; MANY_ACCEPTS is empty).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import math
from collections import namedtuple

from udfs.catalogue import functions as catalogue
from udfs.catalogue.spec import BY_NAME
from udfs.deal.errors import TermsError
from udfs.engine.lazy import is_array
from udfs.excel import convert, errors
from udfs.excel.errors import VALUE, Err
from udfs.excel.number_columns import number_array, serial_array


class Column(namedtuple("Column", "position argument kind required height width grid flat")):
    """A per-row argument as sent: its place in the call, its declaration (argument, kind, required), its
    shape (height x width), and its cells: `grid` (rows of cells) or `flat` (a one-column range read
    cheaply, or after broadcasting, the rows' cells in order). A named tuple, as the deal's records
    (why: udfs/deal/records.py)."""

    __slots__ = ()


class PerRow(namedtuple("PerRow", "position argument required cells")):
    """A per-row argument converted: one value (or Err, or None) a row, or a numpy column."""

    __slots__ = ()


class Answer:
    """A call's answer as rows of cells. `numbers`: every cell is a finite int or float, so the
    Office.js result converter hands the rows on without looking at each cell again. Not a list,
    so xlwings does not walk 10,000 rows to check they are all as long (they are, by construction)."""

    __slots__ = ("rows", "numbers")

    def __init__(self, rows: list, numbers: bool = False):
        self.rows = rows
        self.numbers = numbers

    def __eq__(self, other):
        return self.rows == (other.rows if isinstance(other, Answer) else other)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def __repr__(self):
        return f"Answer({self.rows!r})"


def dispatch(name: str, values: tuple, officejs: bool) -> Answer:
    """`name` answered for the cells xlwings passed (one value per declared argument, or more)."""
    function = BY_NAME[name]
    try:
        args = function.args
        if len(values) > len(args):
            extra = [v for v in values[len(args):] if v is not None]
            if extra:
                names = ", ".join(a.excel_name for a in args)
                count = f"{len(args)} argument{'s' if len(args) != 1 else ''}"
                return _failed(Err(VALUE, f"{name} takes at most {count} ({names}); got {len(values)}"), officejs)
            values = values[:len(args)]
        spec = [(a.excel_name, a.kind, a.required) for a in args]
        if function.table:
            return Answer(_table(name, spec, values, officejs))
        return _evaluate(name, spec, values, officejs)
    except errors.TermbookError:
        raise
    except Exception as exc:  # a fault of this layer or the engine must not escape as a traceback
        return _failed(errors.unexpected(name, exc), officejs)


def _failed(err: Err, officejs: bool) -> Answer:
    return Answer(errors.whole_call(err, officejs))


@functools.cache
def engine_defaults(name: str, count: int) -> tuple:
    """The catalogue's own defaults for its optional arguments (an omitted or empty optional
    argument gets exactly what the catalogue would give it)."""
    target = getattr(catalogue.Catalogue, name)
    params = [p for p in inspect.signature(target).parameters.values() if p.name != "self"]
    defaults = [None if p.default is p.empty else p.default for p in params][:count]
    return tuple(defaults) + (None,) * (count - len(defaults))


# -- table functions -----------------------------------------------------------------------------


def _table(name: str, spec, values, officejs: bool) -> list:
    """Every argument is one cell (or a two-column range); the answer is a table with a header row."""
    args = list(engine_defaults(name, len(spec)))
    for position, ((argument, kind, _required), value) in enumerate(zip(spec, values, strict=False)):
        if kind in convert.WHOLE:
            converted = convert.WHOLE[kind](value, argument)
        else:
            cell = convert.single(value, argument)
            converted = cell if type(cell) is Err else convert.CONVERT[kind](cell, argument)
        if type(converted) is Err:
            return errors.whole_call(converted, officejs)
        if converted is not None:
            args[position] = converted
    try:
        table = getattr(catalogue, name)(*args)
    except TermsError as err:
        return errors.whole_call(errors.from_terms_error(err), officejs)
    except Exception as err:  # an engine bug must not become a traceback in a cell
        return errors.whole_call(errors.unexpected(name, err), officejs)
    rows = [list(row) for row in table]
    width = max((len(row) for row in rows), default=0)
    if not width:
        return [[None]]
    return [[convert.cell_out(cell, officejs, name) for cell in row] + [None] * (width - len(row)) for row in rows]


# -- per-row functions ---------------------------------------------------------------------------


def _evaluate(name: str, spec, values, officejs: bool) -> Answer:
    """Broadcast the per-row arguments, convert each cell, then answer all the rows that are
    neither blank nor already failed in one call to the catalogue."""
    defaults = engine_defaults(name, len(spec))
    fixed = list(defaults)
    columns = _read(spec, values, fixed)
    if type(columns) is Err:
        return _failed(columns, officejs)

    rows, cols = 1, 1
    for c in columns:
        if c.height != 1:
            if rows not in (1, c.height):
                return _failed(_shape_error(columns), officejs)
            rows = c.height
        if c.width != 1:
            if cols not in (1, c.width):
                return _failed(_shape_error(columns), officejs)
            cols = c.width
    size = rows * cols

    # Single cells apply to every row: convert them once. Ranges become flat per-row lists.
    primary = spec[0][0]
    shared_error = None
    ranges = []  # the ranges, each with its cells flat, broadcast to rows x cols
    for c in columns:
        if c.height == 1 and c.width == 1:
            cell = convert.CONVERT[c.kind](c.grid[0][0], c.argument)
            if type(cell) is Err:
                shared_error = shared_error or cell
            elif cell is None:
                if c.argument == primary:
                    return Answer([[None] * cols for _ in range(rows)])
                if c.required:
                    shared_error = shared_error or errors.empty(c.argument)
            else:
                fixed[c.position] = cell
        elif c.flat is None:
            ranges.append(c._replace(flat=_flatten(c.grid, rows, cols)))
        else:  # a one-column range; repeated across when the answer is wider
            ranges.append(c if cols == 1 else c._replace(flat=[cell for cell in c.flat for _ in range(cols)]))

    converted = _numpy_columns(ranges) if shared_error is None else None
    if converted is None:
        for c in columns:
            if c.flat is not None:  # read cheaply as a column: now check its rows as convert.grid does
                checked = convert.grid(values[c.position], c.argument)
                if type(checked) is Err:
                    return _failed(checked, officejs)
        converted = [
            PerRow(c.position, c.argument, c.required,
                   convert.date_column(c.flat, c.argument) if c.kind == "date"
                   else [convert.CONVERT[c.kind](v, c.argument) for v in c.flat])
            for c in ranges
        ]
    if shared_error is None and all(_clean_column(r.cells) for r in converted):
        live = None  # every row goes to the catalogue: the common case, a column of dates
        per_row = {r.position: r.cells for r in converted}
        out = None
    else:
        out, live, per_row = _sort_rows(converted, size, primary, shared_error, defaults)
    if live is None or live:
        args = list(fixed)
        for position, cells in per_row.items():
            args[position] = cells
        # the catalogue's column entry point: numpy columns where it can, else row by row (so is a
        # per-row amended_through); a row that fails holds its TermsError, which _finish makes a cell
        answers = catalogue.default_catalogue().many(name, args, size if live is None else len(live))
        if live is None:
            out = answers
        else:
            for k, answer in zip(live, answers, strict=True):
                out[k] = answer
    return _finish(name, out, rows, cols, officejs)


def _read(spec, values, fixed: list):
    """Whole-range arguments (events, offsets, rules, a prime table) converted into `fixed`; the
    others as Columns."""
    columns = []
    for position, ((argument, kind, required), value) in enumerate(zip(spec, values, strict=False)):
        table = convert.rate_table(value, argument) if kind == "rate" else None
        if kind in convert.WHOLE or table is not None:
            converted = table if table is not None else convert.WHOLE[kind](value, argument)
            if type(converted) is Err:
                return converted
            if converted is not None:
                fixed[position] = converted
            continue
        flat = _column(value)
        if flat is not None:
            columns.append(Column(position, argument, kind, required, len(flat), 1, None, flat))
            continue
        rows = convert.grid(value, argument)
        if type(rows) is Err:
            return rows
        if rows is not None:
            columns.append(Column(position, argument, kind, required, len(rows), len(rows[0]), rows, None))
    return columns


def _column(value):
    """A one-column range of more than one row as a flat list of its cells, cheaply, or None
    (then convert.grid reads it and refuses what is not a rectangle)."""
    if type(value) is list and len(value) > 1 and type(value[0]) in (list, tuple) and len(value[0]) == 1:
        try:
            return [cell for (cell,) in value]  # a row of any other length, or no row, raises
        except (TypeError, ValueError):
            return None
    return None


def _flatten(grid, rows: int, cols: int) -> list:
    """A range broadcast to rows x cols, flattened row by row."""
    if len(grid) == rows and len(grid[0]) == cols:
        if cols == 1:
            return [row[0] for row in grid]
        return [cell for row in grid for cell in row]
    if len(grid) == 1:  # one row repeated down
        return list(grid[0]) * rows
    return [row[0] for row in grid for _ in range(cols)]  # one column repeated across


def _shape_error(columns) -> Err:
    shapes = ", ".join(f"{c.argument} {c.height}x{c.width}" for c in columns)
    return Err(VALUE, f"ranges of different sizes: {shapes}; use equal sizes or single cells")


def _numpy_columns(ranges):
    """Ranges as numpy arrays when the catalogue's column path takes them (it says so in
    udfs.catalogue.functions.MANY_ACCEPTS) and every cell is a plain number: date serials become
    datetime64[D] with no per-row Python. None when any range needs the cell-by-cell path."""
    accepts = catalogue.MANY_ACCEPTS
    if not ranges or "datetime64[D]" not in accepts:
        return None
    out = []
    for c in ranges:
        if c.argument == "amended_through":
            return None  # a per-row amended_through goes row by row (Catalogue.many)
        if c.kind == "date":
            values = serial_array(c.flat)
        elif c.kind == "amount" and "float64" in accepts:
            values = number_array(c.flat)
        else:
            values = None
        if values is None:
            return None
        out.append(PerRow(c.position, c.argument, c.required, values))
    return out


def _clean_column(cells) -> bool:
    """True when no cell is empty or failed (so no row needs sorting out)."""
    if is_array(cells):
        return True  # built only from plain numbers
    kinds = set(map(type, cells))
    return type(None) not in kinds and Err not in kinds


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
                    failed = failed or errors.empty(argument)
                cell = defaults[position]
            elif type(cell) is Err:
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


def _finish(name: str, flat: list, rows: int, cols: int, officejs: bool) -> Answer:
    """Cells out, rows x cols; a column in which every answer is the same #VALUE! fails as a
    whole (one cell, with the message)."""
    try:
        total = sum(flat)  # numbers only, or a TypeError; NaN or an infinity shows in the sum
    except TypeError:
        total = None
    if total is not None and math.isfinite(total):
        with gc_paused():
            if cols == 1:
                return Answer([[cell] for cell in flat], numbers=True)
            return Answer([flat[r * cols:(r + 1) * cols] for r in range(rows)], numbers=True)
    flat = [errors.from_terms_error(cell) if isinstance(cell, TermsError) else cell for cell in flat]
    failures = {cell for cell in flat if type(cell) is Err}
    answered = any(cell is not None and type(cell) is not Err for cell in flat)
    if len(failures) == 1 and not answered:
        (err,) = failures
        if err.code == VALUE:
            return _failed(err, officejs)
    flat = [convert.cell_out(cell, officejs, name) for cell in flat]
    with gc_paused():
        if cols == 1:
            return Answer([[cell] for cell in flat])
        return Answer([flat[r * cols:(r + 1) * cols] for r in range(rows)])


@contextlib.contextmanager
def gc_paused():
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
