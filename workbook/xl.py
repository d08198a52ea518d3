"""Small helpers over XlsxWriter: cell addresses, Excel serial dates, styled writes, defined names.

Nothing here knows about deals. A `Sheet` writes one worksheet row by row (the workbook may be in
XlsxWriter's constant-memory mode), picking formats by (role, kind) from the template.
"""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import xl_col_to_name

EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, serial 1 = 1900-01-01 (after 1900-03-01)
NEVER = dt.date(9999, 12, 31)
NEVER_SERIAL = (NEVER - EPOCH).days


def serial(day: dt.date | None) -> int | None:
    """The Excel serial of a date (None stays None)."""
    return None if day is None else (day - EPOCH).days


def from_serial(value) -> dt.date:
    return EPOCH + dt.timedelta(days=int(value))


def col_name(col: int) -> str:
    return xl_col_to_name(col)


def cell(row: int, col: int, *, absolute: bool = False) -> str:
    """A1 address of a zero-based (row, col)."""
    if absolute:
        return f"${xl_col_to_name(col)}${row + 1}"
    return f"{xl_col_to_name(col)}{row + 1}"


def area(sheet: str, row1: int, col1: int, row2: int, col2: int) -> str:
    """An absolute, sheet-qualified range: 'Sheet'!$A$1:$B$2."""
    a = cell(row1, col1, absolute=True)
    b = cell(row2, col2, absolute=True)
    return f"{quote(sheet)}!{a}" if (row1, col1) == (row2, col2) else f"{quote(sheet)}!{a}:{b}"


def quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


CELL_MOST = 32_767  # UTF-16 code units a cell holds (XlsxWriter cuts a longer text silently)


def cell_text(text: str) -> str:
    """Text as a cell can hold it. The reader keeps each deal text within a cell, but a label made of
    several (a title and its clause) can pass the limit: it is then cut with a note saying so, never silently."""
    if len(text) <= CELL_MOST // 2 or len(text.encode("utf-16-le")) // 2 <= CELL_MOST:
        return text
    note = " [cut: a spreadsheet cell holds 32,767 characters]"
    keep = CELL_MOST - len(note)
    while len(text[:keep].encode("utf-16-le")) // 2 > CELL_MOST - len(note):
        keep -= 1
    return text[:keep] + note


def excel_text(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


class Formats:
    """Formats by (role, kind), built once from the template's styles and number formats."""

    def __init__(self, workbook, template: dict):
        self.workbook = workbook
        self.styles = template["styles"]
        self.number_formats = template["number_formats"]
        self._cache: dict = {}

    def get(self, role: str, kind: str = "text"):
        key = (role, kind)
        fmt = self._cache.get(key)
        if fmt is None:
            props = dict(self.styles.get("base", {}))
            props.update(self.styles.get(role, {}))
            props.update(self.styles.get(f"kind_{kind}", {}))
            number = self.number_formats.get(kind)
            if number:
                props["num_format"] = number
            fmt = self._cache[key] = self.workbook.add_format(props)
        return fmt


class Sheet:
    """One worksheet: styled writes by role and kind; every value written with the right call.

    Text is always written with write_string, so text from inputs never becomes a formula.
    """

    def __init__(self, workbook, formats: Formats, name: str):
        self.name = name
        self.ws = workbook.add_worksheet(name)
        self.formats = formats

    def fmt(self, role, kind="text"):
        return self.formats.get(role, kind)

    def value(self, row: int, col: int, value, role: str = "calc", kind: str | None = None):
        """Write a plain value (data, not a formula)."""
        ws = self.ws
        if kind is None:
            kind = _kind_of(value)
        fmt = self.formats.get(role, kind)
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, dt.date):
            ws.write_number(row, col, serial(value), fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, cell_text(str(value)), fmt)

    def formula(self, row: int, col: int, formula: str, value, role: str = "calc", kind: str = "amount"):
        """Write a formula with its stored value (dates stored as serials)."""
        if isinstance(value, dt.date):
            value = serial(value)
        elif value is None:
            value = ""
        self.ws.write_formula(row, col, formula, self.formats.get(role, kind), value)

    def text(self, row: int, col: int, text: str, role: str = "text"):
        self.ws.write_string(row, col, cell_text(text), self.formats.get(role, "text"))

    def link(self, row: int, col: int, target_sheet: str, text: str):
        self.ws.write_url(row, col, f"internal:{quote(target_sheet)}!A1", self.formats.get("link", "text"),
                          string=text)


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, (int, float)):
        return "amount"
    return "text"


