"""The descriptive tabs: Amendment History, Deadlines and Notes."""

from __future__ import annotations

from .context import Context, safe_name
from .xl import serial


def history(ctx: Context):
    s = ctx.new_sheet("history")
    row = ctx.header(s, "history")
    row = ctx.table_head(s, row, ("Date", "Document", "Short", "Terms in our documents", "In view", "What it changed",
                                  "Citation"), (11, 28, 10, 10, 8, 90, 34), frozen_cols=2, height=30)
    for doc in ctx.deal.documents:
        x = row + 1
        s.value(row, 0, doc.date, "data", "date")
        s.value(row, 1, doc.title, "data", "text")
        s.value(row, 2, doc.short, "data", "text")
        s.value(row, 3, "yes" if doc.terms_known else "no: date only (from the recitals)", "data", "text")
        s.formula(row, 4, f'=IF(A{x}<=AmendedThroughEff,"yes","no")',
                  "yes" if serial(doc.date) <= ctx.view_serial else "no", "calc", "text")
        s.value(row, 5, "\n".join(doc.changes) if doc.changes else "", "data", "wrap")
        s.value(row, 6, doc.citation, "data", "wrap")
        if len(doc.changes) > 1:
            s.ws.set_row(row, 12 * len(doc.changes))
        row += 1
    row += 1
    s.text(row, 0, "Parties", "section")
    row += 1
    for j, h in enumerate(("", "Name", "Short", "", "", "Role", "Citation")):
        if h:
            s.text(row, j, h, "header")
    row += 1
    for party in ctx.deal.parties:
        s.value(row, 1, party.get("name", ""), "data", "text")
        s.value(row, 2, party.get("short", ""), "data", "text")
        s.value(row, 5, party.get("role", ""), "data", "wrap")
        s.value(row, 6, party.get("citation", ""), "data", "wrap")
        row += 1


def deadlines(ctx: Context):
    s = ctx.new_sheet("deadlines")
    deal = ctx.deal
    row = ctx.header(s, "deadlines")
    heads = ("Date", "Requirement", "Section", "Document", "Status", "Citation", "Days after as-of",
             "Document signed", "Later change", "Changed by", "Changed on", "Change citation", "Clause citation")
    row = ctx.table_head(s, row, heads, (11, 60, 14, 18, 26, 50, 10, 11, 11, 18, 11, 30, 30), frozen_cols=2,
                         height=30)
    engine = {(r[0], r[1]): r for r in ctx.cat.LSA_DEADLINES(ctx.at)[1:]}
    first = row
    for item in deal.deadlines:
        x = row + 1
        doc = deal.document(item.document)
        ender = deal.document(item.ended_by) if item.ended_by else None
        s.value(row, 0, item.date, "data", "date")
        s.value(row, 1, item.item, "data", "wrap")
        s.value(row, 2, item.section, "data", "text")
        s.value(row, 3, doc.title, "data", "text")
        s.value(row, 7, doc.date, "data", "date")
        s.value(row, 8, item.ended_how or None, "data", "text")
        s.value(row, 9, ender.title if ender else None, "data", "text")
        s.value(row, 10, ender.date if ender else None, "data", "date")
        s.value(row, 11, item.change_citation or None, "data", "wrap")
        s.value(row, 12, item.citation, "data", "wrap")
        eng = engine.get((item.date, item.item))
        if eng is not None:
            status, citation = eng[4], eng[5]
        else:
            status, citation = "not in view", item.citation
        # A later change counts once the document that made it is in view (signed by amended-through).
        ended = f"AND(ISNUMBER(K{x}),K{x}<=AmendedThroughEff)"
        s.formula(row, 4, f'=IF(H{x}>AmendedThroughEff,"not in view",IF({ended},I{x}&" by "&J{x},"in force"))',
                  status, "calc", "text")
        s.formula(row, 5, f'=M{x}&IF(AND({ended},L{x}<>""),"; "&L{x},"")', citation, "calc", "wrap")
        s.formula(row, 6, f"=A{x}-AsOf", (item.date - ctx.inputs.as_of).days, "calc", "count")
        row += 1
    if deal.deadlines:
        ctx.define("DL_Date", s.name, first, 0, row - 1, 0)
        ctx.define("DL_Status", s.name, first, 4, row - 1, 4)
    ctx.deadline_rows = (first, row - 1)


def notes(ctx: Context):
    s = ctx.new_sheet("notes")
    row = ctx.header(s, "notes")
    heads = ("Interpretation", "Question", "Reading in force", "What it means", "Alternatives", "Why this default",
             "How to vary it", "Citation")
    row = ctx.table_head(s, row, heads, (24, 44, 16, 44, 50, 50, 40, 34), frozen_cols=1)
    for interp in ctx.deal.interpretations:
        s.value(row, 0, interp.name, "data", "text")
        s.value(row, 1, interp.question, "data", "wrap")
        if interp.choices:
            key = safe_name(interp.name)
            choice = ctx.rules[interp.name]
            s.formula(row, 2, f"=Switch_{key}", choice, "calc", "text")
            s.formula(row, 3, f'=IFERROR(INDEX(ChoiceDesc_{key},MATCH(C{row + 1},Choices_{key},0)),"not a choice")',
                      interp.choices[choice], "calc", "wrap")
            alternatives = "\n".join(f"{c}: {d}" for c, d in interp.choices.items())
            how = interp.how_to_vary or f"Switch '{interp.name}' on the Inputs tab (default: {interp.default})."
        else:
            s.value(row, 2, interp.default, "data", "text")
            s.value(row, 3, "A recorded reading without a switch", "data", "wrap")
            alternatives = ""
            how = interp.how_to_vary
        s.value(row, 4, alternatives, "data", "wrap")
        s.value(row, 5, interp.rationale, "data", "wrap")
        s.value(row, 6, how, "data", "wrap")
        s.value(row, 7, interp.citation, "data", "wrap")
        s.ws.set_row(row, 12 * max(3, len(interp.choices) + 1))
        row += 1
