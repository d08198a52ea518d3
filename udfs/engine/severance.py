"""The severance letter's installments, offsets and late interest."""

from __future__ import annotations

import datetime as dt
from collections import namedtuple

from udfs.deal.errors import TermsError
from udfs.deal.records import Severance, SeverancePlan
from udfs.engine.rules import Rules

EARLIEST_FIRST, LATEST_FIRST = "earliest_first", "latest_first"  # the orders an offset takes installments in

# Why compensation offsets less than its amount (the workbook's formulas use the same words).
NOT_OFFSET = {
    "before_period": "before the offset period",
    "after_period": "after the offset period",
    "nothing_left": "no installment due on or after it is left to reduce",
}


# Named tuples, as the deal's records (why: udfs/deal/records.py).
class SeveranceInstallment(namedtuple("SeveranceInstallment", "number due gross offset net grace_end")):
    __slots__ = ()


class PlanInForce(namedtuple("PlanInForce", "name parts dates words")):
    """`words`: the plan in human words (the reading's description where the plan is a reading)."""

    __slots__ = ()


class OffsetAllocation(namedtuple("OffsetAllocation", "received amount in_period taken unapplied why")):
    """One receipt of compensation (same-day amounts added) and what it took from each installment:
    `taken`, one per installment of the plan, in installment order; `why`: a NOT_OFFSET key when
    something is unapplied, else ""."""

    __slots__ = ()


class SeveranceSchedule(namedtuple("SeveranceSchedule", "plan installments unapplied_offset citation in_force "
                                                        "allocations", defaults=(None, ()))):
    """`unapplied_offset`: compensation that reduced nothing (outside the period, or nothing left)."""

    __slots__ = ()


def plan_in_force(sev: Severance, rules: Rules) -> SeverancePlan:
    """The installment plan the rules choose (the letter's plan, or the reading's choice of plans)."""
    return sev.plans[rules.pick(sev.plan)]


def plan_reading(sev: Severance) -> str | None:
    """The interpretation that chooses the plan, or None where the letter names one plan."""
    return sev.plan.get("interpretation") if isinstance(sev.plan, dict) else None


def plan_words(sev: Severance, plan: SeverancePlan, choice_words: dict[str, str]) -> str:
    """The plan as the reading describes it, or its count and dates."""
    if plan_reading(sev):
        for choice, value in sev.plan.items():
            if value == plan.name and choice in choice_words:
                return choice_words[choice]
    return f"{plan.parts} installments, {plan.dates[0].isoformat()} to {plan.dates[-1].isoformat()}"


def schedule(sev: Severance, annual_salary: float, offsets, rules: Rules,
             choice_words: dict[str, str] | None = None, order: str | None = None) -> SeveranceSchedule:
    """Installments under the plan in force, each offset taken from the installments due on or after
    its receipt in the chosen order (or `order`, to show the other reading); compensation received
    outside the letter's period offsets nothing."""
    plan = plan_in_force(sev, rules)
    parts = plan.parts
    gross = annual_salary * sev.months_of_salary / 12 / parts
    grace = dt.timedelta(days=sev.late_grace_days)
    dates = plan.dates
    offset, net = [0.0] * len(dates), [gross] * len(dates)
    order = order or rules.pick(sev.offset_order)
    unapplied = 0.0
    allocations = []
    for received, amount in offsets:
        taken = [0.0] * len(dates)
        in_period = sev.offset_from <= received <= sev.offset_through
        left = amount
        eligible = [k for k, day in enumerate(dates) if day >= received] if in_period else []
        if order == LATEST_FIRST:
            eligible.reverse()
        for k in eligible:
            take = min(left, net[k])
            offset[k] += take
            net[k] -= take
            taken[k] = take
            left -= take
            if left <= 0:
                break
        why = "" if left <= 0 else ("nothing_left" if in_period else
                                    "before_period" if received < sev.offset_from else "after_period")
        allocations.append(OffsetAllocation(received, amount, in_period, tuple(taken), max(left, 0.0), why))
        unapplied += left
    rows = [SeveranceInstallment(k + 1, day, gross, offset[k], net[k], day + grace) for k, day in enumerate(dates)]
    in_force = PlanInForce(plan.name, parts, tuple(dates), plan_words(sev, plan, choice_words or {}))
    return SeveranceSchedule(plan.name, rows, unapplied, sev.months_citation, in_force, allocations)


def late_interest(sev: Severance, due: dt.date, paid: dt.date, amount: float, rules: Rules) -> float:
    """Simple interest at the letter's rate when payment comes after the grace period."""
    grace_end = due + dt.timedelta(days=sev.late_grace_days)
    if paid <= grace_end:
        return 0.0
    start = due if rules.pick(sev.late_start) == "due_date" else grace_end
    return amount * sev.late_rate * (paid - start).days / sev.late_basis_days


def election_amount(sev: Severance, election: str, outplacement_cost: float, lease_cost: float,
                    transfer_accepted: bool) -> float:
    """Cost of the outplacement / auto-lease election (letter 2(e)).

    Outplacement is capped; if outplacement is chosen and the lessor refuses a lease transfer,
    the employee receives the greater of the two costs in cash.
    """
    outplacement = min(outplacement_cost, sev.outplacement_cap)
    if election == "lease":
        return lease_cost
    if election == "outplacement":
        return outplacement if transfer_accepted else max(outplacement, lease_cost)
    raise TermsError("election", f"{election!r} is not 'outplacement' or 'lease'")
