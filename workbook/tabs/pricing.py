"""Pricing tab: daily prime, margins, all-in rates and interest per facility, and each retroactive
pricing change shown both ways (as amended, as known before it was signed) with the true-up."""

from __future__ import annotations

import datetime as dt

from udfs.engine import pricing
from workbook.context import Context, safe_name
from workbook.tables.daily import fold_working, lender_first, term_columns
from workbook.tables.day_columns import Column, write_columns
from workbook.xl import iso_date_formula

VALUE_COL = 8  # the summary's figures (or the last printed column, if before): the labels span the columns before it


def write(ctx: Context):
    s = ctx.new_sheet("pricing")
    name = s.name
    top = ctx.header(s, "pricing")
    deal, days, i = ctx.deal, ctx.days, ctx.inputs
    prime = i.prime_override
    facilities = list(deal.pricing.get("margin_terms", {}).items())
    retros = ctx.retro_views
    # date, prime, then per facility margin, rate, interest, and per retroactive view margin, rate,
    # interest as known before it and the true-up: the columns printed (the working is hidden)
    value_col = min(VALUE_COL, 1 + len(facilities) * (3 + 4 * len(retros)))
    summary_top = _summary_head(ctx, s, top, value_col)
    table_top = summary_top + len(facilities) * (2 + len(retros)) + 1

    n = len(days)
    prime_values = [prime] * n if prime is not None else ctx.engine_column("LSA_PRIME", [days])
    cols = [
        Column("day", "Day", "int", None, list(range(n)), width=6, role="aux"),
        Column("date", "Date", "date", lambda L: f"=WindowStart+{L['day']}{{r}}", days, name="PR_Date", width=10),
        _status(ctx, days),
        Column("prime", "Prime rate", "rate",
               lambda L: f"=IF(ISNUMBER(PrimeOverride),PrimeOverride,LOOKUP({L['date']}{{r}},Prime_From,Prime_Rate))",
               prime_values, live=lambda L: f"=IF(ISNUMBER(PrimeOverride),PrimeOverride,LSA_PRIME({L['date']}{{r}}))",
               name="PR_Prime", width=8),
    ]
    cols += _part_columns(ctx, "")
    for k, _, _, _ in retros:
        cols += _part_columns(ctx, f"_b{k}")
    totals = []
    for fac, term in facilities:
        block = next(b for b in ctx.blocks if b.key == term)
        cols += _facility_columns(ctx, fac, block, totals)
        for retro in retros:
            cols += _retro_columns(ctx, fac, block, retro, totals)
    for j, (text, formula, value, defined, days_counted) in enumerate(totals):
        _caption(s, value_col, summary_top + j, text)
        if days_counted:
            s.formula(summary_top + j, value_col + 1, days_counted[0], days_counted[1], "side", "text")
        s.formula(summary_top + j, value_col, formula, value, "total", "amount")
        ctx.define(defined, name, summary_top + j, value_col)
    cols = lender_first(cols)
    # the status column's words for each retroactive view: deal text, so in cells its formula refers to
    # (never inside the formula), above the column on the retroactive view's caption rows (hidden with it)
    c_status = next(j for j, c in enumerate(cols) if c.key == "status")
    for k, doc, _, _ in retros:
        r = top + 3 * (k - 1) + 2
        s.value(r, c_status, _after_words(doc), "aux", "text")
        ctx.define(f"Retro{k}_After", name, r, c_status)
    last = write_columns(ctx, s, table_top, cols, n) - 1
    fold_working(s, table_top - 1, cols, last, empty="An empty cell: the day is after the term's end (as known in "
                 "that column's view).")
    ctx.define("PR_Table", name, table_top + 1, 0, last, len(cols) - 1)  # the Checks count its error cells


def _caption(s, value_col: int, r: int, text: str):
    """A label across the first columns, its figure in value_col: never clipped."""
    s.ws.merge_range(r, 0, r, value_col - 1, "", s.fmt("label", "text"))
    s.text(r, 0, text, "label")


def _summary_head(ctx: Context, s, row: int, value_col: int) -> int:
    """The summary block's head: each retroactive view's dates, then the day count; the first row of totals."""
    name = s.name
    for k, doc, start, cutoff in ctx.retro_views:
        _caption(s, value_col, row, f"{doc.title}: pricing from (retroactive: before it was signed)")
        s.value(row, value_col, start, "data", "date")
        ctx.define(f"Retro{k}_From", name, row, value_col)
        _caption(s, value_col, row + 1, f"{doc.title}: signed")
        s.value(row + 1, value_col, doc.date, "data", "date")
        ctx.define(f"Retro{k}_Signed", name, row + 1, value_col)
        _caption(s, value_col, row + 2, f"As known before {doc.short}: documents signed through")
        s.formula(row + 2, value_col, f"=MIN(AmendedThroughEff,Retro{k}_Signed-OneDay)", cutoff, "calc", "date")
        ctx.define(f"Retro{k}_Cutoff", name, row + 2, value_col)
        row += 3
    _caption(s, value_col, row, "Day count basis (days a year)")
    s.formula(row, value_col, "=DayCountBasis", int(ctx.view.rules.pick(ctx.deal.pricing["day_count"])), "calc",
              "int")
    return row + 1


