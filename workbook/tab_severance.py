"""Severance tab: the plan in force in words, its installments, the compensation received and what
each receipt offset (or why not), the late-interest calculator and the election.

Stored values come from the engine's schedule (`Terms.severance_schedule`: the plan in force and
each offset's allocation to each installment); the allocation grid to the right (on screen, not
printed) is the workbook's copy of that rule, one formula per cell, with no array evaluation.
"""

from __future__ import annotations

from udfs.engine.severance import EARLIEST_FIRST, LATEST_FIRST, NOT_OFFSET
from udfs.engine.values import as_offsets

from .context import Context, safe_name
from .tab_cover import SEVERANCE_TO_AS_OF
from .tab_fees import aligned_format
from .xl import col_name, excel_text

# printed columns (A..H): installments use A-F, compensation A-E and its reason across F-H
WIDTHS = (6, 11, 12, 12, 12, 13, 14, 14)
C_GRID = len(WIDTHS) + 1  # the helper area starts after a blank column: "in plan", then one column per offset
VALUE = 4  # summary values
NONE_ENTERED = "none entered (the Inputs tab has rows for them)"


def _plan_words_formula(sev: dict) -> str | None:
    reading = sev["plan"].get("interpretation") if isinstance(sev["plan"], dict) else None
    if reading is None:
        return None
    key = safe_name(reading)
    return f'=IF(SwitchNo_{key}=0,SevPlan,INDEX(ChoiceDesc_{key},SwitchNo_{key}))'


def _summary(ctx: Context, s, row: int, result, offsets) -> int:
    sev = ctx.deal.severance
    i = ctx.inputs
    name = s.name
    plan = result.in_force
    per = result.installments[0].gross if result.installments else 0.0
    late_value = ctx.cat.SEV_LATE_INTEREST(i.late_due, i.late_paid, i.late_amount, ctx.rules) \
        if i.late_due and i.late_paid and i.late_paid >= i.late_due else 0.0
    election_value = ctx.cat.SEV_ELECTION(i.election, i.outplacement_cost, i.lease_cost, i.transfer_accepted)
    pay_as_of, paid_to_date = ctx.model.severance_payment_as_of, ctx.model.severance_paid_to_as_of
    words = _plan_words_formula(sev)
    summary = [
        ("Annual salary", "=AnnualSalary", i.annual_salary, "money", None, None),
        ("Installment plan in force", words, plan.words, "text", None, "SevPlanWords"),
        ("Installments", "=INDEX(SevPlanParts,1,MATCH(SevPlan,SevPlanNames,0))", plan.parts, "int", None, "SevParts"),
        ("Gross per installment", "=AnnualSalary*SevMonths/SevMonthsPerYear/SevParts", per, "money", None,
         "SevPerInstallment"),
        ("Salary and benefits through", "=SevSalaryThrough", sev["salary_through"], "date", None, None),
        ("Insurance through", "=SevInsuranceThrough", sev.get("insurance_through"), "date", None, None),
        ("Auto lease through", "=SevAutoLeaseThrough", sev.get("auto_lease_through"), "date", None, None),
        ("Compensation offsets from", "=SevOffsetFrom", sev["offset_from"], "date", None, None),
        ("Compensation offsets through", "=SevOffsetThrough", sev["offset_through"], "date", None, None),
        ("Net payment due on the as-of date", "=SUMIF(Sev_Due,AsOf,Sev_Net)", pay_as_of, "money",
         "=SEV_PAYMENT(AsOf,AnnualSalary,Offsets,Rules)", "SevPaymentAsOf"),
        (SEVERANCE_TO_AS_OF, '=SUMIF(Sev_Due,"<="&AsOf,Sev_Net)', paid_to_date, "money", None,
         "SevPaidToAsOf"),
        ("Compensation received that reduced nothing", "=SUM(OffS_NotOffset)", result.unapplied_offset, "money",
         None, "SevUnapplied"),
        ("Late interest on the calculator's installment (Inputs)",
         '=IF(LatePaid<=LateDue+SevGraceDays,0,LateAmount*SevLateRate*(LatePaid-IF(SevLateStart="due_date",'
         "LateDue,LateDue+SevGraceDays))/SevBasisDays)", late_value, "amount",
         "=SEV_LATE_INTEREST(LateDue,LatePaid,LateAmount,Rules)", "SevLateInterest"),
        ("Election: cost of the outplacement / lease election",
         '=IF(Election="lease",LeaseCost,IF(TransferAccepted,MIN(OutplacementCost,SevOutplacementCap),'
         "MAX(MIN(OutplacementCost,SevOutplacementCap),LeaseCost)))", election_value, "money",
         "=SEV_ELECTION(Election,OutplacementCost,LeaseCost,TransferAccepted)", "SevElection"),
    ]
    for label, formula, value, kind, live, defined in summary:
        s.text(row, 0, label, "label")
        role = "total" if defined and kind != "text" else "calc"
        if defined == "SevPlanWords":  # words: left-aligned across the value columns
            fmt = aligned_format(ctx, "calc", "text", align="left")
            s.ws.merge_range(row, VALUE, row, len(WIDTHS) - 1, "", fmt)
            if formula is None:
                s.ws.write_string(row, VALUE, value, fmt)
            else:
                s.ws.write_formula(row, VALUE, formula, fmt, value)
        elif formula is None:
            s.value(row, VALUE, value, "data", kind)
        else:
            s.formula(row, VALUE, ctx.pick(formula, live), value, role, kind)
        if defined:
            ctx.define(defined, name, row, VALUE)
        row += 1
    return row


