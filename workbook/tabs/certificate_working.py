"""The certificate's working tables, below its printed page (on screen, not printed): per term, which row of
its Terms step table is in force on the as-of date (the engine's binding step, found again by formulas over
the step table's defined names), and the keys that put the period's deadlines in date order.

The page (workbook/tabs/certificate.py) reads the answers through defined names, so it is laid out first and
these tables below it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from udfs.engine.schedule import binding_row
from workbook.context import Context
from workbook.tables import step_tables
from workbook.tables.step_tables import UNBOUNDED, TermBlock
from workbook.tabs.text import deadline_order
from workbook.xl import (
    NEVER_SERIAL,
    cell,
    col_name,
    column_px,
    excel_text,
    from_serial,
    row_height,
    serial,
    wrapped_lines,
)

WORK_WIDTHS = (20, 10, 11, 10, 12, 44, 18, 11, 60, 10, 14)  # the working tables' columns


@dataclass
class Why:
    """The row of a term's step table that sets its value on the as-of date, and what it says."""

    row: int  # 1-based within the block; 0: no row in force
    citation: str
    document: str
    step: str  # "version", "level step", "cap step"
    effective: int | None  # serial
    reason: str


def reason(ctx: Context, r) -> str:
    """In words, what a step-table row does when it is the one in force."""
    labels = {k: v.get("label", k) for k, v in ctx.deal.events.items()}
    if r.starts_version:
        return f"the level {r.document} set; no later step of it is in effect on the date"
    if r.on_event:  # a step dated by an event
        return f"a {'cap' if r.caps else 'level'} from the {labels.get(r.on_event, r.on_event)}'s date"
    if r.caps:
        if r.unless:
            names = " and ".join(labels.get(e, e) for e in r.unless)
            return f"a cap: {names} were not both delivered by {r.unless_by.isoformat()}"
        return f"a cap from {r.start.isoformat()} in any event"
    if r.requires:
        names = " and ".join(labels.get(e, e) for e in r.requires)
        return f"a step up: {names} delivered"
    return f"a level from {r.start.isoformat()}"


@dataclass
class _At:
    """A term's step table read by the engine for one day: what the working table's formulas give."""

    visible: list  # per block row: its document is in view
    ends: list  # per block row: its version's end (serial; Never if open)
    effective: list  # per block row: when it takes effect (serial; Never if it does not)
    values: list  # per block row: its value (dates as serials)
    at: dict  # version_row, version, level_from, level, cap (the lowest cap in effect, binding or not)


def _engine_at(ctx: Context, block: TermBlock, day: int) -> _At:
    view = ctx.view
    rows = block.rows
    versions = ctx.deal.terms[block.key]
    visible = [versions[r.version - 1].document in view.visible for r in rows]
    ends = [NEVER_SERIAL if r.to is None else serial(r.to) for r in rows]
    effective = [eff for _, eff in step_tables.row_dates(block, view.events, view.rules)]
    values = [serial(r.value) if isinstance(r.value, dt.date) else r.value for r in rows]
    piece = view.term(block.key).piece(from_serial(day).toordinal())
    if piece is None or piece.version is None:
        return _At(visible, ends, effective, values, {"version_row": 0, "version": 0, "level_from": 0,
                                                       "level": None, "cap": None})
    version = piece.version + 1
    version_row = next(r.row for r in rows if r.version == version and r.starts_version)
    caps = [values[i] for i, r in enumerate(rows) if r.version == version and r.caps and effective[i] <= day]
    return _At(visible, ends, effective, values, {
        "version_row": version_row, "version": version, "level_from": serial(piece.level_from),
        "level": piece.level, "cap": min(caps) if caps else None})


def why(ctx: Context, block: TermBlock) -> Why:
    """The row of the step table in force on the as-of date: the engine's binding step
    (udfs.engine.schedule.binding_row), which the working table's formulas find again."""
    day = ctx.inputs.as_of.toordinal()
    piece = ctx.view.term(block.key).piece(day)
    found = binding_row(piece)
    if found is None:
        return Why(0, "none", "none", "none", None, "no document counted sets it on the date")
    i = step_tables.version_spans(block)[piece.version + 1][0] + found
    r = block.rows[i]
    effective = step_tables.row_dates(block, ctx.view.events, ctx.view.rules)[i][1]
    return Why(r.row, r.citation, r.document, step_words(r.kind), effective, reason(ctx, r))


