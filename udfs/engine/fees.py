"""Fee installments after waivers and re-dating, as the visible documents and the events make them.

`fee_working` applies every rule to every installment in document order and records the state each
line has after each rule; `fee_lines` is its final state for the installments in view. The
workbook stores that working in its helper cells, so the rule chain exists once in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple

from udfs.deal import fee_sources
from udfs.deal.errors import TermsError
from udfs.deal.records import Deal, FeeRule
from udfs.engine.rules import Rules

DUE, WAIVED = "due", "waived"

# The words a line's reason is made of ({...}: filled in per rule). The workbook builds its
# formulas from these same templates, so a reason reads the same in both.
REASONS = {
    "waive_on_event": "{event} delivered {date}",
    "waive_after_event": "scheduled after the {event} on {date}",
    "waive": "waived by {document}",
    "unwaived": "earlier waiver superseded by {document}",
    "moved": "moved to {date} by {document}",
    "moved_on_event": "due on the {event} ({date}) under {document}",
    "waive_unless_delivered": "waived by {document}: {event} not delivered by {date}",
    "waive_if_delivered": "waived by {document}: {event} delivered {date}",
}
DELIVERY_WAIVERS = ("waive_unless_delivered", "waive_if_delivered")  # waive every line, on a delivery condition
EVENTS_JOIN = " and "
REASON_JOIN = "; "
CITATION_JOIN = "; "


# Named tuples, as the deal's records (why: udfs/deal/records.py); a rule gives a new line.
class FeeLine(namedtuple("FeeLine", "fee component key scheduled due amount status reason citation waived_by",
                         defaults=(None,))):
    """An installment as the rules leave it; `waived_by`: the document whose rule waived it."""

    __slots__ = ()


class RuleState(namedtuple("RuleState", "number rule document signed visible active event event_label event_on "
                                        "scope due voids due_from due_to",
                           defaults=(None, "", None, "all", None, False, None, None))):
    """One fee rule in a view: whether it is in force and the dates it works with.

    number: 1-based, in document order; document: the document's title; active: in view and its condition
    met (an event delivered in time, for the event rules); event: waive_on_event: the earliest delivery,
    waive_after_event / redate: the event; scope: for waive; due: redate: the date the lines fall due;
    voids: redate: earlier waivers no longer apply; due_from, due_to: the rule selects lines by their due date
    as earlier rules left them (None: no such bound). Delivery waivers: event_on, the last of the events'
    deliveries (None: not all delivered), event_label, their labels joined."""

    __slots__ = ()


class FeeStep(namedtuple("FeeStep", "touched unwaived moved status due reason citation waived_by")):
    """A line's state after one rule (the rule's own flags say what it did to the line): touched, the rule
    acted on the line (waived it, or re-dated / un-waived it)."""

    __slots__ = ()


class FeeTrace(namedtuple("FeeTrace", "installment in_view steps line")):
    """`steps`: one per RuleState, in the same order; `line`: the final state."""

    __slots__ = ()


class FeeWorking(namedtuple("FeeWorking", "rules traces")):
    """`traces`: one per installment of the deal, in the deal's order."""

    __slots__ = ()


def _first_event(events: dict, names) -> tuple[str, dt.date] | None:
    found = [(events[n], n) for n in names if n in events]
    return (min(found)[1], min(found)[0]) if found else None


