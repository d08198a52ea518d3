"""Columns that evaluate a term for the date on each row of a daily schedule.

For a term with steps: the version in force, the day its level took effect, that level, the
lowest cap in effect when it binds, and the value (the level, capped; bounded by an input where
the version says so). For a term without steps: the value of the version in force, in one column.

Every formula is plain: the version in force is a MATCH over the Terms tab's sorted timeline of
that term; the level and the cap are SUMPRODUCTs whose own arguments pick the one block row whose
stretch [takes effect, holds until) holds the day. Nothing relies on implicit array evaluation, so
LibreOffice, Gnumeric and Excel agree. The stored values are the engine's compiled pieces
(udfs/engine/schedule.py): version, level, level_from and cap.

Formulas are functions of L, the map from column key to column letter, so a tab can order its
columns as the template says and the formulas follow. `view` is a suffix of the Terms tab's names:
"" the workbook's view, "_b<k>" as known before the k-th retroactive document.
"""

from __future__ import annotations

from workbook.context import Column, Context
from workbook.tables.step_tables import UNBOUNDED, TermBlock
from workbook.xl import serial


def version_expr(block: TermBlock, d: str, view: str = "") -> str:
    """The block's version number in force on `d` (0: none), from the Terms tab's timeline."""
    st = block.stem
    return f"INDEX({st}_TLVer{view},MATCH({d},{st}_TLFrom,1))"


def pieces(ctx: Context, block: TermBlock, view: str = "") -> list:
    """The engine's piece (or None) in force on every schedule day, for the view."""
    fn = ctx.view_for(view).term(block.key)
    return [fn.piece(d.toordinal()) for d in ctx.days]


def term_columns(ctx: Context, block: TermBlock, values: list | None, label: str, key: str, kind: str,
                 view: str = "", live=None, name: str | None = None, bound: str | None = None,
                 width: float = 13) -> list[Column]:
    """The columns for one term; `values` the engine's answers for the value column (None: the pieces')."""
    st = block.stem
    found = pieces(ctx, block, view)
    has = [p is not None and p.version is not None for p in found]
    until = ("TermEnd" if not view else f"Retro{view[2:]}_TermEnd", ctx.view_for(view).end)
    if values is None:
        values = [p.value if ok else "" for p, ok in zip(found, has, strict=True)]

    def d(L):
        return L["date"] + "{r}"

    if not block.has_steps:
        def single(L):
            v = version_expr(block, d(L), view)
            return f'=IF({v}=0,"",INDEX({st}_Value,MATCH({v},{st}_Version,0)))'

        return [Column(key, label, kind, single, values, live=live, name=name, width=width, until=until)]

    def ref(L, suffix):
        return L[key + suffix] + "{r}"

    def held(L, flag, until_name):
        """The SUMPRODUCT terms that pick the one row of the version whose stretch holds the day."""
        return (f"({st}_Version={ref(L, '_version')})*{st}_{flag}*({st}_Effective<={d(L)})"
                f"*({d(L)}<{st}_{until_name})")

    def level_part(field):
        return lambda L: (f'=IF({ref(L, "_version")}=0,"",'
                          f'SUMPRODUCT({held(L, "SetsLevel", "LevelUntil")}*{st}_{field}))')

    cols = [
        Column(key + "_version", f"{label}: version", "int",
               lambda L: f"={version_expr(block, d(L), view)}",
               [p.version + 1 if ok else 0 for p, ok in zip(found, has, strict=True)], width=11, role="aux"),
        Column(key + "_level_from", f"{label}: level set on", "date", level_part("Effective"),
               [serial(p.level_from) if ok else "" for p, ok in zip(found, has, strict=True)], width=11,
               role="aux"),
        Column(key + "_level", f"{label}: level", kind, level_part("Value"),
               [p.level if ok else "" for p, ok in zip(found, has, strict=True)], width=width, role="aux"),
    ]
    if block.has_caps:
        def cap(L):
            row = f"SUMPRODUCT({held(L, 'Caps', 'CapUntil')}*{st}_Row)"
            lowest = f"INDEX({st}_Value,{row})"
            return (f'=IF({ref(L, "_version")}=0,"",IF({row}=0,Unbounded,'
                    f'IF({lowest}<{ref(L, "_level")},{lowest},Unbounded)))')

        cols.append(Column(key + "_cap", f"{label}: cap in effect", "cap", cap,
                           [("" if not ok else UNBOUNDED if p.cap is None else p.cap)
                            for p, ok in zip(found, has, strict=True)], width=width, role="aux"))

    def value(L):
        v = f"MIN({ref(L, '_level')},{ref(L, '_cap')})" if block.has_caps else ref(L, "_level")
        if bound and block.has_bounds:
            v = (f"IF(AND(ISNUMBER({bound}),INDEX({st}_Bounded,MATCH({ref(L, '_version')},{st}_Version,0))),"
                 f"MIN({v},{bound}),{v})")
        return "=" + v

    cols.append(Column(key, label, kind, value, values, live=live, name=name, width=width, until=until))
    return cols


def lender_first(cols: list[Column]) -> list[Column]:
    """The columns a lender reads, in their order, then the working (role "aux": day numbers, versions,
    levels, caps, after-the-term flags) at the far right, where `fold_working` hides them."""
    return [c for c in cols if c.role != "aux"] + [c for c in cols if c.role == "aux"]


def fold_working(sheet, note_row: int, cols: list[Column], last_row: int, left: int = 0,
                 empty: str = "An empty cell: the day is after the term's end."):
    """Keep the working columns computing but off the page: one collapsed outline group at the far
    right (its + button shows them), and a print area that ends at the last column a lender reads.
    A note at `note_row` says so, and what an empty cell means."""
    ws = sheet.ws
    shown = sum(1 for c in cols if c.role != "aux")
    working = len(cols) - shown
    ws.print_area(0, left, last_row, left + shown - 1)
    if not working:
        return
    first = left + shown
    for j, col in enumerate(cols[shown:]):
        ws.set_column(first + j, first + j, col.width, None, {"level": 1, "hidden": True})
    ws.set_column(first + working, first + working, None, None, {"collapsed": True})
    ws.outline_settings(True, False, True, False)
    sheet.text(note_row, left, f"{empty} The working columns (versions, levels, caps) are hidden at the far right.",
               "subtitle")
