"""Borrowing Capacity certificate for the as-of date, as a borrower sends it to its lenders (two
portrait pages at most): period and number, the receivables roll-forward, ineligibles from gross to
eligible, the borrowing base by collateral component, deductions and reserves, the loans, the
shortfall or excess and the discretionary Overadvance room, the deadlines due in the period, the
no-default statement and the officer's block.

Every figure is a formula over the Inputs, Terms and Borrowing Capacity cells (by their defined
names), so it follows the inputs; the live flavor's headline figures call the LSA_ functions.
Why the Maximum Limit is what it is (the step in force and its clause) is worked out in small tables
below the printed page (read through defined names; workbook/tabs/certificate_working.py), from the
Terms step tables, the way the engine compiles a term.
"""

from __future__ import annotations

import datetime as dt

from workbook.context import Context, safe_name
from workbook.inputs import period_start
from workbook.tabs.certificate_capacity import borrowing_base, components, reserves
from workbook.tabs.certificate_working import WORK_WIDTHS, answers, deadline_keys, why, working
from workbook.tabs.text import deadline_order
from workbook.xl import (
    DEFAULT_ROW_PT,
    block_breaks,
    cell,
    col_name,
    column_px,
    page_room,
    paper_for,
    row_height,
    serial,
    wrapped_lines,
)

WIDTHS = (41, 15, 41)  # label, amount, clause or note; column D stays narrow under the master-check bar
SCALE = 90  # percent: the page prints at this scale
SECTION_PT = 16  # a section's heading row: room above it instead of a blank row


def borrower(ctx: Context) -> tuple[str, str]:
    """The borrower's name and short name, from the deal file."""
    deal = ctx.deal
    name = deal.raw.get("deal", {}).get("borrower")
    party = next((p for p in deal.parties if p.get("name") == name), None)
    if party is None:
        party = next((p for p in deal.parties if p.get("role", "").lower() in ("debtor", "borrower")), None)
    if party is None:
        return name or deal.name, name or deal.short_name
    return party.get("name", ""), party.get("short", party.get("name", ""))


def _amount(x):
    return 0.0 if x in ("", None) else x


class Page:
    """The printed page's writer: one line a figure, in order down the page. Keeps each line's row and
    stored value by key (a later line's formula refers to an earlier one's cell) and the first row of
    each block that must not split across pages."""

    def __init__(self, ctx: Context, s, row: int, blocks: dict):
        self.ctx, self.s, self.ws = ctx, s, s.ws
        self.row = row
        self.blocks = blocks  # term key -> its step table (TermBlock)
        self.px = [column_px(w) for w in WIDTHS]
        self.lines: dict[str, int] = {}
        self.stored: dict[str, object] = {}  # each line's stored value, by key
        self.starts: list[int] = []  # first row of each block that must not split across pages

    def figure(self, key, label, formula, value, kind="money", note="", live=None, role="calc"):
        s = self.s
        s.text(self.row, 0, label, "label" if role != "total" else "total")
        s.formula(self.row, 1, self.ctx.pick(formula, live), value, role, kind)
        if note:
            s.text(self.row, 2, note, "side")
        self.lines[key] = self.row
        self.stored[key] = value
        self.row += 1

    def at(self, key) -> str:
        return cell(self.lines[key], 1)

    def skip(self, n=1) -> int:
        """Move on n rows (a row written by hand); the row now current."""
        self.row += n
        return self.row

    def section(self, title, head2="Amount", head3=""):
        self.starts.append(self.row)
        self.ws.set_row(self.row, SECTION_PT)  # the space above a section, in place of a blank row
        for j, text in enumerate((title, head2, head3)):
            self.s.text(self.row, j, text, "section")
        self.row += 1

    def clause(self, r, answer, key):
        """The clause of the step in force, wrapped; the row fits the longest clause the term has."""
        self.s.formula(r, 2, "=" + answer["cit"], answer["why"].citation, "clause", "text")
        longest = max((b.citation for b in self.blocks[key].rows), key=lambda t: wrapped_lines(t, self.px[2]))
        self.ws.set_row(r, max(DEFAULT_ROW_PT, row_height(wrapped_lines(longest, self.px[2]))))


