"""Terms tab: the deal's data as tables the formulas look up (constants, events, documents, readings,
prime rates, step tables of every term, fees, severance), each figure beside its clause."""

from __future__ import annotations

from workbook.context import PAGE_HEIGHT, Context, safe_name
from workbook.tables import fee_tables
from workbook.tables.step_tables import ON_DELIVERY, UNBOUNDED
from workbook.tables.terms_columns import (
    BODY_PT,
    C_DOC,
    C_VER,
    LINE,
    PRINTED,
    TERMS_SCALE,
    WIDTHS,
)
from workbook.tabs.terms_readings import choices, readings
from workbook.tabs.terms_steps import term_blocks, text_lines
from workbook.tabs.text import human
from workbook.xl import NEVER, col_name, serial


def write(ctx: Context) -> int | None:
    """The Terms tab. Returns the most installments a severance plan has (None without severance): the
    Severance tab's rows."""
    s = ctx.new_sheet("terms")
    ws = s.ws
    for j, w in enumerate(WIDTHS):
        ws.set_column(j, j, w)
    ws.set_column(len(WIDTHS), len(WIDTHS) + 40, 24)  # off the printed page: room for the codes, working, timeline
    row = ctx.header(s, "terms")
    # printed: the first columns (the tables a lender reads), never shrunk below the template's scale
    scale = ctx.tabs["terms"].get("scale")
    if scale is None:
        scale = TERMS_SCALE
        ws.set_print_scale(scale)
    # what keep_together assumes of a page: PAGE_HEIGHT points at 100%; a landscape Letter or A4 page's
    # body holds BODY_PT (measured in LibreOffice's PDF), so the breaks use the page's real room
    page = scale / 100 * PAGE_HEIGHT / BODY_PT  # each section's keep_together measures pages so
    deal = ctx.deal

    row = _constants(ctx, s, row, page)
    row = _events(ctx, s, row, page)
    row = _documents(ctx, s, row, page)
    row = _facilities(ctx, s, row, page)
    row = choices(ctx, s, row, page)
    row = readings(ctx, s, row, page)
    row = _prime(ctx, s, row, page)

    # -- term blocks ----------------------------------------------------------------------------
    row = term_blocks(ctx, s, row, page)

    # -- fees -----------------------------------------------------------------------------------
    if deal.installments:
        row = fee_tables.write_terms(ctx, s, row, page)

    # -- severance ------------------------------------------------------------------------------
    sev_most = None
    if deal.severance:
        row, sev_most = _severance(ctx, s, row, page)
    ws.freeze_panes(4, 0)
    ws.print_area(0, 0, row, len(PRINTED) - 1)  # the codes the formulas test and the working: on screen only
    return sev_most


