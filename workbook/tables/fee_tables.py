"""Fees as data on the Terms tab: the installments and, per rule, the cells the Fee Schedule reads.

Every stored value here comes from the engine's fee working (udfs/engine/fees.py `fee_working`):
which rule is in force, the earliest delivery, the date lines fall due. The formulas beside them
are the workbook's own copy of each rule, so that a lender's spreadsheet recomputes with no add-in.
"""

from __future__ import annotations

import datetime as dt

from workbook.context import Context
from workbook.tables.fee_cells import col, date_serial, event_words, wrapped_height
from workbook.tables.generated_fees import sources, write_sources

# A rule's kind in words (the code stays in the deal file; no formula reads this cell).
KIND_WORDS = {"waive_on_event": "Waiver on an event's delivery",
              "waive_after_event": "Waiver of installments after an event",
              "waive": "Waiver", "redate": "New due date",
              "waive_unless_delivered": "Waiver unless delivered in time",
              "waive_if_delivered": "Waiver if delivered in time"}
# A generating rule's kind in words.
def fee_order(traces) -> list[int]:
    """The rows' order: by scheduled date (the due date before any event moves it, so the order does not
    change with the inputs; an installment dated by the view, last), then as the deal lists them."""
    # an installment whose date depends on the view (an exit fee due on a full payment) has no date of its
    # own: it goes last, so that typing an event into the file never calls for another order
    return sorted(range(len(traces)), key=lambda k: (traces[k].installment.date or dt.date.max, k))


def rule_cells(ctx: Context) -> list:
    """The engine's fee rules in document order, each with its state in this view."""
    return list(ctx.view.fee_working().rules) if ctx.deal.installments else []


def write_terms(ctx: Context, s, row: int, scale: float) -> int:
    """Installments and rules on the Terms tab, each column a defined name the Fee Schedule reads."""
    made = sources(ctx)
    if made:
        row = write_sources(ctx, s, row, made, scale)
    row = _write_installments(ctx, s, row, made, scale)
    return _write_rules(ctx, s, row, scale)


def _write_installments(ctx: Context, s, row: int, made: dict, scale: float) -> int:
    """One row a deal installment: its data, its date or amount from a generated fee's cells, whether the
    view counts it, and which rules cover it; each column a name the Fee Schedule reads."""
    name, rules = s.name, rule_cells(ctx)
    traces = ctx.view.fee_working().traces  # one a deal installment, in the deal's order (worked out once)
    inst_heights = [wrapped_height([v for v in (
        "", i.fee_label, i.component_label, i.key.replace("/", " / ").replace("_", " "),
        ctx.deal.document(i.document).title, "", "", "", i.citation)]) for i in ctx.deal.installments]
    ctx.keep_together(s, row, 12 * 2 + 36 + sum(inst_heights), scale)
    s.text(row, 0, "Fee installments", "section")
    row += 1
    heads = ["#", "Fee", "Component", "Key", "Document", "Signed", "Scheduled", "Amount", "Citation", "Counted"]
    heads += [f"Rule {rc.number} covers" for rc in rules]
    for j, head in enumerate(heads):
        s.text(row, j, head, "header")
    s.ws.set_row(row, 36)
    row += 1
    first = row
    for k, (inst, trace) in enumerate(zip(ctx.deal.installments, traces, strict=True), start=1):
        ln = trace.line
        doc = ctx.deal.document(inst.document)
        cells = ((k, "int"), (inst.fee_label, "wrap"), (inst.component_label, "wrap"),
                 (inst.key.replace("/", " / ").replace("_", " "), "wrap"),
                 (doc.title, "wrap"), (doc.date, "date"), (ln.scheduled, "date"), (ln.amount, "money"),
                 (inst.citation, "wrap"))
        for j, (v, kind) in enumerate(cells):
            s.value(row, j, v, "data", kind)
        s.ws.set_row(row, wrapped_height(v if kind == "wrap" else "" for v, kind in cells))
        counted = f"F{row + 1}<=AmendedThroughEff"
        if inst.source is not None:  # generated: the date, amount or term test come from the rule's cells
            g, source = made[inst.key]
            if source.kind == "tiered":
                s.formula(row, 6, f"=FeeGen{g}_Due", ln.scheduled, "calc", "date")
            if source.kind != "recurring":
                s.formula(row, 7, f"=FeeGen{g}_Amount", ln.amount, "calc", "money")
            else:
                counted = f"AND({counted},G{row + 1}<=FeeGen{g}_Until)"
        s.formula(row, 9, f"=IF({counted},1,0)", int(trace.in_view), "calc_centered", "flag")  # 1 and 0: Excel shows
        # yes/no formats on numbers only
        for j, rc in enumerate(rules):
            s.value(row, 10 + j, inst.key in rc.rule.components, "data", "bool")
        row += 1
    for key, c in (("Fee", 1), ("Component", 2), ("Scheduled", 6), ("Amount", 7), ("Citation", 8),
                   ("Visible", 9)):
        ctx.define(f"FeeInst_{key}", name, first, c, row - 1, c)
    for j, rc in enumerate(rules):
        ctx.define(f"FeeInst_Rule{rc.number}", name, first, 10 + j, row - 1, 10 + j)
    row += 1

    return row


