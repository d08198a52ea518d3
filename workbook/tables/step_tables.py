"""The Terms tab's step tables, as rows of data, and the formulas that read them for a date.

A term is laid out as one block of rows: each version (one per document) and then its steps.
Flag columns say what a row does (starts a version, sets the level, caps it). Per row, formulas
work out when it takes effect from the deliveries and the switches, and until when it can be the
level (or the lowest cap) of its version; a small timeline gives the version in force from each
day a version starts or ends. Per day (workbook/tables/daily.py), a MATCH into the timeline picks the
version, and a SUMPRODUCT picks the one row whose stretch holds the day: exactly as the engine
compiles a term (udfs/engine/schedule.py), with no formula relying on implicit array evaluation.

The helper cells store the engine's values (udfs/engine/schedule.py: effective dates, and the
compiled pieces' version, level, level date and cap); the tests recalculate the workbook in
LibreOffice and Gnumeric and compare the two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from udfs.engine import schedule
from udfs.engine.schedule import effective_date
from udfs.loading import Deal, Step
from workbook.xl import NEVER_SERIAL, from_serial, serial

ON_DELIVERY = "effective_on_delivery"
SHOWN_AS = {"amount": "amount", "fraction": "rate", "date": "date"}  # the engine's term kind -> a block's
UNBOUNDED = 1e300  # "no cap", and "never" for the until-columns

@dataclass
class ChoiceMap:
    """A value that depends on an interpretation switch: {interpretation = x, choice = value, ...}."""

    key: str  # defined-name stem, e.g. "DayCountBasis"
    label: str
    interpretation: str
    values: dict  # choice -> value
    citation: str = ""
    kind: str = "text"  # how the Terms tab shows the values: its field's declared kind (context._choice_kind)


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
    step: Step | None = None  # the engine's step (None: the version's own row)
    on_event: str | None = None  # a step dated by an event: its name (`start` is then None)
    version_start: dt.date | None = None  # the first day of the row's version (an event before it: from then)


@dataclass
class TermBlock:
    key: str  # term name in the deal
    stem: str  # defined-name stem
    label: str
    rows: list = field(default_factory=list)
    value_kind: str = "amount"  # amount | rate | date: the engine's kind of the term (SHOWN_AS)
    versions: tuple = ()  # the engine's versions of the term (deal.terms[key]), one per version number

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
        block = TermBlock(name, stem_of(name), labels.get(name, name.replace("_", " ").capitalize()),
                          value_kind=SHOWN_AS[deal.term_kinds[name]], versions=tuple(versions))
        n = 0
        for seq, version in enumerate(versions, start=1):
            doc = deal.document(version.document)
            n += 1
            block.rows.append(BlockRow(
                n, seq, doc.title, doc.date, "version", True, True, False, version.start, version.end,
                version.value, version.bounded_by == "term_loan_reserve", (), "", (), None, version.citation,
                version_start=version.start))
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
                    late, tuple(step.unless), step.unless_by, step.citation, step, step.on_event, version.start))
        blocks.append(block)
    return blocks


# ------------------------------------------------------------------------------------------------
# The stored values of the helper cells, from the engine (serial numbers throughout, like the sheet)
# ------------------------------------------------------------------------------------------------

def row_dates(block: TermBlock, events: dict, rules) -> list[tuple[int, int]]:
    """Per block row: (the date its conditions give, the date it takes effect), as the engine reads them."""
    out = []
    for r in block.rows:
        if r.step is None:
            e0 = serial(r.start)
        else:
            when = effective_date(r.step, events, rules)
            if when is not None and r.on_event is not None:  # an event before the version: from its start
                when = max(when, r.version_start)
            e0 = NEVER_SERIAL if when is None else serial(when)
        ends = NEVER_SERIAL if r.to is None else serial(r.to)
        out.append((e0, NEVER_SERIAL if e0 > ends else e0))
    return out


def version_spans(block: TermBlock) -> dict:
    """Version number -> (its first block row, its last): a version's row and its steps are contiguous."""
    spans: dict = {}
    for j, r in enumerate(block.rows):
        spans[r.version] = (spans.get(r.version, (j, j))[0], j)
    return spans


def _per_row(block: TermBlock, stretch, applies, effective: list[int], *more) -> list[int | None]:
    """An engine's per-version stretch (udfs.engine.schedule) laid out per block row: None for a row it does
    not apply to, Never for a stretch that never ends."""
    out: list[int | None] = []
    for version, (first, last) in sorted(version_spans(block).items()):
        days = stretch(block.versions[version - 1], effective[first:last + 1], *more)
        out += [(NEVER_SERIAL if day is None else day) if applies(r) else None
                for day, r in zip(days, block.rows[first:last + 1], strict=True)]
    return out


def stretches(block: TermBlock, effective: list[int], events: dict) -> tuple[list, list]:
    """Per block row, until when it can bind (serials; None where it does not apply), from the engine
    (udfs.engine.schedule): a level row until the next level of its version takes over, a cap row until a
    lower cap of its version is in effect (`effective`: per block row, the serial it takes effect)."""
    return (_per_row(block, schedule.level_until, lambda r: r.sets_level, effective),
            _per_row(block, schedule.cap_until, lambda r: r.caps, effective, events))


def cap_places(block: TermBlock, events: dict | None = None) -> dict[int, int]:
    """Cap block row -> its place among its version's caps (udfs.engine.schedule.cap_places): the Terms tab
    writes the place so its formulas need not compare every cap with every other."""
    out = {}
    for version, (first, _) in version_spans(block).items():
        for k, place in enumerate(schedule.cap_places(block.versions[version - 1], events)):
            if place is not None:
                out[first + k] = place
    return out


def cap_value(r: BlockRow, events: dict | None):
    """A cap row's ceiling as the Terms tab stores it (udfs.engine.schedule.cap_ceiling): an amount or a rate
    as it is, a date as a serial, a cap valued by an event never given as Never."""
    ceiling = schedule.cap_ceiling(r.step, events)
    if ceiling == float("inf"):
        return NEVER_SERIAL
    if r.value is None or isinstance(r.value, dt.date):
        return serial(dt.date.fromordinal(ceiling))
    return ceiling


def breakpoints(block: TermBlock) -> list[int]:
    """The days the version in force can change (any view): each version's start and the day after its end.

    A leading 0 stands for "before every version"."""
    points = {0}
    for r in block.rows:
        if r.starts_version:
            points.add(serial(r.start))
            if r.to is not None:
                points.add(serial(r.to) + 1)
    return sorted(points)


def version_at(fn, day: int) -> int:
    """The block's version number (1-based) in force on a serial day in a compiled term, 0 if none."""
    if day <= 0:
        return 0
    piece = fn.piece(from_serial(day).toordinal())
    return 0 if piece is None or piece.version is None else piece.version + 1
