"""The Terms tab's step tables, as rows of data, and the formulas that read them for a date.

A term is laid out as one block of rows: each version (one per document) and then its steps.
Flag columns say what a row does (starts a version, sets the level, caps it). Per row, formulas
work out when it takes effect from the deliveries and the switches, and until when it can be the
level (or the lowest cap) of its version; a small timeline gives the version in force from each
day a version starts or ends. Per day (workbook/daily.py), a MATCH into the timeline picks the
version, and a SUMPRODUCT picks the one row whose stretch holds the day: exactly as the engine
compiles a term (udfs/engine/schedule.py), with no formula relying on implicit array evaluation.

The helper cells store the engine's values (udfs/engine/schedule.py: effective dates, and the
compiled pieces' version, level, level date and cap); the tests recalculate the workbook in
LibreOffice and Gnumeric and compare the two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from udfs.engine.deal import Deal, Step
from udfs.engine.schedule import effective_date

from .xl import NEVER_SERIAL, from_serial, serial

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
                          value_kind=SHOWN_AS[deal.term_kinds[name]])
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


def level_until(block: TermBlock, effective: list[int]) -> list[int | None]:
    """Per level row: the day the next level of its version takes over (rows ordered by date, then row):
    the next row in that order, so a version of n steps costs n log n, not n squared."""
    out: list[int | None] = [None] * len(block.rows)
    by_version: dict = {}
    for j, r in enumerate(block.rows):
        if r.sets_level:
            by_version.setdefault(r.version, []).append(j)
    for rows in by_version.values():
        ordered = sorted(rows, key=lambda j: (effective[j], j))
        for k, j in enumerate(ordered):
            out[j] = effective[ordered[k + 1]] if k + 1 < len(ordered) else NEVER_SERIAL
    return out


def version_spans(block: TermBlock) -> dict:
    """Version number -> (its first block row, its last): a version's row and its steps are contiguous."""
    spans: dict = {}
    for j, r in enumerate(block.rows):
        spans[r.version] = (spans.get(r.version, (j, j))[0], j)
    return spans


def cap_places(block: TermBlock, events: dict | None = None) -> dict[int, int]:
    """Cap row -> its place among its version's caps, lowest first (as low and listed first before it):
    the caps before it in this order are the ones that bind before it does. A cap valued by its event (the
    event's date) compares at that date given `events` (never given: never lower). A sort per version,
    not a comparison of every cap with every other."""
    by_version: dict = {}
    for j, r in enumerate(block.rows):
        if r.caps:
            by_version.setdefault(r.version, []).append(j)
    out = {}
    for rows in by_version.values():
        for k, j in enumerate(sorted(rows, key=lambda j: (cap_value(block.rows[j], events), j)), start=1):
            out[j] = k
    return out


def cap_value(r: BlockRow, events: dict | None):
    """A cap row's ceiling for ordering: its value, or for a cap valued by its event the event's date (as a
    serial; never given: Never). Values of one version are of one kind; an event-valued one is a date."""
    if r.value is not None:
        return serial(r.value) if isinstance(r.value, dt.date) else r.value
    day = (events or {}).get(r.on_event)
    return NEVER_SERIAL if day is None else serial(day)


def cap_until(block: TermBlock, effective: list[int], events: dict | None = None) -> list[int | None]:
    """Per cap row: the first day a lower cap of its version is in effect (until then it may be the lowest):
    the earliest Takes-effect among the caps placed before it (cap_places), a running minimum."""
    places = cap_places(block, events)
    by_place: dict = {}
    for j, k in places.items():
        by_place[(block.rows[j].version, k)] = effective[j]
    lowest: dict = {}  # (version, place) -> the earliest day of the caps placed at or before it
    for (version, k) in sorted(by_place):
        lowest[(version, k)] = min(by_place[(version, k)], lowest.get((version, k - 1), NEVER_SERIAL))
    return [lowest.get((r.version, places[i] - 1), NEVER_SERIAL) if r.caps else None
            for i, r in enumerate(block.rows)]


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
