"""Pricing tab: daily prime, margins, all-in rates and interest per facility, and each retroactive
pricing change shown both ways (as amended, as known before it was signed) with the true-up."""

from __future__ import annotations

import datetime as dt

from .context import Column, Context, safe_name
from .daily import term_columns


def write(ctx: Context):
    s = ctx.new_sheet("pricing")
    name = s.name
    top = ctx.header(s, "pricing")
    deal, days, i = ctx.deal, ctx.days, ctx.inputs
    at, prime, rules = ctx.at, i.prime_override, ctx.rules
    view = ctx.view
    basis = int(view.rules.pick(deal.pricing["day_count"]))
    facilities = list(deal.pricing.get("margin_terms", {}).items())
    retros = ctx.retro_views

    # -- the summary block: the retroactive views' dates, then per facility totals --------------
    row = top
    for k, doc, start, cutoff in retros:
        s.text(row, 0, f"{doc.title}: pricing from", "label")
        s.value(row, 3, start, "data", "date")
        ctx.define(f"Retro{k}_From", name, row, 3)
        s.text(row, 4, "retroactive: before the document was signed", "note")
        s.text(row + 1, 0, f"{doc.title}: signed", "label")
        s.value(row + 1, 3, doc.date, "data", "date")
        ctx.define(f"Retro{k}_Signed", name, row + 1, 3)
        s.text(row + 2, 0, f"As known before {doc.short}: documents signed through", "label")
        s.formula(row + 2, 3, f"=MIN(AmendedThroughEff,Retro{k}_Signed-OneDay)", cutoff, "calc", "date")
        ctx.define(f"Retro{k}_Cutoff", name, row + 2, 3)
        row += 3
    s.text(row, 0, "Day count basis (days a year)", "label")
    s.formula(row, 3, "=DayCountBasis", basis, "calc", "int")
    row += 1
    summary_top = row
    summary_rows = len(facilities) * (2 + len(retros))
    table_top = summary_top + summary_rows + 1

    n = len(days)
    end = view.end
    until = ("TermEnd", end)
    nxt = [d + dt.timedelta(days=1) for d in days]
    prime_values = [prime] * n if prime is not None else ctx.engine_column("LSA_PRIME", [days])
    cols = [
        Column("day", "Day", "int", None, list(range(n)), width=6, role="aux"),
        Column("date", "Date", "date", lambda L: f"=WindowStart+{L['day']}{{r}}", days, name="PR_Date", width=11),
        Column("prime", "Prime rate", "rate",
               lambda L: f"=IF(ISNUMBER(PrimeOverride),PrimeOverride,LOOKUP({L['date']}{{r}},Prime_From,Prime_Rate))",
               prime_values, live=lambda L: f"=IF(ISNUMBER(PrimeOverride),PrimeOverride,LSA_PRIME({L['date']}{{r}}))",
               width=9),
    ]
    totals = []
    for fac, term in facilities:
        fk = safe_name(fac)
        label = deal.facilities[fac]["label"]
        block = next(b for b in ctx.blocks if b.key == term)
        balance = i.balances[fac]
        margins = ctx.engine_column("LSA_MARGIN", [days, fac, at], end)
        cols += term_columns(ctx, block, margins, f"Margin, {label}", f"m_{fk}", "rate",
                             live=lambda L, fk=fk: f"=LSA_MARGIN({L['date']}{{r}},Fac_{fk},AmendedThrough)", width=9)
        cols.append(Column(f"r_{fk}", f"Rate, {label}", "rate",
                           lambda L, fk=fk: f"={L['prime']}{{r}}+{L['m_' + fk]}{{r}}",
                           ctx.engine_column("LSA_RATE", [days, fac, prime, at], end),
                           live=lambda L, fk=fk: f"=LSA_RATE({L['date']}{{r}},Fac_{fk},PrimeOverride,AmendedThrough)",
                           width=9, until=until))
        cols.append(Column(f"i_{fk}", f"Interest, {label}", "amount",
                           lambda L, fk=fk: f"=Balance_{fk}*{L['r_' + fk]}{{r}}/DayCountBasis",
                           ctx.engine_column("LSA_INTEREST", [days, nxt, balance, fac, prime, None, at, rules], end),
                           live=lambda L, fk=fk: (f"=LSA_INTEREST({L['date']}{{r}},{L['date']}{{r}}+OneDay,"
                                                  f"Balance_{fk},Fac_{fk},PrimeOverride,DayCountBasis,AmendedThrough)"),
                           name=f"PR_Interest_{fk}", width=12, until=until))
        totals.append((f"Interest, {label}, window start to the as-of date (excluded)",
                       f'=SUMIF(PR_Date,"<"&AsOf,PR_Interest_{fk})',
                       ctx.cat.LSA_INTEREST(ctx.start, i.as_of, balance, fac, prime, None, at, rules),
                       f"InterestToAsOf_{fk}"))
        totals.append((f"Interest, {label}, the whole schedule", f"=SUM(PR_Interest_{fk})",
                       ctx.cat.LSA_INTEREST(ctx.start, end + dt.timedelta(days=1), balance, fac, prime, None, at,
                                            rules), f"InterestTotal_{fk}"))
        for k, doc, start, cutoff in retros:
            before_view = ctx.view_for(f"_b{k}")
            tag = f"b{k}_{fk}"
            before_until = (f"Retro{k}_TermEnd", before_view.end)
            cols += term_columns(ctx, block, ctx.engine_column("LSA_MARGIN", [days, fac, cutoff], before_view.end),
                                 f"Margin, {label}, as known before {doc.short}", f"m{tag}", "rate",
                                 view=f"_b{k}", width=9,
                                 live=lambda L, fk=fk, k=k: f"=LSA_MARGIN({L['date']}{{r}},Fac_{fk},Retro{k}_Cutoff)")
            cols.append(Column(f"r{tag}", f"Rate, {label}, before {doc.short}", "rate",
                               lambda L, tag=tag: f"={L['prime']}{{r}}+{L['m' + tag]}{{r}}",
                               ctx.engine_column("LSA_RATE", [days, fac, prime, cutoff], before_view.end),
                               width=9, until=before_until))
            interest_before = ctx.engine_column("LSA_INTEREST", [days, nxt, balance, fac, prime, None, cutoff, rules],
                                                before_view.end)
            cols.append(Column(f"i{tag}", f"Interest, {label}, before {doc.short}", "amount",
                               lambda L, tag=tag, fk=fk: f"=Balance_{fk}*{L['r' + tag]}{{r}}/DayCountBasis",
                               interest_before, width=12, until=before_until))
            true_up = [ctx.cat.LSA_INTEREST(d, d + dt.timedelta(days=1), balance, fac, prime, None, at, rules)
                       - ctx.cat.LSA_INTEREST(d, d + dt.timedelta(days=1), balance, fac, prime, None, cutoff, rules)
                       if start <= d < doc.date else 0.0 for d in days]
            cols.append(Column(f"t{tag}", f"True-up, {label}, {doc.short}", "amount",
                               lambda L, tag=tag, fk=fk, k=k: (
                                   f"=IF(AND({L['date']}{{r}}>=Retro{k}_From,{L['date']}{{r}}<Retro{k}_Signed),"
                                   f"{L['i_' + fk]}{{r}}-{L['i' + tag]}{{r}},0)"),
                               true_up, name=f"PR_TrueUp{k}_{fk}", width=12))
            totals.append((f"True-up, {label}: {doc.short}'s pricing for the days before it was signed",
                           f"=SUM(PR_TrueUp{k}_{fk})",
                           ctx.cat.LSA_INTEREST(start, doc.date, balance, fac, prime, None, at, rules)
                           - ctx.cat.LSA_INTEREST(start, doc.date, balance, fac, prime, None, cutoff, rules),
                           f"TrueUp{k}_{fk}"))
    ctx.pricing_totals = {}
    for j, (label, formula, value, defined) in enumerate(totals):
        s.text(summary_top + j, 0, label, "label")
        s.formula(summary_top + j, 3, formula, value, "total", "amount")
        ctx.define(defined, name, summary_top + j, 3)
        ctx.pricing_totals[defined] = value
    ctx.schedule(s, table_top, cols, n)
    ctx.pricing_columns = cols
