"""Borrowing Capacity tab: one row a day over the encoded term, from the Terms step tables."""

from __future__ import annotations

from .context import Column, Context
from .daily import helpers_for, term_columns

SUMMARY_ROWS = 6



def _block(ctx: Context, key: str):
    return next((b for b in ctx.blocks if b.key == key), None)


def columns(ctx: Context) -> list[Column]:
    i = ctx.inputs
    days = ctx.days
    n = len(days)
    ev, at, rules = (ctx.events or None), ctx.at, ctx.rules
    cols = [
        Column("day", "Day", "int", None, list(range(n)), width=6, role="aux"),
        Column("date", "Date", "date", lambda L: f"=WindowStart+{L['day']}{{r}}", days, name="BC_Date", width=11),
        Column("document", "Document in effect", "text",
               lambda L: f"=INDEX(Doc_Title,SUMPRODUCT(MAX(Doc_Row*Doc_LSA*Doc_Visible*(Doc_Date<={L['date']}{{r}}))))",
               ctx.engine_column("LSA_AMENDMENT", [days, at]),
               live=lambda L: f"=LSA_AMENDMENT({L['date']}{{r}},AmendedThrough)", name="BC_Document", width=18),
    ]
    ml = _block(ctx, "max_limit")
    cols += term_columns(ml, "date", helpers_for(ctx, ml), ctx.engine_column("LSA_MAX_LIMIT", [days, ev, at, rules]),
                         "Maximum Limit", "max_limit", "money", name="BC_MaxLimit",
                         live=lambda L: f"=LSA_MAX_LIMIT({L['date']}{{r}},Events,AmendedThrough,Rules)")
    ar = _block(ctx, "advance_rate")
    cols += term_columns(ar, "date", helpers_for(ctx, ar), None, "Advance rate", "advance_rate", "rate",
                         name="BC_AdvanceRate", width=9)
    rates = cols[-1].values
    cols.append(Column("base", "Advance rate x receivables", "money",
                       lambda L: f"=Receivables*{L['advance_rate']}{{r}}", [r * i.receivables for r in rates]))
    deductions = i.acceptances + i.guaranties + i.letters_of_credit
    cols.append(Column("deductions", "Acceptances, guaranties, letters of credit", "money",
                       "=Acceptances+Guaranties+LettersOfCredit", [deductions] * n))
    floor = ctx.choice_cells.get(("capacity_floor", "floor_zero"))
    cap_values = ctx.engine_column("LSA_CAPACITY", [days, i.receivables, i.acceptances, i.guaranties,
                                                    i.letters_of_credit, ev, at, rules])

    def capacity(L):
        net = f"MIN({L['max_limit']}{{r}},{L['base']}{{r}})-{L['deductions']}{{r}}"
        if floor:
            return f"=IF(AND(Switch_capacity_floor={floor},{net}<0),0,{net})"
        return "=" + net

    cols.append(Column("capacity", "Borrowing Capacity", "money", capacity, cap_values, name="BC_Capacity",
                       live=lambda L: (f"=LSA_CAPACITY({L['date']}{{r}},Receivables,Acceptances,Guaranties,"
                                       "LettersOfCredit,Events,AmendedThrough,Rules)"),
                       width=14))
    oa = _block(ctx, "overadvance_limit")
    cols += term_columns(oa, "date", helpers_for(ctx, oa),
                         ctx.engine_column("LSA_OVERADVANCE_LIMIT", [days, i.term_loan_reserve, at]),
                         "Overadvance limit", "overadvance", "money", name="BC_Overadvance", bound="TermLoanReserve",
                         live=lambda L: f"=LSA_OVERADVANCE_LIMIT({L['date']}{{r}},TermLoanReserve,AmendedThrough)")
    exclude = ctx.choice_cells.get(("availability_overadvance", "exclude_overadvance"))

    def availability(L):
        inc = (f"MIN({L['max_limit']}{{r}},{L['base']}{{r}}+{L['overadvance']}{{r}})"
               f"-{L['deductions']}{{r}}-Outstanding")
        if exclude:
            return f"=IF(Switch_availability_overadvance={exclude},{L['capacity']}{{r}}-Outstanding,{inc})"
        return "=" + inc

    cols.append(Column("availability", "Availability", "money", availability,
                       ctx.engine_column("LSA_AVAILABILITY", [days, i.receivables, i.outstanding, i.acceptances,
                                                              i.guaranties, i.letters_of_credit, i.term_loan_reserve,
                                                              ev, at, rules]),
                       name="BC_Availability",
                       live=lambda L: (f"=LSA_AVAILABILITY({L['date']}{{r}},Receivables,Outstanding,Acceptances,"
                                       "Guaranties,LettersOfCredit,TermLoanReserve,Events,AmendedThrough,Rules)"),
                       width=14))
    return cols


def write(ctx: Context):
    s = ctx.new_sheet("capacity")
    top = ctx.header(s, "capacity")
    cols = columns(ctx)
    by_key = {c.key: c for c in cols}
    k = ctx.days.index(ctx.inputs.as_of)
    ev = "Events,AmendedThrough,Rules"
    summary = [
        ("AsOfDocument", "Document in effect on the as-of date", "BC_Document", "text",
         "=LSA_AMENDMENT(AsOf,AmendedThrough)"),
        ("AsOfMaxLimit", "Maximum Limit on the as-of date", "BC_MaxLimit", "money", f"=LSA_MAX_LIMIT(AsOf,{ev})"),
        ("AsOfCapacity", "Borrowing Capacity on the as-of date", "BC_Capacity", "money",
         f"=LSA_CAPACITY(AsOf,Receivables,Acceptances,Guaranties,LettersOfCredit,{ev})"),
        ("AsOfOveradvance", "Overadvance limit on the as-of date", "BC_Overadvance", "money",
         "=LSA_OVERADVANCE_LIMIT(AsOf,TermLoanReserve,AmendedThrough)"),
        ("AsOfAvailability", "Availability on the as-of date", "BC_Availability", "money",
         f"=LSA_AVAILABILITY(AsOf,Receivables,Outstanding,Acceptances,Guaranties,LettersOfCredit,TermLoanReserve,{ev})"),
    ]
    keys = {"BC_Document": "document", "BC_MaxLimit": "max_limit", "BC_Capacity": "capacity",
            "BC_Overadvance": "overadvance", "BC_Availability": "availability"}
    ctx.as_of_values = {}
    for j, (name, label, column, kind, live) in enumerate(summary):
        value = by_key[keys[column]].values[k]
        s.text(top + j, 0, label, "label")
        s.formula(top + j, 3, ctx.pick(f"=INDEX({column},MATCH(AsOf,BC_Date,0))", live), value, "total", kind)
        ctx.define(name, s.name, top + j, 3)
        ctx.as_of_values[name] = value
    ctx.schedule(s, top + SUMMARY_ROWS, cols, len(ctx.days))
    ctx.capacity_columns = cols
    ctx.capacity_table = (top + SUMMARY_ROWS + 1, len(ctx.days))
    ws = s.ws
    first = top + SUMMARY_ROWS + 1
    date_col = [c.key for c in cols].index("date")
    ws.conditional_format(first, 0, first + len(ctx.days) - 1, len(cols) - 1, {
        "type": "formula", "criteria": f"=${_letter(date_col)}{first + 1}=AsOf",
        "format": ctx.conditional("asof_row")})


def _letter(c: int) -> str:
    from .xl import col_name

    return col_name(c)
