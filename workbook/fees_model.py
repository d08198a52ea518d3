"""Fees as data on the Terms tab (installments, rules) and the rule chain the Fee Schedule computes.

Rules apply in document order, as in the engine (udfs/engine/fees.py): each rule reads the
state a line has after the rules before it (waived?, by which document's date, due date,
reason, citation) and writes the next state. The sheet holds one block of columns per rule;
`chain` below computes the same columns in Python for the stored values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .context import Context
from .xl import NEVER_SERIAL, from_serial, serial

KIND_COLUMNS = {
    "waive_on_event": ("applies",),
    "waive_after_event": ("applies",),
    "waive": ("applies",),
    "redate": ("touched", "unwaived", "moved"),
}
STATE = ("waived", "waived_by", "due", "reason", "citation")


@dataclass
class RuleCells:
    k: int
    rule: object
    title: str
    signed: dt.date
    visible: bool
    active: bool
    first: int = NEVER_SERIAL  # waive_on_event: earliest delivery (serial)
    first_label: str = ""
    event_on: int = NEVER_SERIAL  # waive_after_event / redate
    event_label: str = ""
    due: int = NEVER_SERIAL  # redate
    scope: str = "all"
    voids: bool = False


def iso(day_serial: int) -> str:
    return from_serial(day_serial).isoformat()


def rule_cells(ctx: Context) -> list[RuleCells]:
    out = []
    done = ctx.event_done
    labels = {k: v["label"] for k, v in ctx.deal.events.items()}
    for k, rule in enumerate(ctx.fee_rules(), start=1):
        doc = ctx.deal.document(rule.document)
        visible = serial(doc.date) <= ctx.view_serial
        rc = RuleCells(k, rule, doc.title, doc.date, visible, visible)
        p = rule.params

        def param(key, default=None, p=p, k=k):
            choice_key = f"FeeRule{k}{_stem(key)}"
            if choice_key in ctx.choice_values:
                return ctx.choice_values[choice_key]
            return p.get(key, default)

        if rule.kind == "waive_on_event":
            names = sorted(p.get("events", ()))
            rc.first = min([done[n] for n in names] or [NEVER_SERIAL])
            rc.first_label = next((labels[n] for n in names if done[n] == rc.first), "")
            rc.active = visible and rc.first <= serial(p["delivered_by"])
        elif rule.kind == "waive_after_event":
            rc.event_on = done[p["event"]]
            rc.event_label = labels[p["event"]]
            rc.active = visible and rc.event_on < serial(p["before"])
        elif rule.kind == "waive":
            rc.scope = param("scope", "all")
        elif rule.kind == "redate":
            rc.event_on = done[p["or_event"]] if p.get("or_event") else NEVER_SERIAL
            rc.due = min(serial(p["to"]), rc.event_on)
            rc.voids = bool(param("voids_earlier_waivers", False))
        out.append(rc)
    return out


def _stem(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


def chain(ctx: Context, rules: list[RuleCells]) -> list[dict]:
    """Per installment: its data, each rule's columns and the final state (sheet semantics)."""
    rows = []
    for inst in ctx.deal.installments:
        in_view = serial(ctx.deal.document(inst.document).date) <= ctx.view_serial
        sched = serial(inst.date)
        state = {"waived": False, "waived_by": 0, "due": sched, "reason": "", "citation": inst.citation}
        steps = []
        for rc in rules:
            member = inst.key in rc.rule.components
            prev = dict(state)
            cols = {}
            if rc.rule.kind == "redate":
                in_scope = member and rc.active and in_view and sched > serial(rc.signed)
                touched = in_scope and (not prev["waived"] or (rc.voids and prev["waived_by"] < serial(rc.signed)))
                unwaived = touched and prev["waived"]
                moved = touched and rc.due != sched
                cols = {"touched": touched, "unwaived": unwaived, "moved": moved}
                if touched:
                    reason = (f"earlier waiver superseded by {rc.title}" if unwaived else "")
                    if unwaived and moved:
                        reason += "; "
                    if moved:
                        if rc.event_on == rc.due:
                            reason += f"due on full payment {iso(rc.due)} under {rc.title}"
                        else:
                            reason += f"moved to {iso(rc.due)} by {rc.title}"
                    state = {"waived": False, "waived_by": 0, "due": rc.due if moved else prev["due"],
                             "reason": reason,
                             "citation": prev["citation"] + f"; {rc.rule.citation}" if moved else prev["citation"]}
            else:
                if rc.rule.kind == "waive_on_event":
                    cond = sched >= rc.first
                    reason = f"{rc.first_label} delivered {iso(rc.first)}" if rc.first < NEVER_SERIAL else ""
                elif rc.rule.kind == "waive_after_event":
                    cond = sched > rc.event_on
                    reason = (f"scheduled after the {rc.event_label} on {iso(rc.event_on)}"
                              if rc.event_on < NEVER_SERIAL else "")
                else:
                    cond = rc.scope == "all" or sched > serial(rc.signed)
                    reason = f"waived by {rc.title}"
                applies = member and rc.active and in_view and not prev["waived"] and cond
                cols = {"applies": applies}
                if applies:
                    state = {"waived": True, "waived_by": serial(rc.signed), "due": prev["due"], "reason": reason,
                             "citation": prev["citation"] + f"; {rc.rule.citation}"}
            steps.append((cols, dict(state)))
        rows.append({"inst": inst, "in_view": in_view, "scheduled": sched, "steps": steps, "final": state})
    return rows