def write(ctx: Context):
    s = ctx.new_sheet("certificate")
    for j, w in enumerate(WIDTHS):
        s.ws.set_column(j, j, w)
    s.ws.set_column(3, 3, 1)
    top = ctx.header(s, "certificate")
    name, short = borrower(ctx)
    agent = ctx.deal.raw.get("deal", {}).get("agent", "the Agent")
    blocks = {b.key: b for b in ctx.blocks}
    work = {key: answers(blocks[key], why(ctx, blocks[key]))
            for key in ("max_limit", "advance_rate", "overadvance_limit") if key in blocks}
    page = Page(ctx, s, top, blocks)
    start = _who(page, agent, name)
    _receivables(page)
    _eligible(page)
    cap_code = borrowing_base(ctx, page, components(ctx, short, work.get("advance_rate")), reserves(ctx), work)
    _loans(page)
    _against_capacity(page, cap_code, work)
    _deadlines(page, start)
    _no_default(page)
    end = _certification(page, name, agent)
    _working_tables(ctx, s, end + 2, blocks, start)
    _print_pages(ctx, s, page.starts, top, end)


def _who(page: Page, agent: str, name: str) -> dt.date:
    """Who sends it to whom, its number, the period and the documents counted; the period's first day."""
    ctx, s, i = page.ctx, page.s, page.ctx.inputs
    page.starts.append(page.row)
    for label, value in (("To", f"{agent}, as Agent, and the Lenders"), ("From", name)):
        s.text(page.row, 0, label, "label")
        s.text(page.row, 1, value, "text")
        page.skip()
    s.text(page.row, 0, "Certificate number", "label")
    s.formula(page.row, 1, '=IF(Cert_Number="","",Cert_Number)', i.certificate.get("number", ""), "calc_indent",
              "text")
    page.skip()
    start = period_start(i)
    page.figure("from", "Reporting period from",
                '=IF(ISNUMBER(Cert_PeriodStart),Cert_PeriodStart,AsOf-DAY(AsOf)+1)', serial(start), "date",
                "the Inputs tab; blank: the month's first day")
    ctx.define("Cert_PeriodFrom", s.name, page.lines["from"], 1)
    page.figure("to", "to (the as-of date)", "=AsOf", serial(i.as_of), "date", "figures at the close of this day")
    view_note = "amended through this date (Inputs)" if i.amended_through else "the documents signed by the as-of date"
    page.figure("view", "Documents counted: signed on or before", "=AmendedThroughEff", ctx.view_serial, "date")
    s.formula(page.lines["view"], 2, '=IF(ISNUMBER(AmendedThrough),"amended through this date (Inputs)",'
              '"the documents signed by the as-of date")', view_note, "side", "text")
    page.figure("doc", "Document in effect on the as-of date", "=AsOfDocument", ctx.headline.document, "text",
                f"the {ctx.tab('history')} tab lists every document")
    return start


def _receivables(page: Page):
    """A. The receivables roll-forward, reconciled with the aging."""
    c, figure, at = page.ctx.inputs.certificate, page.figure, page.at
    page.section("A. Receivables roll-forward", "Amount", "")
    figure("a1", "A1. Receivables at the end of the prior period", "=Cert_PriorReceivables", c["prior_receivables"])
    figure("a2", "A2. Add: sales in the period", "=Cert_Sales", c["sales"])
    figure("a3", "A3. Less: collections", "=Cert_Collections", c["collections"])
    figure("a4", "A4. Less: credits and discounts", "=Cert_Credits", c["credits"])
    figure("a5", "A5. Add (less): other adjustments", "=Cert_Adjustments", c["adjustments"])
    rolled = c["prior_receivables"] + c["sales"] - c["collections"] - c["credits"] + c["adjustments"]
    figure("a6", "A6. Receivables at the end (A1+A2-A3-A4+A5)",
           f"={at('a1')}+{at('a2')}-{at('a3')}-{at('a4')}+{at('a5')}", rolled, role="total")
    figure("a7", "A7. Receivables per the aging", "=Cert_GrossReceivables", c["gross_receivables"])
    figure("a8", "A8. Difference (A6 less A7; zero when reconciled)", f"={at('a6')}-{at('a7')}",
           rolled - c["gross_receivables"])


