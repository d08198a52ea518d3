"""Charts tab: the Borrowing Capacity against the Maximum Limit over the term, and the fees by due date
(a helper table of running totals the chart reads: each cell's cost independent of the installments while
the due dates keep the schedule's order)."""


from __future__ import annotations

import datetime as dt

from workbook.context import Context
from workbook.tables.fee_tables import fee_order
from workbook.xl import column_px, serial


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
