"""Borrowing Capacity certificate: one printed page for the as-of date, as a borrower sends it to its
lenders, with a signature block for an officer.

Every figure is a formula over the Inputs, Terms and Borrowing Capacity cells (by their defined
names), so it follows the inputs; the live flavor's headline figures call the LSA_ functions.
Why the Maximum Limit is what it is (the step in force and its clause) is worked out in a small
table below the printed page, from the Terms step table, the way the engine compiles a term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import termtables
from .context import Context
from .termtables import UNBOUNDED, TermBlock
from .xl import (
    DEFAULT_ROW_PT,
    NEVER_SERIAL,
    cell,
    col_name,
    column_px,
    excel_text,
    from_serial,
    row_height,
    serial,
    wrapped_lines,
)

WIDTHS = (41, 15, 41)  # label, amount, clause or note; column D stays narrow under the master-check bar
WORK_WIDTHS = (20, 10, 11, 10, 12, 44, 18, 11, 60, 10)  # the working tables
WORK_TOP = 70  # their first row, below the printed page
EVENTS = "Events,AmendedThrough,Rules"


@dataclass
class Why:
    """The row of a term's step table that sets its value on the as-of date, and what it says."""

    row: int  # 1-based within the block; 0: no row in force
    citation: str
    document: str
    step: str  # "version", "level step", "cap step"
    effective: int | None  # serial
    reason: str


def borrower(ctx: Context) -> tuple[str, str]:
    """The borrower's name and short name, from the deal file."""
    deal = ctx.deal
    name = deal.raw.get("deal", {}).get("borrower")
    party = next((p for p in deal.parties if p.get("name") == name), None)
    if party is None:
        party = next((p for p in deal.parties if p.get("role", "").lower() in ("debtor", "borrower")), None)
    if party is None:
        return name or deal.name, name or deal.short_name
    return party.get("name", ""), party.get("short", party.get("name", ""))


def _reason(ctx: Context, r) -> str:
    """In words, what a step-table row does when it is the one in force."""
    labels = {k: v.get("label", k) for k, v in ctx.deal.events.items()}
    if r.starts_version:
        return f"the level {r.document} set; no later step of it is in effect on the date"
    if r.on_event:  # a step dated by an event
        return f"a {'cap' if r.caps else 'level'} from the {labels.get(r.on_event, r.on_event)}'s date"
    if r.caps:
        if r.unless:
            names = " and ".join(labels.get(e, e) for e in r.unless)
            return f"a cap: {names} were not both delivered by {r.unless_by.isoformat()}"
        return f"a cap from {r.start.isoformat()}, whatever is delivered"
    if r.requires:
        names = " and ".join(labels.get(e, e) for e in r.requires)
        return f"a step up: {names} delivered"
    return f"a level from {r.start.isoformat()}"


@dataclass
class _At:
    """A term's step table read by the engine for one day: what the working table's formulas give."""

    visible: list  # per block row: its document is in view
    ends: list  # per block row: its version's end (serial; Never if open)
    effective: list  # per block row: when it takes effect (serial; Never if it does not)
    values: list  # per block row: its value (dates as serials)
    at: dict  # version_row, version, level_from, level, cap (the lowest cap in effect, binding or not)


def _engine_at(ctx: Context, block: TermBlock, day: int) -> _At:
    view = ctx.view
    rows = block.rows
    versions = ctx.deal.terms[block.key]
    visible = [versions[r.version - 1].document in view.visible for r in rows]
    ends = [NEVER_SERIAL if r.to is None else serial(r.to) for r in rows]
    effective = [eff for _, eff in termtables.row_dates(block, view.events, view.rules)]
    values = [serial(r.value) if isinstance(r.value, dt.date) else r.value for r in rows]
    piece = view.term(block.key).piece(from_serial(day).toordinal())
    if piece is None or piece.version is None:
        return _At(visible, ends, effective, values, {"version_row": 0, "version": 0, "level_from": 0,
                                                       "level": None, "cap": None})
    version = piece.version + 1
    version_row = next(r.row for r in rows if r.version == version and r.starts_version)
    caps = [values[i] for i, r in enumerate(rows) if r.version == version and r.caps and effective[i] <= day]
    return _At(visible, ends, effective, values, {
        "version_row": version_row, "version": version, "level_from": serial(piece.level_from),
        "level": piece.level, "cap": min(caps) if caps else None})


