"""The Terms tab's step tables, as rows of data, and the formulas that read them for a date.

A term is laid out as one block of rows: each version (one per document) and then its steps.
Flag columns say what a row does (starts a version, sets the level, caps it). Per row, formulas
work out when it takes effect from the deliveries and the switches; per day, formulas pick the
version in force (the latest visible document covering the day), its latest level, and the
lowest cap in effect, exactly as the engine compiles a term (udfs/engine/schedule.py).

This module also mirrors those formulas in Python, for the helper cells the engine has no
question for (version, level set on, cap in effect); the tests recalculate the workbook and
compare the two.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field

from udfs.engine.deal import Deal

from .xl import NEVER_SERIAL, serial

ON_DELIVERY = "effective_on_delivery"



@dataclass
class ChoiceMap:
    """A value that depends on an interpretation switch: {interpretation = x, choice = value, ...}."""

    key: str  # defined-name stem, e.g. "DayCountBasis"
    label: str
    interpretation: str
    values: dict  # choice -> value
    citation: str = ""


@dataclass
class BlockRow:
    row: int  # 1-based within the block
    version: int
    document: str
    signed: dt.date
    kind: str
    starts_version: bool
    sets_level: bool
    caps: bool
    start: dt.date
    to: dt.date | None
    value: object
    bounded: bool
    requires: tuple
    late: object  # text, or a ChoiceMap
    unless: tuple
    unless_by: dt.date | None
    citation: str


@dataclass
class TermBlock:
    key: str  # term name in the deal
    stem: str  # defined-name stem
    label: str
    rows: list = field(default_factory=list)
    value_kind: str = "amount"  # amount | rate | date

    @property
    def has_steps(self) -> bool:
        return any(not r.starts_version for r in self.rows)

    @property
    def has_caps(self) -> bool:
        return any(r.caps for r in self.rows)

    @property
    def has_bounds(self) -> bool:
        return any(r.bounded for r in self.rows)


def stem_of(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


def build_blocks(deal: Deal, labels: dict, choice_maps: dict) -> list[TermBlock]:
    """One block per term of the deal, versions in document order, each followed by its steps."""
    blocks = []
    for name, versions in deal.terms.items():
        block = TermBlock(name, stem_of(name), labels.get(name, name.replace("_", " ").capitalize()))
        if any(isinstance(v.value, dt.date) for v in versions):
            block.value_kind = "date"
        elif all(isinstance(v.value, float) and v.value < 1 for v in versions) and not any(
                v.steps for v in versions):
            block.value_kind = "rate"
        n = 0
        for seq, version in enumerate(versions, start=1):
            doc = deal.document(version.document)
            n += 1
            block.rows.append(BlockRow(
                n, seq, doc.title, doc.date, "version", True, True, False, version.start, version.end,
                version.value, version.bounded_by == "term_loan_reserve", (), "", (), None, version.citation))
            for j, step in enumerate(version.steps, start=1):
                n += 1
                late = step.late_delivery
                if isinstance(late, dict):
                    key = f"{block.stem}Step{seq}_{j}Late"
                    late = choice_maps.setdefault(key, ChoiceMap(
                        key, f"{block.label}: {doc.short} step from {step.date.isoformat()}, if delivered late",
                        late["interpretation"], {k: v for k, v in late.items() if k != "interpretation"},
                        step.citation))
                block.rows.append(BlockRow(
                    n, seq, doc.title, doc.date, f"{step.kind} step", False, step.kind == "level",
                    step.kind == "cap", step.date, version.end, step.value, False, tuple(step.requires),
                    late, tuple(step.unless), step.unless_by, step.citation))
        blocks.append(block)
    return blocks


# ------------------------------------------------------------------------------------------------
# Python mirror (serial numbers throughout, like the sheet)
# ------------------------------------------------------------------------------------------------

def _value_number(value):
    return serial(value) if isinstance(value, dt.date) else value


class Mirror:
    """The block's formula columns and its per-day columns, computed as the sheet computes them."""

    def __init__(self, block: TermBlock, event_done: dict, view_serial: int, late_values: dict):
        self.block = block
        rows = block.rows
        self.visible = [serial(r.signed) <= view_serial for r in rows]
        self.ends = [NEVER_SERIAL if r.to is None else serial(r.to) for r in rows]
        self.delivered = [max([event_done.get(e, NEVER_SERIAL) for e in r.requires] or [0]) for r in rows]
        self.unless_done = [max([event_done.get(e, NEVER_SERIAL) for e in r.unless] or [0]) for r in rows]
        self.late = [late_values.get(r.late.key) if isinstance(r.late, ChoiceMap) else r.late for r in rows]
        eff = []
        for i, r in enumerate(rows):
            start = serial(r.start)
            if r.caps:
                excused = bool(r.unless) and self.unless_done[i] <= serial(r.unless_by)
                e0 = NEVER_SERIAL if excused else start
            elif self.delivered[i] <= start:
                e0 = start
            else:
                e0 = self.delivered[i] if self.late[i] == ON_DELIVERY else NEVER_SERIAL
            eff.append(NEVER_SERIAL if e0 > self.ends[i] else e0)
        self.effective = eff
        self.values = [_value_number(r.value) for r in rows]

    def version_row(self, day: int) -> int:
        best = 0
        for i, r in enumerate(self.block.rows):
            if r.starts_version and self.visible[i] and serial(r.start) <= day <= self.ends[i]:
                best = max(best, r.row)
        return best

    def at(self, day: int) -> dict:
        """The helper columns for one day (a serial)."""
        rows = self.block.rows
        vrow = self.version_row(day)
        version = rows[vrow - 1].version if vrow else 0
        mine = [i for i, r in enumerate(rows) if r.version == version]
        level_from = max([self.effective[i] for i in mine if rows[i].sets_level and self.effective[i] <= day] or [0])
        pick = max([rows[i].row for i in mine if rows[i].sets_level and self.effective[i] == level_from] or [0])
        level = self.values[pick - 1] if pick else None
        caps = [self.values[i] for i in mine if rows[i].caps and self.effective[i] <= day]
        cap = min(caps) if caps else None
        value = level if cap is None or level is None else min(level, cap)
        bounded = rows[vrow - 1].bounded if vrow else False
        return {"version_row": vrow, "version": version, "level_from": level_from, "level": level, "cap": cap,
                "value": value, "bounded": bounded}

    def breakpoints(self) -> list[int]:
        points = set()
        for i, r in enumerate(self.block.rows):
            points.add(serial(r.start))
            points.add(self.ends[i] + 1)
            points.add(self.effective[i])
        return sorted(points)

    def daily(self, days: list[int]) -> list[dict]:
        """`at` for each day, computed once per stretch between breakpoints."""
        points = self.breakpoints()
        cache: dict = {}
        out = []
        for day in days:
            k = bisect_right(points, day)
            hit = cache.get(k)
            if hit is None:
                hit = cache[k] = self.at(day)
            out.append(hit)
        return out
