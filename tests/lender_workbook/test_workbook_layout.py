"""Every cell's text fits where it is shown: measured with the font's own metrics, not guessed.

Each text cell of the built portable workbook (every tab, read with openpyxl, stored values for
formulas) is measured with Pillow on Liberation Sans, metric-compatible with Arial (the workbook's
font) and Calibri's stand-in, at the cell's size, bold and italic, and compared with the room it has:

- Room: the column width (or the merged range's columns), in pixels as Excel draws them. A width
  is in characters of the Normal style's digit; the workbook's Normal style is Arial 10, whose
  digits are 7 px wide at 96 dpi, and Excel adds 5 px of padding: px = trunc(width * 7 + 5)
  (the same as Calibri 11). Text gets the room less 4 px of cell margins, less the indent.
- A wrapping cell: its words are wrapped greedily into the room and the row must be tall enough
  for the lines (a line of Arial at size s takes 1.15 s points: the font's ascent plus descent).
- A text cell that does not wrap may run on into empty cells to its right (as every spreadsheet
  draws it); it may not run into a filled one.
- A number never overflows: the number formatted as its format says must fit its own column.

Deal data written by other helpers' tabs is measured too; their problems are counted against the
ceilings in OTHERS (a ratchet: a new problem fails, a fix passes; lower the ceiling after a fix).
"""

from __future__ import annotations

import datetime as dt
import glob
import math
import re
from functools import cache

import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812
from openpyxl.utils import get_column_letter
from PIL import ImageFont

MINE = ("Cover", "Certificate", "Inputs", "Amendment History", "Deadlines", "Notes", "Checks", "Charts")
# Problems found on tabs other helpers own, when this test was written (see the report in the test's output).
OTHERS = {"Terms": 0, "Borrowing Capacity": 0, "Pricing": 0, "Fee Schedule": 0, "Severance": 0}
PADDING_PX = 4
INDENT_PX = 9  # one indent level, about three spaces of the Normal font
EPOCH = dt.date(1899, 12, 30)


# -- fonts ----------------------------------------------------------------------------------------
def _font_file(bold: bool, italic: bool) -> str:
    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
             (True, True): "BoldItalic"}[(bold, italic)]
    found = sorted(glob.glob(f"/usr/share/fonts/truetype/liberation*/LiberationSans-{style}.ttf"))
    assert found, "Liberation Sans is missing: install fonts-liberation (as .ci/run does)"
    return found[0]


MEASURE_PX = 1000  # measure at 1000 px and scale: exact advance widths, no rounding of the size


@cache
def _font(bold: bool, italic: bool):
    return ImageFont.truetype(_font_file(bold, italic), size=MEASURE_PX)


def text_px(text: str, size: float, bold: bool, italic: bool) -> float:
    """Width in pixels at 96 dpi of one line of text at `size` points."""
    return _font(bold, italic).getlength(text) * (size * 96 / 72) / MEASURE_PX


def wrap_lines(text: str, room: float, size: float, bold: bool, italic: bool) -> tuple[int, bool]:
    """Lines after a greedy word wrap, and whether a single word is wider than the room."""
    lines, too_wide = 0, False
    space = text_px(" ", size, bold, italic)
    for para in text.split("\n"):
        lines += 1
        used = 0.0
        for word in para.split(" "):
            w = text_px(word, size, bold, italic)
            too_wide |= w > room
            if used and used + space + w > room:
                lines += 1
                used = w
            else:
                used += (space if used else 0) + w
    return lines, too_wide


# -- number formats -------------------------------------------------------------------------------
def _sections(fmt: str) -> list[str]:
    out, cur, quoted = [], "", False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [*out, cur]


def format_number(value: float, fmt: str) -> str:
    """The text a spreadsheet shows for a number, for the formats the workbook uses."""
    if fmt in ("General", "", None):
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.10g}"
    parts = _sections(fmt)
    cond = re.match(r"\[(>=|<=|>|<|=)([-\d.E+]+)\]", parts[0])
    if cond:
        op, limit = cond.group(1), float(cond.group(2))
        hit = {">=": value >= limit, "<=": value <= limit, ">": value > limit, "<": value < limit,
               "=": value == limit}[op]
        section = parts[0] if hit else parts[1]
    elif value < 0 and len(parts) > 1:
        section, value = parts[1], -value
        section = section if section.lstrip("[Red]").startswith("-") else "-" + section
    elif value == 0 and len(parts) > 2:
        section = parts[2]
    else:
        section = parts[0]
    section = re.sub(r"\[[^\]]*\]", "", section)
    literal = re.fullmatch(r'"([^"]*)"', section)
    if literal:
        return literal.group(1)
    if not re.search(r"[0#]|yy", section):
        return section  # a literal such as "-"
    if "yy" in section:
        return (EPOCH + dt.timedelta(days=int(value))).strftime(section.replace("yyyy", "%Y").replace(
            "mm", "%m").replace("dd", "%d"))
    sign = "-" if section.startswith("-") else ""
    body = section.lstrip("-")
    if "%" in body:
        decimals = len(body.split(".")[1].rstrip("%")) if "." in body else 0
        return f"{sign}{value * 100:.{decimals}f}%"
    if "0" in body or "#" in body:
        decimals = len(body.split(".")[1]) if "." in body else 0
        text = f"{value:,.{decimals}f}" if "," in body else f"{value:.{decimals}f}"
        return sign + text
    return body


# -- the workbook ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = H.build_file(tmp_path_factory.mktemp("layout") / "book.xlsx")
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def _widths(ws) -> dict[int, float]:
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min:
            for c in range(dim.min, (dim.max or dim.min) + 1):
                out[c] = dim.width
    return out


