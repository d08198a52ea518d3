"""A schedule of days as columns: a header row, then one row a day, the same formula down each column
(a column's template written once, its row number filled in per row), each cell storing the engine's value.
`ctx` is the build's context (workbook.context.Context): its days, defined names, flavor and progress."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from workbook.xl import FastCells, Sheet, cell_text, col_name, serial

ROW_MARK = "\x00"  # stands for the row number while a column's formula is prepared
ARRAY_ROW = re.compile(r"([A-Z]{1,3})\{r\}")  # a same-row reference in a column template


@dataclass
class Column:
    """One schedule column: the same formula down every row ({r} is the Excel row number)."""

    key: str
    header: str
    kind: str  # number format kind
    formula: object  # portable template: str or callable(letters) -> str; None: a data column
    values: list  # stored values, one per row
    live: object = None  # live-flavor template (str or callable), if it differs
    width: float = 12
    role: str = "calc"
    name: str | None = None  # defined name for the whole column
    until: tuple | None = None  # (defined name, date): rows after the view's term end are empty ("")


def write_columns(ctx, sheet: Sheet, top: int, columns: list[Column], n: int, left: int = 0):
    """Header row at `top`, then n rows, one consistent formula per column; frozen header."""
    ws = sheet.ws
    header_fmt = sheet.fmt("header")
    # tall enough for the longest wrapped header (bold text: about 0.9 characters a width unit)
    lines = max([-(-len(c.header) * 10 // max(1, int(c.width * 9))) for c in columns] + [3])
    ws.set_row(top, 12 * lines + 3)
    for j, col in enumerate(columns):
        ws.write_string(top, left + j, cell_text(col.header), header_fmt)
        ws.set_column(left + j, left + j, col.width)
        if col.name:
            ctx.define(col.name, sheet.name, top + 1, left + j, top + n, left + j)
    ws.freeze_panes(top + 1, left + 2 if len(columns) > 2 else left)
    letters = {c.key: col_name(left + j) for j, c in enumerate(columns)}
    fast = FastCells(ws)
    prepared = []
    arrays = []
    for j, col in enumerate(columns):
        fmt = sheet.fmt(col.role, col.kind)
        values = col.values
        if col.until is not None:  # rows after the view's term end are empty
            values = ["" if day > col.until[1] else v for day, v in zip(ctx.days, values, strict=True)]
        if any(isinstance(v, dt.date) for v in values[:1]):
            values = [serial(v) if isinstance(v, dt.date) else v for v in values]
        if col.formula is None:
            prepared.append((left + j, None, fmt, values))
            continue
        live = ctx.flavor == "live" and col.live
        template = ctx.pick(col.formula, col.live)
        if callable(template):
            template = template(letters)
        if col.until is not None:
            template = f'=IF({letters["date"]}{{r}}>{col.until[0]},"",{template[1:]})'
        if live:  # one call for the whole column: an array formula over the column's range
            whole = ARRAY_ROW.sub(lambda m: f"{m.group(1)}{top + 2}:{m.group(1)}{top + 1 + n}", template)
            arrays.append((left + j, whole, fmt, values))
            continue
        marked = template.replace("{r}", ROW_MARK)
        prepared.append((left + j, fast.prepare(marked).split(ROW_MARK), fmt, values))
    step = max(1, n // 100)
    for i in range(n):
        row = top + 1 + i
        r = str(row + 1)
        for c, parts, fmt, values in prepared:
            value = values[i]
            if parts is None:  # a data column
                fast.number(row, c, value, fmt)
            else:
                fast.formula(row, c, r.join(parts), fmt, "" if value is None else value)
        if ctx.progress is not None and i % step == 0:
            ctx.progress.update(sheet.name, i, n)
    for c, formula, fmt, values in arrays:
        _array_cells(ws, top + 1, c, n, formula, fmt, values)
    if n:
        fast.touch(top + 1, left, top + n, left + len(columns) - 1)
    if ctx.progress is not None:
        ctx.progress.update(sheet.name, n, n)
    ws.repeat_rows(top)
    return top + 1 + n


def _array_cells(ws, first: int, col: int, n: int, formula: str, fmt, values: list):
    """An array formula over rows first..first+n-1 of one column, each cell keeping its stored value."""
    ws.write_array_formula(first, col, first + n - 1, col, "{" + formula + "}", fmt,
                           "" if values[0] is None else values[0])
    for i in range(1, n):
        value = values[i]
        if value is None or value == "":
            ws.write_blank(first + i, col, None, fmt)
        elif isinstance(value, str):
            ws.write_string(first + i, col, cell_text(value), fmt)
        else:
            ws.write_number(first + i, col, value, fmt)
