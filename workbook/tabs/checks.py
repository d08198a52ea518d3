"""Checks tab: cross-checks that must be zero, and the master check every tab shows.

`prepare` works the checks out before any tab is written (each tab's header shows the master
check: workbook.build hands their total to the context); `write` lays the formulas down with them.
"""

from __future__ import annotations

from udfs.engine.severance import plan_in_force
from workbook.context import Context, safe_name
from workbook.xl import serial


def prepare(ctx: Context) -> list:
    """The checks as (label, formula, stored value), worked out from the engine before any tab is written."""
    deal, i = ctx.deal, ctx.inputs
    checks = []

    def add(label, formula, value):
        checks.append((label, formula, value))

    add("As-of date outside the schedules", "=N(OR(AsOf<WindowStart,AsOf>TermEnd))",
        int(not ctx.start <= i.as_of <= ctx.view.end))
    if any(d.has_terms for d in deal.documents):
        known = min(d.date for d in deal.documents if d.has_terms)
        add("Amended-through date before the first document whose terms we have",
            "=N(AND(ISNUMBER(AmendedThrough),AmendedThrough<FirstKnownTerms))",
            int(i.amended_through is not None and i.amended_through < known))
    amounts = ["Receivables", "Acceptances", "Guaranties", "LettersOfCredit", "Outstanding"]
    amounts += [f"Balance_{safe_name(f)}" for f in i.balances]
    add("Amounts entered below zero", "=" + "+".join(f"N({a}<0)" for a in amounts), 0)
    if deal.events:
        add("Event dates that are not dates", "=COUNTA(Ev_InDate)-COUNT(Ev_InDate)", 0)
        add("Events named twice", '=SUMIF(Ev_Named,">1")', 0)
        add("An event that ends the agreement dated before a document in view",
            "=SUMPRODUCT(Ev_Ends*(Ev_Done<MAX(Doc_KnownInView)))", len(ctx.view.ending_events_too_early()))
        add("Unknown event names", "=COUNTA(Ev_InName)-SUM(Ev_Named)", 0)
    switchable = [x for x in deal.interpretations if x.choices]
    if switchable:
        add("Switches not set to one of their choices",
            "=" + "+".join(f"N(SwitchNo_{safe_name(x.name)}=0)" for x in switchable), 0)
    if deal.installments:
        add("Fees: due plus waived differ from the installments in view",
            "=SUMPRODUCT(FeeInst_Amount*FeeInst_Visible)-SUM(Fee_AmountDue)-SUM(Fee_Waived)", 0)
    if deal.severance:
        sev = deal.severance
        plan_dates = plan_in_force(sev, ctx.view.rules).dates
        add("Late-interest calculator: the due date is not an installment date",
            "=IF(COUNTIF(Sev_Due,LateDue)=0,1,0)", int(i.late_due is not None and i.late_due not in plan_dates))
        add("Compensation rows with a date or an amount missing",
            "=SUMPRODUCT(--(ISNUMBER(OffsetDates)<>ISNUMBER(OffsetAmounts)))", 0)
        add("Severance: gross installments differ from the months of salary",
            "=ROUND(SUM(Sev_Gross)-AnnualSalary*SevMonths/SevMonthsPerYear,CheckDecimals)", 0)
        add("Severance: net plus offsets differ from gross",
            "=ROUND(SUM(Sev_Net)+SUM(Sev_Offset)-SUM(Sev_Gross),CheckDecimals)", 0)
        add("Severance: net installments below zero", '=COUNTIF(Sev_Net,"<0")', 0)
    add("Capacity schedule: days missing or extra", "=ROWS(BC_Date)-(ScheduleEnd-WindowStart+OneDay)",
        len(ctx.days) - (serial(ctx.end) - serial(ctx.start) + 1))
    add("Maximum Limit above every level in the step table", '=COUNTIF(BC_MaxLimit,">"&MAX(MaxLimit_Value))', 0)
    # A cell showing an error (#NAME?, #VALUE!, ...) counts: in the live flavor opened without the
    # termbook add-in every column that calls it shows #NAME?, and the checks must say so.
    # LibreOffice, by default, shows a file's stored values without recalculating, except volatile
    # formulas: in the live flavor the check is volatile (+0*NOW()) so it is worked out on opening.
    live = ctx.flavor == "live"
    hint, volatile = (" (live flavor: is the termbook add-in loaded?)", "+0*NOW()") if live else ("", "")
    # An array formula: Gnumeric's SUMPRODUCT does not count ISERROR over a range; SUM(IF()) entered as
    # an array counts alike in Excel, LibreOffice and Gnumeric.
    add(f"{ctx.tab('capacity')} schedule: cells showing an error{hint}",
        f"{{=SUM(IF(ISERROR(BC_Table),1,0)){volatile}}}", 0)
    if deal.pricing.get("margin_terms"):
        add(f"{ctx.tab('pricing')} schedule: cells showing an error{hint}",
            f"{{=SUM(IF(ISERROR(PR_Table),1,0)){volatile}}}", 0)
    return checks


def master_value(checks: list) -> float:
    """The master check's stored value: the sum of the checks' absolute values."""
    return sum(abs(v) for _, _, v in checks)


def write(ctx: Context, checks: list):
    s = ctx.new_sheet("checks")
    ws = s.ws
    row = ctx.header(s, "checks")
    ws.set_column(0, 0, 70)
    ws.set_column(1, 1, 12)
    s.text(row, 0, "Check", "header")
    s.text(row, 1, "Value", "header")
    row += 1
    first = row
    for label, formula, value in checks:
        s.text(row, 0, label, "label")
        if formula.startswith("{"):  # an array formula (one cell)
            ws.write_array_formula(row, 1, row, 1, formula, s.fmt("check", "count"), value)
        else:
            s.formula(row, 1, formula, value, "check", "count")
        row += 1
    last = row - 1
    ctx.define("Check_Values", s.name, first, 1, last, 1)
    ws.conditional_format(first, 1, last, 1, {"type": "cell", "criteria": "!=", "value": 0,
                                              "format": ctx.conditional("check_fail")})
    row += 1
    s.text(row, 0, "Master check (sum of the absolute values above; a check showing an error counts 1)", "total")
    # ROWS-COUNT: the checks that are not numbers (errors); no array formula, so LibreOffice, showing
    # stored values, still recalculates the bars that read it once a volatile check changes
    s.formula(row, 1, '=SUMIF(Check_Values,">0")-SUMIF(Check_Values,"<0")+ROWS(Check_Values)-COUNT(Check_Values)',
              master_value(checks), "total", "count")
    ctx.define("MasterCheck", s.name, row, 1)
    ws.conditional_format(row, 1, row, 1, {"type": "cell", "criteria": "!=", "value": 0,
                                           "format": ctx.conditional("check_fail")})
