"""A facility's all-in interest rate, declared once as a small expression tree.

    rate = min(max(index, floor), cap) + margin + add-ons

The deal's `pricing` table names the terms: each facility's margin (`margin_terms`), an optional floor and
cap on the index (`index_floor_term`, `index_cap_term`) and optional margin add-ons per facility
(`add_on_terms`, e.g. a Default Rate). The index is the prime rate. `rate_tree` builds one facility's tree
from that table; the engine evaluates the tree (`evaluate` for one day, `evaluate_many` for numpy columns)
and the workbook renders the same tree as a spreadsheet formula (`render`), so the two cannot disagree on
how the parts combine.

A floor, a cap or an add-on term may have no value on a day (no document in view defines it yet): then it
does not apply (no floor, no cap, nothing added). The index and the margin must have a value.
"""

from __future__ import annotations

from collections import namedtuple

from udfs.deal.records import part_terms  # noqa: F401  (the pricing's terms and roles: declared with the records)

INDEX = "index"  # the leaf that stands for the index rate (prime); every other leaf is a term of the deal


class Part(namedtuple("Part", "role term")):
    """A leaf: `role` is index, floor, cap, margin or add_on; `term` the deal's term name (None: the index)."""

    __slots__ = ()

    @property
    def optional(self) -> bool:
        return self.role in ("floor", "cap", "add_on")


class Node(namedtuple("Node", "op args")):
    """`op`: "floor" (args: value, bound: the greater), "cap" (the lesser), "sum"."""

    __slots__ = ()


def rate_tree(pricing: dict, facility: str) -> Node:
    """The facility's rate: the index after its floor and cap, plus the margin, plus each add-on."""
    index = Part(INDEX, None)
    if pricing.get("index_floor_term"):
        index = Node("floor", (index, Part("floor", pricing["index_floor_term"])))
    if pricing.get("index_cap_term"):
        index = Node("cap", (index, Part("cap", pricing["index_cap_term"])))
    add_ons = [Part("add_on", t) for t in pricing.get("add_on_terms", {}).get(facility, ())]
    return Node("sum", (index, Part("margin", pricing["margin_terms"][facility]), *add_ons))


def parts(node) -> list[Part]:
    """The leaves, in the order they are written."""
    if isinstance(node, Part):
        return [node]
    return [leaf for arg in node.args for leaf in parts(arg)]


def restrict(node, present):
    """The tree without the optional leaves for which `present(part)` is false (a term no document in a view
    defines): a floor or cap without its bound is its value, an add-on left out adds nothing."""
    if isinstance(node, Part):
        return node
    args = [restrict(arg, present) for arg in node.args]
    if node.op == "sum":
        return Node("sum", tuple(a for a in args if not (isinstance(a, Part) and a.optional and not present(a))))
    value, bound = args
    return Node(node.op, (value, bound)) if present(bound) else value


def evaluate(node, value):
    """The rate on one day; `value(part)` gives a leaf's value or None. None if the index or margin is None."""
    if isinstance(node, Part):
        return value(node)
    first, *rest = [evaluate(arg, value) for arg in node.args]
    if node.op == "sum":
        if first is None:
            return None
        total = first
        for arg, v in zip(node.args[1:], rest, strict=True):
            if v is None and not (isinstance(arg, Part) and arg.optional):
                return None
            total += 0.0 if v is None else v
        return total
    bound = rest[0]
    if first is None or bound is None:
        return first
    return max(first, bound) if node.op == "floor" else min(first, bound)


def evaluate_many(node, value, np):
    """The same for numpy columns; `value(part)` gives a float array, NaN where the leaf has no value."""
    if isinstance(node, Part):
        return value(node)
    args = [evaluate_many(arg, value, np) for arg in node.args]
    if node.op == "sum":
        total = args[0]
        for arg, v in zip(node.args[1:], args[1:], strict=True):
            total = total + (np.nan_to_num(v, nan=0.0) if isinstance(arg, Part) and arg.optional else v)
        return total
    # fmax/fmin ignore a NaN bound (no floor or cap that day) but keep a NaN index
    bounded = np.fmax(args[0], args[1]) if node.op == "floor" else np.fmin(args[0], args[1])
    return np.where(np.isnan(args[0]), np.nan, bounded)


def render(node, ref) -> str:
    """The tree as a spreadsheet formula (no leading '='); `ref(part)` gives a leaf's cell reference.
    Only IF, ISNUMBER, MAX and MIN: Excel 2010, LibreOffice and Gnumeric compute them alike."""
    if isinstance(node, Part):
        return ref(node)
    args = [render(arg, ref) for arg in node.args]
    if node.op == "sum":
        terms = [args[0]] + [f"IF(ISNUMBER({a}),{a},0)" if isinstance(arg, Part) and arg.optional else a
                             for arg, a in zip(node.args[1:], args[1:], strict=True)]
        return "(" + "+".join(terms) + ")"
    fn = "MAX" if node.op == "floor" else "MIN"
    value, bound = args
    return f"IF(ISNUMBER({bound}),{fn}({value},{bound}),{value})"


def describe(node, value) -> str:
    """The tree in words with the day's values, for explanations: 'max(index 0.0425, floor 0.0475) + ...'."""
    if isinstance(node, Part):
        v = value(node)
        shown = "none" if v is None else f"{v:g}"
        return f"{node.term or 'prime'} {shown}"
    args = [describe(arg, value) for arg in node.args]
    if node.op == "sum":
        return " + ".join(args)
    return f"{'max' if node.op == 'floor' else 'min'}({args[0]}, {args[1]})"
