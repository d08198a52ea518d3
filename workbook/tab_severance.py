"""Severance tab: installments by the plan switch, compensation offsets applied in the chosen order
(one allocation grid per order), net payments, the late-interest calculator and the election."""

from __future__ import annotations

from .context import Context
from .xl import col_name, serial


def sorted_offsets(offsets) -> list[tuple[int, float]]:
    """Distinct receipt dates in order, amounts on the same date added (as the engine does)."""
    totals: dict = {}
    for day, amount in offsets:
        totals[serial(day)] = totals.get(serial(day), 0.0) + float(amount)
    return sorted(totals.items())


def allocate(dues: list, gross: list, offsets: list, latest_first: bool) -> list[list[float]]:
    """The allocation grid [installment][offset] the sheet computes."""
    n, m = len(dues), len(offsets)
    grid = [[0.0] * m for _ in range(n)]
    order = range(n - 1, -1, -1) if latest_first else range(n)
    for k, (received, amount) in enumerate(offsets):
        for i in order:
            if dues[i] is None or dues[i] < received:
                continue
            left = gross[i] - sum(grid[i][:k])
            rest = amount - (sum(grid[j][k] for j in range(i + 1, n)) if latest_first
                             else sum(grid[j][k] for j in range(i)))
            grid[i][k] = max(0.0, min(left, rest))
    return grid


