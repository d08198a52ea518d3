"""Small cell helpers the fee tables of the Terms tab share (a date or Never as a serial, an event's words,
a column's letters, a wrapped row's height)."""

from __future__ import annotations

from workbook.context import Context
from workbook.tables.terms_columns import WIDTHS
from workbook.xl import NEVER_SERIAL, col_name, column_px, row_height, serial, wrapped_lines


def date_serial(day) -> int:
    return NEVER_SERIAL if day is None else serial(day)


def event_words(ctx: Context, key) -> str | None:
    """An event's label, beside the code the formulas match on."""
    return f"({ctx.deal.events[key]['label']})" if key in ctx.deal.events else None


def col(c: int) -> str:
    return col_name(c)


def wrapped_height(texts) -> float:
    """Row height for texts wrapped in the Terms tab's columns, from the font's metrics."""
    lines = [wrapped_lines(t, column_px(WIDTHS[j] if j < len(WIDTHS) else 24)) if t else 1
             for j, t in enumerate(texts)]
    return row_height(max(lines, default=1))
