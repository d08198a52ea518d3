"""Answers as an analyst reads them in a terminal, or as JSON at full precision.

Text: money to the cent with thousands separators (1,750,000.00), rates in percent (4.25%), dates
ISO, tables in aligned columns (numbers right-aligned). JSON: the same kind of answer always has
the same type: money and rates are floats, counts are integers, dates are "YYYY-MM-DD".
"""

from __future__ import annotations

import datetime as dt


def money(value: float) -> str:
    text = f"{value:,.2f}"
    return "0.00" if text == "-0.00" else text


def percent(value: float) -> str:
    """0.0425 -> 4.25%; up to four decimals of a percent (a hundredth of a basis point), at least two."""
    text = f"{value * 100:.4f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}%"


def _cell(value, kind: str = "money") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and kind == "cell":
        return str(value)  # a count in a table (an installment's number)
    if isinstance(value, (int, float)):
        return percent(value) if kind == "rate" else money(value)
    return str(value)


def _json_value(value, kind: str = "money"):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and kind == "count":
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def _json_table(rows: list) -> list:
    # A column keeps one type for its numbers: integers stay integers only when every number in the
    # column is one (an installment's number); otherwise every number is a float (money, rates).
    body = rows[1:]

    def numbers(i):
        return [r[i] for r in body if i < len(r) and isinstance(r[i], (int, float)) and not isinstance(r[i], bool)]

    counts = {i for i in range(len(rows[0])) if numbers(i) and all(isinstance(v, int) for v in numbers(i))}
    return [list(rows[0])] + [[_json_value(v, "count" if i in counts else "money") for i, v in enumerate(r)]
                              for r in body]


NARROWEST = 16  # a wrapped text column keeps at least this many characters a line


def table(rows: list, fit: int | None = None) -> str:
    """Aligned columns, numbers right-aligned. `fit`: a terminal's width; the widest text columns then
    wrap onto more lines until a row fits (a pipe or a file gets one line a row, for grep and scripts)."""
    cells = [[_cell(v, "cell") for v in row] for row in rows]
    width = max(len(r) for r in cells)
    cells = [r + [""] * (width - len(r)) for r in cells]
    widths = [max(len(r[i]) for r in cells) for i in range(width)]
    numeric = [all(isinstance(r[i], (int, float)) and not isinstance(r[i], bool) for r in rows[1:]
                   if i < len(r) and r[i] is not None) and len(rows) > 1 for i in range(width)]
    if fit is not None:
        widths = _narrowed(widths, numeric, fit)
        if sum(widths) + 2 * (len(widths) - 1) > fit:  # too many columns for the width: one row a block
            return _vertical(cells, fit)
    lines = []
    for row in cells:
        parts = [_wrapped(c, w) for c, w in zip(row, widths)]
        for k in range(max(len(p) for p in parts)):
            line = [(p[k] if k < len(p) else "") for p in parts]
            lines.append("  ".join(c.rjust(w) if num else c.ljust(w)
                                   for c, w, num in zip(line, widths, numeric)).rstrip())
    return "\n".join(lines)


def _vertical(cells: list[list[str]], fit: int) -> str:
    """A table too wide for the terminal even wrapped: each row as a block of "heading: value" lines,
    the values wrapped to the width, a blank line between rows."""
    heads = cells[0]
    label = min(max(len(h) for h in heads), fit // 3)
    room = max(NARROWEST, fit - label - 2)
    blocks = []
    for row in cells[1:]:
        lines = []
        for head, value in zip(heads, row):
            for k, part in enumerate(_wrapped(value, room)):
                lines.append(f"{(head[:label] + ':') if k == 0 else '':<{label + 1}} {part}".rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _narrowed(widths: list[int], numeric: list[bool], fit: int) -> list[int]:
    """Column widths whose row fits `fit` characters: the text columns are cut to one common ceiling, the
    highest that fits (columns narrower than it keep their width), never below NARROWEST."""
    room = fit - 2 * (len(widths) - 1)
    for ceiling in range(max(widths), NARROWEST - 1, -1):
        cut = [w if numeric[i] else min(w, ceiling) for i, w in enumerate(widths)]
        if sum(cut) <= room:
            return cut
    return [w if numeric[i] else min(w, NARROWEST) for i, w in enumerate(widths)]  # as narrow as it goes


def _wrapped(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    import textwrap  # only a table wider than the terminal needs it

    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _working_value(value):
    """The working mixes money and rates without saying which: a fraction below one is a rate
    (a margin, the prime, an advance rate); no amount of money in a credit agreement's working is."""
    if isinstance(value, float) and 0 < abs(value) < 1:
        return percent(value)
    return value


WORKING_HEADER = ["term", "value", "document", "step", "why", "citation"]


def _working_table(rows: list[dict]) -> list[list]:
    keys = WORKING_HEADER
    return [keys] + [[_working_value(r.get(k)) if k == "value" else r.get(k) for k in keys] for r in rows]


def render(result, fn, as_json: bool, working: list[dict] | None = None, fit: int | None = None) -> str:
    """`result` answered by the catalogue function `fn` (its spec), as text or JSON; tables fit `fit`
    characters a line when given (a terminal's width)."""
    is_table = isinstance(result, list)
    if as_json:
        import json  # only --json needs it

        answer = _json_table(result) if is_table else _json_value(result, fn.answer)
        if working is not None:
            rows = [{k: _json_value(v) if isinstance(v, dt.date) else v for k, v in r.items()} for r in working]
            return json.dumps({"answer": answer, "working": rows}, allow_nan=False)
        return json.dumps(answer, allow_nan=False)
    if is_table and result and list(result[0]) == WORKING_HEADER:  # LSA_EXPLAIN: the working as a table
        result = [result[0]] + [[_working_value(v) if i == 1 else v for i, v in enumerate(r)] for r in result[1:]]
    text = table(result, fit) if is_table else _cell(result, fn.answer)
    if working is not None:
        text += "\n\n" + table(_working_table(working), fit)
    return text
