"""Cover tab (deal, parties, documents, dates, stamp, contents, how to use, headline figures) and the
Charts tab."""

from __future__ import annotations

import datetime as dt

from udfs.engine.severance import plan_reading
from workbook.context import Context
from workbook.tables.fee_tables import fee_order
from workbook.xl import DEFAULT_ROW_PT, block_breaks, column_px, page_room, paper_for, row_height, serial, wrapped_lines

WIDTHS = (30, 16, 46)  # portrait: label, value, note (column D is kept narrow under the master-check bar)
# One name for one figure: the Fee Schedule and Severance tabs label these figures the same way.
FEES_TO_AS_OF = "Fees payable through the as-of date"
SEVERANCE_TO_AS_OF = "Severance due through the as-of date"


class _Blocks:
    """Rows written so far, grouped in blocks that must not split across printed pages; and the cover's
    header rows and wrapped notes, which grow their rows to fit."""

    def __init__(self, s, px: list):
        self.s, self.ws, self.px = s, s.ws, px
        self.heights: dict[int, float] = {}
        self.blocks: list[tuple[int, float]] = []

    def height(self, row: int, points: float | None = None):
        if points is not None and points > DEFAULT_ROW_PT:
            self.ws.set_row(row, points)
        self.heights[row] = max(points or DEFAULT_ROW_PT, DEFAULT_ROW_PT)

    def close(self, first: int, last: int):
        self.blocks.append((first, sum(self.heights.get(r, DEFAULT_ROW_PT) for r in range(first, last + 1))))

    def head(self, row, *titles):
        """A header row over columns A, B, C (a title spanning two columns is followed by None)."""
        c = 0
        while c < len(titles):
            span = 1
            while c + span < len(titles) and titles[c + span] is None:
                span += 1
            if span > 1:
                self.ws.merge_range(row, c, row, c + span - 1, titles[c], self.s.fmt("header"))
            else:
                self.s.text(row, c, titles[c], "header")
            c += span
        return row + 1

    def note(self, row, text, first_col=2):
        """Wrapped note text from `first_col` to C; the row grows to fit it."""
        if first_col < 2:
            self.ws.merge_range(row, first_col, row, 2, text, self.s.fmt("note", "text"))
        else:
            self.s.text(row, 2, text, "note")
        self.height(row, row_height(wrapped_lines(text, sum(self.px[first_col:]))))


def cover(ctx: Context, stamp: str):
    s = ctx.new_sheet("cover")
    ws = s.ws
    deal = ctx.deal
    for c, w in enumerate(WIDTHS):
        ws.set_column(c, c, w)
    ws.set_column(3, 3, 1)
    px = [column_px(w) for w in WIDTHS]
    row = ctx.header(s, "cover")
    b = _Blocks(s, px)
    s.text(row, 0, deal.name, "title")
    ws.set_row(row, 20)
    row += 2
    row = _this_file(ctx, s, b, row, stamp)
    row = _headlines(ctx, s, b, row)
    row = _contents(ctx, s, b, row)
    row = _how_to_use(ctx, s, b, row)
    row = _parties(ctx, s, b, row)
    row = _documents(ctx, s, b, row)
    paper = paper_for(ctx.template, deal.raw.get("deal", {}).get("currency"))
    landscape = ctx.tabs["cover"].get("orientation", "landscape") != "portrait"
    ws.set_h_pagebreaks(block_breaks(b.blocks, page_room(paper, landscape), 20 + 3 * DEFAULT_ROW_PT + 40))
    ws.activate()
    ws.set_first_sheet()


def _this_file(ctx: Context, s, b: _Blocks, row: int, stamp: str) -> int:
    """What the file is: as-of date, documents counted, figures, kind, how it was prepared."""
    i = ctx.inputs
    first = row
    s.text(row, 0, "This file", "section")
    row = b.head(row + 1, "Item", "Value", "Note")
    s.text(row, 0, "As-of date", "label")
    s.formula(row, 1, "=AsOf", i.as_of, "calc", "date")
    s.text(row, 2, "the date the headline figures are for", "note")
    row += 1
    s.text(row, 0, "Documents counted", "label")
    s.formula(row, 1, "=AmendedThroughEff", ctx.view_serial, "calc", "date")
    view = "signed on or before: Amended through (Inputs)" if i.amended_through else "signed by the as-of date"
    s.formula(row, 2, '=IF(ISNUMBER(AmendedThrough),"signed on or before: Amended through (Inputs)",'
              '"signed by the as-of date")', view, "note", "text")
    row += 1
    s.text(row, 0, "Figures", "label")
    s.formula(row, 1, '=IF(BorrowersFigures=1,"the borrower\'s","ILLUSTRATIVE")',
              "the borrower's" if i.borrowers_figures else "ILLUSTRATIVE", "calc", "text")
    s.text(row, 2, "Inputs: 1 the borrower's, 0 the template's samples", "note")
    row += 1
    s.text(row, 0, "Kind of file", "label")
    s.text(row, 1, {"portable": "portable", "live": "live (needs the add-in)"}.get(ctx.flavor, ctx.flavor), "text")
    b.note(row, ctx.template.get("cover", {}).get("flavor_note", {}).get(ctx.flavor, ""))
    row += 1
    s.text(row, 0, "Prepared with", "label")
    b.note(row, stamp, first_col=1)
    row += 1
    b.close(first, row - 1)
    row += 1
    return row


