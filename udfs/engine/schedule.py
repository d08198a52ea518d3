"""Effective-dated values: a term's versions and steps compiled into one step function of the date.

A later document's version governs from its own `from` date (which may precede its signing),
laid over what earlier documents said. Inside a version, "level" steps set the value and "cap"
steps put a ceiling on it from their date on, so a later increase never lifts a decrease.
Conditional steps take their dates from the events (deliveries) the caller supplies.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import namedtuple

from udfs.deal.records import Step, Version
from udfs.engine.lazy import np
from udfs.engine.rules import Rules


class Piece(namedtuple("Piece", "start value citation document version level level_from level_step cap cap_step",
                       defaults=(None,) * 6)):
    """One stretch of days with one value, and how that value came about (the working).

    start: ordinal of the first day; value: None where no visible document defines the term;
    version: index in the term's versions (deal.terms[name]) of the version in force; level: the level
    in force (before any cap), from `level_from`, set by step `level_step` (an index in version.steps;
    None: the version's own value); cap: the lowest cap in effect when it binds (None: no cap binds),
    set by step `cap_step`. A named tuple, as the deal's records (why: udfs/deal/records.py).
    """

    __slots__ = ()


class StepFunction:
    """A value per day as sorted pieces; `at` is a bisect, `at_many` a searchsorted."""

    __slots__ = ("pieces", "starts", "values", "_array_starts", "_array_values")

    def __init__(self, pieces: list[Piece]):
        self.pieces = tuple(pieces)
        self.starts = [p.start for p in pieces]
        self.values = [p.value for p in pieces]
        self._array_starts = None
        self._array_values = None

    def piece(self, ordinal: int) -> Piece | None:
        i = bisect_right(self.starts, ordinal) - 1
        return self.pieces[i] if i >= 0 else None

    def at(self, ordinal: int):
        i = bisect_right(self.starts, ordinal) - 1
        return self.values[i] if i >= 0 else None

    def at_many(self, ordinals: np.ndarray) -> np.ndarray:
        """Numeric values for an array of ordinals; NaN where undefined."""
        if self._array_starts is None:
            self._array_starts = np.asarray(self.starts, dtype=np.int64)
            self._array_values = np.array(
                [np.nan] + [np.nan if v is None else float(v) for v in self.values], dtype=float)
        index = np.searchsorted(self._array_starts, ordinals, side="right")
        return self._array_values[index]


CITATION_JOIN = "; "


def _delivered(events: dict, names: tuple[str, ...]) -> dt.date | None:
    """The day the last of `names` was delivered, or None if any is missing."""
    if not names:
        return dt.date.min
    dates = [events.get(n) for n in names]
    return None if any(d is None for d in dates) else max(dates)


def effective_date(step: Step, events: dict, rules: Rules) -> dt.date | None:
    """When a step takes effect given the deliveries, or None if it never does. A step dated by an event
    takes effect on the event's date (before its version starts: from the version's start, see
    version_pieces), never while the event is absent."""
    date = step.date if step.on_event is None else events.get(step.on_event)
    if date is None:
        return None
    if step.kind == "cap":
        if step.unless:
            done = _delivered(events, step.unless)
            if done is not None and done <= step.unless_by:
                return None  # condition met in time: no decrease
        return date
    if step.on_event is not None:
        return date  # the reader allows no `requires` beside `on_event`
    done = _delivered(events, step.requires)
    if done is None:
        return None
    if done <= step.date:
        return step.date
    mode = rules.pick(step.late_delivery)
    if mode == "effective_on_delivery":
        return done
    if mode == "lapse":
        return None
    raise ValueError(f"unknown late_delivery mode {mode!r}")  # the loader's choice maps prevent this


def version_pieces(version: Version, events: dict, rules: Rules, index: int | None = None) -> list[Piece]:
    """One version's own value by day, from its start to its end (or open-ended)."""
    levels = [(version.start, version.value, version.citation, None)]
    caps = []
    for k, step in enumerate(version.steps):
        when = in_version(version, effective_date(step, events, rules))
        if when is None:
            continue
        value = step.value if step.value is not None else events[step.on_event]  # a ceiling on the event's date
        (levels if step.kind == "level" else caps).append((when, value, step.citation, k))
    levels.sort(key=lambda x: x[0])
    pieces = []
    for day in sorted({x[0] for x in levels} | {x[0] for x in caps}):
        level_from, level, citation, level_step = [lv for lv in levels if lv[0] <= day][-1]
        value, cap, cap_step = level, None, None
        binding = [c for c in caps if c[0] <= day and c[1] < level]
        if binding:
            # the lowest cap (for a date term: the earliest date); of caps at one figure, the latest (the
            # clause that sets the figure on its own now: on 2002-12-31 No. 11's "in any event" (ii)(c)
            # rather than the conditional (ii)(a)). Compared without negation: caps may be dates.
            lowest = min(c[1] for c in binding)
            _, cap, citation, cap_step = max((c for c in binding if c[1] == lowest), key=lambda c: (c[0], c[3]))
            tied = [c for c in binding if c[1] == cap and c[3] != cap_step]
            if tied:  # the others at that figure are cited after it, in date order
                citation = CITATION_JOIN.join(dict.fromkeys([citation] + [c[2] for c in sorted(tied)]))
            value = cap
        piece = Piece(day.toordinal(), value, citation, version.document, index, level, level_from, level_step,
                      cap, cap_step)
        if not pieces or _working(pieces[-1]) != _working(piece):
            pieces.append(piece)
    return pieces