def _facility_columns(ctx: Context, fac: str, block, totals: list) -> list[Column]:
    """A facility's margin, rate and interest in this file's view; its two interest totals added to
    `totals` (label, formula, value, defined name, the days counted)."""
    days, i, at, rules, ev = ctx.days, ctx.inputs, ctx.at, ctx.rules, ctx.events or None
    prime = i.prime_override
    end = ctx.view.end
    until = ("TermEnd", end)
    nxt = [d + dt.timedelta(days=1) for d in days]
    fk = safe_name(fac)
    label = ctx.deal.facilities[fac]["label"]
    balance = i.balances[fac]
    margins = ctx.engine_column("LSA_MARGIN", [days, fac, at, ev, rules], end)
    cols = term_columns(ctx, block, margins, f"Margin, {label}", f"m_{fk}", "rate",
                        live=lambda L: f"=LSA_MARGIN({L['date']}{{r}},Fac_{fk},{VIEW})", name=f"PR_Margin_{fk}",
                        width=8)
    cols.append(Column(f"r_{fk}", f"Rate, {label}", "rate", _rate_formula(ctx, ctx.view, fac, f"m_{fk}", ""),
                       ctx.engine_column("LSA_RATE", [days, fac, prime, at, ev, rules], end),
                       live=lambda L: f"=LSA_RATE({L['date']}{{r}},Fac_{fk},PrimeOverride,{VIEW})",
                       name=f"PR_Rate_{fk}", width=8, until=until))
    cols.append(Column(f"i_{fk}", f"Interest, {label}", "amount",
                       lambda L: f"=Balance_{fk}*{L['r_' + fk]}{{r}}/DayCountBasis",
                       ctx.engine_column("LSA_INTEREST", [days, nxt, balance, fac, prime, None, at, rules, ev], end),
                       live=lambda L: (f"=LSA_INTEREST({L['date']}{{r}},{L['date']}{{r}}+OneDay,"
                                       f"Balance_{fk},Fac_{fk},PrimeOverride,DayCountBasis,AmendedThrough,"
                                       "Rules,Events)"),
                       name=f"PR_Interest_{fk}", width=9, until=until))
    # Interest accrues for each day on that day's rate (the engine's LSA_INTEREST(start, end): end
    # excluded). Two totals, named by the days they count: those before the as-of date (accrued
    # when the as-of date begins), and every day of the term the schedule shows.
    # Beside each total, the days it counts (a formula: it follows the as-of date typed in).
    totals.append((f"Interest, {label}, the days before the as-of date",
                   f'=SUMIF(PR_Date,"<"&AsOf,PR_Interest_{fk})',
                   ctx.cat.LSA_INTEREST(ctx.start, i.as_of, balance, fac, prime, None, at, rules, ev),
                   f"InterestToAsOf_{fk}",
                   (f'=IF(AsOf>WindowStart,{iso_date_formula("WindowStart")}&" through "&'
                    f'{iso_date_formula("AsOf-1")},"none")',
                    f"{ctx.start.isoformat()} through {(i.as_of - dt.timedelta(days=1)).isoformat()}"
                    if i.as_of > ctx.start else "none")))
    totals.append((f"Interest, {label}, every day of the term", f"=SUM(PR_Interest_{fk})",
                   ctx.cat.LSA_INTEREST(ctx.start, end + dt.timedelta(days=1), balance, fac, prime, None, at,
                                        rules, ev), f"InterestTotal_{fk}",
                   (f'={iso_date_formula("WindowStart")}&" through "&{iso_date_formula("TermEnd")}',
                    f"{ctx.start.isoformat()} through {end.isoformat()}")))
    return cols