def _headlines(ctx: Context, s, b: _Blocks, row: int) -> int:
    """The headline figures on the as-of date, each from its tab."""
    deal = ctx.deal
    first = row
    s.text(row, 0, "Headline figures on the as-of date", "section")
    row = b.head(row + 1, "Figure", "Amount", "From")
    heads = [("Document in effect", "AsOfDocument", "text", "capacity"),
             ("Maximum Limit", "AsOfMaxLimit", "money", "capacity"),
             ("Borrowing Capacity", "AsOfCapacity", "money", "capacity"),
             ("Overadvance limit", "AsOfOveradvance", "money", "capacity"),
             ("Availability", "AsOfAvailability", "money", "capacity")]
    if deal.installments:
        heads.append((FEES_TO_AS_OF, "FeesDueToAsOf", "money", "fees"))
    if deal.severance:
        heads.append((SEVERANCE_TO_AS_OF, "SevPaidToAsOf", "money", "severance"))
    m = ctx.headline
    stored = {"AsOfDocument": m.document, "AsOfMaxLimit": m.max_limit, "AsOfCapacity": m.capacity,
              "AsOfOveradvance": m.overadvance, "AsOfAvailability": m.availability,
              "FeesDueToAsOf": m.fees_due_to_as_of, "SevPaidToAsOf": m.severance_paid_to_as_of}
    sev_basis = f"net of offsets, as scheduled, on the annual salary entered on the {ctx.tab('inputs')} tab"
    if deal.severance and plan_reading(deal.severance):  # which plan: a reading, not a fact
        sev_basis += f" and the installment plan chosen there (a reading: {ctx.tab('notes')})"
    scheduled = {"FeesDueToAsOf": "after waivers, as scheduled; payments are not recorded",
                  "SevPaidToAsOf": f"{sev_basis}; payments are not recorded"}
    for label, name, kind, tab in heads:
        s.text(row, 0, label, "label")
        s.formula(row, 1, f"={name}", stored[name], "calc", kind)
        b.note(row, f"the {ctx.tab(tab)} tab" + (f" ({scheduled[name]})" if name in scheduled else ""))
        row += 1
    if "certificate" in ctx.written_tabs:
        s.text(row, 0, "Signed page for the lenders", "label")
        s.link(row, 1, ctx.tab("certificate"), ctx.tab("certificate"))
        row += 1
    b.close(first, row - 1)
    row += 1
    return row


def _contents(ctx: Context, s, b: _Blocks, row: int) -> int:
    """The tabs, each a link, with what it holds."""
    first = row
    s.text(row, 0, "Contents", "section")
    row = b.head(row + 1, "Tab", "What it holds", None)
    for tab in ctx.template["tabs"]:
        if tab["key"] in ctx.written_tabs and tab["key"] != "cover":
            s.link(row, 0, tab["name"], tab["name"])
            b.note(row, tab.get("title", ""), first_col=1)
            row += 1
    b.close(first, row - 1)
    row += 1
    return row


def _how_to_use(ctx: Context, s, b: _Blocks, row: int) -> int:
    """The template's steps for using the file."""
    first = row
    s.text(row, 0, "How to use this file", "section")
    row += 1
    for k, line in enumerate(ctx.template.get("cover", {}).get("how_to_use", []), start=1):
        b.note(row, f"{k}. {line}", first_col=0)
        row += 1
    b.close(first, row - 1)
    row += 1
    return row


def _parties(ctx: Context, s, b: _Blocks, row: int) -> int:
    """The parties to the agreement."""
    deal, px = ctx.deal, b.px
    first = row
    s.text(row, 0, "Parties", "section")
    row = b.head(row + 1, "Name", "Short", "Role")
    for party in deal.parties:
        name, short, role = party.get("name", ""), party.get("short", ""), party.get("role", "")
        s.value(row, 0, name, "data", "wrap")
        s.value(row, 1, short, "data", "wrap")
        s.value(row, 2, role, "data", "wrap")
        b.height(row, row_height(max(wrapped_lines(t, px[c]) for c, t in enumerate((name, short, role)))))
        row += 1
    b.close(first, row - 1)
    row += 1
    return row


