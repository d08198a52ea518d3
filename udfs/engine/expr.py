"""A rule written once as a small expression tree, rendered two ways: evaluated in Python and written
as a spreadsheet formula.

The engine declares how figures combine (the borrowing base, Borrowing Capacity, availability) as
trees of these nodes. `evaluate` answers for scalars or numpy columns alike; `formula` writes the
same tree as a formula of the portable workbook, given where each name lives (a cell, a column of
the row, a defined name) and how a reading's choice is tested. Only functions Excel 2010 and
LibreOffice 7.4 both compute are written (MIN, MAX, IF, N, ISNUMBER), never an implicit array.
No text from a deal reaches a formula: names are resolved by the caller's `refs` to cell references.
"""

from __future__ import annotations

from collections import namedtuple

from udfs.engine import lazy
from udfs.engine.lazy import is_array, np

UNBOUNDED = 1e300  # "no ceiling": the workbook's Unbounded


def _min(values):
    out = values[0]
    for v in values[1:]:
        out = lazy.minimum(out, v)
    return out


def _max(values):
    out = values[0]
    for v in values[1:]:
        out = lazy.maximum(out, v)
    return out


class Env(namedtuple("Env", "values chosen")):
    """What a tree is evaluated against: name -> value (scalar or column), and the readings chosen."""

    __slots__ = ()


class Refs(namedtuple("Refs", "cells switch")):
    """Where a tree's names live in a workbook: `cells(name)` -> a reference (e.g. "C12", "Receivables");
    `switch(interpretation, choice)` -> a condition that holds when that choice is in force, or None when
    the workbook has no switch for it (the default is then written)."""

    __slots__ = ()


# Precedence for parentheses: a sum inside a product or on the right of a minus needs them.
_ATOM, _PRODUCT, _SUM = 0, 1, 2


class Num(namedtuple("Num", "value")):
    __slots__ = ()

    def evaluate(self, env: Env):
        return self.value

    def formula(self, refs: Refs, prec: int = _SUM) -> str:
        return _number(self.value)


class Ref(namedtuple("Ref", "name missing", defaults=(None,))):
    """A named value. `missing`: the value when the name has none on a day (None: it always has one),
    e.g. 0 for a reserve not yet in force, UNBOUNDED for a sublimit not in force."""

    __slots__ = ()

    def evaluate(self, env: Env):
        value = env.values[self.name]
        if self.missing is None:
            return value
        if value is None:
            return self.missing
        if is_array(value):
            return np.where(np.isnan(value), self.missing, value)
        return value

    def formula(self, refs: Refs, prec: int = _SUM) -> str:
        cell = refs.cells(self.name)
        if self.missing is None:
            return cell
        if self.missing == 0:
            return f"N({cell})"  # an empty cell (no value that day) counts as zero
        return f"IF(ISNUMBER({cell}),{cell},{_number(self.missing)})"


class Add(namedtuple("Add", "terms")):
    __slots__ = ()

    def evaluate(self, env: Env):
        total = self.terms[0].evaluate(env)
        for t in self.terms[1:]:
            total = total + t.evaluate(env)
        return total

    def formula(self, refs: Refs, prec: int = _SUM) -> str:
        text = "+".join(t.formula(refs, _SUM) for t in self.terms)
        return f"({text})" if prec < _SUM and len(self.terms) > 1 else text


class Sub(namedtuple("Sub", "left right")):
    __slots__ = ()

    def evaluate(self, env: Env):
        return self.left.evaluate(env) - self.right.evaluate(env)

    def formula(self, refs: Refs, prec: int = _SUM) -> str:
        text = f"{self.left.formula(refs, _SUM)}-{self.right.formula(refs, _PRODUCT)}"
        return f"({text})" if prec < _SUM else text


class Mul(namedtuple("Mul", "left right")):
    __slots__ = ()

    def evaluate(self, env: Env):
        return self.left.evaluate(env) * self.right.evaluate(env)

    def formula(self, refs: Refs, prec: int = _SUM) -> str:
        return f"{self.left.formula(refs, _PRODUCT)}*{self.right.formula(refs, _ATOM)}"


class Min(namedtuple("Min", "args")):
    __slots__ = ()

    def evaluate(self, env: Env):
        return _min([a.evaluate(env) for a in self.args])

    def formula(self, refs: Refs, prec: int = _SUM) -> str:
        return "MIN(" + ",".join(a.formula(refs) for a in self.args) + ")"


class Max(namedtuple("Max", "args")):
    __slots__ = ()

    def evaluate(self, env: Env):
        return _max([a.evaluate(env) for a in self.args])

    def formula(self, refs: Refs, prec: int = _SUM) -> str:
        return "MAX(" + ",".join(a.formula(refs) for a in self.args) + ")"


class Pick(namedtuple("Pick", "interpretation branches otherwise")):
    """The branch of the reading's choice in force (`branches`: choice -> tree), else `otherwise`.
    A reading the deal does not define takes `otherwise`."""

    __slots__ = ()

    def evaluate(self, env: Env):
        branch = self.branches.get(env.chosen.get(self.interpretation))
        return (branch if branch is not None else self.otherwise).evaluate(env)

    def formula(self, refs: Refs, prec: int = _SUM) -> str:
        text = self.otherwise.formula(refs)
        for choice, branch in reversed(list(self.branches.items())):
            condition = refs.switch(self.interpretation, choice)
            if condition is not None:
                text = f"IF({condition},{branch.formula(refs)},{text})"
        return text


def _number(value) -> str:
    if value == UNBOUNDED:
        return "1E+300"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def add(*terms):
    """A sum of the terms given (a single term is itself; none is zero)."""
    terms = [t for t in terms if t is not None]
    if not terms:
        return Num(0)
    return terms[0] if len(terms) == 1 else Add(tuple(terms))


def minimum(*args):
    return Min(tuple(args))


def maximum(*args):
    return Max(tuple(args))


def names(tree) -> list[str]:
    """The names a tree refers to, in order of first use."""
    found: dict[str, None] = {}

    def walk(node):
        if isinstance(node, Ref):
            found.setdefault(node.name)
        elif isinstance(node, Pick):
            for branch in node.branches.values():
                walk(branch)
            walk(node.otherwise)
        elif isinstance(node, (Num,)):
            return
        else:
            for child in node:
                if isinstance(child, tuple) and not hasattr(child, "evaluate"):
                    for inner in child:
                        walk(inner)
                elif hasattr(child, "evaluate"):
                    walk(child)

    walk(tree)
    return list(found)
