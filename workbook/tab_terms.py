"""Terms tab: the deal's data as tables the formulas look up (constants, events, documents, readings,
prime rates, step tables of every term, fees, severance), each figure beside its clause."""

from __future__ import annotations

import datetime as dt

from . import fees_model
from .context import Context, safe_name
from .termtables import ON_DELIVERY, ChoiceMap
from .xl import NEVER, NEVER_SERIAL, col_name, serial

UNBOUNDED = 1e300


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, (int, float)):
        return "int" if float(value).is_integer() else "rate"
    return "text"


def write(ctx: Context):
    s = ctx.new_sheet("terms")
    ws = s.ws
    name = s.name
    widths = [7, 9, 26, 11, 11, 9, 9, 9, 11, 11, 12, 9]
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    ws.set_column(12, 30, 14)
    row = ctx.header(s, "terms")
    deal = ctx.deal

    # -- constants ------------------------------------------------------------------------------
    s.text(row, 0, "Constants", "section")
    row += 1
    for j, head in enumerate(("Name", "", "", "Value", "Meaning")):
        if head:
            s.text(row, j, head, "header")
    row += 1
    consts = [
        ("Never", NEVER, "date", "A condition never met takes effect on this date"),
        ("Unbounded", UNBOUNDED, "cap", "No cap in effect"),
        ("OnDeliveryRule", ON_DELIVERY, "text", "A late delivery still makes a conditional step take effect"),
        ("OneDay", 1, "int", "Days in one accrual period of the daily schedules"),
        ("WindowStart", ctx.start, "date",
         f"First date whose terms are in our documents ({deal.window_start_citation})"),
        ("CheckDecimals", 6, "int", "Decimals to which the Checks tab rounds sums of money"),
    ]
    known = [d for d in deal.documents if d.is_lsa and d.terms_known]
    if known:
        first_known = min(known, key=lambda d: d.date)
        consts.append(("FirstKnownTerms", first_known.date, "date",
                       f"Signing date of {first_known.title}, the first document whose terms we have"))
    basis = deal.pricing.get("day_count")
    if "DayCountBasis" not in ctx.choice_maps and isinstance(basis, (int, float)):
        consts.append(("DayCountBasis", basis, "int", "Days in a year for interest"))
    for key, value, kind, meaning in consts:
        s.text(row, 0, key, "label")
        s.value(row, 3, value, "data", kind)
        s.text(row, 4, meaning, "note")
        ctx.define(key, name, row, 3)
        row += 1
    s.text(row, 0, "AmendedThroughEff", "label")
    s.formula(row, 3, "=IF(ISNUMBER(AmendedThrough),AmendedThrough,Never)", ctx.view_serial, "calc", "date")
    s.text(row, 4, "Documents signed on or before this date count (Inputs; blank: all)", "note")
    ctx.define("AmendedThroughEff", name, row, 3)
    row += 1
    end_block = next((b for b in ctx.blocks if b.key == "initial_term_end"), None)
    if end_block is not None:
        st = end_block.stem
        s.text(row, 0, "TermEnd", "label")
        s.formula(row, 3, f"=INDEX({st}_Value,SUMPRODUCT(MAX({st}_Row*{st}_StartsVersion*{st}_Visible"
                  f"*({st}_From<=WindowStart)*({st}_Ends>=WindowStart))))", serial(ctx.view.end), "calc", "date")
        s.text(row, 4, f"End of the Initial Term in this view ({ctx.view.end_citation})", "note")
        ctx.define("TermEnd", name, row, 3)
        row += 1
    row += 1

    # -- events ---------------------------------------------------------------------------------
    if deal.events:
        s.text(row, 0, "Events (deliveries that change terms)", "section")
        row += 1
        for j, head in enumerate(("Event", "", "", "Delivered", "Label", "", "", "Ends the agreement", "Citation")):
            if head:
                s.text(row, j, head, "header")
        row += 1
        first = row
        for ev, info in deal.events.items():
            s.value(row, 0, ev, "data", "text")
            x = row + 1
            s.formula(row, 3, f"=IF(SUMPRODUCT((Ev_InName=A{x})*ISNUMBER(Ev_InDate))=0,Never,"
                      f"SUMIF(Ev_InName,A{x},Ev_InDate)/SUMPRODUCT((Ev_InName=A{x})*ISNUMBER(Ev_InDate)))",
                      ctx.event_done[ev], "calc", "date")
            s.value(row, 4, info["label"], "data", "text")
            s.value(row, 7, bool(info.get("ends_agreement", False)), "data", "bool")
            s.value(row, 8, info.get("citation", ""), "data", "text")
            row += 1
        ctx.define("Ev_Key", name, first, 0, row - 1, 0)
        ctx.define("Ev_Done", name, first, 3, row - 1, 3)
        ctx.define("Ev_Label", name, first, 4, row - 1, 4)
        ctx.define("Ev_Ends", name, first, 7, row - 1, 7)
        row += 1

    # -- documents ------------------------------------------------------------------------------
    s.text(row, 0, "Documents", "section")
    row += 1
    for j, head in enumerate(("#", "Short", "Document", "Signed", "In view", "Loan agmt", "Terms known")):
        s.text(row, j, head, "header")
    row += 1
    first = row
    for k, doc in enumerate(deal.documents, start=1):
        s.value(row, 0, k, "data", "int")
        s.value(row, 1, doc.short, "data", "text")
        s.value(row, 2, doc.title, "data", "text")
        s.value(row, 3, doc.date, "data", "date")
        s.formula(row, 4, f"=D{row + 1}<=AmendedThroughEff", serial(doc.date) <= ctx.view_serial, "calc", "bool")
        s.value(row, 5, doc.is_lsa, "data", "bool")
        s.value(row, 6, doc.terms_known, "data", "bool")
        row += 1
    for key, col in (("Doc_Row", 0), ("Doc_Short", 1), ("Doc_Title", 2), ("Doc_Date", 3), ("Doc_Visible", 4),
                     ("Doc_LSA", 5), ("Doc_Known", 6)):
        ctx.define(key, name, first, col, row - 1, col)
    ctx.doc_rows = {doc.id: first + k for k, doc in enumerate(deal.documents)}
    row += 1

    # -- facilities -----------------------------------------------------------------------------
    if deal.pricing.get("margin_terms"):
        s.text(row, 0, "Facilities", "section")
        row += 1
        for fac, term in deal.pricing["margin_terms"].items():
            s.text(row, 0, deal.facilities[fac]["label"], "label")
            s.value(row, 3, fac, "data", "text")
            s.text(row, 4, f"margin term: {term}", "note")
            ctx.define(f"Fac_{safe_name(fac)}", name, row, 3)
            row += 1
        row += 1

    # -- interpretation choices -----------------------------------------------------------------
    switchable = [x for x in deal.interpretations if x.choices]
    if switchable:
        s.text(row, 0, "Interpretation choices (the switches on Inputs pick one of each)", "section")
        row += 1
        for j, head in enumerate(("Interpretation", "", "", "Choice", "Meaning")):
            if head:
                s.text(row, j, head, "header")
        row += 1
        for interp in switchable:
            first = row
            for choice, meaning in interp.choices.items():
                s.value(row, 0, interp.name, "data", "text")
                s.value(row, 3, choice, "data", "text")
                s.value(row, 4, meaning, "data", "text")
                ctx.choice_cells[(interp.name, choice)] = f"{s_ref(name)}!$D${row + 1}"
                row += 1
            key = safe_name(interp.name)
            ctx.define(f"Choices_{key}", name, first, 3, row - 1, 3)
            ctx.define(f"ChoiceDesc_{key}", name, first, 4, row - 1, 4)
        row += 1

    # -- readings that change a term's data -----------------------------------------------------
    if ctx.choice_maps:
        s.text(row, 0, "Readings applied to the data (value in force for the chosen switch)", "section")
        row += 1
        for j, head in enumerate(("Name", "", "Interpretation", "In force", "Value", "", "", "", "Citation")):
            if head:
                s.text(row, j, head, "header")
        row += 1
        readings_first = row
        for key, cmap in ctx.choice_maps.items():
            s.value(row, 0, key, "data", "text")
            s.value(row, 2, cmap.interpretation, "data", "text")
            sw = f"Switch_{safe_name(cmap.interpretation)}"
            s.formula(row, 3, f"={sw}", ctx.rules[cmap.interpretation], "calc", "text")
            resolved = ctx.choice_values[key]
            s.formula(row, 4, f"=INDEX({key}_Value,MATCH({sw},{key}_Choice,0))", resolved, "calc", _kind(resolved))
            s.value(row, 8, cmap.citation, "data", "text")
            ctx.define(key, name, row, 4)
            row += 1
            first = row
            for choice, value in cmap.values.items():
                s.text(row, 2, "if", "note")
                s.value(row, 3, choice, "data", "text")
                s.value(row, 4, value, "data", _kind(value))
                row += 1
            ctx.define(f"{key}_Choice", name, first, 3, row - 1, 3)
            ctx.define(f"{key}_Value", name, first, 4, row - 1, 4)
        ctx.define("Reading_Key", name, readings_first, 0, row - 1, 0)
        ctx.define("Reading_Value", name, readings_first, 4, row - 1, 4)
        row += 1

    # -- prime ----------------------------------------------------------------------------------
    prime = deal.prime
    if prime:
        s.text(row, 0, f"Prime rate: {prime.get('source', '')}", "section")
        row += 1
        s.text(row, 0, "Valid from", "label")
        s.value(row, 3, prime["valid_from"], "data", "date")
        ctx.define("PrimeValidFrom", name, row, 3)
        s.text(row, 4, prime.get("citation", ""), "note")
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

    # -- term blocks ----------------------------------------------------------------------------
    row = _term_blocks(ctx, s, row)

    # -- fees -----------------------------------------------------------------------------------
    if deal.installments:
        row = fees_model.write_terms(ctx, s, row)

    # -- severance ------------------------------------------------------------------------------
    if deal.severance:
        row = _severance(ctx, s, row)
    ws.freeze_panes(4, 0)


