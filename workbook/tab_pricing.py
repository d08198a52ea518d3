"""Pricing tab: daily prime, margins, all-in rates and interest per facility, and each retroactive
pricing change shown both ways (as amended, as known before it was signed) with the true-up."""

from __future__ import annotations

import datetime as dt

from .context import Column, Context, safe_name
from .daily import helpers_for, term_columns
from .xl import serial


def retro_documents(ctx: Context) -> list:
    """Documents whose pricing starts before they were signed, in date order."""
    out = {}
    for term in ctx.deal.pricing.get("margin_terms", {}).values():
        for version in ctx.deal.terms[term]:
            doc = ctx.deal.document(version.document)
            if version.start < doc.date:
                start = min(out.get(doc.id, (doc, version.start))[1], version.start)
                out[doc.id] = (doc, start)
    return sorted(out.values(), key=lambda x: x[0].date)



def write(ctx: Context):
    s = ctx.new_sheet("pricing")
    name = s.name
    top = ctx.header(s, "pricing")
    deal, days, i = ctx.deal, ctx.days, ctx.inputs
    at, prime = ctx.at, i.prime_override
    basis = ctx.choice_values.get("DayCountBasis", ctx.__dict__.get("day_count_constant", 360))
    facilities = list(deal.pricing.get("margin_terms", {}).items())
    retros = retro_documents(ctx)

    # -- the summary block: the retroactive views' dates, then per facility totals --------------
    row = top
    retro_refs = []
    for k, (doc, start) in enumerate(retros, start=1):
        s.text(row, 0, f"{doc.title}: pricing from", "label")
        s.value(row, 3, start, "data", "date")
        ctx.define(f"Retro{k}_From", name, row, 3)
        s.text(row, 4, "retroactive: before the document was signed", "note")
        s.text(row + 1, 0, f"{doc.title}: signed", "label")
        s.value(row + 1, 3, doc.date, "data", "date")
        ctx.define(f"Retro{k}_Signed", name, row + 1, 3)
        cutoff = min(ctx.view_serial, serial(doc.date) - 1)
        s.text(row + 2, 0, f"As known before {doc.short}: documents signed through", "label")
        s.formula(row + 2, 3, f"=MIN(AmendedThroughEff,Retro{k}_Signed-OneDay)", cutoff, "calc", "date")
        ctx.define(f"Retro{k}_Cutoff", name, row + 2, 3)
        retro_refs.append((k, doc, start, cutoff))
        row += 3
    s.text(row, 0, "Day count basis (days a year)", "label")
    s.formula(row, 3, "=DayCountBasis", basis, "calc", "int")
    row += 1
    summary_top = row
    summary_rows = len(facilities) * (2 + len(retros))
    table_top = summary_top + summary_rows + 1

    n = len(days)
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
        margins = ctx.engine_column("LSA_MARGIN", [days, fac, at])
        cols += term_columns(block, "date", helpers_for(ctx, block), margins, f"Margin, {label}", f"m_{fk}", "rate",
                             live=lambda L, fk=fk: f"=LSA_MARGIN({L['date']}{{r}},Fac_{fk},AmendedThrough)", width=9)
        rates = [p + m for p, m in zip(prime_values, margins, strict=True)]
        cols.append(Column(f"r_{fk}", f"Rate, {label}", "rate",
                           lambda L, fk=fk: f"={L['prime']}{{r}}+{L['m_' + fk]}{{r}}", rates,
                           live=lambda L, fk=fk: f"=LSA_RATE({L['date']}{{r}},Fac_{fk},PrimeOverride,AmendedThrough)",
                           width=9))
        interest = [balance * r / basis for r in rates]
        cols.append(Column(f"i_{fk}", f"Interest, {label}", "amount",
                           lambda L, fk=fk: f"=Balance_{fk}*{L['r_' + fk]}{{r}}/DayCountBasis", interest,
                           live=lambda L, fk=fk: (f"=LSA_INTEREST({L['date']}{{r}},{L['date']}{{r}}+OneDay,"
                                                  f"Balance_{fk},Fac_{fk},PrimeOverride,DayCountBasis,AmendedThrough)"),
                           name=f"PR_Interest_{fk}", width=12))
        to_as_of = ctx.cat.LSA_INTEREST(ctx.start, i.as_of, balance, fac, prime, None, at, ctx.rules)
        totals.append((f"Interest, {label}, window start to the as-of date (excluded)",
                       lambda L, fk=fk: f"=SUMPRODUCT((PR_Date<AsOf)*PR_Interest_{fk})", to_as_of,
                       f"=LSA_INTEREST(WindowStart,AsOf,Balance_{fk},Fac_{fk},PrimeOverride,DayCountBasis,AmendedThrough)",
                       f"InterestToAsOf_{fk}"))
        totals.append((f"Interest, {label}, the whole schedule", lambda L, fk=fk: f"=SUM(PR_Interest_{fk})",
                       sum(interest), None, f"InterestTotal_{fk}"))
        for k, doc, start, cutoff in retro_refs:
            cut = dt.date.fromordinal(dt.date(1899, 12, 30).toordinal() + cutoff)
            before = ctx.engine_column("LSA_MARGIN", [days, fac, cut])
            tag = f"b{k}_{fk}"
            cols += term_columns(block, "date", helpers_for(ctx, block, cutoff), before,
                                 f"Margin, {label}, as known before {doc.short}", f"m{tag}", "rate",
                                 view=f"Retro{k}_Cutoff", width=9,
                                 live=lambda L, fk=fk, k=k: f"=LSA_MARGIN({L['date']}{{r}},Fac_{fk},Retro{k}_Cutoff)")
            rates_b = [p + m for p, m in zip(prime_values, before, strict=True)]
            cols.append(Column(f"r{tag}", f"Rate, {label}, before {doc.short}", "rate",
                               lambda L, tag=tag: f"={L['prime']}{{r}}+{L['m' + tag]}{{r}}", rates_b, width=9))
            interest_b = [balance * r / basis for r in rates_b]
            cols.append(Column(f"i{tag}", f"Interest, {label}, before {doc.short}", "amount",
                               lambda L, tag=tag, fk=fk: f"=Balance_{fk}*{L['r' + tag]}{{r}}/DayCountBasis", interest_b,
                               width=12))
            lo, hi = serial(start), serial(doc.date)
            true_up = [(a - b) if lo <= serial(d) < hi else 0.0
                       for d, a, b in zip(days, interest, interest_b, strict=True)]
            cols.append(Column(f"t{tag}", f"True-up, {label}, {doc.short}", "amount",
                               lambda L, tag=tag, fk=fk, k=k: (
                                   f"=IF(AND({L['date']}{{r}}>=Retro{k}_From,{L['date']}{{r}}<Retro{k}_Signed),"
                                   f"{L['i_' + fk]}{{r}}-{L['i' + tag]}{{r}},0)"),
                               true_up, name=f"PR_TrueUp{k}_{fk}", width=12))
            engine_true_up = (ctx.cat.LSA_INTEREST(start, doc.date, balance, fac, prime, None, at, ctx.rules)
                              - ctx.cat.LSA_INTEREST(start, doc.date, balance, fac, prime, None, cut, ctx.rules))
            totals.append((f"True-up, {label}: {doc.short}'s pricing for the days before it was signed",
                           lambda L, k=k, fk=fk: f"=SUM(PR_TrueUp{k}_{fk})", engine_true_up,
                           (f"=LSA_INTEREST(Retro{k}_From,Retro{k}_Signed,Balance_{fk},Fac_{fk},PrimeOverride,"
                            f"DayCountBasis,AmendedThrough)-LSA_INTEREST(Retro{k}_From,Retro{k}_Signed,Balance_{fk},"
                            f"Fac_{fk},PrimeOverride,DayCountBasis,Retro{k}_Cutoff)"),
                           f"TrueUp{k}_{fk}"))
    ctx.pricing_totals = {}
    for j, (label, formula, value, live, defined) in enumerate(totals):
        s.text(summary_top + j, 0, label, "label")
        s.formula(summary_top + j, 3, ctx.pick(formula({}), live), value, "total", "amount")
        ctx.define(defined, name, summary_top + j, 3)
        ctx.pricing_totals[defined] = value
    ctx.schedule(s, table_top, cols, n)
    ctx.pricing_columns = cols
