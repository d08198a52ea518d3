"""Cover tab: deal, parties, documents, dates, stamp, contents, how to use, headline figures."""

from __future__ import annotations

from udfs.engine.severance import plan_reading
from workbook.context import Context
from workbook.xl import DEFAULT_ROW_PT, block_breaks, column_px, page_room, paper_for, row_height, wrapped_lines

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
