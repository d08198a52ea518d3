"""The descriptive tabs: Amendment History, Deadlines and Notes."""

from __future__ import annotations

from udfs.engine.terms import DEADLINE_WORDS as W
from workbook.context import Context, safe_name
from workbook.tabs.fees import _iso as iso
from workbook.xl import (
    DEFAULT_ROW_PT,
    NEVER_SERIAL,
    block_breaks,
    column_px,
    page_room,
    paper_for,
    row_height,
    serial,
    wrapped_lines,
)


def history(ctx: Context):
    s = ctx.new_sheet("history")
    ws = s.ws
    row = ctx.header(s, "history")
    widths = (11, 22, 11, 14, 7, 52, 28)  # printed at 89% or more: 9-point text at 8 points at least
    row = ctx.table_head(s, row, ("Date", "Document", "Short", "Terms encoded", "Counted",
                                  "What it changed", "Citation"), widths, frozen_cols=2, height=30)
    px = [column_px(w) for w in widths]
    for doc in ctx.deal.documents:
        x = row + 1
        known = "yes" if doc.terms_known else "no: date only (from the recitals)"
        changes = "\n".join(doc.changes) if doc.changes else ""
        s.value(row, 0, doc.date, "data", "date")
        s.value(row, 1, doc.title, "data", "wrap")
        s.value(row, 2, doc.short, "data", "wrap")
        s.value(row, 3, known, "data", "wrap")
        s.formula(row, 4, f'=IF(A{x}<=AmendedThroughEff,"yes","no")',
                  "yes" if serial(doc.date) <= ctx.view_serial else "no", "calc", "text")
        s.value(row, 5, changes, "data", "wrap")
        s.value(row, 6, doc.citation, "data", "wrap")
        lines = max(wrapped_lines(t, px[c]) for c, t in ((1, doc.title), (2, doc.short), (3, known), (5, changes),
                                                          (6, doc.citation)))
        if lines > 1:
            ws.set_row(row, row_height(lines))
        row += 1
    row += 1
    # Parties: the same columns, merged where a party has no use for them, so the table has no empty columns.
    s.text(row, 0, "Parties", "section")
    row += 1
    header = s.fmt("header")
    ws.merge_range(row, 0, row, 1, "Name", header)
    s.text(row, 2, "Short", "header")
    ws.merge_range(row, 3, row, 5, "Role", header)
    s.text(row, 6, "Citation", "header")
    row += 1
    wrap = s.fmt("data", "wrap")
    for party in ctx.deal.parties:
        name, role, citation = party.get("name", ""), party.get("role", ""), party.get("citation", "")
        ws.merge_range(row, 0, row, 1, name, wrap)
        s.value(row, 2, party.get("short", ""), "data", "wrap")
        ws.merge_range(row, 3, row, 5, role, wrap)
        s.value(row, 6, citation, "data", "wrap")
        lines = max(wrapped_lines(name, px[0] + px[1]), wrapped_lines(party.get("short", ""), px[2]),
                    wrapped_lines(role, sum(px[3:6])), wrapped_lines(citation, px[6]))
        if lines > 1:
            ws.set_row(row, row_height(lines))
        row += 1