def rule_states(deal: Deal, visible: set[str], events: dict, rules: Rules, end: dt.date | None = None
                ) -> list[RuleState]:
    """Each rule's state in a view; `end`: the view's term end (a redate rule with or_term_end falls due on
    it when it comes first)."""
    ordered = sorted(deal.fee_rules, key=lambda r: deal.document(r.document).date)
    out = []
    for number, rule in enumerate(ordered, start=1):
        doc = deal.document(rule.document)
        shown = rule.document in visible
        p = rule.params
        state = RuleState(number, rule, doc.title, doc.date, shown, shown,
                          due_from=p.get("due_on", p.get("due_from")), due_to=p.get("due_on", p.get("due_to")))
        if rule.kind == "waive_on_event":
            first = _first_event(events, sorted(p.get("events", ())))
            if first is None:
                state = state._replace(active=False)
            else:
                state = state._replace(event=first[0], event_label=deal.events[first[0]]["label"], event_on=first[1],
                                active=shown and first[1] <= p["delivered_by"])
        elif rule.kind == "waive_after_event":
            day = events.get(p["event"])
            state = state._replace(event=p["event"], event_label=deal.events[p["event"]]["label"], event_on=day,
                            active=shown and day is not None and day < p["before"])
        elif rule.kind == "waive":
            state = state._replace(scope=rules.pick(p.get("scope", "all")))
        elif rule.kind in DELIVERY_WAIVERS:
            days = [events.get(e) for e in p["events"]]
            last = None if None in days else max(days)
            in_time = last is not None and last <= p["delivered_by"]
            state = state._replace(event_label=EVENTS_JOIN.join(deal.events[e]["label"] for e in p["events"]),
                                   event_on=last,
                                   active=shown and (in_time if rule.kind == "waive_if_delivered" else not in_time))
        elif rule.kind == "redate":
            name = p.get("or_event")
            day = events.get(name) if name else None
            state = state._replace(event=name, event_label=deal.events[name]["label"] if name else "", event_on=day,
                            due=min([p["to"]] + ([day] if day is not None else [])
                                    + ([end] if p.get("or_term_end") and end is not None else [])),
                            voids=bool(rules.pick(p.get("voids_earlier_waivers", False))))
        out.append(state)
    return out


def _apply(rs: RuleState, line: FeeLine, deal: Deal) -> tuple[FeeLine, bool, bool, bool]:
    """One rule applied to one line: the line after it, and (touched, unwaived, moved)."""
    if not rs.active or line.key not in rs.rule.components:
        return line, False, False, False
    selects = rs.due_from is not None or rs.due_to is not None
    if selects and not ((rs.due_from or line.due) <= line.due <= (rs.due_to or line.due)):
        return line, False, False, False  # selected by its due date as the earlier rules left it
    title = rs.document
    if rs.rule.kind == "redate":
        if not selects and line.scheduled <= rs.signed:
            return line, False, False, False  # already due before this document: not "unpaid" in its sense
        unwaived = False
        if line.status == WAIVED:
            if not (rs.voids and line.waived_by != rs.rule.document
                    and deal.document(line.waived_by).date < rs.signed):
                return line, False, False, False
            line, unwaived = line._replace(status=DUE, waived_by=None), True
        reasons = [REASONS["unwaived"].format(document=title)] if unwaived else []
        moved = rs.due != line.scheduled
        if moved:
            key = "moved_on_event" if rs.event_on is not None and rs.due == rs.event_on else "moved"
            reasons.append(REASONS[key].format(date=rs.due.isoformat(), document=title, event=rs.event_label))
            line = line._replace(due=rs.due, citation=f"{line.citation}{CITATION_JOIN}{rs.rule.citation}")
        return line._replace(reason=REASON_JOIN.join(reasons)), True, unwaived, moved
    if line.status != DUE:
        return line, False, False, False
    if rs.rule.kind == "waive_on_event":
        applies = line.scheduled >= rs.event_on
    elif rs.rule.kind == "waive_after_event":
        applies = line.scheduled > rs.event_on
    elif rs.rule.kind in DELIVERY_WAIVERS:
        applies = True
    else:
        applies = rs.scope == "all" or line.scheduled > rs.signed
    if not applies:
        return line, False, False, False
    date = rs.event_on.isoformat() if rs.event_on is not None else ""
    if rs.rule.kind == "waive_unless_delivered":
        date = rs.rule.params["delivered_by"].isoformat()
    return line._replace(status=WAIVED, waived_by=rs.rule.document,
                         reason=REASONS[rs.rule.kind].format(event=rs.event_label, date=date, document=title),
                         citation=f"{line.citation}{CITATION_JOIN}{rs.rule.citation}"), True, False, False