def _eligible(page: Page):
    """B. Ineligibles, from gross to eligible receivables."""
    ctx, s, figure, at = page.ctx, page.s, page.figure, page.at
    i = ctx.inputs
    c = i.certificate
    page.section("B. Eligible receivables", "Amount", "")
    note = ("Ineligibles by category are the Borrower's own analysis; the Agreement's eligibility criteria "
            "govern what is eligible.")
    page.ws.merge_range(page.row, 0, page.row, 2, note, s.fmt("note", "text"))
    page.ws.set_row(page.row, row_height(wrapped_lines(note, sum(page.px))))
    first_inel = page.skip()
    for key, label in ctx.ineligible_categories:
        figure(f"inel_{key}", f"      less: {label}", f"=Cert_Inel_{key}", c["ineligibles"][key])
    total_inel = sum(c["ineligibles"].values())
    figure("b2", "B2. Total ineligibles", f"=SUM({cell(first_inel, 1)}:{cell(page.row - 1, 1)})", total_inel)
    figure("b3", "B3. Eligible receivables (A7 less B2)", f"={at('a7')}-{at('b2')}",
           c["gross_receivables"] - total_inel, role="total")
    figure("b4", "B4. Eligible receivables in the borrowing base", "=Receivables", i.receivables,
           note="the Inputs tab (Receivables)")
    figure("b5", "B5. Difference (B3 less B4; zero when reconciled)", f"={at('b3')}-{at('b4')}",
           c["gross_receivables"] - total_inel - i.receivables)


def _loans(page: Page):
    """D. The Advances rolled forward and reconciled, the Term Loan and its reserve."""
    ctx, figure, at = page.ctx, page.figure, page.at
    i = ctx.inputs
    c = i.certificate
    page.section("D. Loans", "Amount", "")
    figure("d1", "D1. Advances at the start of the period", "=Cert_OpeningAdvances", c["opening_advances"])
    figure("d2", "D2. Add: Advances made", "=Cert_AdvancesMade", c["advances_made"])
    figure("d3", "D3. Less: Advances repaid", "=Cert_AdvancesRepaid", c["advances_repaid"])
    closing = c["opening_advances"] + c["advances_made"] - c["advances_repaid"]
    figure("d4", "D4. Advances at the end (D1+D2-D3)", f"={at('d1')}+{at('d2')}-{at('d3')}", closing, role="total")
    figure("d5", "D5. Advances outstanding (Inputs tab)", "=Outstanding", i.outstanding)
    figure("d6", "D6. Difference (D4 less D5; zero when reconciled)", f"={at('d4')}-{at('d5')}",
           closing - i.outstanding)
    term_loan = next((f for f in i.balances if "term" in f), None)
    if term_loan is not None:
        figure("d7", f"D7. {ctx.deal.facilities[term_loan]['label']} balance", f"=Balance_{safe_name(term_loan)}",
               i.balances[term_loan], note="not part of Borrowing Capacity")
    tlr = i.term_loan_reserve
    figure("d8", "D8. Term Loan Reserve", '=IF(ISNUMBER(TermLoanReserve),TermLoanReserve,"not known")',
           "not known" if tlr is None else tlr, "money" if tlr is not None else "text",
           note="limits Overadvances (No. 10 B.1)")