def write_terms(ctx: Context, s, row: int) -> int:
    """Installments and rules on the Terms tab; remembers where they are for the Fee Schedule."""
    name = s.name
    rules = ctx.fee_rule_cells
    s.text(row, 0, "Fee installments", "section")
    row += 1
    heads = ["#", "Fee", "Component", "Key", "Document", "Signed", "Scheduled", "Amount", "Citation", "In view"]
    heads += [f"Rule {rc.k} covers" for rc in rules]
    for j, head in enumerate(heads):
        s.text(row, j, head, "header")
    s.ws.set_row(row, 36)
    row += 1
    first = row
    for k, inst in enumerate(ctx.deal.installments, start=1):
        doc = ctx.deal.document(inst.document)
        for j, (v, kind) in enumerate(((k, "int"), (inst.fee_label, "text"), (inst.component_label, "text"),
                                       (inst.key, "text"), (doc.title, "text"), (doc.date, "date"),
                                       (inst.date, "date"), (inst.amount, "money"), (inst.citation, "text"))):
            s.value(row, j, v, "data", kind)
        s.formula(row, 9, f"=F{row + 1}<=AmendedThroughEff", serial(doc.date) <= ctx.view_serial, "calc", "bool")
        for j, rc in enumerate(rules):
            s.value(row, 10 + j, inst.key in rc.rule.components, "data", "bool")
        row += 1
    ctx.fee_terms_first = first
    ctx.define("FeeInst_Amount", name, first, 7, row - 1, 7)
    ctx.define("FeeInst_Visible", name, first, 9, row - 1, 9)
    row += 1

    s.text(row, 0, "Fee rules (applied in document order)", "section")
    row += 1
    labels = {k: v["label"] for k, v in ctx.deal.events.items()}
    for rc in rules:
        rule, k, p = rc.rule, rc.k, rc.rule.params
        pre = f"FeeRule{k}_"
        for j, head in enumerate(("Rule", "Kind", "Document", "Signed", "In view", "Citation")):
            s.text(row, j, head, "header")
        row += 1
        s.value(row, 0, k, "data", "int")
        s.value(row, 1, rule.kind, "data", "text")
        s.value(row, 2, rc.title, "data", "text")
        s.value(row, 3, rc.signed, "data", "date")
        s.formula(row, 4, f"=D{row + 1}<=AmendedThroughEff", rc.visible, "calc", "bool")
        s.value(row, 5, rule.citation, "data", "text")
        ctx.define(pre + "Title", name, row, 2)
        ctx.define(pre + "Signed", name, row, 3)
        ctx.define(pre + "Visible", name, row, 4)
        ctx.define(pre + "Citation", name, row, 5)
        row += 1

        def line(label, key, value, kind, formula=None, row_=None, pre=pre):
            r = row_
            s.text(r, 1, label, "label")
            if formula is None:
                s.value(r, 3, value, "data", kind)
            else:
                s.formula(r, 3, formula, value, "calc", kind)
            ctx.define(pre + key, name, r, 3)
            return r + 1

        if rule.kind == "waive_on_event":
            names = sorted(p.get("events", ()))
            s.text(row, 1, "Events (by name)", "label")
            for j, ev in enumerate(names):
                s.value(row, 3 + j, ev, "data", "text")
            refs = [f"{_col(3 + j)}{row + 1}" for j in range(len(names))]
            row += 1
            row = line("Delivered by", "DeliveredBy", p["delivered_by"], "date", row_=row)
            first_f = "=MIN(" + ",".join(f"SUMIF(Ev_Key,{r},Ev_Done)" for r in refs) + ")"
            row = line("Earliest delivery", "First", rc.first, "date", first_f, row_=row)
            label_f = '""'
            for r in reversed(refs):
                label_f = f"IF(SUMIF(Ev_Key,{r},Ev_Done)={pre}First,INDEX(Ev_Label,MATCH({r},Ev_Key,0)),{label_f})"
            row = line("Earliest event", "FirstLabel", rc.first_label, "text", "=" + label_f, row_=row)
            row = line("Applies", "Active", rc.active, "bool", f"=AND({pre}Visible,{pre}First<={pre}DeliveredBy)",
                       row_=row)
        elif rule.kind == "waive_after_event":
            row = line("Event", "Event", p["event"], "text", row_=row)
            row = line("Before", "Before", p["before"], "date", row_=row)
            row = line("Event delivered", "EventOn", rc.event_on, "date", f"=SUMIF(Ev_Key,{pre}Event,Ev_Done)",
                       row_=row)
            row = line("Event label", "EventLabel", labels[p["event"]], "text",
                       f"=INDEX(Ev_Label,MATCH({pre}Event,Ev_Key,0))", row_=row)
            row = line("Applies", "Active", rc.active, "bool", f"=AND({pre}Visible,{pre}EventOn<{pre}Before)",
                       row_=row)
        elif rule.kind == "waive":
            key = f"FeeRule{k}Scope"
            if key in ctx.choice_maps:
                row = line("Scope", "Scope", rc.scope, "text", f"={key}", row_=row)
            else:
                row = line("Scope", "Scope", rc.scope, "text", row_=row)
            row = line("Applies", "Active", rc.active, "bool", f"={pre}Visible", row_=row)
        elif rule.kind == "redate":
            row = line("Due on", "To", p["to"], "date", row_=row)
            row = line("Or on the event", "OrEvent", p.get("or_event") or None, "text", row_=row)
            row = line("Event delivered", "EventOn", rc.event_on, "date",
                       f"=IF(ISTEXT({pre}OrEvent),SUMIF(Ev_Key,{pre}OrEvent,Ev_Done),Never)", row_=row)
            row = line("Falls due", "Due", rc.due, "date", f"=MIN({pre}To,{pre}EventOn)", row_=row)
            key = f"FeeRule{k}VoidsEarlierWaivers"
            if key in ctx.choice_maps:
                row = line("Voids earlier waivers", "Voids", rc.voids, "bool", f"={key}", row_=row)
            else:
                row = line("Voids earlier waivers", "Voids", rc.voids, "bool", row_=row)
            row = line("Applies", "Active", rc.active, "bool", f"={pre}Visible", row_=row)
        row += 1
    return row


def _col(c: int) -> str:
    from .xl import col_name

    return col_name(c)