# -- Which step binds, row by row: the stretches a step table lays out (workbook/tables/step_tables.py) ------
# A version read as rows: row 0 is its own value, row k + 1 its step k. Per row, `effective` gives the day it
# takes effect (any ordered numbers, a day that never comes larger than every other). version_pieces above
# works the same rule out day by day; these give, per row, until when it can be the one that binds, so a
# spreadsheet can pick the binding row of a day with one comparison per row.

def level_rows(version: Version) -> list[int]:
    """The rows that set the level: the version's own value and its level steps."""
    return [0] + [k + 1 for k, step in enumerate(version.steps) if step.kind == "level"]


def level_until(version: Version, effective: list) -> list:
    """Per row that sets the level: the day the next level of the version takes over (rows ordered by the day
    they take effect, then by row: of levels on one day the last listed holds), None for the last (and for a
    cap row). Sorting once keeps a version of n steps at n log n."""
    ordered = sorted(level_rows(version), key=lambda k: (effective[k], k))
    out = [None] * (len(version.steps) + 1)
    for k, nxt in zip(ordered, ordered[1:], strict=False):
        out[k] = effective[nxt]
    return out


def cap_ceiling(step: Step, events: dict | None):
    """A cap step's ceiling, for ordering the caps of a version: its value (a date as its ordinal), or for a
    cap valued by its event that event's date (never given: after every day). A version's caps are of one kind."""
    if step.value is not None:
        return step.value.toordinal() if isinstance(step.value, dt.date) else step.value
    day = (events or {}).get(step.on_event)
    return float("inf") if day is None else day.toordinal()


def cap_places(version: Version, events: dict | None = None) -> list:
    """Per row of the version (0: the version's own, 1..n: its steps): a cap's place among the version's caps,
    lowest first (lower, or as low and listed first), None for a row that is not a cap. The caps placed before
    a cap are the ones that bind before it does. One sort: a version of n steps costs n log n."""
    caps = [k + 1 for k, step in enumerate(version.steps) if step.kind == "cap"]
    out = [None] * (len(version.steps) + 1)
    for place, row in enumerate(sorted(caps, key=lambda row: (cap_ceiling(version.steps[row - 1], events), row)), 1):
        out[row] = place
    return out


def lower_caps(version: Version, row: int, events: dict | None = None) -> list[int]:
    """The cap rows of the version that bind before cap row `row` does: those placed before it (cap_places)."""
    places = cap_places(version, events)
    return [k for k, place in enumerate(places) if place is not None and place < places[row]]


def cap_until(version: Version, effective: list, events: dict | None = None) -> list:
    """Per cap row: the first day a lower cap of the version is in effect (until then it may be the lowest);
    None if none ever is (and for a row that is not a cap). A running minimum over the caps in place order."""
    places = cap_places(version, events)
    out = [None] * (len(version.steps) + 1)
    earliest = None  # the earliest day a cap placed before this one takes effect
    for _, row in sorted((place, row) for row, place in enumerate(places) if place is not None):
        out[row] = earliest
        day = effective[row]
        if day is not None and (earliest is None or day < earliest):
            earliest = day
    return out


def binding_row(piece: Piece) -> int | None:
    """The row of its version that binds in a piece (0: the version's own value), None where no version is."""
    if piece is None or piece.version is None:
        return None
    step = piece.cap_step if piece.cap is not None else piece.level_step
    return 0 if step is None else step + 1


def in_version(version: Version, when: dt.date | None) -> dt.date | None:
    """A step's effective date within its version: never past the version's end; an event dated before the
    version starts puts the step in force from the version's start (only a step dated by an event can fall
    there: the reader keeps dated steps inside their versions)."""
    if when is None or (version.end is not None and when > version.end):
        return None
    return max(when, version.start)


def _working(piece: Piece) -> tuple:
    return (piece.value, piece.citation, piece.level, piece.level_from, piece.cap)


def overlay(base: list[Piece], top: list[Piece], start: int, end: int | None) -> list[Piece]:
    """`top` governs [start, end]; `base` elsewhere."""
    before = [p for p in base if p.start < start]
    after = []
    if end is not None:
        resume = end + 1
        tail = [p for p in base if p.start <= resume]
        carried = tail[-1] if tail else None
        if carried is not None:
            after.append(carried._replace(start=resume))
        else:
            after.append(Piece(resume, None, "", None))
        after += [p for p in base if p.start > resume]
    return before + top + after


def compile_term(versions: tuple[Version, ...], visible: set[str], events: dict, rules: Rules) -> StepFunction:
    """All visible versions, in document order, laid one over the other."""
    pieces: list[Piece] = []
    for index, version in enumerate(versions):
        if version.document not in visible:
            continue
        end = version.end.toordinal() if version.end is not None else None
        pieces = overlay(pieces, version_pieces(version, events, rules, index), version.start.toordinal(), end)
    return StepFunction(pieces)


def table_function(rows, citation: str, valid_from: dt.date, valid_through: dt.date) -> StepFunction:
    """A plain dated table (e.g. prime rates), defined from valid_from to valid_through."""
    pieces = [Piece(max(day, valid_from).toordinal(), float(rate), citation, None) for day, rate in rows]
    pieces.append(Piece(valid_through.toordinal() + 1, None, "", None))
    return StepFunction(pieces)