def deadlines(ctx: Context):
    """Columns A-G are the page a lender reads (printed); H-P the working behind Status and Citation.

    Status follows the Inputs: a requirement ended by a later document in view and signed by the as-of
    date; else, for one met by events, met (on or late, with the delivery date), missed or open; for a
    date only, passed or open (the engine's `View.deadline_status`, whose values are stored)."""
    s = ctx.new_sheet("deadlines")
    deal = ctx.deal
    row = ctx.header(s, "deadlines")
    heads = ("Date", "Requirement", "Section", "Document", "Status as of the as-of date", "Citation",
             "Days from as-of", "Document signed", "Later change", "Changed by", "Changed on", "Change citation",
             "Clause citation", "Met by (events)", "Needs", "Delivered (last needed)")
    widths = (11, 42, 12, 14, 24, 32, 9, 11, 11, 16, 11, 30, 30, 30, 7, 11)  # A-G print at 89% or more
    row = ctx.table_head(s, row, heads, widths, frozen_cols=2, height=30)
    as_of = ctx.inputs.as_of
    engine = {(r[0], r[1]): r for r in ctx.cat.LSA_DEADLINES(ctx.at, as_of, ctx.events)[1:]}
    first = row
    for item in deadline_order(deal):
        x = row + 1
        doc = deal.document(item.document)
        ender = deal.document(item.ended_by) if item.ended_by else None
        s.value(row, 0, item.date, "data", "date")
        s.value(row, 1, item.item, "data", "wrap")
        s.value(row, 2, item.section, "data", "wrap")
        s.value(row, 3, doc.title, "data", "wrap")
        s.value(row, 7, doc.date, "data", "date")
        s.value(row, 8, item.ended_how or None, "data", "text")
        s.value(row, 9, ender.title if ender else None, "data", "wrap")
        s.value(row, 10, ender.date if ender else None, "data", "date")
        s.value(row, 11, item.change_citation or None, "data", "wrap")
        s.value(row, 12, item.citation, "data", "wrap")
        eng = engine.get((item.date, item.item))
        if eng is not None:
            status, citation = eng[4], eng[5]
        elif item.document in ctx.view.visible and not ctx.view.deadline_in_term(item):
            status, citation = W["after_term"], item.citation
        else:
            status, citation = "not counted", item.citation
        # A later change counts once the document that made it is in view (signed by amended-through)
        # and was signed by the as-of date.
        ended = f"AND(ISNUMBER(K{x}),K{x}<=AmendedThroughEff,K{x}<=AsOf)"
        if item.met_by:
            s.value(row, 13, ", ".join(item.met_by), "data", "wrap")
            s.value(row, 14, item.met_when, "data", "text")
            # Ev_Done: the delivery date of each event, or Never; all -> the last of them, any -> the first
            done = [ctx.view.events.get(e) for e in item.met_by]
            if item.met_when == "any":
                known = [d for d in done if d is not None]
                stored = serial(min(known)) if known else NEVER_SERIAL
            else:
                stored = NEVER_SERIAL if None in done else serial(max(done))
            pick = "MIN" if item.met_when == "any" else "MAX"
            s.formula(row, 15, f"={pick}(" + ",".join(f'SUMIF(Ev_Key,"{e}",Ev_Done)' for e in item.met_by) + ")",
                      stored, "calc", "date")
            p = f"P{x}"
            dated = (f'IF({p}<=AsOf,IF({p}<=A{x},"{W["met"]}","{W["met_late"]}")&{iso(p)},'
                     f'IF(AsOf>=A{x},"{W["not_delivered"]}"&{iso(f"A{x}")},"{W["open"]}"))')
            # the deadline passed undelivered before the later document ended it: said first
            missed_first = f'IF(AND({p}>A{x},A{x}<K{x}),"{W["not_delivered"]}"&{iso(f"A{x}")}&"{W["then"]}","")&'
        else:
            dated = f'IF(AsOf>A{x},"{W["date_passed"]}","{W["open"]}")'
            missed_first = ""
        if item.occurrence is not None and item.until is None:  # a recurrence that runs to the term's end
            dated = f'IF(A{x}>TermEnd,"{W["after_term"]}",{dated})'
        s.formula(row, 4, f'=IF(H{x}>AmendedThroughEff,"not counted",IF({ended},{missed_first}I{x}&" by "&J{x},'
                  f'{dated}))', status, "calc", "wrap")
        s.formula(row, 5, f'=M{x}&IF(AND({ended},L{x}<>""),"; "&L{x},"")', citation, "calc", "wrap")
        s.formula(row, 6, f"=A{x}-AsOf", (item.date - as_of).days, "calc", "days")
        # tall enough for the longest text the row can show, whatever the inputs
        longest = {1: item.item, 2: item.section, 3: doc.title, 9: ender.title if ender else "",
                   4: (f"{W['not_delivered']}2000-01-01{W['then']}{item.ended_how} by {ender.title}" if ender
                       else f"{W['not_delivered']}2000-01-01"),
                   5: f"{item.citation}; {item.change_citation}" if item.change_citation else item.citation,
                   11: item.change_citation or "", 12: item.citation, 13: ", ".join(item.met_by)}
        lines = max(wrapped_lines(text, column_px(widths[c])) for c, text in longest.items())
        if lines > 1:
            s.ws.set_row(row, row_height(lines))
        row += 1
    if deal.deadlines:
        ctx.define("DL_Date", s.name, first, 0, row - 1, 0)
        ctx.define("DL_Requirement", s.name, first, 1, row - 1, 1)
        ctx.define("DL_Status", s.name, first, 4, row - 1, 4)
        s.ws.print_area(0, 0, row - 1, 6)
    ctx.deadline_rows = (first, row - 1)