def _write_rules(ctx: Context, s, row: int, scale: float) -> int:
    """The fee rules in document order: each one's header row and the lines of its parameters (one function
    a kind of rule, _RULE_LINES)."""
    name, rules = s.name, rule_cells(ctx)
    section = row
    s.text(row, 0, "Fee rules (applied in document order)", "section")
    row += 1
    for rc in rules:
        rule, k = rc.rule, rc.number
        pre = f"FeeRule{k}_"
        # a rule: its header, its row and up to six lines, kept on one printed page (with the section title)
        ctx.keep_together(s, section if rc is rules[0] else row, 12 * (10 if rc is rules[0] else 9), scale)
        row = _rule_head(ctx, s, rc, row, pre)
        line = _RuleLine(ctx, s, name, pre)
        row = _RULE_LINES[rule.kind](ctx, s, rc, row, line)
        if rc.due_from is not None or rc.due_to is not None:  # the rule selects lines by their due date
            row = line("Lines then due from", "DueFrom", rc.due_from or 0, "date", row_=row)
            row = line("Lines then due to", "DueTo", date_serial(rc.due_to), "never", row_=row)
        row += 1
    return row


def _rule_head(ctx: Context, s, rc, row: int, pre: str) -> int:
    """A rule's header row and its row: number, kind, document, signed, counted in this view, citation."""
    rule, k, name = rc.rule, rc.number, s.name
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
    s.ws.set_row(row, wrapped_height(["", KIND_WORDS.get(rule.kind, ""), rc.document]))
    row += 1
    return row


class _RuleLine:
    """One line of a rule's parameters: its label, and its value or formula in column D under a defined name."""

    def __init__(self, ctx: Context, s, name: str, pre: str):
        self.ctx, self.s, self.name, self.pre = ctx, s, name, pre

    def __call__(self, label, key, value, kind, formula=None, row_=None, note=None) -> int:
        s, r = self.s, row_
        if kind == "bool":  # stored as 1/0 and computed as 1/0 (LibreOffice has no boolean type)
            value = int(value)
            if formula is not None and formula.startswith("=AND("):
                formula = f"=IF({formula[1:]},1,0)"
        kind = {"bool": "flag", "date": "never"}.get(kind, kind)
        s.text(r, 1, label, "label")
        if note:
            s.text(r, 4, note, "side")
        if formula is None:
            s.value(r, 3, value, "data", kind)
        else:
            s.formula(r, 3, formula, value, "calc", kind)
        self.ctx.define(self.pre + key, self.name, r, 3)
        return r + 1


def _waive_on_event_lines(ctx: Context, s, rc, row: int, line) -> int:
    k, p, pre = rc.number, rc.rule.params, line.pre
    keys = sorted(p.get("events", ()))
    names = [ctx.deal.events[e]["label"] for e in keys]
    # each event's delivery by its place in the Terms tab's events table (Ev_Done, in the deal's
    # order): a label is free text, and SUMIF would read * ? ~ < = as patterns and ignore case
    places = [list(ctx.deal.events).index(e) + 1 for e in keys]
    s.text(row, 1, "Events", "label")
    for j, ev in enumerate(names):  # by label, as the Inputs tab shows them
        s.value(row, 3 + j, ev, "data", "wrap")
    s.ws.set_row(row, wrapped_height(["", "", "", *names]))
    refs = [f"{col(3 + j)}{row + 1}" for j in range(len(names))]
    row += 1
    row = line("Delivered by", "DeliveredBy", p["delivered_by"], "date", row_=row)
    first_f = "=MIN(" + ",".join(f"INDEX(Ev_Done,{k})" for k in places) + ")"
    row = line("Earliest delivery", "First", date_serial(rc.event_on), "delivered", first_f, row_=row)
    label_f = '""'
    for r, k in zip(reversed(refs), reversed(places), strict=True):
        label_f = f"IF(INDEX(Ev_Done,{k})={pre}First,{r},{label_f})"
    label_f = f'=IF({pre}First>=Never,"",{label_f})'  # nothing delivered: no event to name
    row = line("Earliest event", "FirstLabel", rc.event_label, "text", label_f, row_=row)
    row = line("Applies", "Active", rc.active, "bool", f"=AND({pre}Visible,{pre}First<={pre}DeliveredBy)",
               row_=row)
    return row