def working(ctx: Context, s, row: int, block: TermBlock, left: int) -> int:
    """The working table for one term: which row of its step table is in force on the as-of date.

    Columns: step-table row, version key, level key, level row, cap key, clause, document, step,
    reason; then single cells for the version, level, cap and the binding row. Plain MAX/MIN/MATCH
    over helper columns, no array arithmetic. The page reads its answers through defined names
    (answers()), so the page can be laid out first and this table below it. Returns the next row."""
    st = block.stem
    day = serial(ctx.inputs.as_of)
    mirror = _engine_at(ctx, block, day)
    at = mirror.at
    s.text(row, left, f"{block.label}: which step is in force on the as-of date", "section")
    row += 1
    factor = 10 ** len(str(len(block.rows)))  # a row number's room in a key: from x factor + row
    heads = ("Row", "Version in force?", "Level from", "Level row", "Cap value", "Clause", "Document", "Step",
             "What it does", "Row of the lowest cap", "Its order: from x {factor} + row")
    for j, h in enumerate(heads):
        s.text(row, left + j, h.format(factor=factor), "header")
    s.ws.set_row(row, 30)
    row += 1
    first, n = row, len(block.rows)
    L = [col_name(left + j) for j in range(len(heads))]  # noqa: N806
    last = first + max(n, 2) - 1  # two rows at least: Gnumeric refuses INDEX over a single cell
    c = {name: f"${L[j]}${first + 1}:${L[j]}${last + 1}" for j, name in enumerate(
        ("k", "vkey", "lkey", "lrow", "ckey", "cit", "doc", "step", "why", "crow", "corder"))}
    for key, col in (("Clause", 5), ("Document", 6), ("Step", 7), ("Reason", 8)):
        ctx.define(f"Why{st}_{key}", s.name, first, left + col, last, left + col)
    out_row = last + 2
    V, LFROM, _, CAP = (cell(out_row + j, left + 1, absolute=True) for j in range(4))  # the answer cells
    level_rows = []
    for i, r in enumerate(block.rows):
        x = row + 1
        k = f"${L[0]}{x}"
        s.value(row, left, r.row, "aux", "int")
        vk = r.row if (r.starts_version and mirror.visible[i] and serial(r.start) <= day <= mirror.ends[i]) else 0
        s.formula(row, left + 1, f"=IF(AND(INDEX({st}_StartsVersion,{k}),INDEX({st}_Visible,{k}),"
                  f"INDEX({st}_From,{k})<=AsOf,INDEX({st}_Ends,{k})>=AsOf),{k},0)", vk, "aux", "int")
        mine = at["version_row"] and r.version == at["version"]
        lk = mirror.effective[i] if (mine and r.sets_level and mirror.effective[i] <= day) else 0
        s.formula(row, left + 2, f"=IF(AND(INDEX({st}_Version,{k})={V},INDEX({st}_SetsLevel,{k}),"
                  f"INDEX({st}_Effective,{k})<=AsOf),INDEX({st}_Effective,{k}),0)", lk, "aux", "int")
        lr = r.row if (lk and lk == at["level_from"]) else 0
        s.formula(row, left + 3, f"=IF(AND({L[2]}{x}>0,{L[2]}{x}={LFROM}),{k},0)", lr, "aux", "int")
        ck = mirror.values[i] if (mine and r.caps and mirror.effective[i] <= day) else UNBOUNDED
        s.formula(row, left + 4, f"=IF(AND(INDEX({st}_Version,{k})={V},INDEX({st}_Caps,{k}),"
                  f"INDEX({st}_Effective,{k})<=AsOf),INDEX({st}_Value,{k}),Unbounded)", ck, "aux", "cap")
        level_rows.append(lr)
        # the row if its cap is the lowest in effect
        cr = r.row if (ck != UNBOUNDED and at["cap"] is not None and ck == at["cap"]) else 0
        s.formula(row, left + 9, f"=IF(AND({L[4]}{x}<Unbounded,{L[4]}{x}={CAP}),{k},0)", cr, "aux", "int")
        # of caps at the lowest figure the one that took effect last binds, then the last listed (the engine's
        # rule, udfs.engine.schedule.version_pieces): the largest key, from x factor + row
        s.formula(row, left + 10, f"=IF({L[9]}{x}>0,INDEX({st}_Effective,{k})*{factor}+{k},0)",
                  mirror.effective[i] * factor + r.row if cr else 0, "aux", "int")
        s.value(row, left + 5, r.citation, "data", "wrap")
        s.value(row, left + 6, r.document, "data", "wrap")
        s.value(row, left + 7, step_words(r.kind), "data", "wrap")
        s.value(row, left + 8, reason(ctx, r), "data", "wrap")
        lines = max(wrapped_lines(t, column_px(WORK_WIDTHS[5 + j]))
                    for j, t in enumerate((r.citation, r.document, step_words(r.kind), reason(ctx, r))))
        if lines > 1:
            s.ws.set_row(row, row_height(lines))
        row += 1
    return _answer_cells(ctx, s, block, out_row, left, c, factor, at, max(level_rows))


