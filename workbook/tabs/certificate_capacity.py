"""Section C of the Borrowing Capacity certificate: the borrowing base by collateral component (eligible
amount x advance rate, within its sublimit), the Maximum Limit in force and why, the deductions and the
Agent's reserves, to Borrowing Capacity (workbook/tabs/certificate.py lays out the rest of the page)."""

from __future__ import annotations

from dataclasses import dataclass

from workbook.context import Context
from workbook.tabs.capacity import term_column_name
from workbook.tabs.certificate_working import reason
from workbook.tabs.inputs import collateral_name
from workbook.xl import DEFAULT_ROW_PT, row_height, wrapped_lines

EVENTS = "Events,AmendedThrough,Rules"  # the live formulas' view arguments


@dataclass
class Component:
    """One kind of collateral in the borrowing base: its eligible amount, advance rate and sublimit."""

    label: str
    amount: tuple  # (formula, stored value)
    rate: tuple  # (formula, stored value)
    clause: dict | None = None  # the working answers (answers()) for the rate's step, if any
    sublimit: tuple | None = None  # (formula, stored value); None: none


@dataclass
class Reserve:
    """An amount deducted from Borrowing Capacity (the Agent's reserves), with its clause."""

    label: str
    amount: tuple  # (formula, stored value)
    note: str = ""


def components(ctx: Context, short: str, rate_answers: dict | None) -> list[Component]:
    """The borrowing base's collateral as the deal declares it (udfs.engine.borrowing_base): receivables at
    the advance rate, then any other component with its own rate and sublimit, read on the as-of date from
    the Borrowing Capacity tab's columns (a rate not in force that day counts zero; a sublimit not in force
    is "none")."""
    i, rest = ctx.inputs, ctx.deal.borrowing_base.components[1:]
    values = as_of_terms(ctx)
    out = [Component(f"{short} eligible receivables (line B4)", ("=Receivables", i.receivables),
                     ("=INDEX(BC_AdvanceRate,MATCH(AsOf,BC_Date,0))", ctx.headline.advance_rate), rate_answers)]
    for c in rest:
        rate = f"N(INDEX({term_column_name(c.rate_term)},MATCH(AsOf,BC_Date,0)))"
        part = Component(c.label, (f"={collateral_name(c.id)}", i.collateral.get(c.id, 0.0)),
                         (f"={rate}", values.get(c.rate_term) or 0.0))
        if c.sublimit_term:
            cell = f"INDEX({term_column_name(c.sublimit_term)},MATCH(AsOf,BC_Date,0))"
            sub = values.get(c.sublimit_term)
            part.sublimit = (f'=IF(ISNUMBER({cell}),{cell},"none")', "none" if sub is None else sub)
        out.append(part)
    return out


def reserves(ctx: Context) -> list[Reserve]:
    """Reserves the deal declares, on the as-of date (zero on a day a reserve is not in force)."""
    values = as_of_terms(ctx)
    return [Reserve(r.label, (f"=N(INDEX({term_column_name(r.term)},MATCH(AsOf,BC_Date,0)))",
                              values.get(r.term) or 0.0), note=r.citation)
            for r in ctx.deal.borrowing_base.reserves]


def as_of_terms(ctx: Context) -> dict:
    """The borrowing base's terms on the as-of date in this view (None: no value that day, or after the term)."""
    day = ctx.inputs.as_of
    if day > ctx.view.end:
        return {}
    return {t: ctx.view.term(t).at(day.toordinal()) for t in ctx.deal.borrowing_base.terms}


