"""Borrowing Capacity tab: one row a day over the encoded term, from the Terms step tables."""

from __future__ import annotations

from .context import Column, Context
from .daily import fold_working, lender_first, term_columns
from .xl import col_name

SUMMARY_ROWS = 6  # five figures, then a note on the table
VALUE_COL = 2  # the summary's figures; their labels run on over the columns before it


def _block(ctx: Context, key: str):
    return next((b for b in ctx.blocks if b.key == key), None)


def columns(ctx: Context) -> list[Column]:
    i = ctx.inputs
    days = ctx.days
    n = len(days)
    ev, at, rules = (ctx.events or None), ctx.at, ctx.rules
    end = ctx.view.end
    until = ("TermEnd", end)
    cols = [
        Column("day", "Day", "int", None, list(range(n)), width=6, role="aux"),
        Column("date", "Date", "date", lambda L: f"=WindowStart+{L['day']}{{r}}", days, name="BC_Date", width=11),
        Column("status", "After the term? (then the row is empty)", "text",
               lambda L: f'=IF({L["date"]}{{r}}>TermEnd,"after the term","")',
               ["after the term" if d > end else "" for d in days], width=13, role="aux"),
        Column("document", "Document in effect", "text",
               lambda L: f"=INDEX(Doc_Title,INDEX(Doc_InForce,MATCH({L['date']}{{r}},Doc_Date,1)))",
               ctx.engine_column("LSA_AMENDMENT", [days, at], end),
               live=lambda L: f"=LSA_AMENDMENT({L['date']}{{r}},AmendedThrough)", name="BC_Document", width=18,
               until=until, role="calc_indent"),
    ]
    ml = _block(ctx, "max_limit")
    cols += term_columns(ctx, ml, ctx.engine_column("LSA_MAX_LIMIT", [days, ev, at, rules], end),
                         "Maximum Limit", "max_limit", "money", name="BC_MaxLimit",
                         live=lambda L: f"=LSA_MAX_LIMIT({L['date']}{{r}},Events,AmendedThrough,Rules)")
    ar = _block(ctx, "advance_rate")
    cols += term_columns(ctx, ar, None, "Advance rate", "advance_rate", "rate", name="BC_AdvanceRate", width=9)
    cols.append(Column("base", "Advance rate x receivables", "money",
                       lambda L: f"=Receivables*{L['advance_rate']}{{r}}",
                       ["" if r == "" else r * i.receivables for r in cols[-1].values], until=until))
    deductions = i.acceptances + i.guaranties + i.letters_of_credit
    cols.append(Column("deductions", "Acceptances, guaranties, letters of credit", "money",
                       "=Acceptances+Guaranties+LettersOfCredit", [deductions] * n))
    floor = ctx.choice_numbers.get(("capacity_floor", "floor_zero"))  # by number: exact, never a name pattern
    cap_values = ctx.engine_column("LSA_CAPACITY", [days, i.receivables, i.acceptances, i.guaranties,
                                                    i.letters_of_credit, ev, at, rules], end)

    def capacity(L):
        net = f"MIN({L['max_limit']}{{r}},{L['base']}{{r}})-{L['deductions']}{{r}}"
        if floor:
            return f"=IF(AND(SwitchNo_capacity_floor={floor},{net}<0),0,{net})"
        return "=" + net

    cols.append(Column("capacity", "Borrowing Capacity", "money", capacity, cap_values, name="BC_Capacity",
                       live=lambda L: (f"=LSA_CAPACITY({L['date']}{{r}},Receivables,Acceptances,Guaranties,"
                                       "LettersOfCredit,Events,AmendedThrough,Rules)"),
                       width=14, until=until))
    oa = _block(ctx, "overadvance_limit")
    cols += term_columns(ctx, oa, ctx.engine_column("LSA_OVERADVANCE_LIMIT", [days, i.term_loan_reserve, at], end),
                         "Overadvance limit", "overadvance", "money", name="BC_Overadvance", bound="TermLoanReserve",
                         live=lambda L: f"=LSA_OVERADVANCE_LIMIT({L['date']}{{r}},TermLoanReserve,AmendedThrough)")
    exclude = ctx.choice_numbers.get(("availability_overadvance", "exclude_overadvance"))
    advances_only = ctx.choice_numbers.get(("deductions_and_max_limit", "max_limit_caps_advances_only"))

    def availability(L):
        """udfs.engine.terms.availability_rule, reading by reading."""
        limit, cap, oa = (L[k] + "{r}" for k in ("max_limit", "capacity", "overadvance"))
        ceiling = f"MIN({limit},{L['base']}{{r}}+{oa})-{L['deductions']}{{r}}"
        if floor:
            ceiling = f"IF(AND(SwitchNo_capacity_floor={floor},{ceiling}<0),0,{ceiling})"
        v = f"{ceiling}-Outstanding"
        if advances_only:
            v = f"IF(SwitchNo_deductions_and_max_limit={advances_only},MIN({limit},{cap}+{oa})-Outstanding,{v})"
        if exclude:
            v = f"IF(SwitchNo_availability_overadvance={exclude},{cap}-Outstanding,{v})"
        return "=" + v

    cols.append(Column("availability", "Availability", "money", availability,
                       ctx.engine_column("LSA_AVAILABILITY", [days, i.receivables, i.outstanding, i.acceptances,
                                                              i.guaranties, i.letters_of_credit, i.term_loan_reserve,
                                                              ev, at, rules], end),
                       name="BC_Availability",
                       live=lambda L: (f"=LSA_AVAILABILITY({L['date']}{{r}},Receivables,Outstanding,Acceptances,"
                                       "Guaranties,LettersOfCredit,TermLoanReserve,Events,AmendedThrough,Rules)"),
                       width=14, until=until))
    return cols


def write(ctx: Context):
    s = ctx.new_sheet("capacity")
    top = ctx.header(s, "capacity")
    cols = lender_first(columns(ctx))
    m = ctx.model
    summary = [  # one lookup into the schedule, in both flavors (the live columns already call the functions)
        ("AsOfDocument", "Document in effect on the as-of date", "BC_Document", m.document, "text"),
        ("AsOfMaxLimit", "Maximum Limit on the as-of date", "BC_MaxLimit", m.max_limit, "money"),
        ("AsOfCapacity", "Borrowing Capacity on the as-of date", "BC_Capacity", m.capacity, "money"),
        ("AsOfOveradvance", "Overadvance limit on the as-of date", "BC_Overadvance", m.overadvance, "money"),
        ("AsOfAvailability", "Availability on the as-of date", "BC_Availability", m.availability, "money"),
    ]
    for j, (name, label, column, value, kind) in enumerate(summary):
        s.text(top + j, 0, label, "label")
        s.formula(top + j, VALUE_COL, f"=INDEX({column},MATCH(AsOf,BC_Date,0))", value, "total", kind)
        ctx.define(name, s.name, top + j, VALUE_COL)
    end = ctx.schedule(s, top + SUMMARY_ROWS, cols, len(ctx.days))
    fold_working(s, top + len(summary), cols, end - 1)
    ws = s.ws
    first = top + SUMMARY_ROWS + 1
    ctx.define("BC_Table", s.name, first, 0, end - 1, len(cols) - 1)  # the Checks count its error cells
    date_col = [c.key for c in cols].index("date")
    ws.conditional_format(first, 0, first + len(ctx.days) - 1, len(cols) - 1, {
        "type": "formula", "criteria": f"=${_letter(date_col)}{first + 1}=AsOf",
        "format": ctx.conditional("asof_row")})


def _letter(c: int) -> str:
    return col_name(c)
