"""What the tabs show for the as-of date, asked of the engine once per build.

Several tabs show the same headline figures (the Borrowing Capacity tab's summary, the certificate,
the cover). Each reads them here rather than from another tab's attributes, so no tab depends on
the order the tabs are written in.
"""

from __future__ import annotations

from dataclasses import dataclass

from udfs.engine.values import as_offsets


@dataclass(frozen=True)
class Headline:
    document: str  # every borrowing figure is "" when the as-of date is after the term in this view
    max_limit: float
    advance_rate: float
    capacity: float
    overadvance: float
    availability: float
    fees_due_to_as_of: float | None  # None: the deal has no fees
    severance_paid_to_as_of: float | None  # None: the deal has no severance terms
    severance_payment_as_of: float | None


def headline(ctx) -> Headline:
    cat, i = ctx.cat, ctx.inputs
    day, ev, at, rules = i.as_of, ctx.events or None, ctx.at, ctx.rules
    deductions = (i.acceptances, i.guaranties, i.letters_of_credit)
    fees = cat.LSA_FEES_DUE(ctx.start, day, ev, at, rules) if ctx.deal.installments else None
    paid = payment = None
    if ctx.deal.severance:
        sev = ctx.deal.severance
        schedule = cat.terms.severance_schedule(i.annual_salary, as_offsets(i.offsets or None), ctx.view.rules)
        paid = sum(r.net for r in schedule.installments if r.due <= day)
        in_period = sev.in_payment_period(day)
        payment = cat.SEV_PAYMENT(day, i.annual_salary, i.offsets or None, rules) if in_period else 0.0
    if day > ctx.view.end:  # after the term as known in this view: the schedules leave the day empty
        return Headline("", "", "", "", "", "", fees, paid, payment)
    collateral = [[k, v] for k, v in i.collateral.items()] or None
    return Headline(
        document=cat.LSA_AMENDMENT(day, at, ev),
        max_limit=cat.LSA_MAX_LIMIT(day, ev, at, rules),
        advance_rate=ctx.view.value("advance_rate", day.toordinal()),
        capacity=cat.LSA_CAPACITY(day, i.receivables, *deductions, ev, at, rules, collateral),
        overadvance=cat.LSA_OVERADVANCE_LIMIT(day, i.term_loan_reserve, at, ev),
        availability=cat.LSA_AVAILABILITY(day, i.receivables, i.outstanding, *deductions, i.term_loan_reserve, ev,
                                          at, rules, collateral),
        fees_due_to_as_of=fees,
        severance_paid_to_as_of=paid,
        severance_payment_as_of=payment,
    )
