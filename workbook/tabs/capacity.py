"""Borrowing Capacity tab: one row a day over the encoded term, from the Terms step tables."""

from __future__ import annotations

import datetime as dt

from udfs.engine.expr import Refs
from workbook.context import Column, Context, safe_name
from workbook.tables.daily import fold_working, lender_first, term_columns
from workbook.tabs.inputs import collateral_name
from workbook.xl import NEVER_SERIAL, col_name, serial

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
               ctx.engine_column("LSA_AMENDMENT", [days, at, ev], end),
               live=lambda L: f"=LSA_AMENDMENT({L['date']}{{r}},AmendedThrough,Events)", name="BC_Document", width=18,
               until=until, role="calc_indent"),
    ]
    cols += term_end_columns(ctx)
    ml = _block(ctx, "max_limit")
    cols += term_columns(ctx, ml, ctx.engine_column("LSA_MAX_LIMIT", [days, ev, at, rules], end),
                         "Maximum Limit", "max_limit", "money", name="BC_MaxLimit",
                         live=lambda L: f"=LSA_MAX_LIMIT({L['date']}{{r}},Events,AmendedThrough,Rules)")
    base = ctx.deal.borrowing_base
    for term in base.terms:
        rate = term in {c.rate_term for c in base.components}
        cols += term_columns(ctx, _block(ctx, term), None, TERM_HEADERS.get(term, _block(ctx, term).label), term,
                             "rate" if rate else "money", name=term_column_name(term), width=9 if rate else 13)
    oa = _block(ctx, "overadvance_limit")
    overadvance = term_columns(
        ctx, oa, ctx.engine_column("LSA_OVERADVANCE_LIMIT", [days, i.term_loan_reserve, at, ev], end),
        "Overadvance limit", "overadvance", "money", name="BC_Overadvance", bound="TermLoanReserve",
        live=lambda L: f"=LSA_OVERADVANCE_LIMIT({L['date']}{{r}},TermLoanReserve,AmendedThrough,Events)")
    figures = _figures(ctx, overadvance[-1].values)
    for d in ctx.view.definitions:
        if d.key == "availability":
            cols += overadvance  # the Overadvance limit beside the figure that uses it
        header, name, role = FIGURES.get(d.key, (d.label, None, "calc"))
        if d.key.startswith("component_") and len(base.components) == 1:
            header = "Advance rate x receivables"
        elif d.key.startswith("component_"):
            header = f"{d.label} lent against"
        cols.append(Column(d.key, header, "money", _formula(ctx, d.tree), [f.get(d.key, "") for f in figures],
                           live=LIVE.get(d.key) if len(base.components) == 1 else None, name=name,
                           width=14 if name else 12, until=until, role=role))
    return cols


def term_end_columns(ctx: Context) -> list[Column]:
    """The Initial Term's end as in force on each day (its version, level and caps, as every stepped term:
    a cap on the term lifted by a delivery, a level set by an event), and the days past it: TermEnd is the
    day before the first of them (Terms tab), as the engine closes a view's window (udfs.engine.terms
    View._term_end_piece). These columns read no TermEnd themselves."""
    cols = term_columns(ctx, _block(ctx, "initial_term_end"), None, "Initial Term ends", "term_end", "date")
    for col in cols:
        col.until, col.role, col.name = None, "aux", None
        col.values = [serial(v) if isinstance(v, dt.date) else v for v in col.values]
    end = ctx.view.end
    cols.append(Column(
        "past_term", "Past the term (the first such day closes the window)", "date",
        lambda L: (f'=IF(OR({L["term_end"]}{{r}}="",{L["date"]}{{r}}>{L["term_end"]}{{r}}),'
                   f'{L["date"]}{{r}},{PAST_NEVER})'),
        [serial(d) if d > end else PAST_NEVER for d in ctx.days], name="BC_PastTerm", width=11, role="aux"))
    return cols


PAST_NEVER = NEVER_SERIAL  # a day not past the term: never the first one past it


# Headers and defined names of the borrowing base's terms and figures (udfs.engine.borrowing_base).
TERM_HEADERS = {"advance_rate": "Advance rate"}
TERM_NAMES = {"advance_rate": "BC_AdvanceRate"}


def term_column_name(term: str) -> str:
    """The defined name of a borrowing-base term's daily column (the certificate reads it on the as-of date)."""
    return TERM_NAMES.get(term) or f"BC_Term_{safe_name(term)}"
FIGURES = {
    "base": ("Borrowing base after advance rates", "BC_Base", "calc"),
    "deductions": ("Acceptances, guaranties, letters of credit", None, "calc"),
    "reserves": ("Reserves", "BC_Reserves", "calc"),
    "capacity": ("Borrowing Capacity", "BC_Capacity", "calc"),
    "availability": ("Availability", "BC_Availability", "calc"),
}
# The live flavor's calls (a deal with one component: the functions' own arguments name every input).
LIVE = {
    "capacity": lambda L: (f"=LSA_CAPACITY({L['date']}{{r}},Receivables,Acceptances,Guaranties,"
                           "LettersOfCredit,Events,AmendedThrough,Rules)"),
    "availability": lambda L: (f"=LSA_AVAILABILITY({L['date']}{{r}},Receivables,Outstanding,Acceptances,"
                               "Guaranties,LettersOfCredit,TermLoanReserve,Events,AmendedThrough,Rules)"),
}
INPUT_NAMES = {"in:acceptances": "Acceptances", "in:guaranties": "Guaranties",
               "in:letters_of_credit": "LettersOfCredit", "in:outstanding": "Outstanding"}


def _formula(ctx: Context, tree):
    """A column template from a borrowing-base tree: terms and figures are this row's columns, inputs the
    Inputs tab's names, readings the Terms tab's switches."""
    first = ctx.deal.borrowing_base.components[0].id

    def template(L):
        def cells(name: str) -> str:
            kind, _, key = name.partition(":")
            if name == "overadvance":
                return L["overadvance"] + "{r}"
            if kind in ("term", "def"):
                return L[key] + "{r}"
            if name in INPUT_NAMES:
                return INPUT_NAMES[name]
            return "Receivables" if key == first else collateral_name(key)

        def switch(interpretation: str, choice: str):
            """The reading's choice by its number (exact, never a name pattern), as the Terms tab resolves it."""
            number = ctx.choice_numbers.get((interpretation, choice))
            return None if number is None else f"SwitchNo_{safe_name(interpretation)}={number}"

        return "=" + tree.formula(Refs(cells, switch))

    return template


def _figures(ctx: Context, overadvance: list) -> list[dict]:
    """The engine's figures on every schedule day (def key -> value); {} after the view's term end."""
    i, view = ctx.inputs, ctx.view
    collateral = {ctx.deal.borrowing_base.components[0].id: i.receivables, **i.collateral}
    deductions = i.acceptances + i.guaranties + i.letters_of_credit
    out = []
    for day, oa in zip(ctx.days, overadvance, strict=True):
        if day > view.end:
            out.append({})
            continue
        values = view.figures(day.toordinal(), collateral, deductions, i.outstanding, i.term_loan_reserve)
        assert values["overadvance"] == oa  # the column beside it holds the same limit
        out.append({k[4:]: float(v) for k, v in values.items() if k.startswith("def:")})
    return out


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
