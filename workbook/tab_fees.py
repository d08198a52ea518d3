"""Fee Schedule tab: every installment with its due date as amended, status and why, and the
rule-by-rule working to the right (one block of columns per rule, in document order)."""

from __future__ import annotations

from .context import Context
from .fees_model import chain
from .xl import col_name, quote, serial

DISPLAY = ("Fee", "Component", "Scheduled", "Due date", "Amount", "Status", "Amount due", "Amount waived", "Reason",
           "Citation", "In view")
WIDTHS = (16, 16, 11, 11, 12, 10, 12, 12, 44, 60, 8)


def _iso(ref: str) -> str:
    return f'YEAR({ref})&"-"&TEXT(MONTH({ref}),"00")&"-"&TEXT(DAY({ref}),"00")'


def engine_lines(ctx: Context) -> dict:
    table = ctx.cat.LSA_FEE_SCHEDULE(ctx.events or None, ctx.at, ctx.rules)
    head, rows = table[0], table[1:]
    out = {}
    for row in rows:
        rec = dict(zip(head, row, strict=True))
        out[(rec["fee"], rec["component"], rec["scheduled_date"])] = rec
    return out


def write(ctx: Context):
    s = ctx.new_sheet("fees")
    ws = s.ws
    name = s.name
    rules = ctx.fee_rule_cells
    rows = chain(ctx, rules)
    engine = engine_lines(ctx)
    top = ctx.header(s, "fees")
    for j, w in enumerate(WIDTHS):
        ws.set_column(j, j, w)

    # summary
    n = len(rows)
    head_row = top + 5
    first, last = head_row + 1, head_row + n
    due_total = sum(r["inst"].amount for r in rows if r["in_view"] and not r["final"]["waived"])
    waived_total = sum(r["inst"].amount for r in rows if r["in_view"] and r["final"]["waived"])
    as_of = ctx.inputs.as_of
    due_to_date = ctx.cat.LSA_FEES_DUE(ctx.start, as_of, ctx.events or None, ctx.at, ctx.rules)
    G, H, D = (f"${c}${first + 1}:${c}${last + 1}" for c in ("G", "H", "D"))  # noqa: N806
    summary = [
        ("Fees due (all installments in view)", f"=SUM({G})", due_total, None),
        ("Fees waived", f"=SUM({H})", waived_total, None),
        ("Fees due from the window start through the as-of date",
         f"=SUMPRODUCT(({D}>=WindowStart)*({D}<=AsOf)*{G})", due_to_date,
         "=LSA_FEES_DUE(WindowStart,AsOf,Events,AmendedThrough,Rules)"),
    ]
    for i, (label, formula, value, live) in enumerate(summary):
        s.text(top + i, 0, label, "label")
        s.formula(top + i, 4, ctx.pick(formula, live), value, "total", "money")
    ctx.define("FeesDueToAsOf", name, top + 2, 4)
    ctx.fee_totals = {"due": due_total, "waived": waived_total, "to_as_of": due_to_date}

    # headers
    heads = list(DISPLAY)
    blocks = []
    col = len(DISPLAY)
    for rc in rules:
        extra = ("touched", "unwaived", "moved") if rc.rule.kind == "redate" else ("applies",)
        cols = {key: col + j for j, key in enumerate(extra + ("waived", "waived_by", "due", "reason", "citation"))}
        col += len(cols)
        blocks.append((rc, cols))
        for key in cols:
            heads.append(f"Rule {rc.k} {rc.rule.kind}: {key.replace('_', ' ')}")
    for j, head in enumerate(heads):
        s.text(head_row, j, head, "header")
        if j >= len(DISPLAY):
            ws.set_column(j, j, 30 if head.endswith(("reason", "citation")) else 11)
    ws.set_row(head_row, 48)
    ws.freeze_panes(head_row + 1, 2)
    ws.repeat_rows(head_row)

    T = quote(ctx.tab("terms")) + "!"  # noqa: N806
    for i, r in enumerate(rows):
        row = first + i
        x = row + 1
        y = ctx.fee_terms_first + i + 1
        inst = r["inst"]
        key = (inst.fee_label, inst.component_label, inst.date)
        eng = engine.get(key)
        final = r["final"]
        s.formula(row, 0, f"={T}B{y}", inst.fee_label, "calc", "text")
        s.formula(row, 1, f"={T}C{y}", inst.component_label, "calc", "text")
        s.formula(row, 2, f"={T}G{y}", inst.date, "calc", "date")
        s.formula(row, 4, f"={T}H{y}", inst.amount, "calc", "money")
        s.formula(row, 10, f"={T}J{y}", r["in_view"], "calc", "bool")
        prev = {"waived": "FALSE", "waived_by": "0", "due": f"C{x}", "reason": '""', "citation": f"{T}I{y}"}
        for (rc, cols), (vals, state) in zip(blocks, r["steps"], strict=True):
            k = rc.k
            pre = f"FeeRule{k}_"
            member = f"{T}{col_name(10 + k - 1)}{y}"
            ref = {c: f"{col_name(j)}{x}" for c, j in cols.items()}
            if rc.rule.kind == "redate":
                s.formula(row, cols["touched"], f"=AND({member},{pre}Active,K{x},C{x}>{pre}Signed,"
                          f"OR(NOT({prev['waived']}),AND({pre}Voids,{prev['waived_by']}<{pre}Signed)))",
                          vals["touched"], "calc", "bool")
                s.formula(row, cols["unwaived"], f"=AND({ref['touched']},{prev['waived']})", vals["unwaived"],
                          "calc", "bool")
                s.formula(row, cols["moved"], f"=AND({ref['touched']},{pre}Due<>C{x})", vals["moved"], "calc", "bool")
                t, u, m = ref["touched"], ref["unwaived"], ref["moved"]
                s.formula(row, cols["waived"], f"=IF({t},FALSE,{prev['waived']})", state["waived"], "calc", "bool")
                s.formula(row, cols["waived_by"], f"=IF({t},0,{prev['waived_by']})", state["waived_by"], "calc",
                          "date")
                s.formula(row, cols["due"], f"=IF({m},{pre}Due,{prev['due']})", state["due"], "calc", "date")
                moved_text = (f'IF({pre}EventOn={pre}Due,"due on full payment "&{_iso(pre + "Due")}&" under "&'
                              f'{pre}Title,"moved to "&{_iso(pre + "Due")}&" by "&{pre}Title)')
                s.formula(row, cols["reason"],
                          f'=IF({t},IF({u},"earlier waiver superseded by "&{pre}Title,"")&IF(AND({u},{m}),"; ","")'
                          f'&IF({m},{moved_text},""),{prev["reason"]})', state["reason"], "calc", "text")
                s.formula(row, cols["citation"], f'=IF({m},{prev["citation"]}&"; "&{pre}Citation,{prev["citation"]})',
                          state["citation"], "calc", "text")
            else:
                if rc.rule.kind == "waive_on_event":
                    cond = f"C{x}>={pre}First"
                    text = f'{pre}FirstLabel&" delivered "&{_iso(pre + "First")}'
                elif rc.rule.kind == "waive_after_event":
                    cond = f"C{x}>{pre}EventOn"
                    text = f'"scheduled after the "&{pre}EventLabel&" on "&{_iso(pre + "EventOn")}'
                else:
                    cond = f'OR({pre}Scope="all",C{x}>{pre}Signed)'
                    text = f'"waived by "&{pre}Title'
                a = ref["applies"]
                s.formula(row, cols["applies"], f"=AND({member},{pre}Active,K{x},NOT({prev['waived']}),{cond})",
                          vals["applies"], "calc", "bool")
                s.formula(row, cols["waived"], f"=OR({prev['waived']},{a})", state["waived"], "calc", "bool")
                s.formula(row, cols["waived_by"], f"=IF({a},{pre}Signed,{prev['waived_by']})", state["waived_by"],
                          "calc", "date")
                s.formula(row, cols["due"], f"={prev['due']}", state["due"], "calc", "date")
                s.formula(row, cols["reason"], f"=IF({a},{text},{prev['reason']})", state["reason"], "calc", "text")
                s.formula(row, cols["citation"], f'=IF({a},{prev["citation"]}&"; "&{pre}Citation,{prev["citation"]})',
                          state["citation"], "calc", "text")
            prev = {c: ref[c] for c in ("waived", "waived_by", "due", "reason", "citation")}
        # display: the engine's answer where the line is in view
        status = "not in view" if not r["in_view"] else ("waived" if final["waived"] else "due")
        due = final["due"]
        reason = final["reason"] if r["in_view"] else ""
        citation = final["citation"]
        if eng is not None:
            status, due, reason, citation = eng["status"], serial(eng["due_date"]), eng["reason"], eng["citation"]
        s.formula(row, 3, f"={prev['due']}", due, "calc", "date")
        s.formula(row, 5, f'=IF(NOT(K{x}),"not in view",IF({prev["waived"]},"waived","due"))', status, "calc", "text")
        s.formula(row, 6, f"=IF(AND(K{x},NOT({prev['waived']})),E{x},0)",
                  inst.amount if status == "due" else 0.0, "calc", "money")
        s.formula(row, 7, f"=IF(AND(K{x},{prev['waived']}),E{x},0)",
                  inst.amount if status == "waived" else 0.0, "calc", "money")
        s.formula(row, 8, f'=IF(K{x},{prev["reason"]},"")', reason, "calc", "wrap")
        s.formula(row, 9, f"={prev['citation']}", citation, "calc", "wrap")
        ws.set_row(row, 12 * (1 + len(citation) // 70))
    if n:
        for key, c in (("Fee_Scheduled", 2), ("Fee_Due", 3), ("Fee_Amount", 4), ("Fee_Status", 5),
                       ("Fee_AmountDue", 6), ("Fee_Waived", 7)):
            ctx.define(key, name, first, c, last, c)
    ctx.fee_rows = (first, last)
    ws.print_area(0, 0, max(last, head_row), len(DISPLAY) - 1)  # the working columns stay on screen only