def _against_capacity(page: Page, cap_code: str, work: dict):
    """E. The excess or shortfall against Borrowing Capacity, the Overadvance limit and room, compliance."""
    ctx, s, figure, at = page.ctx, page.s, page.figure, page.at
    m = ctx.headline
    page.section("E. Against Borrowing Capacity", "Amount", "")
    capacity = page.stored["cap"]
    head = "" if capacity == "" else capacity - ctx.inputs.outstanding
    figure("e3", f"E1. Excess (shortfall): {cap_code} less D5", f"={at('cap')}-{at('d5')}", head, role="total",
           note="negative: a shortfall")
    over = m.overadvance
    figure("e4", "E2. Overadvance limit", "=AsOfOveradvance", over,
           live="=LSA_OVERADVANCE_LIMIT(AsOf,TermLoanReserve,AmendedThrough)")
    if work.get("overadvance_limit"):
        page.clause(page.lines["e4"], work["overadvance_limit"], "overadvance_limit")
    room = "" if head == "" else max(0.0, _amount(m.availability) - max(0.0, head))
    figure("e5", "E3. Overadvance room left (Lenders' discretion)",
           f"=MAX(0,AsOfAvailability-MAX(0,{at('e3')}))", room,
           note="at their sole discretion: not availability")
    excess = 0 if head == "" else -head
    status = ("Within Borrowing Capacity" if excess <= 0 else
              "Above Borrowing Capacity, within the Overadvance limit" if excess <= _amount(over) else
              "Above Borrowing Capacity and the Overadvance limit")
    row = page.row
    s.text(row, 0, "Compliance", "total")
    h = at("e3")
    page.ws.merge_range(row, 1, row, 2, "", s.fmt("total", "text"))
    s.formula(row, 1, f'=IF({h}>=0,"Within Borrowing Capacity",IF(-{h}<={at("e4")},'
              '"Above Borrowing Capacity, within the Overadvance limit",'
              '"Above Borrowing Capacity and the Overadvance limit"))', status, "total", "text")
    page.lines["status"] = row
    page.skip()


def _deadlines(page: Page, start: dt.date):
    """F. The deadlines due in the period, in date order, a fixed number of lines (then "n more")."""
    ctx, s = page.ctx, page.s
    deal = ctx.deal
    slots = int(ctx.template.get("certificate", {}).get("deadline_rows", 6)) if deal.deadlines else 0
    if not slots:
        return
    due = deadlines_in_period(ctx, start)
    page.section("F. Deadlines due in the period", "Due", "Status on the as-of date")
    longest = max((d.item for d in deal.deadlines), key=lambda x: wrapped_lines(x, page.px[0]))
    for j in range(slots):
        row = page.row
        k = f"MATCH({j + 1},Cert_DLRank,0)"
        have = f"COUNT(Cert_DLKeys)<{j + 1}"
        item = due[j] if j < len(due) else None
        s.formula(row, 0, f'=IF({have},"",INDEX(DL_Requirement,{k}))', item[1] if item else "", "wrap", "text")
        s.formula(row, 1, f'=IF({have},"",INDEX(DL_Date,{k}))', serial(item[0]) if item else "", "calc", "date")
        s.formula(row, 2, f'=IF({have},"",INDEX(DL_Status,{k}))', item[2] if item else "", "clause", "text")
        page.ws.set_row(row, row_height(wrapped_lines(longest, page.px[0])))
        page.skip()
    more = len(due) - slots
    s.formula(page.row, 0, f'=IF(COUNT(Cert_DLKeys)>{slots},COUNT(Cert_DLKeys)-{slots}&" more: the Deadlines tab",'
              f'IF(COUNT(Cert_DLKeys)=0,"None due in the period.",""))',
              f"{more} more: the Deadlines tab" if more > 0 else ("None due in the period." if not due else ""),
              "note", "text")
    page.skip()


def _no_default(page: Page):
    """G. The no-default statement, with the exceptions typed on the Inputs tab ("None." when none)."""
    s = page.s
    page.section("G. No Default or Event of Default has occurred and is continuing, except:", "", "")
    for j in range(page.ctx.exception_rows):
        row = page.row
        x = f"INDEX(Cert_Exceptions,{j + 1})"
        blank = "None." if j == 0 else ""
        page.ws.merge_range(row, 0, row, 2, "", s.fmt("signature", "text"))
        # "None." on the first line when every exceptions cell on Inputs is empty
        none = f'IF(COUNTA(Cert_Exceptions)=0,"{blank}","")' if blank else '""'
        s.formula(row, 0, f'=IF({x}="",{none},{x})', blank, "signature", "text")
        page.skip()