def _answer_cells(ctx: Context, s, block: TermBlock, row: int, left: int, c: dict, factor: int, at: dict,
                  level_row: int) -> int:
    """The working table's answers, one cell each below it: the version, its level, the lowest cap and the
    row in force (defined as Why<stem>_Row). Returns the next row."""
    st = block.stem
    LROW, CAP = (cell(row + j, left + 1, absolute=True) for j in (2, 3))
    w = why(ctx, block)
    cap = UNBOUNDED if at["cap"] is None else at["cap"]
    answers_ = [
        ("Version in force", f"=IF(MAX({c['vkey']})=0,0,INDEX({st}_Version,MAX({c['vkey']})))",
         at["version"] if at["version_row"] else 0, "int"),
        ("Its level set on", f"=MAX({c['lkey']})", at["level_from"], "int"),
        ("Row of that level", f"=MAX({c['lrow']})", level_row, "int"),
        ("Lowest cap in effect", f"=MIN({c['ckey']})", cap, "cap"),
        ("Row in force",
         f"=IF(AND({LROW}>0,{CAP}<INDEX({st}_Value,MAX({LROW},1))),MOD(MAX({c['corder']}),{factor}),{LROW})",
         w.row, "int"),
    ]
    first = row
    for label, formula, value, kind in answers_:
        s.text(row, left, label, "label")
        s.formula(row, left + 1, formula, value, "aux", kind)
        row += 1
    ctx.define(f"Why{st}_Row", s.name, first + 4, left + 1)
    return row + 1


def answers(block: TermBlock, w: Why) -> dict:
    """Formulas for the step in force of a term, read from its working table's defined names."""
    st = block.stem

    def pick(col: str, fallback: str) -> str:
        return f"IF(Why{st}_Row=0,{excel_text(fallback)},INDEX(Why{st}_{col},Why{st}_Row))"

    return {"why": w, "cit": pick("Clause", "none"), "doc": pick("Document", "none"), "step": pick("Step", "none"),
            "reason": pick("Reason", "no document counted sets it on the date"),
            "effective": f"IF(Why{st}_Row=0,\"\",INDEX({st}_Effective,Why{st}_Row))"}


STEP_WORDS = {"version": "the level the document set", "level step": "a step up", "cap step": "a cap"}


def step_words(kind: str) -> str:
    """A step table's kind of row in words (the Terms tab's codes are for the formulas)."""
    return STEP_WORDS.get(kind, kind)


def deadline_keys(ctx: Context, s, row: int, left: int, start: dt.date) -> int:
    """Per deadline of the Deadlines tab (its k-th row): a key, date x 1000 + k when due in the reporting
    period, else blank; and its rank among those keys, so that slot j of the page shows the row whose
    rank is j (MATCH), the period's deadlines in date order (COUNTIF and MATCH only, no array)."""
    s.text(row, left, "Deadlines due in the period: key (date x 1000 + row on the Deadlines tab), rank", "section")
    row += 1
    first = row
    items = deadline_order(ctx.deal)
    keys = [serial(d.date) * 1000 + k if start <= d.date <= ctx.inputs.as_of else ""
            for k, d in enumerate(items, start=1)]
    for k, key in enumerate(keys, start=1):
        x = row + 1
        s.formula(row, left, f'=IF(AND(INDEX(DL_Date,{k})>=Cert_PeriodFrom,INDEX(DL_Date,{k})<=AsOf),'
                  f'INDEX(DL_Date,{k})*1000+{k},"")', key, "aux", "int")
        rank = "" if key == "" else sum(1 for other in keys if other != "" and other <= key)
        s.formula(row, left + 1, f'=IF(ISNUMBER({col_name(left)}{x}),COUNTIF(Cert_DLKeys,"<="&{col_name(left)}{x}),"")',
                  rank, "aux", "int")
        row += 1
    last = max(row - 1, first + 1)  # two rows at least, as for INDEX elsewhere
    ctx.define("Cert_DLKeys", s.name, first, left, last, left)
    ctx.define("Cert_DLRank", s.name, first, left + 1, last, left + 1)
    return row + 1