def _retro_columns(ctx: Context, fac: str, block, retro: tuple, totals: list) -> list[Column]:
    """A facility's margin, rate and interest as known before a retroactive document, and the true-up; its
    total added to `totals`."""
    k, doc, start, cutoff = retro
    days, at, prime, rules, ev = ctx.days, ctx.at, ctx.inputs.prime_override, ctx.rules, ctx.events or None
    nxt = [d + dt.timedelta(days=1) for d in days]
    fk = safe_name(fac)
    label = ctx.deal.facilities[fac]["label"]
    balance = ctx.inputs.balances[fac]
    before_view = ctx.view_for(f"_b{k}")
    tag = f"b{k}_{fk}"
    before_until = (f"Retro{k}_TermEnd", before_view.end)
    cols = term_columns(ctx, block, ctx.engine_column("LSA_MARGIN", [days, fac, cutoff, ev, rules], before_view.end),
                        f"Margin, {label}, before {doc.short}", f"m{tag}", "rate", view=f"_b{k}", width=8,
                        live=lambda L: f"=LSA_MARGIN({L['date']}{{r}},Fac_{fk},Retro{k}_Cutoff,Events,Rules)")
    cols.append(Column(f"r{tag}", f"Rate, {label}, before {doc.short}", "rate",
                       _rate_formula(ctx, before_view, fac, f"m{tag}", f"_b{k}"),
                       ctx.engine_column("LSA_RATE", [days, fac, prime, cutoff, ev, rules], before_view.end),
                       width=8, until=before_until))
    interest_before = ctx.engine_column("LSA_INTEREST", [days, nxt, balance, fac, prime, None, cutoff, rules, ev],
                                        before_view.end)
    cols.append(Column(f"i{tag}", f"Interest, {label}, before {doc.short}", "amount",
                       lambda L: f"=Balance_{fk}*{L['r' + tag]}{{r}}/DayCountBasis",
                       interest_before, width=9, until=before_until))
    true_up = [ctx.cat.LSA_INTEREST(d, d + dt.timedelta(days=1), balance, fac, prime, None, at, rules, ev)
               - ctx.cat.LSA_INTEREST(d, d + dt.timedelta(days=1), balance, fac, prime, None, cutoff, rules, ev)
               if start <= d < doc.date else 0.0 for d in days]
    cols.append(Column(f"t{tag}", f"True-up, {label}, {doc.short}", "amount",
                       lambda L: (f"=IF(AND({L['date']}{{r}}>=Retro{k}_From,{L['date']}{{r}}<Retro{k}_Signed),"
                                  f"{L['i_' + fk]}{{r}}-{L['i' + tag]}{{r}},0)"),
                       true_up, name=f"PR_TrueUp{k}_{fk}", width=10))
    totals.append((f"True-up, {label}: {doc.short}'s pricing for the days before it was signed",
                   f"=SUM(PR_TrueUp{k}_{fk})",
                   ctx.cat.LSA_INTEREST(start, doc.date, balance, fac, prime, None, at, rules, ev)
                   - ctx.cat.LSA_INTEREST(start, doc.date, balance, fac, prime, None, cutoff, rules, ev),
                   f"TrueUp{k}_{fk}", None))
    return cols


VIEW = "AmendedThrough,Events,Rules"  # the live formulas' view arguments, in the catalogue's order


def _part_key(term: str, view: str) -> str:
    return f"p{view}_{safe_name(term)}"


def _part_columns(ctx: Context, view: str) -> list[Column]:
    """One column per term of the rates other than the margins (index floor, cap, add-ons; each shared by
    the facilities that name it), in a view ("" or "_b<k>"): its value on each day, empty where no document
    in the view defines it (then it does not apply)."""
    cols = []
    roles = pricing.part_terms(ctx.deal.pricing)
    for term, role in roles.items():
        if role == "margin":
            continue
        if not _possible(ctx, term, view):
            continue  # no document the view can count defines it: no column, and the rate leaves it out
        block = next(b for b in ctx.blocks if b.key == term)
        what = {"floor": "floor on prime", "cap": "cap on prime", "add_on": "added to the margin"}[role]
        suffix = "" if not view else f", before {ctx.retro_views[int(view[2:]) - 1][1].short}"
        cols += term_columns(ctx, block, None, f"{block.label} ({what}){suffix}", _part_key(term, view), "rate",
                             view=view, width=8)
    return cols


def _possible(ctx: Context, term: str, view: str) -> bool:
    """Whether a document the view can count (whatever the Inputs say) writes a version of the term: in the
    workbook's view any may (AmendedThrough is an input); as known before a retroactive document, only one
    signed before it. The layout never depends on an input."""
    if not view:
        return True
    before = ctx.retro_views[int(view[2:]) - 1][1].date
    return any(ctx.deal.document(v.document).date < before for v in ctx.deal.terms[term])


def _rate_formula(ctx: Context, view, facility: str, margin_key: str, suffix: str):
    """The rate column's formula, rendered from the engine's own declaration of the rate
    (udfs.engine.pricing): no formula text of its own."""
    tree = pricing.restrict(view.rate_tree(facility),
                            lambda part: part.term is None or _possible(ctx, part.term, suffix))

    def formula(L):
        def ref(part):
            if part.term is None:
                return f"{L['prime']}{{r}}"
            key = margin_key if part.role == "margin" else _part_key(part.term, suffix)
            return f"{L[key]}{{r}}"

        return "=" + pricing.render(tree, ref)

    return formula


def _after_words(doc) -> str:
    return f"after the term before {doc.short}"


def _status(ctx: Context, days: list) -> Column:
    """Which view's term a day falls after, if any: those views' cells are empty on that row."""
    ends = [("TermEnd", ctx.view.end, "after the term", '"after the term"')]
    ends += [(f"Retro{k}_TermEnd", ctx.view_for(f"_b{k}").end, _after_words(doc), f"Retro{k}_After")
             for k, doc, _, _ in ctx.retro_views]

    def formula(L):
        out = '""'
        for name, _, _, words in reversed(ends):
            out = f'IF({L["date"]}{{r}}>{name},{words},{out})'
        return "=" + out

    values = [next((text for _, end, text, _ in ends if d > end), "") for d in days]
    return Column("status", "After the term in a view? (then that view's cells are empty)", "text", formula, values,
                  width=22, role="aux")