def s_ref(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _term_blocks(ctx: Context, s, row: int) -> int:
    name = s.name
    req_n = max([len(r.requires) for b in ctx.blocks for r in b.rows] + [1])
    unl_n = max([len(r.unless) for b in ctx.blocks for r in b.rows] + [1])
    heads = ["#", "Version", "Document", "Signed", "Row", "Starts version", "Sets level", "Caps", "From", "Version to",
             "Value", "Bounded by Term Loan Reserve"]
    heads += [f"Requires {k}" for k in range(1, req_n + 1)] + ["If delivered late (a rule, or a reading above)"]
    heads += [f"Unless {k}" for k in range(1, unl_n + 1)] + ["Unless by", "Citation"]
    calc_heads = ["In view", "Version ends", "Late-delivery rule in force", "Requires met on", "Unless met on",
                  "Conditions give", "Takes effect"]
    c_req = 12
    c_late = c_req + req_n
    c_unl = c_late + 1
    c_unl_by = c_unl + unl_n
    c_cit = c_unl_by + 1
    c_vis = c_cit + 1
    c_ends, c_rule, c_deliv, c_udone, c_e0, c_eff = (c_vis + k for k in range(1, 7))
    s.ws.set_column(c_cit, c_cit, 40)
    L = col_name  # noqa: N806

    for block in ctx.blocks:
        mirror = ctx.mirrors[block.key]
        s.text(row, 0, f"{block.label} ({block.key})", "section")
        row += 1
        for j, head in enumerate(heads + calc_heads):
            s.text(row, j, head, "header")
        s.ws.set_row(row, 36)
        row += 1
        first = row
        for i, r in enumerate(block.rows):
            x = row + 1
            vals = [r.row, r.version, r.document, r.signed, r.kind, r.starts_version, r.sets_level, r.caps, r.start,
                    r.to, r.value, r.bounded]
            kinds = ["int", "int", "text", "date", "text", "bool", "bool", "bool", "date", "date",
                     block.value_kind if block.value_kind != "amount" else "money", "bool"]
            for j, (v, k) in enumerate(zip(vals, kinds, strict=True)):
                s.value(row, j, v, "data", k)
            for k in range(req_n):
                s.value(row, c_req + k, r.requires[k] if k < len(r.requires) else None, "data", "text")
            s.value(row, c_late, (r.late.key if isinstance(r.late, ChoiceMap) else r.late) or None, "data", "text")
            for k in range(unl_n):
                s.value(row, c_unl + k, r.unless[k] if k < len(r.unless) else None, "data", "text")
            s.value(row, c_unl_by, r.unless_by, "data", "date")
            s.value(row, c_cit, r.citation, "data", "text")
            # calculations
            s.formula(row, c_vis, f"=D{x}<=AmendedThroughEff", mirror.visible[i], "calc", "bool")
            s.formula(row, c_ends, f"=IF(ISNUMBER(J{x}),J{x},Never)", mirror.ends[i], "calc", "date")
            lx = f"{L(c_late)}{x}"
            rule_formula = (f'=IFERROR(INDEX(Reading_Value,MATCH({lx},Reading_Key,0)),{lx}&"")' if ctx.choice_maps
                            else f'={lx}&""')
            s.formula(row, c_rule, rule_formula, mirror.late[i] or "", "calc", "text")
            req = ",".join(f"SUMIF(Ev_Key,{L(c_req + k)}{x},Ev_Done)" for k in range(req_n))
            unl = ",".join(f"SUMIF(Ev_Key,{L(c_unl + k)}{x},Ev_Done)" for k in range(unl_n))
            if ctx.deal.events:
                s.formula(row, c_deliv, f"=MAX({req})", mirror.delivered[i], "calc", "date")
                s.formula(row, c_udone, f"=MAX({unl})", mirror.unless_done[i], "calc", "date")
            else:
                s.value(row, c_deliv, 0, "calc", "date")
                s.value(row, c_udone, 0, "calc", "date")
            dv, ud, late, ub = (f"{L(c_deliv)}{x}", f"{L(c_udone)}{x}", f"{L(c_rule)}{x}", f"{L(c_unl_by)}{x}")
            e0 = (f"=IF(H{x},IF(AND(ISTEXT({L(c_unl)}{x}),{ud}<={ub}),Never,I{x}),"
                  f"IF({dv}<=I{x},I{x},IF({late}=OnDeliveryRule,{dv},Never)))")
            eff = mirror.effective[i]
            s.formula(row, c_e0, e0, _e0(mirror, i), "calc", "date")
            s.formula(row, c_eff, f"=IF({L(c_e0)}{x}>{L(c_ends)}{x},Never,{L(c_e0)}{x})", eff, "calc", "date")
            row += 1
        last = row - 1
        st = block.stem
        for suffix, col in (("Row", 0), ("Version", 1), ("Signed", 3), ("StartsVersion", 5), ("SetsLevel", 6),
                            ("Caps", 7), ("From", 8), ("Value", 10), ("Bounded", 11), ("Visible", c_vis),
                            ("Ends", c_ends), ("Effective", c_eff)):
            ctx.define(f"{st}_{suffix}", name, first, col, last, col)
        row += 1
    return row


def _e0(mirror, i) -> int:
    """'Conditions give' before the version-end test (the mirror keeps only the final date)."""
    r = mirror.block.rows[i]
    start = serial(r.start)
    if r.caps:
        excused = bool(r.unless) and mirror.unless_done[i] <= serial(r.unless_by)
        return NEVER_SERIAL if excused else start
    if mirror.delivered[i] <= start:
        return start
    return mirror.delivered[i] if mirror.late[i] == ON_DELIVERY else NEVER_SERIAL


def _severance(ctx: Context, s, row: int) -> int:
    sev = ctx.deal.severance
    name = s.name
    s.text(row, 0, "Severance letter", "section")
    row += 1
    items = [
        ("SevLetterDate", "Letter dated", sev["letter_date"], "date", sev.get("salary_through_citation", "")),
        ("SevSalaryThrough", "Salary and benefits through", sev["salary_through"], "date",
         sev.get("salary_through_citation", "")),
        ("SevMonths", "Months of salary", sev["months_of_salary"], "int", sev.get("months_citation", "")),
        ("SevMonthsPerYear", "Months in a year", 12, "int", "Calendar"),
        ("SevOffsetFrom", "Offset period from", sev["offset_from"], "date", sev.get("offset_citation", "")),
        ("SevOffsetThrough", "Offset period through", sev["offset_through"], "date", sev.get("offset_citation", "")),
        ("SevLateRate", "Late interest rate (a year)", sev["late_rate"], "rate", sev.get("late_citation", "")),
        ("SevGraceDays", "Grace days", sev["late_grace_days"], "int", sev.get("late_citation", "")),
        ("SevBasisDays", "Days in a year (late interest)", sev["late_basis_days"], "int", sev.get("late_citation", "")),
        ("SevInsuranceThrough", "Insurance through", sev.get("insurance_through"), "date",
         sev.get("insurance_citation", "")),
        ("SevAutoLeaseThrough", "Auto lease through", sev.get("auto_lease_through"), "date",
         sev.get("auto_lease_citation", "")),
        ("SevOutplacementMonths", "Outplacement months", sev.get("outplacement_months"), "int",
         sev.get("election_citation", "")),
        ("SevOutplacementCap", "Outplacement cap", sev.get("outplacement_cap"), "money",
         sev.get("election_citation", "")),
        ("SevTransitionThrough", "Transition support through", sev.get("transition_support_through"), "date",
         sev.get("transition_citation", "")),
    ]
    for key, label, value, kind, cit in items:
        if value is None:
            continue
        s.text(row, 0, label, "label")
        s.value(row, 3, value, "data", kind)
        s.text(row, 4, cit, "note")
        ctx.define(key, name, row, 3)
        row += 1
    row += 1
    plans = sev["plans"]
    s.text(row, 0, "Installment plans (one column per reading)", "section")
    row += 1
    s.text(row, 0, "#", "header")
    for j, plan in enumerate(plans):
        s.value(row, 3 + j, plan, "header", "text")
    ctx.define("SevPlanNames", name, row, 3, row, 2 + len(plans))
    row += 1
    s.text(row, 0, "Parts", "label")
    for j, plan in enumerate(plans.values()):
        s.value(row, 3 + j, int(plan["parts"]), "data", "int")
    ctx.define("SevPlanParts", name, row, 3, row, 2 + len(plans))
    row += 1
    most = max(int(p["parts"]) for p in plans.values())
    first = row
    for n in range(most):
        s.value(row, 0, n + 1, "data", "int")
        for j, plan in enumerate(plans.values()):
            dates = plan["dates"]
            s.value(row, 3 + j, dates[n] if n < len(dates) else None, "data", "date")
        row += 1
    ctx.define("SevPlanDates", name, first, 3, row - 1, 2 + len(plans))
    ctx.sev_most = most
    return row + 1