def borrowing_base(ctx: Context, page, parts: list[Component], cuts: list[Reserve], work: dict) -> str:
    """Section C: each collateral component (eligible amount x advance rate, within its sublimit), their
    total, the Maximum Limit, the deductions and each reserve, to Borrowing Capacity. One line a figure;
    each line's formula is the arithmetic its label states. `page`: the page's writer (certificate.Page).
    Returns the line number of Borrowing Capacity ("C4")."""
    s, lines, stored = page.s, page.lines, page.stored
    figure, at, clause, section, skip = page.figure, page.at, page.clause, page.section, page.skip
    m = ctx.headline
    section("C. Borrowing Capacity", "Amount", "Clause")
    sums = []
    for n, part in enumerate(parts, start=1):
        figure(f"c{n}_amount", f"C{n}a. {part.label}", part.amount[0], part.amount[1])
        figure(f"c{n}_rate", f"C{n}b. Advance rate", part.rate[0], part.rate[1], "rate")
        if part.clause:
            clause(lines[f"c{n}_rate"], part.clause, "advance_rate")
        value = "" if part.rate[1] == "" else part.amount[1] * part.rate[1]
        figure(f"c{n}", f"C{n}. Available from it (C{n}a x C{n}b)", f"={at(f'c{n}_amount')}*{at(f'c{n}_rate')}", value)
        if part.sublimit:
            figure(f"c{n}_sub", f"C{n}c. Sublimit", part.sublimit[0], part.sublimit[1])
            sub = part.sublimit[1]
            capped = "" if value == "" else (value if isinstance(sub, str) else min(value, sub))
            figure(f"c{n}_in", f"C{n}d. The lesser of C{n} and C{n}c",
                   f"=IF(ISNUMBER({at(f'c{n}_sub')}),MIN({at(f'c{n}')},{at(f'c{n}_sub')}),{at(f'c{n}')})", capped)
            sums.append(f"c{n}_in")
        else:
            sums.append(f"c{n}")
    total = "" if any(stored[k] == "" for k in sums) else sum(stored[k] for k in sums)
    names = "+".join(f"C{k[1:].split('_')[0]}" + ("d" if k.endswith("_in") else "") for k in sums)
    figure("base", f"C{len(parts) + 1}. Collateral available ({names})", "=" + "+".join(at(k) for k in sums), total)
    figure("ml", f"C{len(parts) + 1}a. Maximum Limit in force", "=AsOfMaxLimit", m.max_limit,
           live=f"=LSA_MAX_LIMIT(AsOf,{EVENTS})")
    mw = work.get("max_limit")
    if mw:
        w = mw["why"]
        clause(lines["ml"], mw, "max_limit")
        figure("ml_from", "      set on", "=" + mw["effective"], w.effective if w.effective is not None else "",
               "date")
        s.formula(lines["ml_from"], 2, f'={mw["doc"]}&", "&{mw["step"]}', f"{w.document}, {w.step}", "clause",
                  "text")
        row = skip(0)
        s.text(row, 0, "      why", "label")
        longest = max([reason(ctx, r) for r in next(b for b in ctx.blocks if b.key == "max_limit").rows]
                      + ["no document counted sets it"], key=len)
        s.ws.merge_range(row, 1, row, 2, "", s.fmt("note", "text"))
        s.formula(row, 1, "=" + mw["reason"], w.reason, "note", "text")
        px = page.px[1] + page.px[2]
        s.ws.set_row(row, max(DEFAULT_ROW_PT, row_height(wrapped_lines(longest, px))))
        skip()
    lesser = "" if total == "" else min(total, m.max_limit)
    i = ctx.inputs
    n = len(parts) + 1
    figure("lesser", f"C{n + 1}. The lesser of C{n} and C{n}a", f"=MIN({at('base')},{at('ml')})", lesser)
    cuts_keys = []
    for key, label, name, value in (("acc", "bankers' acceptances", "Acceptances", i.acceptances),
                                    ("gua", "letters of guaranty", "Guaranties", i.guaranties),
                                    ("loc", "letters of credit", "LettersOfCredit", i.letters_of_credit)):
        figure(key, f"      less: {label}", f"={name}", value)
        cuts_keys.append(key)
    for k, r in enumerate(cuts, start=1):
        figure(f"res{k}", f"      less reserve: {r.label}", r.amount[0], r.amount[1], note=r.note)
        cuts_keys.append(f"res{k}")
    if not cuts:
        figure("res", "      less: reserves", "=0", 0, note="none declared in the documents counted")
        cuts_keys.append("res")
    net = "" if lesser == "" else lesser - sum(stored[k] for k in cuts_keys)
    expr = f"{at('lesser')}-" + "-".join(at(k) for k in cuts_keys)
    floor = ctx.choice_numbers.get(("capacity_floor", "floor_zero"))  # by number: exact, never a name pattern
    formula = f"=IF(AND(SwitchNo_capacity_floor={floor},{expr}<0),0,{expr})" if floor else "=" + expr
    if floor and net != "" and ctx.rules.get("capacity_floor") == "floor_zero":
        net = max(0.0, net)
    figure("cap", f"C{n + 2}. Borrowing Capacity (C{n + 1} less deductions)", formula, net, role="total")
    if not cuts and net != "" and m.capacity != "" and abs(net - m.capacity) > 1e-6:  # one answer per question
        raise AssertionError(f"the certificate's Borrowing Capacity {net} is not the engine's {m.capacity}")
    return f"C{n + 2}"