def fee_working(view) -> FeeWorking:
    """Every installment of the deal through every rule, in document order, with each state kept. A generated
    installment (udfs.deal.fee_sources) gets its date and amount in the view, and is in view only if
    the view counts it (a recurrence past the term's end is not)."""
    deal, visible, events, rules = view.deal, view.visible, view.events, view.rules
    states = rule_states(deal, visible, events, rules, view.end)
    traces = []
    for inst in deal.installments:
        shown = inst.document in visible
        try:  # resolved in every view: the workbook shows each row's date and amount, counted or not
            day, amount, counted = fee_sources.resolve(inst, view)
        except TermsError:
            if shown:
                raise
            day, amount, counted = inst.date, 0.0, False  # a term without a value in a view that does not count it
        line = FeeLine(fee=inst.fee_label, component=inst.component_label, key=inst.key, scheduled=day,
                       due=day, amount=amount, status=DUE, reason="", citation=inst.citation)
        in_view = shown and counted
        steps = []
        for rs in states:
            line, touched, unwaived, moved = _apply(rs, line, deal) if in_view else (line, False, False, False)
            steps.append(FeeStep(touched, unwaived, moved, line.status, line.due, line.reason, line.citation,
                                 line.waived_by))
        traces.append(FeeTrace(inst, in_view, tuple(steps), line))
    return FeeWorking(tuple(states), tuple(traces))


def fee_lines(view) -> list[FeeLine]:
    lines = [t.line for t in fee_working(view).traces if t.in_view]
    return sorted(lines, key=lambda ln: (ln.due, ln.scheduled, ln.key))


def describe(deal: Deal, rule: FeeRule) -> str:
    """What a rule does, in a sentence (its reading-dependent parts named, not chosen)."""
    return _describe_kind(deal, rule) + _describe_selection(rule.params)


def _describe_selection(p: dict) -> str:
    if "due_on" in p:
        return f", among those then due on {p['due_on'].isoformat()}"
    bounds = [f"on or after {p['due_from'].isoformat()}" if "due_from" in p else "",
              f"on or before {p['due_to'].isoformat()}" if "due_to" in p else ""]
    return f", among those then due {' and '.join(b for b in bounds if b)}" if any(bounds) else ""


def _describe_kind(deal: Deal, rule: FeeRule) -> str:
    p = rule.params
    comps = {i.key: i.component_label for i in deal.installments}
    what = " and ".join(dict.fromkeys(comps.get(c, c) for c in rule.components))
    label = {k: v["label"] for k, v in deal.events.items()}
    if rule.kind == "waive_on_event":
        events = " or ".join(label[e] for e in p.get("events", ()))
        return (f"waives {what} installments scheduled on or after the first delivery of {events}, "
                f"if delivered by {p['delivered_by'].isoformat()}")
    if rule.kind == "waive_after_event":
        return (f"waives {what} installments scheduled after the {label[p['event']]}, "
                f"if it comes before {p['before'].isoformat()}")
    if rule.kind in DELIVERY_WAIVERS:
        events = EVENTS_JOIN.join(label[e] for e in p["events"])
        word = "unless" if rule.kind == "waive_unless_delivered" else "if"
        return f"waives {what} installments {word} {events} are delivered by {p['delivered_by'].isoformat()}"
    if rule.kind == "waive":
        scope = p.get("scope", "all")
        if isinstance(scope, dict):
            return f"waives {what} installments (which ones: a reading, see Notes)"
        return f"waives {what} installments" + (" scheduled after its date" if scope == "after_document" else "")
    event = f" or on the {label[p['or_event']]} if earlier" if p.get("or_event") else ""
    which = "" if any(k in p for k in ("due_on", "due_from", "due_to")) else " scheduled after its date"
    return f"makes {what} installments{which} due on {p['to'].isoformat()}{event}"
