"""Fee installments after waivers and re-dating, as the visible documents and the events make them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .deal import Deal, FeeRule
from .rules import Rules

DUE, WAIVED = "due", "waived"


@dataclass
class FeeLine:
    fee: str
    component: str
    key: str
    scheduled: dt.date
    due: dt.date
    amount: float
    status: str
    reason: str
    citation: str
    waived_by: str | None = None  # document whose rule waived it


def _label(deal: Deal, doc_id: str) -> str:
    return deal.document(doc_id).title


def _first_event(events: dict, names) -> tuple[str, dt.date] | None:
    found = [(events[n], n) for n in names if n in events]
    return (min(found)[1], min(found)[0]) if found else None


def _apply(rule: FeeRule, lines: list[FeeLine], deal: Deal, events: dict, rules: Rules):
    doc = deal.document(rule.document)
    mine = [ln for ln in lines if ln.key in rule.components]
    params = rule.params

    def waive(line: FeeLine, reason: str):
        line.status, line.reason, line.waived_by = WAIVED, reason, rule.document
        line.citation = f"{line.citation}; {rule.citation}"

    if rule.kind == "waive_on_event":
        first = _first_event(events, params.get("events", ()))
        if first is None or first[1] > params["delivered_by"]:
            return
        name, day = first
        for line in mine:
            if line.status == DUE and line.scheduled >= day:
                waive(line, f"{deal.events[name]['label']} delivered {day.isoformat()}")
    elif rule.kind == "waive_after_event":
        day = events.get(params["event"])
        if day is None or day >= params["before"]:
            return
        for line in mine:
            if line.status == DUE and line.scheduled > day:
                waive(line, f"scheduled after the {deal.events[params['event']]['label']} on {day.isoformat()}")
    elif rule.kind == "waive":
        scope = rules.pick(params.get("scope", "all"))
        for line in mine:
            if line.status == DUE and (scope == "all" or line.scheduled > doc.date):
                waive(line, f"waived by {doc.title}")
    elif rule.kind == "redate":
        voids = bool(rules.pick(params.get("voids_earlier_waivers", False)))
        target = params["to"]
        event = events.get(params.get("or_event")) if params.get("or_event") else None
        due = min(target, event) if event is not None else target
        for line in mine:
            if line.scheduled <= doc.date:
                continue  # already due before this document: not "unpaid" in its sense
            if line.status == WAIVED:
                if not (voids and line.waived_by != rule.document
                        and deal.document(line.waived_by).date < doc.date):
                    continue
                line.status, line.waived_by = DUE, None
                line.reason = f"earlier waiver superseded by {doc.title}; "
            else:
                line.reason = ""
            if due != line.scheduled:
                line.due = due
                if event is not None and due == event:
                    line.reason += f"due on full payment {due.isoformat()} under {doc.title}"
                else:
                    line.reason += f"moved to {due.isoformat()} by {doc.title}"
                line.citation = f"{line.citation}; {rule.citation}"
            line.reason = line.reason.rstrip("; ")


def fee_lines(deal: Deal, visible: set[str], events: dict, rules: Rules) -> list[FeeLine]:
    lines = [
        FeeLine(fee=i.fee_label, component=i.component_label, key=i.key, scheduled=i.date, due=i.date,
                amount=i.amount, status=DUE, reason="", citation=i.citation)
        for i in deal.installments if i.document in visible
    ]
    ordered = sorted((r for r in deal.fee_rules if r.document in visible),
                     key=lambda r: deal.document(r.document).date)
    for rule in ordered:
        _apply(rule, lines, deal, events, rules)
    return sorted(lines, key=lambda ln: (ln.due, ln.scheduled, ln.key))