def write(ctx: Context, most: int):
    """The Severance tab; `most`: the most installments a plan has (the Terms tab's plan table)."""
    s = ctx.new_sheet("severance")
    ws = s.ws
    name = s.name
    i = ctx.inputs
    top = ctx.header(s, "severance")
    ws.set_portrait()  # a narrow tab: one upright page
    offsets = as_offsets(i.offsets or None)
    result = ctx.cat.terms.severance_schedule(i.annual_salary, offsets, ctx.view.rules)
    parts = result.in_force.parts
    n_off = i.offset_rows
    row = _summary(ctx, s, top, result, offsets) + 1

    # -- installments, sized to the longest plan; a row outside the plan in force is blank ---------------
    s.text(row, 0, "Installments under the plan in force", "section")
    row += 1
    key_row = row - 1
    heads = ("#", "Due", "Gross", "Offset", "Net", "Late interest after")
    for j, w in enumerate(WIDTHS):
        ws.set_column(j, j, w)
        s.text(row, j, heads[j] if j < len(heads) else "", "header")
    s.text(row, C_GRID, "In plan", "header")
    s.text(key_row, C_GRID, "Allocation of each receipt, one grid per order (not printed)", "section")
    grids = {EARLIEST_FIRST: C_GRID + 1, LATEST_FIRST: C_GRID + 1 + n_off}
    for k in range(n_off):
        for order, c0 in grids.items():
            s.text(row, c0 + k, f"{order.replace('_', ' ')}: receipt {k + 1}", "header")
    ws.set_column(C_GRID - 1, C_GRID - 1, 2)
    ws.set_column(C_GRID, C_GRID + 2 * n_off, 11)
    ws.set_row(row, 24)
    row += 1
    first, last = row, row + most - 1
    L = col_name  # noqa: N806
    both = {order: ctx.cat.terms.severance_schedule(i.annual_salary, offsets, ctx.view.rules, order)
            for order in grids}
    for n in range(most):
        x = row + 1
        inst = result.installments[n] if n < parts else None
        plan = f"${L(C_GRID)}{x}"
        offset = {order: f"SUM({L(c0)}{x}:{L(c0 + n_off - 1)}{x})" for order, c0 in grids.items()}
        s.formula(row, C_GRID, f"={n + 1}<=SevParts", inst is not None, "aux", "bool")
        s.formula(row, 0, f'=IF({plan},{n + 1},"")', n + 1 if inst else "", "calc", "int")
        s.formula(row, 1, f'=IF({plan},INDEX(SevPlanDates,{n + 1},MATCH(SevPlan,SevPlanNames,0)),"")',
                  inst.due if inst else "", "calc", "date")
        s.formula(row, 2, f'=IF({plan},SevPerInstallment,"")', inst.gross if inst else "", "calc", "money")
        s.formula(row, 3, f'=IF({plan},IF(SevOffsetOrder="{LATEST_FIRST}",{offset[LATEST_FIRST]},'
                  f'{offset[EARLIEST_FIRST]}),"")', inst.offset if inst else "", "calc", "money")
        s.formula(row, 4, ctx.pick(f'=IF({plan},C{x}-D{x},"")',
                                   f'=IF({plan},SEV_PAYMENT(B{x},AnnualSalary,Offsets,Rules),"")'),
                  inst.net if inst else "", "calc", "money")
        s.formula(row, 5, f'=IF({plan},B{x}+SevGraceDays,"")', inst.grace_end if inst else "", "calc", "date")
        for order, c0 in grids.items():
            # earliest first: what this receipt has left after the installments above; latest first: below
            for k in range(n_off):
                c = c0 + k
                col = L(c)
                received, amount = f"INDEX(OffS_Date,{k + 1})", f"INDEX(OffS_Amount,{k + 1})"
                left = "0" if k == 0 else f"SUM(${L(c0)}{x}:{L(c - 1)}{x})"
                taken = (f"SUM({col}{x + 1}:{col}${last + 1})" if order == LATEST_FIRST
                         else f"SUM({col}${first + 1}:{col}{x - 1})")
                if (order == LATEST_FIRST and n == most - 1) or (order == EARLIEST_FIRST and n == 0):
                    taken = "0"
                formula = (f"=IF(AND({plan},ISNUMBER({received})),IF(AND({received}>=SevOffsetFrom,"
                           f"{received}<=SevOffsetThrough,$B{x}>={received}),"
                           f"MAX(0,MIN($C{x}-{left},{amount}-{taken})),0),0)")
                allocations = both[order].allocations
                value = allocations[k].taken[n] if inst and k < len(allocations) else 0.0
                s.formula(row, c, formula, value, "aux", "money")
        row += 1
    ctx.define("Sev_Due", name, first, 1, last, 1)
    ctx.define("Sev_Gross", name, first, 2, last, 2)
    ctx.define("Sev_Offset", name, first, 3, last, 3)
    ctx.define("Sev_Net", name, first, 4, last, 4)
    ctx.sev_rows = (first, last)
    row += 1
    end = _compensation(ctx, s, row, result, n_off, first, last, grids)
    ws.print_area(0, 0, end, len(WIDTHS) - 1)  # the allocation grid stays on screen only