def deadline_order(deal) -> list:
    """The deadlines in date order (as the deal lists them on one date): the Deadlines tab's rows."""
    return sorted(deal.deadlines, key=lambda d: d.date)


def notes(ctx: Context):
    """One block a reading, label and text one under the other, so the page stays readable at 100%:
    each text wraps in a wide column and its row is as tall as its lines; a block never splits."""
    s = ctx.new_sheet("notes")
    ws = s.ws
    label_w, text_w = 16, 76
    ws.set_column(0, 0, label_w)
    ws.set_column(1, 1, text_w)
    ws.set_column(2, 3, 1)  # the master check's bar spans A:D; keep it within a portrait page
    row = ctx.header(s, "notes")
    px = column_px(text_w)
    tall = [20] + [DEFAULT_ROW_PT] * 3
    blocks = []
    heights: list[float] = []  # the current block's row heights
    def line(label, text, formula=None, stored=None, longest=None, role="data"):
        nonlocal row
        s.text(row, 0, label, "label")
        if formula is None:
            s.value(row, 1, text, role, "wrap")
        else:
            s.formula(row, 1, formula, stored, "calc", "wrap")
        lines = wrapped_lines(longest if longest is not None else text, px)
        if lines > 1:
            ws.set_row(row, row_height(lines))
        heights.append(max(row_height(lines), DEFAULT_ROW_PT))
        row += 1

    for interp in ctx.deal.interpretations:
        first = row
        heights.clear()

        s.text(row, 0, interp.title or human(interp.name), "section")
        s.text(row, 1, "", "section")
        heights.append(DEFAULT_ROW_PT + 2)
        row += 1
        line("Question", interp.question)
        if interp.choices:
            key = safe_name(interp.name)
            choice = ctx.rules[interp.name]
            longest = max(interp.choices.values(), key=len)
            line("Reading in force", None,
                 f'=IF(SwitchNo_{key}=0,"not a choice",INDEX(ChoiceDesc_{key},SwitchNo_{key}))'
                 f'&" (switch: "&Switch_{key}&")"',
                 f"{interp.choices[choice]} (switch: {choice})", f"{longest} (switch: {max(interp.choices, key=len)})")
            line("Alternatives", "\n".join(f"{c}: {d}" for c, d in interp.choices.items()))
            how = (f"On the Inputs tab, under Interpretation switches, set the row '{human(interp.name)}' to "
                   f"one of the alternatives (default: {interp.default}).")
        else:
            line("Reading", interp.default)
            how = interp.how_to_vary or "A recorded reading, without a switch."
        line("Why this default", interp.rationale)
        line("How to vary it", how)
        line("Citation", interp.citation)
        row += 1
        blocks.append((first, sum(heights) + DEFAULT_ROW_PT))
    # clauses recorded for readers, apart from the readings: what they say, not what they mean
    for k, prov in enumerate(ctx.deal.provisions):
        first = row
        heights.clear()
        if k == 0:
            s.text(row, 0, "Provisions recorded, not computed", "title")
            ws.set_row(row, 20)
            heights.append(20)
            row += 1
        s.text(row, 0, prov.title, "section")
        s.text(row, 1, "", "section")
        heights.append(DEFAULT_ROW_PT + 2)
        row += 1
        doc = ctx.deal.document(prov.document)
        line("Kind", prov.kind)
        line("What it says", prov.text)
        line("Document", f"{doc.title}, signed {doc.date.isoformat()}")
        line("Citation", prov.citation)
        row += 1
        blocks.append((first, sum(heights) + DEFAULT_ROW_PT))
    paper = paper_for(ctx.template, ctx.deal.raw.get("deal", {}).get("currency"))
    landscape = ctx.tabs["notes"].get("orientation", "landscape") != "portrait"
    ws.set_h_pagebreaks(block_breaks(blocks, page_room(paper, landscape), sum(tall)))


def human(code: str) -> str:
    """A code as words: 'max_limit_late_increase' -> 'Max limit late increase'."""
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