def _documents(ctx: Context, s, b: _Blocks, row: int) -> int:
    """The documents, with their dates and whether their terms are encoded."""
    deal, px = ctx.deal, b.px
    first = row
    s.text(row, 0, "Documents", "section")
    row = b.head(row + 1, "Document", "Signed", "Terms")
    for doc in deal.documents:
        s.value(row, 0, doc.title, "data", "wrap")
        s.value(row, 1, doc.date, "data_centered", "date")
        s.value(row, 2, "terms encoded in this file" if doc.terms_known else "date only (from the recitals)", "data",
                "text")
        b.height(row, row_height(wrapped_lines(doc.title, px[0])))
        row += 1
    b.close(first, row - 1)
    return row


def charts(ctx: Context):
    s = ctx.new_sheet("charts")
    ctx.header(s, "charts")
    wb = ctx.wb
    line = wb.add_chart({"type": "line"})
    for name, title in (("BC_MaxLimit", "Maximum Limit"), ("BC_Capacity", "Borrowing Capacity"),
                        ("BC_Availability", "Availability")):
        line.add_series({  # the ranges the Borrowing Capacity tab defined, not its rows and columns
            "name": title,
            "categories": "=" + ctx.names["BC_Date"],
            "values": "=" + ctx.names[name],
            "line": {"width": 1.75},
        })
    line.set_title({"name": "Maximum Limit, capacity and availability by day"})
    # One label a week: a label a day is unreadable over three months.
    line.set_x_axis({"date_axis": True, "num_format": "yyyy-mm-dd", "num_font": {"rotation": -45, "size": 10},
                     "major_unit": 7, "major_unit_type": "days"})
    line.set_y_axis({"num_format": "#,##0", "num_font": {"size": 10}})
    line.set_legend({"position": "bottom", "font": {"size": 10}})
    line.set_size({"width": 900, "height": CHART_PX})
    s.ws.insert_chart(4, 0, line)
    for c, w in enumerate(CHART_WIDTHS):
        s.ws.set_column(c, c, w)
    if ctx.deal.installments:
        _fee_chart(ctx, s)
    s.ws.print_area(0, 0, FEE_TABLE_TOP - 2, _columns_for(s, 905))  # the charts; the table below: screen only
    s.ws.fit_to_pages(1, 1)  # both charts on one printed page


FEE_TABLE_TOP = 54
CHART_PX = 300  # each chart's height: both on one landscape page at full size (text at 8 points or more)
CHART_WIDTHS = (12, 18, 18, 18, 18, 12, 10)  # the Charts tab's first columns (the fee chart's helper table)


def _columns_for(s, px: int) -> int:
    """The last column the charts (px wide from column A) reach."""
    used, c = 0, 0
    while True:
        used += column_px(CHART_WIDTHS[c] if c < len(CHART_WIDTHS) else 8.43)
        if used >= px:
            return c
        c += 1  # first row of the fee chart's helper tables, below both charts


def _fee_lines(ctx: Context) -> list[tuple[str, int, float, float, tuple]]:
    """(fee, due date serial, amount due, amount waived, order key) per Fee Schedule row, in that tab's
    order: the engine's fee working, one trace per installment of the deal. The order key is the row's
    place in the chart's working (see _chart_order)."""
    out = []
    traces = ctx.view.fee_working().traces
    for t in (traces[k] for k in fee_order(traces)):
        line = t.line
        status = line.status if t.in_view else "not counted"
        out.append((t.installment.fee_label, serial(line.due), line.amount if status == "due" else 0.0,
                    line.amount if status == "waived" else 0.0, t.installment.date or dt.date.max))
    return out


# A row's key in the chart's working: its date's place times this, plus its fee's number (a deal has at
# most 250 fees, so the keys of two dates never meet).
KEY_STEP = 256


def _chart_order(lines, fee_no: dict) -> list[int]:
    """The Fee Schedule rows in the order the chart's working lists them: by the scheduled date (deal
    data, so the order does not change with the inputs; a row dated by the view last), then by fee
    number. While the due dates keep that order (no rule or event moved one before another), each
    date's rows, and each fee's rows within a date, are contiguous: the sums are differences of running
    totals found by binary search, a cost that does not grow with the rows."""
    return sorted(range(len(lines)), key=lambda k: (lines[k][4], fee_no[lines[k][0]], k))


