"""Fees as data on the Terms tab: the installments and, per rule, the cells the Fee Schedule reads.

Every stored value here comes from the engine's fee working (udfs/engine/fees.py `fee_working`):
which rule is in force, the earliest delivery, the date lines fall due. The formulas beside them
are the workbook's own copy of each rule, so that a lender's spreadsheet recomputes with no add-in.
"""

from __future__ import annotations

from .context import Context
from .terms_columns import WIDTHS
from .xl import NEVER_SERIAL, col_name, column_px, row_height, serial, wrapped_lines

# A rule's kind in words (the code stays in the deal file; no formula reads this cell).
KIND_WORDS = {"waive_on_event": "Waiver on an event's delivery",
              "waive_after_event": "Waiver of installments after an event",
              "waive": "Waiver", "redate": "New due date"}


def rule_cells(ctx: Context) -> list:
    """The engine's fee rules in document order, each with its state in this view."""
    return list(ctx.view.fee_working().rules) if ctx.deal.installments else []


def _serial(day) -> int:
    return NEVER_SERIAL if day is None else serial(day)


def write_terms(ctx: Context, s, row: int) -> int:
    """Installments and rules on the Terms tab, each column a defined name the Fee Schedule reads."""
    name = s.name
    rules = ctx.fee_rule_cells
    inst_heights = [_wrapped_height([v for v in (
        "", i.fee_label, i.component_label, i.key.replace("/", " / ").replace("_", " "),
        ctx.deal.document(i.document).title, "", "", "", i.citation)]) for i in ctx.deal.installments]
    ctx.keep_together(s, row, 12 * 2 + 36 + sum(inst_heights), ctx.terms_scale)
    s.text(row, 0, "Fee installments", "section")
    row += 1
    heads = ["#", "Fee", "Component", "Key", "Document", "Signed", "Scheduled", "Amount", "Citation", "Counted"]
    heads += [f"Rule {rc.number} covers" for rc in rules]
    for j, head in enumerate(heads):
        s.text(row, j, head, "header")
    s.ws.set_row(row, 36)
    row += 1
    first = row
    for k, inst in enumerate(ctx.deal.installments, start=1):
        doc = ctx.deal.document(inst.document)
        cells = ((k, "int"), (inst.fee_label, "wrap"), (inst.component_label, "wrap"),
                 (inst.key.replace("/", " / ").replace("_", " "), "wrap"),
                 (doc.title, "wrap"), (doc.date, "date"), (inst.date, "date"), (inst.amount, "money"),
                 (inst.citation, "wrap"))
        for j, (v, kind) in enumerate(cells):
            s.value(row, j, v, "data", kind)
        s.ws.set_row(row, _wrapped_height(v if kind == "wrap" else "" for v, kind in cells))
        s.formula(row, 9, f"=IF(F{row + 1}<=AmendedThroughEff,1,0)", int(serial(doc.date) <= ctx.view_serial),
                  "calc_centered", "flag")  # 1 and 0: Excel shows yes/no formats on numbers only
        for j, rc in enumerate(rules):
            s.value(row, 10 + j, inst.key in rc.rule.components, "data", "bool")
        row += 1
    for key, c in (("Fee", 1), ("Component", 2), ("Scheduled", 6), ("Amount", 7), ("Citation", 8),
                   ("Visible", 9)):
        ctx.define(f"FeeInst_{key}", name, first, c, row - 1, c)
    for j, rc in enumerate(rules):
        ctx.define(f"FeeInst_Rule{rc.number}", name, first, 10 + j, row - 1, 10 + j)
    row += 1

    section = row
    s.text(row, 0, "Fee rules (applied in document order)", "section")
    row += 1
    for rc in rules:
        rule, k, p = rc.rule, rc.number, rc.rule.params
        pre = f"FeeRule{k}_"
        # a rule: its header, its row and up to six lines, kept on one printed page (with the section title)
        ctx.keep_together(s, section if rc is rules[0] else row, 12 * (10 if rc is rules[0] else 9), ctx.terms_scale)
        for j, head in enumerate(("Rule", "Kind", "Document", "Signed", "Counted", "Citation")):
            s.text(row, j, head, "header")
        row += 1
        s.value(row, 0, k, "data", "int")
        s.value(row, 1, KIND_WORDS.get(rule.kind, rule.kind.replace("_", " ")), "data", "wrap")
        s.value(row, 2, rc.document, "data", "wrap")
        s.value(row, 3, rc.signed, "data", "date")
        s.formula(row, 4, f"=IF(D{row + 1}<=AmendedThroughEff,1,0)", int(rc.visible), "calc_centered", "flag")
        s.value(row, 5, rule.citation, "data", "text")
        ctx.define(pre + "Title", name, row, 2)
        ctx.define(pre + "Signed", name, row, 3)
        ctx.define(pre + "Visible", name, row, 4)
        ctx.define(pre + "Citation", name, row, 5)
        s.ws.set_row(row, _wrapped_height(["", KIND_WORDS.get(rule.kind, ""), rc.document]))
        row += 1

        def line(label, key, value, kind, formula=None, row_=None, pre=pre, note=None):
            r = row_
            kind = {"bool": "flag", "date": "never"}.get(kind, kind)
            s.text(r, 1, label, "label")
            if note:
                s.text(r, 4, note, "side")
            if formula is None:
                s.value(r, 3, value, "data", kind)
            else:
                s.formula(r, 3, formula, value, "calc", kind)
            ctx.define(pre + key, name, r, 3)
            return r + 1

        if rule.kind == "waive_on_event":
            names = [ctx.deal.events[e]["label"] for e in sorted(p.get("events", ()))]
            s.text(row, 1, "Events", "label")
            for j, ev in enumerate(names):  # by label, as the Inputs tab shows them
                s.value(row, 3 + j, ev, "data", "wrap")
            s.ws.set_row(row, _wrapped_height(["", "", "", *names]))
            refs = [f"{_col(3 + j)}{row + 1}" for j in range(len(names))]
            row += 1
            row = line("Delivered by", "DeliveredBy", p["delivered_by"], "date", row_=row)
            first_f = "=MIN(" + ",".join(f"SUMIF(Ev_Label,{r},Ev_Done)" for r in refs) + ")"
            row = line("Earliest delivery", "First", _serial(rc.event_on), "delivered", first_f, row_=row)
            label_f = '""'
            for r in reversed(refs):
                label_f = f"IF(SUMIF(Ev_Label,{r},Ev_Done)={pre}First,{r},{label_f})"
            label_f = f'=IF({pre}First>=Never,"",{label_f})'  # nothing delivered: no event to name
            row = line("Earliest event", "FirstLabel", rc.event_label, "text", label_f, row_=row)
            row = line("Applies", "Active", rc.active, "bool", f"=AND({pre}Visible,{pre}First<={pre}DeliveredBy)",
                       row_=row)
        elif rule.kind == "waive_after_event":
            row = line("Event", "Event", p["event"], "text", row_=row, note=_event_words(ctx, p["event"]))
            row = line("Before", "Before", p["before"], "date", row_=row)
            row = line("Event delivered", "EventOn", _serial(rc.event_on), "delivered",
                       f"=SUMIF(Ev_Key,{pre}Event,Ev_Done)", row_=row)
            row = line("Event label", "EventLabel", rc.event_label, "text",
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
            row = line("Or on the event", "OrEvent", p.get("or_event") or None, "text", row_=row,
                       note=_event_words(ctx, p.get("or_event")))
            row = line("Event delivered", "EventOn", _serial(rc.event_on), "delivered",
                       f"=IF(ISTEXT({pre}OrEvent),SUMIF(Ev_Key,{pre}OrEvent,Ev_Done),Never)", row_=row)
            row = line("Falls due", "Due", _serial(rc.due), "date", f"=MIN({pre}To,{pre}EventOn)", row_=row)
            key = f"FeeRule{k}VoidsEarlierWaivers"
            if key in ctx.choice_maps:
                row = line("Voids earlier waivers", "Voids", rc.voids, "bool", f"={key}", row_=row)
            else:
                row = line("Voids earlier waivers", "Voids", rc.voids, "bool", row_=row)
            row = line("Applies", "Active", rc.active, "bool", f"={pre}Visible", row_=row)
        row += 1
    return row


def _event_words(ctx: Context, key) -> str | None:
    """An event's label, beside the code the formulas match on."""
    return f"({ctx.deal.events[key]['label']})" if key in ctx.deal.events else None


def _col(c: int) -> str:
    return col_name(c)


def _wrapped_height(texts) -> float:
    """Row height for texts wrapped in the Terms tab's columns, from the font's metrics."""
    lines = [wrapped_lines(t, column_px(WIDTHS[j] if j < len(WIDTHS) else 24)) if t else 1
             for j, t in enumerate(texts)]
    return row_height(max(lines, default=1))
