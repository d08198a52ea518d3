"""Cover tab (deal, parties, documents, dates, stamp, contents, how to use, headline figures) and the
Charts tab."""

from __future__ import annotations

from .context import Context
from .xl import serial


def cover(ctx: Context, stamp: str):
    s = ctx.new_sheet("cover")
    ws = s.ws
    deal, i = ctx.deal, ctx.inputs
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 70)
    row = ctx.header(s, "cover")
    s.text(row, 0, deal.name, "title")
    row += 2
    s.text(row, 0, "As-of date", "label")
    s.formula(row, 1, "=AsOf", i.as_of, "calc", "date")
    row += 1
    s.text(row, 0, "Amended through", "label")
    s.formula(row, 1, '=IF(ISNUMBER(AmendedThrough),AmendedThrough,"all documents")',
              serial(i.amended_through) if i.amended_through else "all documents", "calc", "date")
    row += 1
    s.text(row, 0, "Flavor", "label")
    s.text(row, 1, ctx.flavor, "text")
    s.text(row, 2, ctx.template.get("cover", {}).get("flavor_note", {}).get(ctx.flavor, ""), "note")
    row += 1
    s.text(row, 0, "Generated", "label")
    s.text(row, 2, stamp, "note")
    row += 2

    s.text(row, 0, "Headline figures on the as-of date", "section")
    row += 1
    heads = [("Document in effect", "AsOfDocument", "text"), ("Maximum Limit", "AsOfMaxLimit", "money"),
             ("Borrowing Capacity", "AsOfCapacity", "money"), ("Overadvance limit", "AsOfOveradvance", "money"),
             ("Availability", "AsOfAvailability", "money")]
    for label, name, kind in heads:
        s.text(row, 0, label, "label")
        s.formula(row, 1, f"={name}", ctx.as_of_values[name], "calc", kind)
        row += 1
    if deal.installments:
        s.text(row, 0, "Fees due through the as-of date", "label")
        s.formula(row, 1, "=FeesDueToAsOf", ctx.fee_totals["to_as_of"], "calc", "money")
        row += 1
    if deal.severance:
        s.text(row, 0, "Severance paid through the as-of date", "label")
        s.formula(row, 1, "=SevPaidToAsOf", ctx.sev_values["paid_to_date"], "calc", "money")
        row += 1
    row += 1

    s.text(row, 0, "Contents", "section")
    row += 1
    for tab in ctx.template["tabs"]:
        if tab["key"] in ctx.written_tabs and tab["key"] != "cover":
            s.link(row, 0, tab["name"], tab["name"])
            s.text(row, 2, tab.get("title", ""), "note")
            row += 1
    row += 1

    s.text(row, 0, "How to use this file", "section")
    row += 1
    for line in ctx.template.get("cover", {}).get("how_to_use", []):
        s.text(row, 0, "-", "note")
        s.text(row, 2, line, "wrap")
        row += 1
    row += 1

    s.text(row, 0, "Parties", "section")
    row += 1
    for party in deal.parties:
        s.text(row, 0, party.get("name", ""), "label")
        s.text(row, 1, party.get("short", ""), "text")
        s.text(row, 2, party.get("role", ""), "wrap")
        row += 1
    row += 1
    s.text(row, 0, "Documents", "section")
    row += 1
    for doc in deal.documents:
        s.value(row, 0, doc.title, "data", "text")
        s.value(row, 1, doc.date, "data", "date")
        s.value(row, 2, "terms in our documents" if doc.terms_known else "date only", "data", "text")
        row += 1
    ws.activate()
    ws.set_first_sheet()


def charts(ctx: Context):
    s = ctx.new_sheet("charts")
    ctx.header(s, "charts")
    wb = ctx.wb
    cap = ctx.tab("capacity")
    first, n = ctx.capacity_table
    keys = [c.key for c in ctx.capacity_columns]
    col = {k: keys.index(k) for k in ("date", "max_limit", "capacity", "availability")}
    line = wb.add_chart({"type": "line"})
    for key, title in (("max_limit", "Maximum Limit"), ("capacity", "Borrowing Capacity"),
                       ("availability", "Availability")):
        line.add_series({
            "name": title,
            "categories": [cap, first, col["date"], first + n - 1, col["date"]],
            "values": [cap, first, col[key], first + n - 1, col[key]],
            "line": {"width": 1.75},
        })
    line.set_title({"name": "Maximum Limit, capacity and availability by day"})
    # One label a week: a label a day is unreadable over three months.
    line.set_x_axis({"date_axis": True, "num_format": "yyyy-mm-dd", "num_font": {"rotation": -45},
                     "major_unit": 7, "major_unit_type": "days"})
    line.set_y_axis({"num_format": "#,##0"})
    line.set_legend({"position": "bottom"})
    line.set_size({"width": 900, "height": 380})
    s.ws.insert_chart(4, 0, line)
    if ctx.deal.installments:
        fees = ctx.tab("fees")
        f1, f2 = ctx.fee_rows
        col = wb.add_chart({"type": "column", "subtype": "stacked"})
        for c, title in ((6, "Due"), (7, "Waived")):
            col.add_series({"name": title, "categories": [fees, f1, 3, f2, 3], "values": [fees, f1, c, f2, c]})
        col.set_title({"name": "Fee installments by due date: due and waived"})
        col.set_x_axis({"text_axis": True, "num_format": "yyyy-mm-dd", "num_font": {"rotation": -45}})
        col.set_y_axis({"num_format": "#,##0"})
        col.set_legend({"position": "bottom"})
        col.set_size({"width": 900, "height": 380})
        s.ws.insert_chart(25, 0, col)
    s.ws.fit_to_pages(1, 1)  # both charts on one printed page