class _ChartCols:
    """The chart working's columns: A row, B fee, C due, D amount due, E waived, F first of its date,
    G date's place (the old, order-free formulas, used when the dates are out of order), H fee's number,
    I dates so far, J rows out of order so far, K key, L due so far, M waived so far."""
    HEADS = ("Row", "Fee", "Due date", "Amount due", "Amount waived", "First row of its date", "Date's place",
             "Fee's place", "Dates so far", "Out of order so far", "Key", "Due so far", "Waived so far")

    def __init__(self, start: int, first: int, last: int):
        self.start, self.first, self.last = start, first, last  # start: the zero row above the first

    def rows(self, c: str) -> str:  # the rows, for the order-free formulas
        return f"${c}${self.first + 1}:${c}${self.last + 1}"

    def sums(self, c: str) -> str:  # the zero row and the rows, for the running totals
        return f"${c}${self.start + 1}:${c}${self.last + 1}"

    def at(self, c: str, key: str) -> str:
        """Column c's value at the last row whose key is at most `key` (keys ascend while in order)."""
        return f"INDEX({self.sums(c)},MATCH({key},{self.sums('K')},1))"


def _fee_chart_rows(s, lines, fees: list, row: int):
    """The helper table: one row a Fee Schedule row, in _chart_order, under a row of zeros. Returns
    (the columns, the cell that says the due dates are in order, the number of dates, the next row)."""
    fee_no = {fee: j for j, fee in enumerate(fees, start=1)}  # the bars sum by this number, not by name
    order = _chart_order(lines, fee_no)
    for j, h in enumerate(_ChartCols.HEADS):
        s.text(row, j, h, "header")
    s.ws.set_row(row, 30)
    s.ws.set_column(9, 12, 12)  # the running columns' headers in two lines (right of the printed charts)
    start = row + 1
    cols = _ChartCols(start, start + 1, start + len(lines))
    s.text(start, 1, "(start)", "note")
    for j in (2, 3, 4, 7, 8, 9, 10, 11, 12):
        s.value(start, j, 0, "aux", "int")
    dates = sorted({line[1] for line in lines})
    place = {day: k for k, day in enumerate(dates, start=1)}
    seen, prev, counts = set(), (0, 0), [0, 0, 0.0, 0.0]  # dates so far, out of order, due and waived so far
    for row, k in enumerate(order, start=cols.first):
        fee, due, amount, waived, _ = lines[k]
        x, p = row + 1, row
        s.value(row, 0, k + 1, "aux", "int")
        s.value(row, 1, fee, "data", "text")
        s.value(row, 7, fee_no[fee], "aux", "int")
        s.formula(row, 2, f"=INDEX(Fee_Due,A{x})", due, "calc", "date")
        s.formula(row, 3, f"=INDEX(Fee_AmountDue,A{x})", amount, "calc", "money")
        s.formula(row, 4, f"=INDEX(Fee_Waived,A{x})", waived, "calc", "money")
        is_first = due not in seen
        seen.add(due)
        counts[0] += due != prev[0]
        counts[1] += (due, fee_no[fee]) < prev
        counts[2] += amount
        counts[3] += waived
        prev = (due, fee_no[fee])
        # in order, the first row of a date is the one whose date differs from the row above's; out of
        # order, the first row with this date, and its place among the dates
        s.formula(row, 5, f"=IF(ChartInOrder,IF(C{x}<>C{p},1,0),IF(COUNTIF($C${cols.first + 1}:C{x},C{x})=1,1,0))",
                  int(is_first), "calc", "int")
        s.formula(row, 6, f"=IF(F{x}=1,IF(ChartInOrder,I{x},SUMPRODUCT(({cols.rows('C')}<C{x})*{cols.rows('F')})+1),0)",
                  place[due] if is_first else 0, "calc", "int")
        s.formula(row, 8, f"=I{p}+IF(C{x}<>C{p},1,0)", counts[0], "aux", "int")
        s.formula(row, 9, f"=J{p}+IF(C{x}=C{p},IF(H{x}<H{p},1,0),IF(C{x}<C{p},1,0))", counts[1], "aux", "int")
        s.formula(row, 10, f"=I{x}*{KEY_STEP}+H{x}", counts[0] * KEY_STEP + fee_no[fee], "aux", "int")
        s.formula(row, 11, f"=L{p}+D{x}", counts[2], "aux", "money")
        s.formula(row, 12, f"=M{p}+E{x}", counts[3], "aux", "money")
    return cols, counts[1] == 0, counts[0], cols.last + 1


