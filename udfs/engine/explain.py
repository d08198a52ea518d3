"""Why an answer is what it is: the working behind each term's value on a date, in one structure.

Every line is read off the same compiled pieces that give the answers (udfs/engine/schedule.py),
so an explanation cannot disagree with the answer it explains. Clients render the lines: the
terminal as a table (`termbook eval ... --explain`), Excel as a spilled table (LSA_EXPLAIN), the
workbook as stored values.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple

from udfs.deal.records import Step, Version
from udfs.engine import pricing
from udfs.engine.schedule import Piece, effective_date, in_version

HEADER = ["term", "value", "document", "step", "why", "citation"]


class Line(namedtuple("Line", HEADER)):
    """One line of working: a term, its value, the document and step it comes from, why, the clause."""

    __slots__ = ()

    def row(self) -> list:
        return list(self)

    def as_dict(self) -> dict:
        return self._asdict()


class Explanation(namedtuple("Explanation", "question answer lines", defaults=((),))):
    """An answer and its working (a named tuple, as the deal's records: why in udfs/deal/records.py)."""

    __slots__ = ()

    def table(self) -> list[list]:
        return [list(HEADER)] + [line.row() for line in self.lines]

    @property
    def rows(self) -> list[dict]:
        return [line.as_dict() for line in self.lines]


def term_label(deal, name: str) -> str:
    labels = deal.raw.get("term_labels", {})
    return labels.get(name) or name.replace("_", " ").capitalize()


def _iso(day) -> str:
    return day.isoformat() if isinstance(day, dt.date) else str(day)


def _names(view, names) -> str:
    labels = [view.deal.events[n]["label"] for n in names]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _delivery(view, names) -> str:
    """'X delivered 2002-11-14, Y delivered 2002-11-15' or 'X not delivered'."""
    parts = []
    for name in names:
        day = view.events.get(name)
        label = view.deal.events[name]["label"]
        parts.append(f"{label} delivered {day.isoformat()}" if day else f"{label} not delivered")
    return "; ".join(parts)


def _reading(view, value) -> str:
    """' (reading x = choice)' when a value depends on a switchable reading, else ''."""
    if isinstance(value, dict) and "interpretation" in value:
        name = value["interpretation"]
        return f" (reading {name} = {view.rules.choice(name)})"
    return ""


def _event_status(view, step: Step, when: dt.date | None) -> str:
    """'from the Default Notice on D' or 'the Default Notice not given' (a step dated by an event)."""
    label = view.deal.events[step.on_event]["label"]
    the = "" if label.lower().startswith("the ") else "the "
    given = view.events.get(step.on_event)
    if given is None:
        return f"not in effect: {the}{label} not given"
    if when is None:
        return f"not in effect: {the}{label} on {given.isoformat()}, after its version's end"
    since = f"from {the}{label} on {given.isoformat()}"
    return since if when == given else f"{since} (in force from its version's start, {when.isoformat()})"


def step_status(view, step: Step, day: dt.date) -> tuple[dt.date | None, str]:
    """When a step takes effect in this view, and why, in words."""
    when = effective_date(step, view.events, view.rules)
    if step.on_event is not None:
        version = _version_of(view, step)
        when = in_version(version, when) if version is not None else when
        why = _event_status(view, step, when)
        if step.kind == "cap" and step.unless and view.events.get(step.on_event) is not None:
            if when is None and _delivery_in_time(view, step):
                return None, f"not applied: {_delivery(view, step.unless)}, on or before {step.unless_by.isoformat()}"
            if when is not None:
                why += f"; {_names(view, step.unless)} not all delivered by {step.unless_by.isoformat()}"
        return when, why
    if step.kind == "cap":
        if step.unless:
            if when is None:
                return None, f"not applied: {_delivery(view, step.unless)}, on or before {step.unless_by.isoformat()}"
            if not any(view.events.get(n) for n in step.unless):
                return when, (f"applies from {when.isoformat()}: {_names(view, step.unless)} not delivered by "
                              f"{step.unless_by.isoformat()}")
            return when, (f"applies from {when.isoformat()}: {_names(view, step.unless)} not all delivered by "
                          f"{step.unless_by.isoformat()} ({_delivery(view, step.unless)})")
        return when, f"scheduled reduction from {when.isoformat()}"
    if not step.requires:
        return when, f"scheduled from {when.isoformat()}"
    if when is None:
        delivered = all(view.events.get(n) for n in step.requires)
        if delivered:
            return None, (f"lapsed: {_delivery(view, step.requires)}, after {step.date.isoformat()}"
                          f"{_reading(view, step.late_delivery)}")
        return None, f"not in effect: {_delivery(view, step.requires)}"
    if when > step.date:
        return when, (f"from delivery on {when.isoformat()}, after {step.date.isoformat()}: "
                      f"{_delivery(view, step.requires)}{_reading(view, step.late_delivery)}")
    return when, f"from {when.isoformat()}: {_delivery(view, step.requires)} by {step.date.isoformat()}"


def _delivery_in_time(view, step: Step) -> bool:
    days = [view.events.get(n) for n in step.unless]
    return None not in days and max(days) <= step.unless_by


def _version_of(view, step: Step) -> Version | None:
    """The version whose steps hold this step (steps are records: found by identity)."""
    for versions in view.deal.terms.values():
        for version in versions:
            if any(s is step for s in version.steps):
                return version
    return None


def _version(view, name: str, piece: Piece) -> Version:
    return view.deal.terms[name][piece.version]


def _step_text(version: Version, index: int | None) -> str:
    if index is None:
        return f"version from {version.start.isoformat()}" + (f" to {version.end.isoformat()}" if version.end else "")
    step = version.steps[index]
    if step.on_event is not None:
        return f"{step.kind} step on {step.on_event}"
    return f"{step.kind} step of {step.date.isoformat()}"


def _tied_caps(view, version: Version, piece: Piece, day: dt.date) -> list[int]:
    """The other caps in effect on `day` at the same binding figure (the piece cites them all)."""
    tied = []
    for k, step in enumerate(version.steps):
        if k != piece.cap_step and step.kind == "cap" and step.value == piece.cap:
            when = in_version(version, effective_date(step, view.events, view.rules))
            if when is not None and when <= day:
                tied.append(k)
    return tied


def term_lines(view, name: str, day: dt.date) -> list[Line]:
    """The value of one term on a day: the version and step in force and why, then the steps that could
    have changed it on or before that day but did not."""
    label = term_label(view.deal, name)
    piece = view.term(name).piece(day.toordinal())
    if piece is None or piece.value is None or piece.version is None:
        return [Line(label, None, "", "", f"no document in view defines it on {day.isoformat()}", "")]
    version = _version(view, name, piece)
    doc = view.deal.document(version.document).title
    if piece.cap is not None:
        step = version.steps[piece.cap_step]
        _, why = step_status(view, step, day)
        lines = [Line(label, piece.value, doc, _step_text(version, piece.cap_step), why, step.citation)]
        level_why = (f"in force since {piece.level_from.isoformat()}; the cap is lower"
                     if piece.level_step is None else step_status(view, version.steps[piece.level_step], day)[1])
        level_citation = version.citation if piece.level_step is None else version.steps[piece.level_step].citation
        lines.append(Line(f"{label}: level before caps", piece.level, doc, _step_text(version, piece.level_step),
                          level_why, level_citation))
        for k in _tied_caps(view, version, piece, day):
            other = version.steps[k]
            lines.append(Line(f"{label}: also capped at this figure", other.value, doc, _step_text(version, k),
                              step_status(view, other, day)[1], other.citation))
    elif piece.level_step is not None:
        step = version.steps[piece.level_step]
        lines = [Line(label, piece.value, doc, _step_text(version, piece.level_step),
                      step_status(view, step, day)[1], step.citation)]
    else:
        retro = version.start < view.deal.document(version.document).date
        why = f"{doc} governs from {version.start.isoformat()}"
        if retro:
            why += f", before its signing on {view.deal.document(version.document).date.isoformat()} (retroactive)"
        if view.amended_through is not None:
            why += f"; documents signed through {view.amended_through.isoformat()} counted"
        lines = [Line(label, piece.value, doc, _step_text(version, None), why, version.citation)]
    used = {piece.level_step, piece.cap_step, *(_tied_caps(view, version, piece, day) if piece.cap is not None
                                                 else ())}
    for k, step in enumerate(version.steps):
        if k in used or (step.date is not None and step.date > day):
            continue
        when, why = step_status(view, step, day)
        if step.on_event is not None and when is not None and when > day:
            continue  # an event after the day: as with a step dated later, not part of that day's working
        if when is None or when > day:
            lines.append(Line(f"{label}: step not in effect", step.value, doc, _step_text(version, k),
                              why if when is None else f"takes effect {when.isoformat()}", step.citation))
    return lines


def window_line(view) -> Line:
    doc = ""
    piece = view.term("initial_term_end").piece(view.hi)
    if piece is not None and piece.version is not None:
        doc = view.deal.document(_version(view, "initial_term_end", piece).document).title
    return Line("Window", view.end, doc, f"{view.start.isoformat()} to {view.end.isoformat()}",
                f"dates answered {view.label}", view.end_citation)


def document_line(view, day: dt.date) -> Line:
    doc = view.amendment(day)
    return Line("Document in force", doc.title, doc.title, f"signed {doc.date.isoformat()}",
                f"the latest document signed on or before {day.isoformat()} {view.label}", doc.citation)


def reading_line(view, name: str) -> Line:
    interp = view.deal.interpretation(name)
    choice = view.rules.choice(name)
    default = " (default)" if choice == interp.default else ""
    return Line(f"Reading: {name}", choice, "", "", f"{interp.choices.get(choice, '')}{default}", interp.citation)


_ROLE_WORDS = {"floor": "floor on the index", "cap": "cap on the index", "add_on": "added to the margin"}


def pricing_part_lines(view, facility: str, day: dt.date) -> list[Line]:
    """The floor, the cap and the add-ons of a facility's rate on a day: each term's working, or a line
    saying no document in view defines it yet (then it does not apply)."""
    lines = []
    for part in pricing.parts(view.rate_tree(facility)):
        if part.role not in _ROLE_WORDS:
            continue
        if view.term(part.term).at(day.toordinal()) is None:
            lines.append(Line(term_label(view.deal, part.term), None, "", "",
                              f"none on {day.isoformat()}: no document {view.label} sets it, so no "
                              f"{_ROLE_WORDS[part.role]}", ""))
        else:
            lines += term_lines(view, part.term, day)
    return lines


def rate_line(view, facility: str, values: dict) -> Line:
    """The facility's rate from its parts' values: min(max(index, floor), cap) + margin + add-ons."""
    tree = view.rate_tree(facility)
    rate = pricing.evaluate(tree, values.get)
    label = view.deal.facilities[facility]["label"]
    return Line(f"Rate, {label}", None if rate is None else round(rate, 10), "", "",
                pricing.describe(tree, values.get), "the index after its floor and cap, plus the margin and "
                "any add-on (pricing)")


def all_terms(view, day: dt.date, prime_fn=None) -> list[Line]:
    """Every term in force on a day (LSA_EXPLAIN)."""
    view.check(day)
    lines = [document_line(view, day), window_line(view)]
    for name in view.deal.terms:
        if name == "initial_term_end":
            continue
        lines += term_lines(view, name, day)
    if prime_fn is not None:
        piece = prime_fn.piece(day.toordinal())
        if piece is not None and piece.value is not None:
            lines.append(Line("Prime rate", piece.value, "", f"rate from {dt.date.fromordinal(piece.start)}",
                              view.deal.prime.get("source", ""), piece.citation))
            for facility in view.deal.pricing.get("margin_terms", {}):
                lines.append(rate_line(view, facility, view.rate_parts(day.toordinal(), facility, prime_fn, None)))
    return lines