def _waive_after_event_lines(ctx: Context, s, rc, row: int, line) -> int:
    p, pre = rc.rule.params, line.pre
    row = line("Event", "Event", p["event"], "text", row_=row, note=event_words(ctx, p["event"]))
    row = line("Before", "Before", p["before"], "date", row_=row)
    row = line("Event delivered", "EventOn", date_serial(rc.event_on), "delivered",
               f"=SUMIF(Ev_Key,{pre}Event,Ev_Done)", row_=row)
    row = line("Event label", "EventLabel", rc.event_label, "text",
               f"=INDEX(Ev_Label,MATCH({pre}Event,Ev_Key,0))", row_=row)
    row = line("Applies", "Active", rc.active, "bool", f"=AND({pre}Visible,{pre}EventOn<{pre}Before)",
               row_=row)
    return row


def _reading(ctx: Context, key: str) -> str | None:
    """A rule's parameter set by a reading: the formula that reads the value in force (the Terms tab's readings
    table); None for a parameter the deal gives as a plain value."""
    return f"={key}" if key in ctx.choice_maps else None


def _waive_lines(ctx: Context, s, rc, row: int, line) -> int:
    k, pre = rc.number, line.pre
    row = line("Scope", "Scope", rc.scope, "text", _reading(ctx, f"FeeRule{k}Scope"), row_=row)
    row = line("Applies", "Active", int(rc.active), "flag", f"={pre}Visible", row_=row)  # a number, as Visible
    return row


def _redate_lines(ctx: Context, s, rc, row: int, line) -> int:
    k, p, pre = rc.number, rc.rule.params, line.pre
    row = line("Due on", "To", p["to"], "date", row_=row)
    row = line("Or on the event", "OrEvent", p.get("or_event") or None, "text", row_=row,
               note=event_words(ctx, p.get("or_event")))
    row = line("Event delivered", "EventOn", date_serial(rc.event_on), "delivered",
               f"=IF(ISTEXT({pre}OrEvent),SUMIF(Ev_Key,{pre}OrEvent,Ev_Done),Never)", row_=row)
    row = line("Event label", "EventLabel", rc.event_label, "text",
               f'=IF(ISTEXT({pre}OrEvent),INDEX(Ev_Label,MATCH({pre}OrEvent,Ev_Key,0)),"")', row_=row)
    if p.get("or_term_end"):
        row = line("Or on the term's end", "TermEnd", ctx.view.end, "date", "=TermEnd", row_=row)
    ends = f",{pre}TermEnd" if p.get("or_term_end") else ""
    row = line("Falls due", "Due", date_serial(rc.due), "date", f"=MIN({pre}To,{pre}EventOn{ends})", row_=row)
    row = line("Voids earlier waivers", "Voids", rc.voids, "bool", _reading(ctx, f"FeeRule{k}VoidsEarlierWaivers"),
               row_=row)
    row = line("Applies", "Active", int(rc.active), "flag", f"={pre}Visible", row_=row)  # a number, as Visible
    return row


def _delivery_waiver_lines(ctx: Context, s, rc, row: int, line) -> int:
    rule, p, pre = rc.rule, rc.rule.params, line.pre
    s.text(row, 1, "Events (all needed)", "label")
    codes = list(p["events"])
    for j, ev in enumerate(codes):
        s.value(row, 3 + j, ev, "data", "text")
    refs = [f"{col(3 + j)}{row + 1}" for j in range(len(codes))]
    row += 1
    row = line("Their labels", "EventLabel", rc.event_label, "text", row_=row)
    row = line("Delivered by", "DeliveredBy", p["delivered_by"], "date", row_=row)
    row = line("Last delivery", "Last", date_serial(rc.event_on), "delivered",
               "=MAX(" + ",".join(f"SUMIF(Ev_Key,{r},Ev_Done)" for r in refs) + ")", row_=row)
    test = f"{pre}Last<={pre}DeliveredBy"
    if rule.kind == "waive_unless_delivered":
        test = f"NOT({test})"
    row = line("Applies", "Active", rc.active, "bool", f"=AND({pre}Visible,{test})", row_=row)
    return row


_RULE_LINES = {
    "waive_on_event": _waive_on_event_lines,
    "waive_after_event": _waive_after_event_lines,
    "waive": _waive_lines,
    "redate": _redate_lines,
    "waive_unless_delivered": _delivery_waiver_lines,
    "waive_if_delivered": _delivery_waiver_lines,
}
