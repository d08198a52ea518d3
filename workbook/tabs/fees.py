"""Fee Schedule tab: every installment with its due date as amended, status and why, the rules in
document order, and the rule-by-rule working to the right (on screen, not printed).

Stored values come from the engine's fee working (`View.fee_working`); the formulas are the
workbook's copy of each rule, and build their reason text from the engine's own templates
(`udfs.engine.fees.REASONS`), so a recalculated reason reads exactly as the engine's.
"""

from __future__ import annotations

import re

from udfs.engine.fees import CITATION_JOIN, DELIVERY_WAIVERS, DUE, REASON_JOIN, REASONS, WAIVED, describe
from workbook.context import Context
from workbook.tables.fee_tables import fee_order
from workbook.tabs.cover import FEES_TO_AS_OF
from workbook.xl import col_name, column_px, excel_text, row_height, serial, text_px, wrapped_lines

# printed table: (header, width); the spacer keeps an amount off the reason text beside it
DISPLAY = (("Fee", 17), ("Component", 12), ("Scheduled", 9), ("Due date", 9), ("Status", 11), ("Amount", 9),
           ("Amount due", 9), ("Amount waived", 9), ("", 2), ("Why", 24), ("Citation", 31))  # prints at 89%+
C_FEE, C_COMP, C_SCHED, C_DUE, C_STATUS, C_AMOUNT, C_AMT_DUE, C_WAIVED, C_GAP, C_WHY, C_CIT = range(11)
C_WORK = len(DISPLAY) + 1  # the working starts after a blank column
STATE = ("waived", "waived_by", "due", "reason", "citation")
NOT_YET_DUE = "not yet due"  # a status relative to the as-of date: due after it


def fee_status(t, as_of) -> str:
    """A line's status on the as-of date: not counted, waived, not yet due or due (no payments recorded)."""
    if not t.in_view:
        return "not counted"
    if t.line.status == WAIVED:
        return WAIVED
    return NOT_YET_DUE if t.line.due > as_of else DUE


def _iso(ref: str) -> str:
    return f'YEAR({ref})&"-"&TEXT(MONTH({ref}),"00")&"-"&TEXT(DAY({ref}),"00")'


def text_formula(template: str, **parts: str) -> str:
    """An engine text template as a formula: "{event} delivered {date}" -> Label&" delivered "&ISO(Date)."""
    out = []
    for piece in re.split(r"(\{\w+\})", template):
        if piece:
            name = re.fullmatch(r"\{(\w+)\}", piece)
            out.append(parts[name.group(1)] if name else excel_text(piece))
    return "&".join(out)


def aligned_format(ctx: Context, role: str, kind: str, **extra):
    """The template's format for (role, kind) with extra properties (alignment), made once per build."""
    cache = ctx.__dict__.setdefault("_aligned_formats", {})
    key = (role, kind, tuple(sorted(extra.items())))
    if key not in cache:
        styles = ctx.template["styles"]
        props = {**styles.get("base", {}), **styles.get(role, {}), **styles.get(f"kind_{kind}", {})}
        number = ctx.template["number_formats"].get(kind)
        if number:
            props["num_format"] = number
        cache[key] = ctx.wb.add_format({**props, **extra})
    return cache[key]


def _waived_by(ctx: Context, step) -> int:
    return serial(ctx.deal.document(step.waived_by).date) if step.waived_by else 0


def _summary(ctx: Context, s, top: int, first: int, last: int, traces):
    name = s.name
    in_view = [t for t in traces if t.in_view]
    due_total = sum(t.line.amount for t in in_view if t.line.status == DUE)
    waived_total = sum(t.line.amount for t in in_view if t.line.status == WAIVED)
    due_to_date = ctx.model.fees_due_to_as_of
    amt_due, waived, due = (f"${col_name(c)}${first + 1}:${col_name(c)}${last + 1}"
                            for c in (C_AMT_DUE, C_WAIVED, C_DUE))
    summary = [
        ("Fees payable, every installment", f"=SUM({amt_due})", due_total, None),
        ("Fees waived", f"=SUM({waived})", waived_total, None),
        (FEES_TO_AS_OF, f"=SUMPRODUCT(({due}>=WindowStart)*({due}<=AsOf)*{amt_due})", due_to_date,
         "=LSA_FEES_DUE(WindowStart,AsOf,Events,AmendedThrough,Rules)"),
    ]
    for i, (label, formula, value, live) in enumerate(summary):
        s.text(top + i, 0, label, "label")
        s.formula(top + i, C_AMOUNT, ctx.pick(formula, live), value, "total", "money")
    s.ws.merge_range(top + len(summary), 0, top + len(summary), C_WHY,
                     "Amounts as scheduled, after waivers: what is payable, not balances owed (this file records "
                     "no payments).", s.fmt("note", "text"))
    ctx.define("FeesDueToAsOf", name, top + 2, C_AMOUNT)