def column_px(width: float) -> int:
    return int(width * 7 + 5)


def problems_on(ws, values) -> list[str]:
    widths = _widths(ws)
    default_w = ws.sheet_format.defaultColWidth or 8.43
    default_h = ws.sheet_format.defaultRowHeight or 12.75
    merged = {}
    covered = set()
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = rng
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    filled = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.value not in (None, "")}
    out = []
    for row in ws.iter_rows():
        for c in row:
            if c.value in (None, "") or (c.row, c.column) in covered:
                continue
            shown = values[c.coordinate].value
            if shown in (None, ""):
                continue
            rng = merged.get((c.row, c.column))
            cols = range(c.column, (rng.max_col if rng else c.column) + 1)
            room = sum(column_px(widths.get(k, default_w)) for k in cols)
            font = c.font
            size, bold, italic = float(font.sz or 10), bool(font.b), bool(font.i)
            where = f"{ws.title}!{c.coordinate}"
            if isinstance(shown, bool):
                shown = "TRUE" if shown else "FALSE"
            if isinstance(shown, (int, float)):
                text = format_number(shown, c.number_format)
                need = text_px(text, size, bold, italic) + PADDING_PX
                if need > room:
                    out.append(f"{where}: the number {text!r} needs {need:.0f} px, the column has {room}")
                continue
            if isinstance(shown, (dt.date, dt.datetime)):
                text = shown.strftime("%Y-%m-%d")
                need = text_px(text, size, bold, italic) + PADDING_PX
                if need > room:
                    out.append(f"{where}: the date {text!r} needs {need:.0f} px, the column has {room}")
                continue
            text = str(shown)
            avail = room - PADDING_PX - INDENT_PX * (c.alignment.indent or 0)
            if c.alignment.wrap_text:
                lines, too_wide = wrap_lines(text, avail, size, bold, italic)
                rows = range(c.row, (rng.max_row if rng else c.row) + 1)
                height = sum((ws.row_dimensions[r].height or default_h) for r in rows)
                need = lines * size * 1.15
                if need > height + 0.5:
                    out.append(f"{where}: {lines} wrapped lines need {need:.0f} pt, the row has {height:.0f} "
                               f"({text[:40]!r})")
                elif too_wide:
                    out.append(f"{where}: a word is wider than the column ({text[:40]!r})")
                continue
            width = max(text_px(line, size, bold, italic) for line in text.split("\n"))
            if "\n" in text:
                height = ws.row_dimensions[c.row].height or default_h
                if text.count("\n") + 1 > 1 and (text.count("\n") + 1) * size * 1.15 > height + 0.5:
                    out.append(f"{where}: {text.count(chr(10)) + 1} lines in a row of {height:.0f} pt")
            if width <= avail:
                continue
            # may run on into empty cells to the right
            k = cols[-1] + 1
            while width > avail and (c.row, k) not in filled and (c.row, k) not in covered and k <= cols[-1] + 30:
                avail += column_px(widths.get(k, default_w))
                k += 1
            if width > avail:
                out.append(f"{where}: {text[:50]!r} needs {width:.0f} px, has {avail:.0f} before the next filled cell")
    return out


def test_number_formats_render_as_a_spreadsheet_shows_them():
    assert format_number(1750000, "#,##0;[Red]-#,##0;-") == "1,750,000"
    assert format_number(-5, "#,##0;[Red]-#,##0;-") == "-5"
    assert format_number(0, "#,##0;[Red]-#,##0;-") == "-"
    assert format_number(0.85, "0.000%") == "85.000%"
    assert format_number(1e300, '[>=1E+299]"none";#,##0') == "none"
    assert format_number(37621, "yyyy-mm-dd") == "2002-12-31"
    assert format_number(12.5, "General") == "12.5"


def test_measurement_matches_arial_metrics():
    # Arial's advance widths (1/1000 em): "0" is 556, so ten zeros at 10 pt (13.33 px) are 74.1 px.
    assert text_px("0" * 10, 10, False, False) == pytest.approx(74.1, abs=0.3)
    assert column_px(8.43) == 64  # Excel's default column: 64 px


@pytest.mark.parametrize("tab", MINE)
def test_my_tabs_show_every_text_and_number_in_full(book, tab):
    formulas, values = book
    if tab not in formulas.sheetnames:
        pytest.fail(f"no tab {tab}")
    found = problems_on(formulas[tab], values[tab])
    assert not found, "\n".join(found)


def test_other_tabs_do_not_get_worse(book):
    formulas, values = book
    report = {}
    for tab, ceiling in OTHERS.items():
        found = problems_on(formulas[tab], values[tab])
        report[tab] = found
        print(f"{tab}: {len(found)} problems (ceiling {ceiling})")
        for line in found[:40]:
            print("   ", line)
    assert all(len(report[t]) <= OTHERS[t] for t in OTHERS), {t: len(v) for t, v in report.items()}


def test_a_cell_too_narrow_is_found(tmp_path):
    import xlsxwriter

    path = tmp_path / "narrow.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"default_format_properties": {"font_name": "Arial", "font_size": 10}})
    ws = wb.add_worksheet("T")
    ws.set_column(0, 1, 5)
    ws.write_string(0, 0, "a label much longer than five characters")
    ws.write_string(0, 1, "x")
    ws.write_number(1, 0, 123456789, wb.add_format({"num_format": "#,##0"}))
    ws.write_string(2, 0, "runs on into the empty cells beside it")
    wb.close()
    book = openpyxl.load_workbook(path)
    found = problems_on(book["T"], book["T"])
    assert [f.split(":")[0] for f in found] == ["T!A1", "T!A2"]
    assert math.isclose(column_px(5), 40)
    assert get_column_letter(1) == "A"