def _constants(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's constants; returns the next free row."""
    name, deal = s.name, ctx.deal
    s.text(row, 0, "Constants", "section")
    row += 1
    ctx.keep_together(s, row, LINE * 14, scale)
    s.ws.merge_range(row, 0, row, 2, "", s.fmt("header"))
    s.text(row, 0, "Name (as the formulas use it)", "header")
    s.text(row, 3, "Value", "header")
    s.ws.merge_range(row, 4, row, len(PRINTED) - 1, "", s.fmt("header"))
    s.text(row, 4, "Meaning", "header")
    row += 1
    consts = [
        ("Never", NEVER, "never", "The date a condition never met takes effect on: the last date a spreadsheet "
         "holds, printed as never"),
        ("Unbounded", UNBOUNDED, "cap", "No cap in effect"),
        ("OnDeliveryRule", ON_DELIVERY, "text", "A late delivery still makes a conditional step take effect"),
        ("OneDay", 1, "int", "Days in one accrual period of the daily schedules"),
        ("WindowStart", ctx.start, "date",
         f"First date whose terms are in our documents ({deal.window_start_citation})"),
        ("CheckDecimals", 6, "int", "Decimals to which the Checks tab rounds sums of money"),
    ]
    known = [d for d in deal.documents if d.has_terms]
    if known:
        first_known = min(known, key=lambda d: d.date)
        consts.append(("FirstKnownTerms", first_known.date, "date",
                       f"Signing date of {first_known.title}, the first document whose terms we have"))
    basis = deal.pricing.get("day_count")
    if "DayCountBasis" not in ctx.choice_maps and isinstance(basis, (int, float)):
        consts.append(("DayCountBasis", basis, "int", "Days in a year for interest"))
    for key, value, kind, meaning in consts:
        s.text(row, 0, key, "label")
        if kind == "text":  # a code: across the value and the next column, the note after it
            s.ws.merge_range(row, 3, row, 4, "", s.fmt("data", kind))
        s.value(row, 3, value, "data", kind)
        _note(s, row, meaning, 5 if kind == "text" else 4)
        ctx.define(key, name, row, 3)
        row += 1
    s.text(row, 0, "AmendedThroughEff", "label")
    s.formula(row, 3, "=IF(ISNUMBER(AmendedThrough),AmendedThrough,AsOf)", ctx.view_serial, "calc", "date")
    _note(s, row, "Documents signed on or before this date count (Inputs; blank: the as-of date)")
    ctx.define("AmendedThroughEff", name, row, 3)
    row += 1
    s.text(row, 0, "TermEnd", "label")
    s.formula(row, 3, "=TermEnd", ctx.view.end, "calc", "never")
    _note(s, row, "End of the Initial Term in this view: the first day past the term as known on that day, "
                   "less one (worked out under the Initial Term's step table)")
    row += 1
    s.text(row, 0, "ScheduleEnd", "label")
    s.value(row, 3, ctx.end, "data", "date")
    _note(s, row, "Last day of the daily schedules: the latest end of the Initial Term in any view")
    ctx.define("ScheduleEnd", name, row, 3)
    row += 1
    row += 1
    return row


def _events(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's events; returns the next free row."""
    ws, name, deal = s.ws, s.name, ctx.deal
    if deal.events:
        ctx.keep_together(s, row, LINE * (3 + 2 * len(deal.events)), scale)
        s.text(row, 0, "Events (deliveries that change terms)", "section")
        row += 1
        # printed: the event in words, its delivery, its clause; the code the formulas match on and the
        # count of its rows on Inputs stay off the printed page (columns K and L)
        c_key, c_named = len(PRINTED), len(PRINTED) + 1
        for c1, c2, head in ((0, 2, "Event"), (3, 3, "Delivered (Inputs)"), (4, 4, "Ends the agreement"),
                             (5, len(PRINTED) - 1, "Citation"), (c_key, c_key, "Code (the formulas match on it)"),
                             (c_named, c_named, "Rows on Inputs")):
            if c2 > c1:
                s.ws.merge_range(row, c1, row, c2, "", s.fmt("header"))
            s.text(row, c1, head, "header")
        ws.set_row(row, 2 * LINE + 2)
        row += 1
        first = row
        for ev, info in deal.events.items():
            x = row + 1
            key = f"{col_name(c_key)}{x}"
            s.ws.merge_range(row, 0, row, 2, "", s.fmt("data", "wrap"))
            s.value(row, 0, info["label"], "data", "wrap")
            # SUMIF and COUNTIF, not ISNUMBER over a range (Gnumeric does not spread ISNUMBER inside SUMPRODUCT)
            s.formula(row, 3, f"=IF(SUMIF(Ev_InName,{key},Ev_InDate)=0,Never,"
                      f"SUMIF(Ev_InName,{key},Ev_InDate)/COUNTIF(Ev_InName,{key}))",
                      ctx.event_done[ev], "calc", "delivered")
            s.value(row, 4, int(bool(info.get("ends_agreement", False))), "data_centered", "flag")
            s.ws.merge_range(row, 5, row, len(PRINTED) - 1, "", s.fmt("data", "wrap"))
            s.value(row, 5, info.get("citation", ""), "data", "wrap")
            s.ws.set_row(row, LINE * text_lines(info["label"], info.get("citation", ""),
                                            widths=(sum(WIDTHS[0:3]), sum(WIDTHS[5:]))))
            s.value(row, c_key, ev, "data", "text")
            s.formula(row, c_named, f"=COUNTIF(Ev_InName,{key})", sum(1 for e in ctx.inputs.events if e == ev),
                      "calc", "int")
            row += 1
        ctx.define("Ev_Key", name, first, c_key, row - 1, c_key)
        ctx.define("Ev_Done", name, first, 3, row - 1, 3)
        ctx.define("Ev_Label", name, first, 0, row - 1, 0)
        ctx.define("Ev_Ends", name, first, 4, row - 1, 4)
        ctx.define("Ev_Named", name, first, c_named, row - 1, c_named)
        row += 1
    return row


def _documents(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's documents; returns the next free row."""
    ws, name, deal = s.ws, s.name, ctx.deal
    doc_height = LINE * (2 + 4) + sum(LINE * max(1, -(-len(d.title) * 10 // (WIDTHS[C_DOC] * 11)))
                                      for d in deal.documents)
    ctx.keep_together(s, row, doc_height, scale)
    s.text(row, 0, "Documents", "section")
    row += 1
    for j, head in enumerate(("#", "Document", "Short", "Signed", "Counted", "Loan agmt", "Terms known",
                              "Governing loan document (#)", "Signed, if its terms are known and counted")):
        s.text(row, j, head, "header")
    ws.set_row(row, 4 * LINE + 2)
    row += 1
    first = row
    in_force = 0  # the latest document in view that amends the loan agreement, signed on or before this row's
    for k, doc in enumerate(deal.documents, start=1):
        x = row + 1
        s.value(row, 0, k, "data", "int")
        s.value(row, 1, doc.title, "data", "wrap")
        lines = max(-(-len(doc.title) * 10 // (WIDTHS[C_DOC] * 11)), 2 if len(doc.short) > WIDTHS[C_VER] else 1)
        if lines > 1:
            ws.set_row(row, LINE * lines)
        s.value(row, 2, doc.short, "data", "wrap")
        s.value(row, 3, doc.date, "data", "date")
        # flags as 1 and 0, not TRUE and FALSE: Excel applies the yes/no format to numbers only
        s.formula(row, 4, f"=IF(D{x}<=AmendedThroughEff,1,0)", int(doc.id in ctx.view.visible), "calc_centered",
                  "flag")
        s.value(row, 5, int(doc.is_lsa), "data_centered", "flag")
        s.value(row, 6, int(doc.terms_known), "data_centered", "flag")
        in_force = k if doc in ctx.view.lsa_documents else in_force
        above = f"H{x - 1}" if k > 1 else "0"
        s.formula(row, 7, f"=IF(AND(E{x},F{x}),A{x},{above})", in_force, "calc_centered", "int")
        known = doc.id in ctx.view.visible and doc.has_terms
        s.formula(row, 8, f'=IF(AND(E{x},F{x},G{x}),D{x},"")', serial(doc.date) if known else "", "calc_centered",
                  "date")
        row += 1
    for key, col in (("Doc_Row", 0), ("Doc_Short", 2), ("Doc_Title", 1), ("Doc_Date", 3), ("Doc_Visible", 4),
                     ("Doc_LSA", 5), ("Doc_Known", 6), ("Doc_InForce", 7), ("Doc_KnownInView", 8)):
        ctx.define(key, name, first, col, row - 1, col)
    row += 1
    return row


def _facilities(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's facilities; returns the next free row."""
    name, deal = s.name, ctx.deal
    if deal.pricing.get("margin_terms"):
        margins = deal.pricing["margin_terms"]
        ctx.keep_together(s, row, LINE * (2 + len(margins)), scale)
        s.text(row, 0, "Facilities", "section")
        row += 1
        labels = {b.key: b.label for b in ctx.blocks}
        for fac, term in margins.items():
            s.text(row, 0, deal.facilities[fac]["label"], "label")
            s.value(row, 3, fac, "data", "text")
            _note(s, row, f"Its margin: the step table {labels.get(term, human(term))} below (code {fac})")
            ctx.define(f"Fac_{safe_name(fac)}", name, row, 3)
            row += 1
        row += 1
    return row


def _prime(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's prime; returns the next free row."""
    name, deal = s.name, ctx.deal
    prime = deal.prime
    if prime:
        ctx.keep_together(s, row, LINE * (5 + len(prime["rates"])), scale)
        s.text(row, 0, f"Prime rate: {prime.get('source', '')}", "section")
        row += 1
        s.text(row, 0, "Valid from", "label")
        s.value(row, 3, prime["valid_from"], "data", "date")
        ctx.define("PrimeValidFrom", name, row, 3)
        _note(s, row, prime.get("citation", ""))
        row += 1
        s.text(row, 0, "Valid through", "label")
        s.value(row, 3, prime["valid_through"], "data", "date")
        ctx.define("PrimeValidThrough", name, row, 3)
        row += 1
        for j, head in enumerate(("#", "", "", "From", "Rate")):
            if head:
                s.text(row, j, head, "header")
        row += 1
        first = row
        for k, (day, rate) in enumerate(prime["rates"], start=1):
            s.value(row, 0, k, "data", "int")
            s.value(row, 3, max(day, prime["valid_from"]), "data", "date")
            s.value(row, 4, float(rate), "data", "rate")
            row += 1
        ctx.define("Prime_From", name, first, 3, row - 1, 3)
        ctx.define("Prime_Rate", name, first, 4, row - 1, 4)
        row += 1
    return row


def _note(s, row: int, text: str, col: int = 4):
    """A note beside a figure, across the printed columns to its right (wrapped there, not in one)."""
    s.ws.merge_range(row, col, row, len(PRINTED) - 1, "", s.fmt("note", "text"))
    s.text(row, col, text, "note")
    lines = -(-len(text) * 10 // (sum(WIDTHS[col:]) * 11))
    if lines > 1:
        s.ws.set_row(row, LINE * lines)


def s_ref(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"




def _severance(ctx: Context, s, row: int, scale: float) -> tuple[int, int]:
    sev = ctx.deal.severance
    name = s.name
    ctx.keep_together(s, row, LINE * (20 + max(p.parts for p in sev.plans.values())), scale)
    s.text(row, 0, "Severance letter", "section")
    row += 1
    items = [
        ("SevLetterDate", "Letter dated", sev.letter_date, "date", sev.salary_through_citation),
        ("SevSalaryThrough", "Salary and benefits through", sev.salary_through, "date",
         sev.salary_through_citation),
        ("SevMonths", "Months of salary", sev.months_of_salary, "int", sev.months_citation),
        ("SevMonthsPerYear", "Months in a year", 12, "int", "Calendar"),
        ("SevOffsetFrom", "Offset period from", sev.offset_from, "date", sev.offset_citation),
        ("SevOffsetThrough", "Offset period through", sev.offset_through, "date", sev.offset_citation),
        ("SevLateRate", "Late interest rate (a year)", sev.late_rate, "rate", sev.late_citation),
        ("SevGraceDays", "Grace days", sev.late_grace_days, "int", sev.late_citation),
        ("SevBasisDays", "Days in a year (late interest)", sev.late_basis_days, "int", sev.late_citation),
        ("SevInsuranceThrough", "Insurance through", sev.insurance_through, "date",
         sev.insurance_citation),
        ("SevAutoLeaseThrough", "Auto lease through", sev.auto_lease_through, "date",
         sev.auto_lease_citation),
        ("SevOutplacementMonths", "Outplacement months", sev.outplacement_months, "int",
         sev.election_citation),
        ("SevOutplacementCap", "Outplacement cap", sev.outplacement_cap, "money",
         sev.election_citation),
        ("SevTransitionThrough", "Transition support through", sev.transition_support_through, "date",
         sev.transition_citation),
    ]
    for key, label, value, kind, cit in items:
        if value is None:
            continue
        s.text(row, 0, label, "label")
        s.value(row, 3, value, "data", kind)
        _note(s, row, cit)
        ctx.define(key, name, row, 3)
        row += 1
    row += 1
    plans = sev.plans
    s.text(row, 0, "Installment plans (one column per reading)", "section")
    row += 1
    s.text(row, 0, "#", "header")
    for j, plan in enumerate(plans):
        s.value(row, 3 + j, plan, "header", "text")
    ctx.define("SevPlanNames", name, row, 3, row, 2 + len(plans))
    row += 1
    s.text(row, 0, "Parts", "label")
    for j, plan in enumerate(plans.values()):
        s.value(row, 3 + j, plan.parts, "data", "int")
    ctx.define("SevPlanParts", name, row, 3, row, 2 + len(plans))
    row += 1
    most = max(p.parts for p in plans.values())
    first = row
    for n in range(most):
        s.value(row, 0, n + 1, "data", "int")
        for j, plan in enumerate(plans.values()):
            dates = plan.dates
            s.value(row, 3 + j, dates[n] if n < len(dates) else None, "data", "date")
        row += 1
    ctx.define("SevPlanDates", name, first, 3, row - 1, 2 + len(plans))
    return row + 1, most