def why(ctx: Context, block: TermBlock) -> Why:
    """What the working table's formulas give, worked out in Python for the stored values."""
    day = serial(ctx.inputs.as_of)
    mirror = _engine_at(ctx, block, day)
    at = mirror.at
    rows = block.rows
    mine = [i for i, r in enumerate(rows) if at["version_row"] and r.version == at["version"]]
    level_row = max([rows[i].row for i in mine if rows[i].sets_level and mirror.effective[i] <= day
                     and mirror.effective[i] == at["level_from"]] or [0])
    bind = level_row
    if at["cap"] is not None and at["level"] is not None and at["cap"] < at["level"]:
        caps = [i for i in mine if rows[i].caps and mirror.effective[i] <= day]
        bind = max(rows[i].row for i in caps if mirror.values[i] == at["cap"])  # the latest of tied caps
    if not bind:
        return Why(0, "none", "none", "none", None, "no document counted sets it on the date")
    r = rows[bind - 1]
    return Why(bind, r.citation, r.document, r.kind, mirror.effective[bind - 1], _reason(ctx, r))


def _working(ctx: Context, s, row: int, block: TermBlock, left: int) -> tuple[dict, int]:
    """The working table for one term: which row of its step table is in force on the as-of date.

    Columns: step-table row, version key, level key, level row, cap key, clause, document, step,
    reason; then single cells for the version, level, cap and the binding row. Plain MAX/MIN/MATCH
    over helper columns, no array arithmetic. Returns the addresses of the answers and the next row."""
    st = block.stem
    day = serial(ctx.inputs.as_of)
    mirror = _engine_at(ctx, block, day)
    at = mirror.at
    s.text(row, left, f"{block.label}: which step is in force on the as-of date", "section")
    row += 1
    heads = ("Row", "Version in force?", "Level from", "Level row", "Cap value", "Clause", "Document", "Step",
             "What it does", "Row of the lowest cap")
    for j, h in enumerate(heads):
        s.text(row, left + j, h, "header")
    s.ws.set_row(row, 30)
    row += 1
    first, n = row, len(block.rows)
    L = [col_name(left + j) for j in range(len(heads))]  # noqa: N806
    last = first + max(n, 2) - 1  # two rows at least: Gnumeric refuses INDEX over a single cell
    c = {name: f"${L[j]}${first + 1}:${L[j]}${last + 1}" for j, name in enumerate(
        ("k", "vkey", "lkey", "lrow", "ckey", "cit", "doc", "step", "why", "crow"))}
    out_row = last + 2
    V, LFROM, LROW, CAP, BIND = (cell(out_row + j, left + 1, absolute=True) for j in range(5))
    level_rows = []
    for i, r in enumerate(block.rows):
        x = row + 1
        k = f"${L[0]}{x}"
        s.value(row, left, r.row, "aux", "int")
        vk = r.row if (r.starts_version and mirror.visible[i] and serial(r.start) <= day <= mirror.ends[i]) else 0
        s.formula(row, left + 1, f"=IF(AND(INDEX({st}_StartsVersion,{k}),INDEX({st}_Visible,{k}),"
                  f"INDEX({st}_From,{k})<=AsOf,INDEX({st}_Ends,{k})>=AsOf),{k},0)", vk, "aux", "int")
        mine = at["version_row"] and r.version == at["version"]
        lk = mirror.effective[i] if (mine and r.sets_level and mirror.effective[i] <= day) else 0
        s.formula(row, left + 2, f"=IF(AND(INDEX({st}_Version,{k})={V},INDEX({st}_SetsLevel,{k}),"
                  f"INDEX({st}_Effective,{k})<=AsOf),INDEX({st}_Effective,{k}),0)", lk, "aux", "int")
        lr = r.row if (lk and lk == at["level_from"]) else 0
        s.formula(row, left + 3, f"=IF(AND({L[2]}{x}>0,{L[2]}{x}={LFROM}),{k},0)", lr, "aux", "int")
        ck = mirror.values[i] if (mine and r.caps and mirror.effective[i] <= day) else UNBOUNDED
        s.formula(row, left + 4, f"=IF(AND(INDEX({st}_Version,{k})={V},INDEX({st}_Caps,{k}),"
                  f"INDEX({st}_Effective,{k})<=AsOf),INDEX({st}_Value,{k}),Unbounded)", ck, "aux", "cap")
        level_rows.append(lr)
        # the row if its cap is the lowest in effect: of caps at one figure the last (latest) row binds
        cr = r.row if (ck != UNBOUNDED and at["cap"] is not None and ck == at["cap"]) else 0
        s.formula(row, left + 9, f"=IF(AND({L[4]}{x}<Unbounded,{L[4]}{x}={CAP}),{k},0)", cr, "aux", "int")
        s.value(row, left + 5, r.citation, "data", "wrap")
        s.value(row, left + 6, r.document, "data", "wrap")
        s.value(row, left + 7, r.kind, "data", "wrap")
        s.value(row, left + 8, _reason(ctx, r), "data", "wrap")
        lines = max(wrapped_lines(t, column_px(WORK_WIDTHS[5 + j]))
                    for j, t in enumerate((r.citation, r.document, r.kind, _reason(ctx, r))))
        if lines > 1:
            s.ws.set_row(row, row_height(lines))
        row += 1
    w = why(ctx, block)
    vrow = at["version_row"]
    cap = UNBOUNDED if at["cap"] is None else at["cap"]
    answers = [
        ("Version in force", f"=IF(MAX({c['vkey']})=0,0,INDEX({st}_Version,MAX({c['vkey']})))",
         at["version"] if vrow else 0, "int"),
        ("Its level set on", f"=MAX({c['lkey']})", at["level_from"], "int"),
        ("Row of that level", f"=MAX({c['lrow']})", max(level_rows), "int"),
        ("Lowest cap in effect", f"=MIN({c['ckey']})", cap, "cap"),
        ("Row in force", f"=IF(AND({LROW}>0,{CAP}<INDEX({st}_Value,MAX({LROW},1))),MAX({c['crow']}),{LROW})",
         w.row, "int"),
    ]
    row = out_row
    for label, formula, value, kind in answers:
        s.text(row, left, label, "label")
        s.formula(row, left + 1, formula, value, "aux", kind)
        row += 1

    def pick(col: str, fallback: str) -> str:
        return f"IF({BIND}=0,{excel_text(fallback)},INDEX({c[col]},{BIND}))"

    return {"why": w, "cit": pick("cit", "none"), "doc": pick("doc", "none"), "step": pick("step", "none"),
            "reason": pick("why", "no document counted sets it on the date"),
            "effective": f"IF({BIND}=0,\"\",INDEX({st}_Effective,{BIND}))"}, row + 1