def _blocks(rules) -> list:
    """The working columns: 'in view', then per rule its own flags and the state after it."""
    blocks, col = [], C_WORK + 1
    for rs in rules:
        flags = ("touched", "unwaived", "moved") if rs.rule.kind == "redate" else ("applies",)
        cols = {key: col + j for j, key in enumerate(flags + STATE)}
        col += len(cols)
        blocks.append((rs, cols))
    return blocks


def write(ctx: Context):
    s = ctx.new_sheet("fees")
    ws = s.ws
    working = ctx.view.fee_working()
    traces, rules = working.traces, working.rules
    top = ctx.header(s, "fees")
    n = len(traces)
    section = top + 4
    head_row = section + 1
    first, last = head_row + 1, head_row + n
    _summary(ctx, s, top, first, last, traces)

    s.text(section, 0, "Installments, as amended", "section")
    heads = [h for h, _ in DISPLAY]
    ctx.table_head(s, head_row, tuple(heads), tuple(w for _, w in DISPLAY), 2, height=36)
    s.ws.merge_range(head_row, C_GAP, head_row, C_WHY, "Why", s.fmt("header"))  # the gap column under Why's head
    blocks = _blocks(rules)
    s.text(section, C_WORK, "Working: each rule in document order, the state after it (not printed)", "section")
    s.text(head_row, C_WORK, "In view", "header")
    ws.set_column(C_WORK - 1, C_WORK - 1, 2)
    ws.set_column(C_WORK, C_WORK, 8)
    for rs, cols in blocks:
        for key, c in cols.items():
            s.text(head_row, c, f"Rule {rs.number} {rs.rule.kind.replace('_', ' ')}: {key.replace('_', ' ')}",
                   "header")
            ws.set_column(c, c, 30 if key in ("reason", "citation") else 11)

    L = col_name  # noqa: N806
    centered = aligned_format(ctx, "calc", "text", align="center")
    widest: dict[int, float] = {}
    for pos, i in enumerate(fee_order(traces)):
        t = traces[i]
        row = first + pos
        x = row + 1
        inst, line = t.installment, t.line

        def terms(key: str, i: int = i) -> str:  # this installment's cell in a column of the Terms table
            return ctx.cell_of(f"FeeInst_{key}", i)

        view = f"{L(C_WORK)}{x}"
        sched = f"{L(C_SCHED)}{x}"
        s.formula(row, C_FEE, "=" + terms("Fee"), inst.fee_label, "calc", "text")
        s.formula(row, C_COMP, "=" + terms("Component"), inst.component_label, "calc", "text")
        s.formula(row, C_SCHED, "=" + terms("Scheduled"), line.scheduled, "calc", "date")
        s.formula(row, C_AMOUNT, "=" + terms("Amount"), line.amount, "calc", "money")
        s.formula(row, C_WORK, "=" + terms("Visible"), int(t.in_view), "aux", "flag")  # 1/0, as on Terms
        prev = {"waived": "FALSE", "waived_by": "0", "due": sched, "reason": '""', "citation": terms("Citation")}
        for (rs, cols), step in zip(blocks, t.steps, strict=True):
            pre = f"FeeRule{rs.number}_"
            member = terms(f"Rule{rs.number}")
            ref = {c: f"{L(j)}{x}" for c, j in cols.items()}
            state = {"waived": step.status == WAIVED, "waived_by": _waived_by(ctx, step), "due": step.due,
                     "reason": step.reason, "citation": step.citation}
            cite = f'{prev["citation"]}&"{CITATION_JOIN}"&{pre}Citation'
            # a rule that selects lines by their due date as the earlier rules left them
            selects = rs.due_from is not None or rs.due_to is not None
            in_range = f"{prev['due']}>={pre}DueFrom,{prev['due']}<={pre}DueTo" if selects else ""
            if rs.rule.kind == "redate":
                tt, u, m = ref["touched"], ref["unwaived"], ref["moved"]
                which = in_range or f"{sched}>{pre}Signed"
                s.formula(row, cols["touched"], f"=AND({member},{pre}Active,{view},{which},"
                          f"OR(NOT({prev['waived']}),AND({pre}Voids,{prev['waived_by']}<{pre}Signed)))",
                          step.touched, "aux", "bool")
                s.formula(row, cols["unwaived"], f"=AND({tt},{prev['waived']})", step.unwaived, "aux", "bool")
                s.formula(row, cols["moved"], f"=AND({tt},{pre}Due<>{sched})", step.moved, "aux", "bool")
                s.formula(row, cols["waived"], f"=IF({tt},FALSE,{prev['waived']})", state["waived"], "aux", "bool")
                s.formula(row, cols["waived_by"], f"=IF({tt},0,{prev['waived_by']})", state["waived_by"], "aux",
                          "date")
                s.formula(row, cols["due"], f"=IF({m},{pre}Due,{prev['due']})", state["due"], "aux", "date")
                date, doc = _iso(pre + "Due"), pre + "Title"
                on_event = text_formula(REASONS["moved_on_event"], date=date, document=doc, event=pre + "EventLabel")
                moved = (f"IF({pre}EventOn={pre}Due,{on_event},"
                         f"{text_formula(REASONS['moved'], date=date, document=doc)})")
                s.formula(row, cols["reason"],
                          f'=IF({tt},IF({u},{text_formula(REASONS["unwaived"], document=doc)},"")'
                          f'&IF(AND({u},{m}),"{REASON_JOIN}","")&IF({m},{moved},""),{prev["reason"]})',
                          state["reason"], "aux", "text")
                s.formula(row, cols["citation"], f'=IF({m},{cite},{prev["citation"]})', state["citation"], "aux",
                          "text")
            else:
                if rs.rule.kind == "waive_on_event":
                    cond = f"{sched}>={pre}First"
                    text = text_formula(REASONS["waive_on_event"], event=pre + "FirstLabel", date=_iso(pre + "First"))
                elif rs.rule.kind == "waive_after_event":
                    cond = f"{sched}>{pre}EventOn"
                    text = text_formula(REASONS["waive_after_event"], event=pre + "EventLabel",
                                        date=_iso(pre + "EventOn"))
                elif rs.rule.kind in DELIVERY_WAIVERS:
                    cond = "TRUE"
                    when = pre + ("DeliveredBy" if rs.rule.kind == "waive_unless_delivered" else "Last")
                    text = text_formula(REASONS[rs.rule.kind], event=pre + "EventLabel", date=_iso(when),
                                        document=pre + "Title")
                else:
                    cond = f'OR({pre}Scope="all",{sched}>{pre}Signed)'
                    text = text_formula(REASONS["waive"], document=pre + "Title")
                a = ref["applies"]
                cond = f"{cond},{in_range}" if in_range else cond
                s.formula(row, cols["applies"], f"=AND({member},{pre}Active,{view},NOT({prev['waived']}),{cond})",
                          step.touched, "aux", "bool")
                s.formula(row, cols["waived"], f"=OR({prev['waived']},{a})", state["waived"], "aux", "bool")
                s.formula(row, cols["waived_by"], f"=IF({a},{pre}Signed,{prev['waived_by']})", state["waived_by"],
                          "aux", "date")
                s.formula(row, cols["due"], f"={prev['due']}", state["due"], "aux", "date")
                s.formula(row, cols["reason"], f"=IF({a},{text},{prev['reason']})", state["reason"], "aux", "text")
                s.formula(row, cols["citation"], f'=IF({a},{cite},{prev["citation"]})', state["citation"], "aux",
                          "text")
            prev = {c: ref[c] for c in STATE}
        # printed columns: the state after the last rule, for a line in view
        status = line.status if t.in_view else "not counted"
        s.formula(row, C_DUE, f"={prev['due']}", line.due, "calc", "date")
        ws.write_formula(row, C_STATUS, f'=IF(NOT({view}),"not counted",IF({prev["waived"]},"{WAIVED}",'
                         f'IF({L(C_DUE)}{x}>AsOf,"{NOT_YET_DUE}","{DUE}")))', centered,
                         fee_status(t, ctx.inputs.as_of))
        amount = f"{L(C_AMOUNT)}{x}"
        s.formula(row, C_AMT_DUE, f"=IF(AND({view},NOT({prev['waived']})),{amount},0)",
                  line.amount if status == DUE else 0.0, "calc", "money")
        s.formula(row, C_WAIVED, f"=IF(AND({view},{prev['waived']}),{amount},0)",
                  line.amount if status == WAIVED else 0.0, "calc", "money")
        s.value(row, C_GAP, None, "calc", "text")
        s.formula(row, C_WHY, f'=IF({view},{prev["reason"]},"")', line.reason if t.in_view else "", "calc", "wrap")
        s.formula(row, C_CIT, f"={prev['citation']}", line.citation, "calc", "wrap")
        ws.set_row(row, _height((line.citation, C_CIT), (line.reason if t.in_view else "", C_WHY)))
        for step, (_rs, cols) in zip(t.steps, blocks, strict=True):  # the working's text columns fit their text
            for key in ("reason", "citation"):
                widest[cols[key]] = max(widest.get(cols[key], 0.0), text_px(getattr(step, key) or ""))
    for c, px in widest.items():
        ws.set_column(c, c, max(11, round((px + 12) / 7, 1)))
    if n:
        for key, c in (("Fee_Component", C_COMP), ("Fee_Scheduled", C_SCHED), ("Fee_Due", C_DUE),
                       ("Fee_Amount", C_AMOUNT), ("Fee_Status", C_STATUS), ("Fee_AmountDue", C_AMT_DUE),
                       ("Fee_Waived", C_WAIVED)):
            ctx.define(key, s.name, first, c, last, c)
    ctx.fee_rows = (first, last)
    end = _rules_table(ctx, s, max(last, head_row) + 2, traces, blocks, first, last)
    ws.print_area(0, 0, end, len(DISPLAY) - 1)  # the working columns stay on screen only


