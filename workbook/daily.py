"""Columns that evaluate a term for the date on each row of a daily schedule.

For a term with steps: the version in force, the day its latest level took effect, that level,
the lowest cap in effect, and the value (the level, capped; bounded by an input where the
version says so). For a term without steps: the value of the version in force, in one column.
`view` replaces the In-view flags by a test against another amended-through date (the
retroactive pricing's "as known before" view).

Formulas are functions of L, the map from column key to column letter, so a tab can order its
columns as the template says and the formulas follow.
"""

from __future__ import annotations

from .context import Column, Context
from .tab_terms import UNBOUNDED
from .termtables import Mirror, TermBlock
from .xl import serial


def version_expr(block: TermBlock, d: str, view: str | None) -> str:
    """The block row of the version in force on `d`: the latest visible version covering it."""
    st = block.stem
    visible = f"{st}_Visible" if view is None else f"({st}_Signed<={view})"
    return f"SUMPRODUCT(MAX({st}_Row*{st}_StartsVersion*{visible}*({st}_From<={d})*({st}_Ends>={d})))"


def helpers_for(ctx: Context, block: TermBlock, view_serial: int | None = None) -> list[dict]:
    mirror = ctx.mirrors[block.key] if view_serial is None else Mirror(
        block, ctx.event_done, view_serial, ctx.choice_values)
    return mirror.daily([serial(d) for d in ctx.days])


def term_columns(block: TermBlock, date_key: str, helpers: list[dict], values: list | None, label: str, key: str,
                 kind: str, view: str | None = None, live: str | None = None, name: str | None = None,
                 bound: str | None = None, width: float = 13) -> list[Column]:
    """The columns for one term; `helpers` from Mirror.daily, `values` the engine's answers (or None)."""
    st = block.stem
    if values is None:
        values = [h["value"] for h in helpers]
    if not block.has_steps:
        def single(L):
            return f"=INDEX({st}_Value,{version_expr(block, L[date_key] + '{r}', view)})"

        return [Column(key, label, kind, single, values, live=live, name=name, width=width)]

    def d(L):
        return L[date_key] + "{r}"

    def ref(L, suffix):
        return L[key + suffix] + "{r}"

    cols = [
        Column(key + "_version", f"{label}: version", "int",
               lambda L: f"=INDEX({st}_Version,{version_expr(block, d(L), view)})",
               [h["version"] for h in helpers], width=8, role="aux"),
        Column(key + "_level_from", f"{label}: level set on", "date",
               lambda L: (f"=SUMPRODUCT(MAX(({st}_Version={ref(L, '_version')})*{st}_SetsLevel"
                          f"*({st}_Effective<={d(L)})*{st}_Effective))"),
               [h["level_from"] for h in helpers], width=11, role="aux"),
        Column(key + "_level", f"{label}: level", kind,
               lambda L: (f"=INDEX({st}_Value,SUMPRODUCT(MAX({st}_Row*({st}_Version={ref(L, '_version')})"
                          f"*{st}_SetsLevel*({st}_Effective={ref(L, '_level_from')}))))"),
               [h["level"] for h in helpers], width=width, role="aux"),
    ]
    if block.has_caps:
        cols.append(Column(
            key + "_cap", f"{label}: cap in effect", "cap",
            lambda L: (f"=SUMPRODUCT(MIN({st}_Value+(({st}_Version<>{ref(L, '_version')})+NOT({st}_Caps)"
                       f"+({st}_Effective>{d(L)}))*Unbounded))"),
            [UNBOUNDED if h["cap"] is None else h["cap"] for h in helpers], width=width, role="aux"))

    def value(L):
        v = f"MIN({ref(L, '_level')},{ref(L, '_cap')})" if block.has_caps else ref(L, "_level")
        if bound and block.has_bounds:
            v = (f"IF(AND(ISNUMBER({bound}),INDEX({st}_Bounded,MATCH({ref(L, '_version')},{st}_Version,0))),"
                 f"MIN({v},{bound}),{v})")
        return "=" + v

    cols.append(Column(key, label, kind, value, values, live=live, name=name, width=width))
    return cols