def write(ctx: Context):
    sev = ctx.deal.severance
    s = ctx.new_sheet("severance")
    ws = s.ws
    name = s.name
    i = ctx.inputs
    top = ctx.header(s, "severance")
    ws.set_column(0, 0, 8)
    ws.set_column(1, 8, 12)
    ws.set_column(9, 40, 11)
    plan = ctx.choice_values.get("SevPlan", sev.get("plan"))
    plan_data = sev["plans"][plan]
    parts = int(plan_data["parts"])
    per = i.annual_salary * sev["months_of_salary"] / 12 / parts
    table = ctx.cat.SEV_SCHEDULE(i.annual_salary, i.offsets or None, ctx.rules)
    head, body = table[0], table[1:]
    eng = [dict(zip(head, r, strict=True)) for r in body if r[0] != "unapplied"]
    unapplied_rows = [r for r in body if r[0] == "unapplied"]
    offs = sorted_offsets(i.offsets)
    late_value = ctx.cat.SEV_LATE_INTEREST(i.late_due, i.late_paid, i.late_amount, ctx.rules) \
        if i.late_due and i.late_paid and i.late_paid >= i.late_due else 0.0
    election_value = ctx.cat.SEV_ELECTION(i.election, i.outplacement_cost, i.lease_cost, i.transfer_accepted)
    as_of = i.as_of
    in_period = sev["letter_date"] <= as_of <= sev["offset_through"]
    pay_as_of = ctx.cat.SEV_PAYMENT(as_of, i.annual_salary, i.offsets or None, ctx.rules) if in_period else 0.0
    paid_to_date = sum(r["net"] for r in eng if r["due_date"] <= as_of)
    unapplied = unapplied_rows[0][3] if unapplied_rows else 0.0
    offsets_total = sum(a for _, a in offs)

    most = ctx.sev_most
    n_off = i.offset_rows
    # rows: summary, sorted offsets, installments + grids
    summary = [
        ("Annual salary", "=AnnualSalary", i.annual_salary, "money", None, None),
        ("Installment plan in force", "=SevPlan", plan, "text", None, "SevPlanInForce"),
        ("Installments", "=INDEX(SevPlanParts,MATCH(SevPlan,SevPlanNames,0))", parts, "int", None, "SevParts"),
        ("Gross per installment", "=AnnualSalary*SevMonths/SevMonthsPerYear/SevParts", per, "money", None,
         "SevPerInstallment"),
        ("Salary and benefits through", "=SevSalaryThrough", sev["salary_through"], "date", None, None),
        ("Insurance through", "=SevInsuranceThrough", sev.get("insurance_through"), "date", None, None),
        ("Auto lease through", "=SevAutoLeaseThrough", sev.get("auto_lease_through"), "date", None, None),
        ("Compensation offsets from", "=SevOffsetFrom", sev["offset_from"], "date", None, None),
        ("Compensation offsets through", "=SevOffsetThrough", sev["offset_through"], "date", None, None),
        ("Net payment due on the as-of date", "=SUMIF(Sev_Due,AsOf,Sev_Net)", pay_as_of, "money",
         "=SEV_PAYMENT(AsOf,AnnualSalary,Offsets,Rules)", "SevPaymentAsOf"),
        ("Net paid through the as-of date", '=SUMIF(Sev_Due,"<="&AsOf,Sev_Net)', paid_to_date, "money", None,
         "SevPaidToAsOf"),
        ("Compensation received that reduced nothing", "=SUM(OffS_Amount)-SUM(Sev_Offset)", unapplied, "money",
         None, "SevUnapplied"),
        ("Late interest on the calculator's installment (Inputs)",
         '=IF(LatePaid<=LateDue+SevGraceDays,0,LateAmount*SevLateRate*(LatePaid-IF(SevLateStart="grace_end",'
         "LateDue+SevGraceDays,LateDue))/SevBasisDays)", late_value, "amount",
         "=SEV_LATE_INTEREST(LateDue,LatePaid,LateAmount,Rules)", "SevLateInterest"),
        ("Election: cost of the outplacement / lease election",
         '=IF(Election="lease",LeaseCost,IF(TransferAccepted,MIN(OutplacementCost,SevOutplacementCap),'
         "MAX(MIN(OutplacementCost,SevOutplacementCap),LeaseCost)))", election_value, "money",
         "=SEV_ELECTION(Election,OutplacementCost,LeaseCost,TransferAccepted)", "SevElection"),
    ]
    row = top
    for label, formula, value, kind, live, defined in summary:
        s.text(row, 0, label, "label")
        s.formula(row, 4, ctx.pick(formula, live), value, "total" if defined else "calc", kind)
        if defined:
            ctx.define(defined, name, row, 4)
        row += 1
    ctx.sev_values = {"payment_as_of": pay_as_of, "paid_to_date": paid_to_date, "unapplied": unapplied,
                      "late": late_value, "election": election_value, "offsets_total": offsets_total}
    row += 1

    # sorted offsets
    s.text(row, 0, "Compensation received, by date (same-day amounts added)", "section")
    row += 1
    for j, h in enumerate(("#", "Received", "Amount")):
        s.text(row, j, h, "header")
    row += 1
    s.text(row, 0, "start", "note")
    s.value(row, 1, 0, "aux", "int")
    row += 1
    first_off = row
    for k in range(n_off):
        x = row + 1
        prev = f"B{x - 1}"
        s.value(row, 0, k + 1, "data", "int")
        received = offs[k][0] if k < len(offs) else None
        s.formula(row, 1, f'=IF(ISNUMBER({prev}),IF(COUNTIF(OffsetDates,">"&{prev})=0,"",'
                  f"SUMPRODUCT(MIN(OffsetDates+(OffsetDates<={prev})*Unbounded))),\"\")", received, "calc", "date")
        s.formula(row, 2, f"=IF(ISNUMBER(B{x}),SUMIF(OffsetDates,B{x},OffsetAmounts),0)",
                  offs[k][1] if k < len(offs) else 0.0, "calc", "money")
        row += 1
    ctx.define("OffS_Date", name, first_off, 1, row - 1, 1)
    ctx.define("OffS_Amount", name, first_off, 2, row - 1, 2)
    row += 1

    # installments and allocation grids
    s.text(row, 0, "Installments", "section")
    row += 1
    c_e = 8  # seed column of the earliest-first grid
    c_l = c_e + n_off + 1  # seed column of the latest-first grid
    k_row = row
    for k in range(n_off):
        s.value(k_row, c_e + 1 + k, k + 1, "aux", "int")
        s.value(k_row, c_l + 1 + k, k + 1, "aux", "int")
    row += 1
    heads = ["#", "In plan", "Due", "Gross", "Offset", "Net", "Late after", ""]
    heads += ["Earliest first"] + [f"Offset {k + 1}" for k in range(n_off)]
    heads += ["Latest first"] + [f"Offset {k + 1}" for k in range(n_off)]
    for j, h in enumerate(heads):
        if h:
            s.text(row, j, h, "header")
    ws.freeze_panes(row + 1, 3)
    head_row = row
    row += 1
    first = row
    dues = [plan_data["dates"][n] if n < parts else None for n in range(most)]
    gross = [per if n < parts else 0.0 for n in range(most)]
    due_serials = [serial(d) if d else None for d in dues]
    grid_e = allocate(due_serials, gross, offs, False)
    grid_l = allocate(due_serials, gross, offs, True)
    last = first + most - 1
    for nrow in range(most):
        x = row + 1
        e = eng[nrow] if nrow < len(eng) else None
        s.value(row, 0, nrow + 1, "data", "int")
        s.formula(row, 1, f"=A{x}<=SevParts", nrow < parts, "calc", "bool")
        s.formula(row, 2, f'=IF(B{x},INDEX(SevPlanDates,A{x},MATCH(SevPlan,SevPlanNames,0)),"")',
                  e["due_date"] if e else "", "calc", "date")
        s.formula(row, 3, f"=IF(B{x},SevPerInstallment,0)", e["gross"] if e else 0.0, "calc", "money")
        e_sum = f"SUM({col_name(c_e + 1)}{x}:{col_name(c_e + n_off)}{x})"
        l_sum = f"SUM({col_name(c_l + 1)}{x}:{col_name(c_l + n_off)}{x})"
        s.formula(row, 4, f'=IF(SevOffsetOrder="latest_first",{l_sum},{e_sum})', e["offset"] if e else 0.0, "calc",
                  "money")
        s.formula(row, 5, ctx.pick(f"=D{x}-E{x}", f"=IF(B{x},SEV_PAYMENT(C{x},AnnualSalary,Offsets,Rules),0)"),
                  e["net"] if e else 0.0, "calc", "money")
        s.formula(row, 6, f'=IF(B{x},C{x}+SevGraceDays,"")', e["late_after"] if e else "", "calc", "date")
        for k in range(n_off):
            for seed, grid, below in ((c_e, grid_e, False), (c_l, grid_l, True)):
                c = seed + 1 + k
                L = col_name(c)  # noqa: N806
                kref = f"{L}${k_row + 1}"
                left = f"SUM(${col_name(seed)}{x}:{col_name(c - 1)}{x})"
                taken = f"SUM({L}{x + 1}:{L}${last + 2})" if below else f"SUM({L}${head_row + 1}:{L}{x - 1})"
                formula = (f"=IF(AND(ISNUMBER($C{x}),ISNUMBER(INDEX(OffS_Date,{kref}))),"
                           f"IF($C{x}>=INDEX(OffS_Date,{kref}),MAX(0,MIN($D{x}-{left},INDEX(OffS_Amount,{kref})-{taken})),0),0)")
                value = grid[nrow][k] if k < len(offs) else 0.0
                s.formula(row, c, formula, value, "aux", "money")
        row += 1
    ctx.define("Sev_Due", name, first, 2, last, 2)
    ctx.define("Sev_Gross", name, first, 3, last, 3)
    ctx.define("Sev_Offset", name, first, 4, last, 4)
    ctx.define("Sev_Net", name, first, 5, last, 5)
    ctx.sev_rows = (first, last)
    ws.print_area(0, 0, last, 6)  # the allocation grids stay on screen only
