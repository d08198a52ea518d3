"""The borrowing base, declared once: collateral components, reserves and how they combine with the
Maximum Limit, the deductions and the Overadvance limit into Borrowing Capacity and availability.

A deal declares its components (`[borrowing_base]`: each the figure the borrower reports, an advance
rate term and an optional sublimit term) and its reserves (effective-dated amounts). From that one
declaration `definitions` builds expression trees (udfs.engine.expr) that the engine evaluates
(udfs.engine.terms.View) and the workbook writes as formulas (workbook/tabs/capacity.py). A deal
without `[borrowing_base]` has the one component of Schedule Item 1: receivables at `advance_rate`.

Names in the trees: "term:NAME" (a term's value that day), "in:NAME" (an input: a component's
figure by its id, acceptances, guaranties, letters_of_credit, outstanding), "def:NAME" (an earlier
definition), "overadvance" (the Overadvance limit that day, after any bound by the Term Loan Reserve).
"""

from __future__ import annotations

from collections import namedtuple

from udfs.deal.records import BORROWING_BASE_DEFAULT as DEFAULT  # noqa: F401  (the one-component default)
from udfs.deal.records import DEDUCTION_INPUTS, FIRST_COMPONENT, BorrowingBase, Component  # noqa: F401
from udfs.engine.expr import UNBOUNDED, Env, Max, Mul, Num, Pick, Ref, Sub, add, minimum


class Definition(namedtuple("Definition", "key label tree")):
    """One figure of the borrowing base: `key` (the name later definitions use as "def:KEY"), a label,
    and its tree."""

    __slots__ = ()


def component_key(component: Component) -> str:
    return f"component_{component.id}"


def definitions(base: BorrowingBase) -> tuple[Definition, ...]:
    """The borrowing base's figures, in order; each refers only to inputs, terms and earlier figures.

    Schedule Item 1 (No. 10 B.1): Borrowing Capacity is the lesser of the Maximum Limit and the advance
    rate times the borrowing base, less the deductions (and any reserve). Availability: the readings
    capacity_floor, availability_overadvance and deductions_and_max_limit (README, Interpretations).
    """
    out = []
    for c in base.components:
        lent = Mul(Ref(f"term:{c.rate_term}", 0), Ref(f"in:{c.id}"))
        if c.sublimit_term:
            lent = minimum(lent, Ref(f"term:{c.sublimit_term}", UNBOUNDED))
        out.append(Definition(component_key(c), c.label, lent))
    lent_total = add(*[Ref(f"def:{component_key(c)}") for c in base.components])
    if len(base.components) > 1:
        out.append(Definition("base", "Borrowing base after advance rates", lent_total))
        lent_total = Ref("def:base")
    out.append(Definition("deductions", "Acceptances, guaranties, letters of credit",
                          add(*[Ref(f"in:{name}") for name in DEDUCTION_INPUTS])))
    less = Ref("def:deductions")
    if base.reserves:
        out.append(Definition("reserves", "Reserves", add(*[Ref(f"term:{r.term}", 0) for r in base.reserves])))
        less = add(less, Ref("def:reserves"))
    limit = Ref("term:max_limit")
    capacity = _floored(Sub(minimum(limit, lent_total), less))
    out.append(Definition("capacity", "Borrowing Capacity", capacity))
    ceiling = _floored(Sub(minimum(limit, add(lent_total, Ref("overadvance"))), less))
    outstanding = Ref("in:outstanding")
    availability = Pick("availability_overadvance", {"exclude_overadvance": Sub(Ref("def:capacity"), outstanding)},
                        Pick("deductions_and_max_limit", {
                            "max_limit_caps_advances_only":
                                Sub(minimum(limit, add(Ref("def:capacity"), Ref("overadvance"))), outstanding)},
                             Sub(ceiling, outstanding)))
    out.append(Definition("availability", "Availability", availability))
    return tuple(out)


def _floored(tree):
    """capacity_floor: floor_zero shows a negative amount as zero."""
    return Pick("capacity_floor", {"floor_zero": Max((tree, Num(0.0)))}, tree)


def evaluate(base: BorrowingBase, figures: tuple, terms: dict, collateral, deductions, chosen: dict,
             outstanding=None, overadvance=None, stop: str = "availability") -> dict:
    """The figures through `stop`, for one day or numpy columns alike: `terms` the terms' values ("term:NAME"),
    `collateral` the first component's figure or {component id: figure} (others count zero), `deductions`
    acceptances, guaranties and letters of credit together; with `stop` = "availability" also the Advances
    outstanding and the Overadvance limit. Returns every value by name, the figures as "def:KEY"."""
    values = dict(terms)
    given = collateral if isinstance(collateral, dict) else {base.components[0].id: collateral}
    for c in base.components:
        values[f"in:{c.id}"] = given.get(c.id, 0.0)
    values.update({f"in:{name}": 0.0 for name in DEDUCTION_INPUTS})
    values["in:acceptances"] = deductions  # the three come in as one sum: the figure adds them anyway
    if stop == "availability":
        values["overadvance"], values["in:outstanding"] = overadvance, outstanding
    env = Env(values, chosen)
    for d in figures:
        values["def:" + d.key] = d.tree.evaluate(env)
        if d.key == stop:
            break
    return values