def _fee_chart_slots(ctx: Context, s, lines, fees: list, cols: _ChartCols, in_order: bool, row: int):
    """The dates in order against the fees: one slot a Fee Schedule row (the events can give every row
    its own due date; a slot beyond the dates stays empty). In order, a slot's figures are differences
    of the running totals at its date's last row and the row before its date (or fee); out of order, a
    SUMPRODUCT or SUMIF over every row (a cost that grows with the square of the rows, only then)."""
    due_by, waived_by = {}, {}
    for fee, due, amount, waived, _ in lines:
        due_by[(fee, due)] = due_by.get((fee, due), 0.0) + amount
        waived_by[due] = waived_by.get(due, 0.0) + waived
    dates = sorted(waived_by)
    s.text(row, 0, "Dates in order", "label")  # then the figures below read the running totals
    last = cols.last + 1
    s.formula(row, 1, f"=J{last}=0", in_order, "aux", "bool")
    ctx.define("ChartInOrder", s.name, row, 1)
    row += 2
    for j, h in enumerate(["Due date", *fees, "Waived"]):  # the sums match a fee by its number, not its name
        s.text(row, j, h, "header")
    head_row, top = row, row + 1
    due_col, place_col = cols.rows("C"), cols.rows("G")
    for k, day in enumerate(dates + [""] * (len(lines) - len(dates)), start=1):
        row = top + k - 1
        x, date_end, before = row + 1, f"{k * KEY_STEP + KEY_STEP - 1}", f"{k * KEY_STEP - 1}"
        s.formula(row, 0, f'=IF(ChartInOrder,IF({k}>$I${last},"",{cols.at("C", date_end)}),'
                  f'IF(COUNTIF({place_col},{k})=0,"",SUMIF({place_col},{k},{due_col})))', day, "calc", "date")
        for j, fee in enumerate(fees, start=1):
            s.formula(row, j, f"=IF(ChartInOrder,{cols.at('L', k * KEY_STEP + j)}-{cols.at('L', k * KEY_STEP + j - 1)},"
                      f"SUMPRODUCT(({due_col}=$A{x})*({cols.rows('H')}={j})*{cols.rows('D')}))",
                      due_by.get((fee, day), 0), "calc", "money")
        s.formula(row, len(fees) + 1, f"=IF(ChartInOrder,{cols.at('M', date_end)}-{cols.at('M', before)},"
                  f"SUMIF({due_col},$A{x},{cols.rows('E')}))", waived_by.get(day, 0), "calc", "money")
    return head_row, top, top + len(lines) - 1


def _fee_chart(ctx: Context, s):
    """One stacked bar per due date, in date order: the amount due by fee, and what was waived.

    A helper table lists the Fee Schedule's rows with their fee (deal data) and running totals, in an
    order that does not change with the inputs; then the dates in order against the fees."""
    lines = _fee_lines(ctx)
    fees = list(dict.fromkeys(fee for fee, *_ in lines))
    row = FEE_TABLE_TOP
    s.text(row, 0, "Fee chart working: the Fee Schedule's rows, then amounts by due date", "section")
    cols, in_order, _, row = _fee_chart_rows(s, lines, fees, row + 1)
    head_row, top, end = _fee_chart_slots(ctx, s, lines, fees, cols, in_order, row + 1)
    chart = ctx.wb.add_chart({"type": "column", "subtype": "stacked"})
    colours = ["#2F5597", "#548235", "#BF9000", "#7030A0", "#C55A11"]
    for j in range(1, len(fees) + 1):
        chart.add_series({"name": [s.name, head_row, j], "categories": [s.name, top, 0, end, 0],
                          "values": [s.name, top, j, end, j], "fill": {"color": colours[(j - 1) % len(colours)]},
                          "gap": 60})
    chart.add_series({"name": [s.name, head_row, len(fees) + 1], "categories": [s.name, top, 0, end, 0],
                      "values": [s.name, top, len(fees) + 1, end, len(fees) + 1],
                      "fill": {"color": "#D9D9D9"}, "border": {"color": "#7F7F7F", "dash_type": "dash"}})
    chart.set_title({"name": "Fees by due date: due, by fee; waived in grey"})
    chart.set_x_axis({"text_axis": True, "num_format": "yyyy-mm-dd", "name": "Due date",
                      "num_font": {"size": 10}})
    chart.set_y_axis({"num_format": "#,##0", "num_font": {"size": 10},
                      "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_legend({"position": "bottom", "font": {"size": 10}})
    chart.set_size({"width": 900, "height": CHART_PX})
    s.ws.insert_chart(5 + -(-CHART_PX // 17), 0, chart)  # below the first chart (from row 5; rows of 17 px)