def _compensation(ctx: Context, s, row: int, result, n_off: int, first: int, last: int, grids: dict) -> int:
    """Each receipt (same-day amounts added, in date order), what it offset and why not the rest.

    As many rows as the Inputs tab has offset rows; a row with no receipt is blank."""
    name = s.name
    s.text(row, 0, "Compensation received, and what it offset", "section")
    row += 1
    heads = ("#", "Received", "Amount", "Offset", "Not offset", "Why not")
    for j in range(len(WIDTHS)):
        s.text(row, j, heads[j] if j < len(heads) else "", "header")
    row += 1
    table_first = row
    L = col_name  # noqa: N806
    why = {k: excel_text(v) for k, v in NOT_OFFSET.items()}
    s.text(row - 2, C_GRID, "Receipt dates in date order (not printed)", "section")
    s.text(row - 1, C_GRID, "First on its day", "header")
    s.ws.set_row(row - 1, 24)  # two-line headers
    s.text(row - 1, C_GRID + 1, "Order", "header")
    keys, ranks = f"${L(C_GRID)}${row + 1}:${L(C_GRID)}${row + n_off}", \
        f"${L(C_GRID + 1)}${row + 1}:${L(C_GRID + 1)}${row + n_off}"
    order = {a.received: n + 1 for n, a in enumerate(result.allocations)}
    typed = list(ctx.inputs.offsets) + [(None, None)] * (n_off - len(ctx.inputs.offsets))
    for k in range(n_off):
        x = row + 1
        a = result.allocations[k] if k < len(result.allocations) else None
        got = f"ISNUMBER(B{x})"
        # the k-th Inputs row's date if no earlier row has it, and its place among those dates
        day = typed[k][0]
        first_of_day = day is not None and all(d != day for d, _ in typed[:k])
        typed_k = f"INDEX(OffsetDates,{k + 1})"
        s.formula(row, C_GRID, f'=IF(ISNUMBER({typed_k}),IF(MATCH({typed_k},OffsetDates,0)={k + 1},{typed_k},""),"")',
                  day if first_of_day else "", "aux", "date")
        s.formula(row, C_GRID + 1, f'=IF(ISNUMBER({L(C_GRID)}{x}),COUNTIF({keys},"<"&{L(C_GRID)}{x})+1,"")',
                  order[day] if first_of_day else "", "aux", "int")
        received = f'=IFERROR(INDEX({keys},MATCH({k + 1},{ranks},0)),"")'
        took = {order: f"SUM({L(c0 + k)}{first + 1}:{L(c0 + k)}{last + 1})" for order, c0 in grids.items()}
        s.formula(row, 0, f'=IF({got},{k + 1},"")', k + 1 if a else "", "calc", "int")
        s.formula(row, 1, received, a.received if a else "", "calc", "date")
        s.formula(row, 2, f'=IF({got},SUMIF(OffsetDates,B{x},OffsetAmounts),"")', a.amount if a else "", "calc",
                  "money")
        chosen = f'IF(SevOffsetOrder="{LATEST_FIRST}",{took[LATEST_FIRST]},{took[EARLIEST_FIRST]})'
        s.formula(row, 3, f'=IF({got},{chosen},"")',
                  sum(a.taken) if a else "", "calc", "money")
        s.formula(row, 4, f'=IF({got},ROUND(C{x}-D{x},6),"")', a.unapplied if a else "", "calc", "money")
        indented = aligned_format(ctx, "calc", "text", align="left", indent=1)  # off the amount beside it
        s.ws.merge_range(row, 5, row, len(WIDTHS) - 1, "", indented)
        reason = (f'IF({got},IF(B{x}<SevOffsetFrom,{why["before_period"]},IF(B{x}>SevOffsetThrough,'
                  f'{why["after_period"]},IF(E{x}>0,{why["nothing_left"]},""))),"")')
        value = NOT_OFFSET[a.why] if a and a.why else ""
        if k == 0:  # an empty table says so
            reason = f'IF(COUNT(OffsetDates)=0,"{NONE_ENTERED}",{reason})'
            value = value if result.allocations else NONE_ENTERED
        s.ws.write_formula(row, 5, "=" + reason, indented, value)
        row += 1
    ctx.define("OffS_Date", name, table_first, 1, row - 1, 1)
    ctx.define("OffS_Amount", name, table_first, 2, row - 1, 2)
    ctx.define("OffS_NotOffset", name, table_first, 4, row - 1, 4)
    return row - 1
