"""The severance letter's installments, offsets and late interest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import NA, TermsError
from .rules import Rules


@dataclass
class SeveranceInstallment:
    number: int
    due: dt.date
    gross: float
    offset: float
    net: float
    grace_end: dt.date


@dataclass
class SeveranceSchedule:
    plan: str
    installments: list[SeveranceInstallment]
    unapplied_offset: float  # compensation received after the last installment it could reduce
    citation: str


def check_offsets(sev: dict, offsets, argument: str = "offsets"):
    lo, hi = sev["offset_from"], sev["offset_through"]
    for day, _ in offsets:
        if day < lo or day > hi:
            raise TermsError(
                argument, f"compensation received {day.isoformat()} is outside the offset period "
                f"{lo.isoformat()} to {hi.isoformat()} ({sev['offset_citation']})", NA)


def schedule(sev: dict, annual_salary: float, offsets, rules: Rules) -> SeveranceSchedule:
    plan_name = rules.pick(sev["plan"])
    plan = sev["plans"][plan_name]
    parts = int(plan["parts"])
    gross = annual_salary * sev["months_of_salary"] / 12 / parts
    grace = dt.timedelta(days=int(sev["late_grace_days"]))
    rows = [SeveranceInstallment(n + 1, day, gross, 0.0, gross, day + grace) for n, day in enumerate(plan["dates"])]
    order = rules.pick(sev["offset_order"])
    unapplied = 0.0
    for received, amount in offsets:
        eligible = [r for r in rows if r.due >= received]
        if order == "latest_first":
            eligible.reverse()
        for row in eligible:
            take = min(amount, row.net)
            row.offset += take
            row.net -= take
            amount -= take
            if amount <= 0:
                break
        unapplied += amount
    return SeveranceSchedule(plan_name, rows, unapplied, sev["months_citation"])


def late_interest(sev: dict, due: dt.date, paid: dt.date, amount: float, rules: Rules) -> float:
    """Simple interest at the letter's rate when payment comes after the grace period."""
    grace_end = due + dt.timedelta(days=int(sev["late_grace_days"]))
    if paid <= grace_end:
        return 0.0
    start = due if rules.pick(sev["late_start"]) == "due_date" else grace_end
    return amount * sev["late_rate"] * (paid - start).days / sev["late_basis_days"]


def election_amount(sev: dict, election: str, outplacement_cost: float, lease_cost: float,
                    transfer_accepted: bool) -> float:
    """Cost of the outplacement / auto-lease election (letter 2(e)).

    Outplacement is capped; if outplacement is chosen and the lessor refuses a lease transfer,
    the employee receives the greater of the two costs in cash.
    """
    outplacement = min(outplacement_cost, sev["outplacement_cap"])
    if election == "lease":
        return lease_cost
    if election == "outplacement":
        return outplacement if transfer_accepted else max(outplacement, lease_cost)
    raise TermsError("election", f"{election!r} is not 'outplacement' or 'lease'")