def write(ctx: Context):
    s = ctx.new_sheet("certificate")
    ws = s.ws
    deal, i = ctx.deal, ctx.inputs
    text = ctx.template.get("certificate", {})
    for j, w in enumerate(WIDTHS):
        ws.set_column(j, j, w)
    ws.set_column(3, 3, 1)
    px = [column_px(w) for w in WIDTHS]
    top = ctx.header(s, "certificate")
    name, short = borrower(ctx)
    agent = deal.raw.get("deal", {}).get("agent", "the Agent")
    blocks = {b.key: b for b in ctx.blocks}
    # the working tables sit below and to the right of the printed page, so that neither their
    # rows' heights nor their columns' widths change the page
    left = len(WIDTHS) + 2
    for j, w in enumerate(WORK_WIDTHS):
        ws.set_column(left + j, left + j, w)
    work: dict = {}
    row = WORK_TOP
    s.text(row, left, "Working (on screen, not printed): the step in force on the as-of date, from the Terms tab",
           "subtitle")
    row += 2
    for key in ("max_limit", "advance_rate", "overadvance_limit"):
        if key in blocks:
            work[key], row = _working(ctx, s, row, blocks[key], left)

    wrap = s.fmt("note", "text")
    row = top
    s.text(row, 0, "To", "label")
    s.text(row, 1, f"{agent}, as Agent, and the Lenders", "text")
    row += 1
    s.text(row, 0, "From", "label")
    s.text(row, 1, name, "text")
    row += 1
    s.text(row, 0, "As of", "label")
    s.formula(row, 1, "=AsOf", i.as_of, "calc", "date")
    s.text(row, 2, "figures at the close of this day", "side")
    row += 1
    s.text(row, 0, "Terms as amended through", "label")
    s.formula(row, 1, '=IF(ISNUMBER(AmendedThrough),AmendedThrough,"all documents")',
              serial(i.amended_through) if i.amended_through else "all documents", "calc", "date")
    row += 2

    m = ctx.model
    rate = m.advance_rate
    base = "" if rate == "" else rate * i.receivables
    ml, capacity, over, avail = m.max_limit, m.capacity, m.overadvance, m.availability
    lines: dict[str, int] = {}

    def figure(key, label, formula, value, kind="money", note="", live=None, role="calc"):
        nonlocal row
        s.text(row, 0, label, "label" if role != "total" else "total")
        s.formula(row, 1, ctx.pick(formula, live), value, role, kind)
        if note:
            s.text(row, 2, note, "side")
        lines[key] = row
        row += 1

    def at(key):
        return cell(lines[key], 1)

    def clause(r, answer, key):
        """The clause of the step in force, wrapped; the row fits the longest clause the term has."""
        s.formula(r, 2, "=" + answer["cit"], answer["why"].citation, "clause", "text")
        longest = max((b.citation for b in blocks[key].rows), key=lambda t: wrapped_lines(t, px[2]))
        ws.set_row(r, max(DEFAULT_ROW_PT, row_height(wrapped_lines(longest, px[2]))))

    s.text(row, 0, "Borrowing base", "section")
    s.text(row, 1, "Amount", "section")
    s.text(row, 2, "Clause", "section")
    row += 1
    figure("rec", f"1. {short} Receivables Borrowing Base", "=Receivables", i.receivables,
           note="the borrower's figure (Inputs tab)")
    mw = work.get("max_limit")
    aw = work.get("advance_rate")
    figure("rate", "2. Advance rate", "=INDEX(BC_AdvanceRate,MATCH(AsOf,BC_Date,0))", rate, "rate")
    if aw:
        clause(lines["rate"], aw, "advance_rate")
    figure("base", f"3. {short} Borrowing Capacity from receivables (1 x 2)", f"={at('rec')}*{at('rate')}", base)
    figure("ml", "4. Maximum Limit in force", "=AsOfMaxLimit", ml, live=f"=LSA_MAX_LIMIT(AsOf,{EVENTS})")
    if mw:
        w = mw["why"]
        clause(lines["ml"], mw, "max_limit")
        s.text(row, 0, "    set by", "label")
        s.formula(row, 1, "=" + mw["effective"], w.effective if w.effective is not None else "", "calc", "date")
        s.formula(row, 2, f'={mw["doc"]}&", "&{mw["step"]}', f"{w.document}, {w.step}", "clause", "text")
        row += 1
        s.text(row, 0, "    why", "label")
        longest = max([_reason(ctx, r) for r in blocks["max_limit"].rows] + ["no document counted sets it"], key=len)
        ws.merge_range(row, 1, row, 2, "", wrap)
        s.formula(row, 1, "=" + mw["reason"], w.reason, "note", "text")
        ws.set_row(row, max(DEFAULT_ROW_PT, row_height(wrapped_lines(longest, px[1] + px[2]))))
        row += 1
    figure("lesser", "5. The lesser of 3 and 4", f"=MIN({at('base')},{at('ml')})", min(base, ml))
    figure("acc", "6. Less: bankers' acceptances", "=Acceptances", i.acceptances)
    figure("gua", "7. Less: letters of guaranty", "=Guaranties", i.guaranties)
    figure("loc", "8. Less: letters of credit", "=LettersOfCredit", i.letters_of_credit)
    figure("cap", "9. Borrowing Capacity (5 less 6, 7 and 8)", "=AsOfCapacity", capacity,
           live=f"=LSA_CAPACITY(AsOf,Receivables,Acceptances,Guaranties,LettersOfCredit,{EVENTS})", role="total")
    row += 1

    s.text(row, 0, "Advances and availability", "section")
    s.text(row, 1, "Amount", "section")
    s.text(row, 2, "", "section")
    row += 1
    figure("out", "10. Advances outstanding", "=Outstanding", i.outstanding, note="the borrower's figure (Inputs tab)")
    figure("head", "11. Borrowing Capacity less Advances (9 less 10)", f"={at('cap')}-{at('out')}",
           capacity - i.outstanding)
    figure("avail", "12. Availability", "=AsOfAvailability", avail,
           live=("=LSA_AVAILABILITY(AsOf,Receivables,Outstanding,Acceptances,Guaranties,LettersOfCredit,"
                 f"TermLoanReserve,{EVENTS})"), note="the most the terms let the Lenders lend")
    figure("over", "13. Overadvance limit", "=AsOfOveradvance", over,
           live="=LSA_OVERADVANCE_LIMIT(AsOf,TermLoanReserve,AmendedThrough)")
    ow = work.get("overadvance_limit")
    if ow:
        clause(lines["over"], ow, "overadvance_limit")
    excess = i.outstanding - capacity
    status = ("Within Borrowing Capacity" if excess <= 0 else
              "Above Borrowing Capacity, within the Overadvance limit" if excess <= over else
              "Above Borrowing Capacity and the Overadvance limit")
    s.text(row, 0, "Compliance", "total")
    h = at("head")
    ws.merge_range(row, 1, row, 2, "", s.fmt("total", "text"))
    s.formula(row, 1, f'=IF({h}>=0,"Within Borrowing Capacity",IF(-{h}<={at("over")},'
              '"Above Borrowing Capacity, within the Overadvance limit",'
              '"Above Borrowing Capacity and the Overadvance limit"))', status, "total", "text")
    lines["status"] = row
    row += 1
    s.text(row, 0, "    by", "label")
    s.formula(row, 1, f"=ABS({h})", abs(capacity - i.outstanding), "calc", "money")
    s.formula(row, 2, f'=IF({h}>=0,"of room under Borrowing Capacity","above Borrowing Capacity")',
              "of room under Borrowing Capacity" if excess <= 0 else "above Borrowing Capacity", "side", "text")
    row += 2

    s.text(row, 0, "Documents counted", "section")
    s.text(row, 1, "Signed", "section")
    s.text(row, 2, "Counted", "section")
    row += 1
    for doc in deal.documents:
        if not (doc.is_lsa and doc.terms_known):
            continue
        x = row + 1
        s.text(row, 0, doc.title, "label")
        s.value(row, 1, doc.date, "calc", "date")
        s.formula(row, 2, f'=IF(B{x}<=AmendedThroughEff,"yes","no: signed after the amended-through date")',
                  "yes" if serial(doc.date) <= ctx.view_serial else "no: signed after the amended-through date",
                  "clause", "text")
        row += 1
    known = [d for d in deal.documents if d.is_lsa and not d.terms_known]
    if known:
        note = (f"and {len(known)} earlier documents listed by date only "
                f"({known[0].date.isoformat()} to {known[-1].date.isoformat()}; Amendment History tab)")
        ws.merge_range(row, 0, row, 2, note, wrap)
        row += 1
    row += 1

    s.text(row, 0, "Certification", "section")
    s.text(row, 1, "", "section")
    s.text(row, 2, "", "section")
    row += 1
    paragraph = text.get("certification", "").format(borrower=name, agent=agent)
    ws.merge_range(row, 0, row, 2, paragraph, s.fmt("wrap", "text"))
    ws.set_row(row, row_height(wrapped_lines(paragraph, sum(px))))
    row += 2
    line = s.fmt("signature", "text")
    for label in ("Signature", "Name", "Title", "Date"):
        s.text(row, 0, f"{label}:", "label")
        ws.merge_range(row, 1, row, 2, "", line)
        ws.set_row(row, 24)
        row += 1
    s.text(row, 0, f"an officer of {name}", "note")
    row += 2
    s.text(row, 0, f"The working behind the clauses: below, from column {col_name(left)}, row {WORK_TOP + 1}.",
           "subtitle")
    assert row < WORK_TOP - 2, "the certificate runs into its working tables"
    ws.print_area(0, 0, row - 2, 3)
    ws.fit_to_pages(1, 1)
    ctx.certificate_rows = lines