def _certification(page: Page, name: str, agent: str) -> int:
    """The certification paragraph and the officer's block; the page's last row."""
    ctx, s, ws = page.ctx, page.s, page.ws
    page.section("Certification", "", "")
    paragraph = ctx.template.get("certificate", {}).get("certification", "").format(borrower=name, agent=agent)
    ws.merge_range(page.row, 0, page.row, 2, paragraph, s.fmt("wrap", "text"))
    ws.set_row(page.row, row_height(wrapped_lines(paragraph, sum(page.px))))
    page.skip()
    line = s.fmt("signature", "text")
    sample = "ILLUSTRATIVE FIGURES: NOT FOR SIGNATURE"
    for label in ("Signature", "Name", "Title", "Date"):
        row = page.row
        s.text(row, 0, f"{label}:", "label")
        ws.merge_range(row, 1, row, 2, "", line)
        if label == "Signature":  # a certificate on the template's samples cannot pass for a signed one
            s.formula(row, 1, f'=IF(BorrowersFigures=1,"","{sample}")',
                      "" if ctx.inputs.borrowers_figures else sample, "illustrative", "text")
        ws.set_row(row, 16)
        page.skip()
    s.text(page.row, 0, f"an officer of {name}", "note")
    return page.row


def _working_tables(ctx: Context, s, row: int, blocks: dict, start: dt.date):
    """The working tables: below the page, so neither their rows' heights nor their widths change it."""
    left = len(WIDTHS) + 2
    for j, w in enumerate(WORK_WIDTHS):
        s.ws.set_column(left + j, left + j, w)
    s.text(row, 0, f"The working behind the clauses and the deadlines: below, from row {row + 3}, column "
           f"{col_name(left)}.", "subtitle")
    row += 2
    s.text(row, left, "Working (on screen, not printed): the step in force on the as-of date, from the Terms tab",
           "subtitle")
    row += 2
    for key in ("max_limit", "advance_rate", "overadvance_limit"):
        if key in blocks:
            row = working(ctx, s, row, blocks[key], left)
    if ctx.deal.deadlines:
        deadline_keys(ctx, s, row, left, start)


def _print_pages(ctx: Context, s, starts: list[int], top: int, end: int):
    """The printed page: its area, scale, and page breaks between blocks (never inside one)."""
    ws = s.ws
    ws.print_area(0, 0, end, 3)
    ws.set_print_scale(SCALE)  # 9-point text prints at 8.1 points; two pages at most (a test counts them)
    paper = paper_for(ctx.template, ctx.deal.raw.get("deal", {}).get("currency"))
    sizes = ws.row_sizes
    ends = [*starts[1:], end + 1]
    heights = [(a, sum(sizes[r][0] if r in sizes else DEFAULT_ROW_PT for r in range(a, b)))
               for a, b in zip(starts, ends, strict=True)]
    ws.set_h_pagebreaks(block_breaks(heights, page_room(paper, False) * 100 / SCALE, sum(
        sizes[r][0] if r in sizes else DEFAULT_ROW_PT for r in range(top))))


def deadlines_in_period(ctx: Context, start: dt.date) -> list[tuple]:
    """(date, requirement, status) of the deadlines due from `start` to the as-of date, in date order;
    the statuses the Deadlines tab stores (the engine's)."""
    engine = {(r[0], r[1]): r[4] for r in ctx.cat.LSA_DEADLINES(ctx.at, ctx.inputs.as_of, ctx.events)[1:]}
    rows = [(d.date, d.item, engine.get((d.date, d.item), "not counted"), k)
            for k, d in enumerate(deadline_order(ctx.deal), start=1) if start <= d.date <= ctx.inputs.as_of]
    return [r[:3] for r in sorted(rows, key=lambda r: (r[0], r[3]))]