class FastCells:
    """Writes many formula cells quickly, with exactly the XML XlsxWriter's public calls produce.

    XlsxWriter's write_formula rewrites every formula through some thirty regular expressions
    (future-function prefixes); a schedule repeats one formula down a column, so we prepare the
    column's template once and store each cell as XlsxWriter would. Where XlsxWriter's internals
    are not as expected (another version), or in constant-memory mode, it falls back to the
    public calls. tests/lender_workbook/test_workbook_build.py checks both paths give byte-identical files.
    """

    def __init__(self, ws, allow_fast: bool = True):
        self.ws = ws
        import xlsxwriter.worksheet as wsmod

        self._tuple = getattr(wsmod, "CellFormulaTuple", None)
        self._number = getattr(wsmod, "CellNumberTuple", None)
        self._dynamic = getattr(wsmod, "re_dynamic_function", None)
        self.fast = (allow_fast and FAST_ENABLED and self._tuple is not None and self._number is not None
                     and self._dynamic is not None and hasattr(ws, "table") and hasattr(ws, "_prepare_formula")
                     and not ws.constant_memory)

    def prepare(self, template: str) -> str:
        if not self.fast:
            return template
        if self._dynamic.search(template) or template.startswith("{"):
            self.fast = False  # dynamic or array formulas: leave them to XlsxWriter
            return template
        return "=" + self.ws._prepare_formula(template)

    def formula(self, row: int, col: int, formula: str, fmt, value):
        if self.fast:
            self.ws.table[row][col] = self._tuple(formula[1:], fmt, value)
        else:
            self.ws.write_formula(row, col, formula, fmt, value)

    def number(self, row: int, col: int, value, fmt):
        if self.fast:
            self.ws.table[row][col] = self._number(value, fmt)
        else:
            self.ws.write_number(row, col, value, fmt)

    def touch(self, row1: int, col1: int, row2: int, col2: int):
        """Record the block's extent as the public calls would have."""
        if self.fast:
            self.ws._check_dimensions(row1, col1)
            self.ws._check_dimensions(row2, col2)


FAST_ENABLED = True


# -- printing ---------------------------------------------------------------------------------
PAPER_CODES = {"letter": 1, "legal": 5, "a4": 9}  # XlsxWriter's set_paper() codes


def paper_for(template: dict, currency: str | None) -> str:
    """The paper a deal in `currency` is printed on (template [print] paper_by_currency, else its default)."""
    printing = template.get("print", {})
    return printing.get("paper_by_currency", {}).get(currency or "", printing.get("paper", "a4"))


def page_setup(ws, page: dict, paper: str, footer: str, header: str = ""):
    """Paper, orientation and scaling of one tab, from its template entry.

    `fit_width` pages across (the height runs on); else `scale` percent; tabs too wide for one
    page at a readable size print across pages instead of being shrunk."""
    ws.set_paper(PAPER_CODES[paper])
    if page.get("orientation", "landscape") == "portrait":
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_margins(left=0.3, right=0.3, top=0.6, bottom=0.6)
    if page.get("fit_width"):
        ws.fit_to_pages(page["fit_width"], page.get("fit_height", 0))
    else:
        ws.set_print_scale(page.get("scale", 100))
    ws.set_footer(footer)
    if header:
        ws.set_header(header)


# -- text metrics (for row heights of wrapped text) ------------------------------------------------
# Advance widths of Arial / Liberation Sans (metric-compatible), in 1/1000 em, for ASCII 32..126.
ARIAL_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10,
    278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
    278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584)
BOLD_FACTOR = 1.08  # Arial Bold runs about 6-8% wider
CELL_PADDING_PX = 6  # Excel and LibreOffice leave a few pixels either side of a cell's text


def text_px(text: str, size: float = 9, bold: bool = False) -> float:
    """Width of one line of Arial text in pixels at 96 dpi."""
    units = sum(ARIAL_WIDTHS[ord(c) - 32] if 32 <= ord(c) <= 126 else 556 for c in text)
    return units / 1000 * size * 96 / 72 * (BOLD_FACTOR if bold else 1)


def column_px(width: float) -> int:
    """Excel column width (characters of the Normal font, Arial 10: 7 px a digit) in pixels."""
    return int(width * 7 + 5) if width >= 1 else int(width * 12)


def wrapped_lines(text: str, width_px: float, size: float = 9, bold: bool = False) -> int:
    """Lines a wrapped cell needs: greedy word wrap, paragraph by paragraph."""
    room = width_px - CELL_PADDING_PX
    lines = 0
    for para in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in para.split(" "):
            w = text_px(word, size, bold)
            gap = text_px(" ", size, bold) if used else 0
            if used and used + gap + w > room:
                lines += 1
                used = w
            else:
                used += gap + w
    return lines


def row_height(lines: int, size: float = 9) -> float:
    """Row height in points for that many lines of text."""
    return round(lines * size * 1.3 + 3, 1)


PAPER_POINTS = {"letter": (612, 792), "legal": (612, 1008), "a4": (595, 842)}
DEFAULT_ROW_PT = 12.75  # Arial 10 Normal style


def page_room(paper: str, landscape: bool) -> float:
    """Printable height in points at 100% (margins as page_setup sets them, less a little slack)."""
    w, h = PAPER_POINTS[paper]
    return (w if landscape else h) - 2 * 0.6 * 72 - 24


def block_breaks(blocks: list[tuple[int, float]], room: float, used: float = 0.0) -> list[int]:
    """Rows to break before so no block (first row, height in points) is split across pages."""
    breaks = []
    for first, height in blocks:
        if used and used + height > room:
            breaks.append(first)
            used = 0.0
        used += height
    return breaks