def _rules_table(ctx: Context, s, row: int, traces, blocks, first: int, last: int) -> int:
    """The rules in document order: in force or not, and how many installments each applied to."""
    if not blocks:
        return row - 2
    centered = aligned_format(ctx, "calc", "text", align="center")
    s.text(row, 0, "Rules, applied in document order", "section")
    row += 1
    heads = {0: "Rule", 1: "Document", 2: "Signed", 3: "Triggered", 4: "Acted on", C_CIT: "Citation"}
    for c, head in heads.items():
        s.text(row, c, head, "header")
    s.ws.merge_range(row, 5, row, C_WHY, "What it does", s.fmt("header"))  # as the rows below: one merged cell
    s.ws.set_row(row, 24)
    row += 1
    for rs, cols in blocks:
        pre = f"FeeRule{rs.number}_"
        flag = col_name(cols["touched" if "touched" in cols else "applies"])
        changed = sum(1 for t in traces if t.steps[rs.number - 1].touched)
        s.ws.write_number(row, 0, rs.number, aligned_format(ctx, "calc", "int", align="center"))
        s.formula(row, 1, f"={pre}Title", rs.document, "calc", "wrap")
        s.formula(row, 2, f"={pre}Signed", rs.signed, "calc", "date")
        triggered = "yes" if rs.active else ("no" if rs.visible else "not counted")
        s.ws.write_formula(row, 3, f'=IF({pre}Active,"yes",IF({pre}Visible,"no","not counted"))', centered,
                           triggered)
        s.ws.write_formula(row, 4, f"=COUNTIF({flag}{first + 1}:{flag}{last + 1},TRUE)",
                           aligned_format(ctx, "calc", "int", align="center"), changed)
        words = describe(ctx.deal, rs.rule)
        s.ws.merge_range(row, 5, row, C_WHY, words, s.fmt("calc", "wrap"))
        s.formula(row, C_CIT, f"={pre}Citation", rs.rule.citation, "calc", "wrap")
        s.ws.set_row(row, _height((rs.document, 1), (rs.rule.citation, C_CIT),
                                  (words, None)))
        row += 1
    return row - 1



def _height(*cells) -> float:
    """Row height for wrapped texts: (text, printed column) pairs; column None is the merged 'What it does'."""
    lines = 1
    for text, c in cells:
        width = (sum(column_px(w) for _, w in DISPLAY[5:C_WHY + 1]) if c is None else column_px(DISPLAY[c][1]))
        lines = max(lines, wrapped_lines(text, width))
    return row_height(lines)
