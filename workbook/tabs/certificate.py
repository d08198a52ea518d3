"""Borrowing Capacity certificate for the as-of date, as a borrower sends it to its lenders (two
portrait pages at most): period and number, the receivables roll-forward, ineligibles from gross to
eligible, the borrowing base by collateral component, deductions and reserves, the loans, the
shortfall or excess and the discretionary Overadvance room, the deadlines due in the period, the
no-default statement and the officer's block.

Every figure is a formula over the Inputs, Terms and Borrowing Capacity cells (by their defined
names), so it follows the inputs; the live flavor's headline figures call the LSA_ functions.
Why the Maximum Limit is what it is (the step in force and its clause) is worked out in small tables
below the printed page (read through defined names), from the Terms step tables, the way the engine
compiles a term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbook.context import Context, safe_name
from workbook.tables import step_tables as termtables
from workbook.tables.step_tables import UNBOUNDED, TermBlock
from workbook.tabs.capacity import term_column_name
from workbook.tabs.inputs import collateral_name
from workbook.tabs.text import deadline_order
from workbook.xl import (
    DEFAULT_ROW_PT,
    NEVER_SERIAL,
    block_breaks,
    cell,
    col_name,
    column_px,
    excel_text,
    from_serial,
    page_room,
    paper_for,
    row_height,
    serial,
    wrapped_lines,
)

WIDTHS = (41, 15, 41)  # label, amount, clause or note; column D stays narrow under the master-check bar
WORK_WIDTHS = (20, 10, 11, 10, 12, 44, 18, 11, 60, 10)  # the working tables
EVENTS = "Events,AmendedThrough,Rules"
SCALE = 90  # percent: the page prints at this scale
SECTION_PT = 16  # a section's heading row: room above it instead of a blank row


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
        return f"a cap from {r.start.isoformat()} in any event"
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
    return Why(bind, r.citation, r.document, step_words(r.kind), mirror.effective[bind - 1], _reason(ctx, r))


def _working(ctx: Context, s, row: int, block: TermBlock, left: int) -> int:
    """The working table for one term: which row of its step table is in force on the as-of date.

    Columns: step-table row, version key, level key, level row, cap key, clause, document, step,
    reason; then single cells for the version, level, cap and the binding row. Plain MAX/MIN/MATCH
    over helper columns, no array arithmetic. The page reads its answers through defined names
    (answers()), so the page can be laid out first and this table below it. Returns the next row."""
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
    for key, col in (("Clause", 5), ("Document", 6), ("Step", 7), ("Reason", 8)):
        ctx.define(f"Why{st}_{key}", s.name, first, left + col, last, left + col)
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
        s.value(row, left + 7, step_words(r.kind), "data", "wrap")
        s.value(row, left + 8, _reason(ctx, r), "data", "wrap")
        lines = max(wrapped_lines(t, column_px(WORK_WIDTHS[5 + j]))
                    for j, t in enumerate((r.citation, r.document, step_words(r.kind), _reason(ctx, r))))
        if lines > 1:
            s.ws.set_row(row, row_height(lines))
        row += 1
    w = why(ctx, block)
    vrow = at["version_row"]
    cap = UNBOUNDED if at["cap"] is None else at["cap"]
    answers_ = [
        ("Version in force", f"=IF(MAX({c['vkey']})=0,0,INDEX({st}_Version,MAX({c['vkey']})))",
         at["version"] if vrow else 0, "int"),
        ("Its level set on", f"=MAX({c['lkey']})", at["level_from"], "int"),
        ("Row of that level", f"=MAX({c['lrow']})", max(level_rows), "int"),
        ("Lowest cap in effect", f"=MIN({c['ckey']})", cap, "cap"),
        ("Row in force", f"=IF(AND({LROW}>0,{CAP}<INDEX({st}_Value,MAX({LROW},1))),MAX({c['crow']}),{LROW})",
         w.row, "int"),
    ]
    row = out_row
    for label, formula, value, kind in answers_:
        s.text(row, left, label, "label")
        s.formula(row, left + 1, formula, value, "aux", kind)
        row += 1
    ctx.define(f"Why{st}_Row", s.name, out_row + 4, left + 1)
    return row + 1


def answers(block: TermBlock, w: Why) -> dict:
    """Formulas for the step in force of a term, read from its working table's defined names."""
    st = block.stem

    def pick(col: str, fallback: str) -> str:
        return f"IF(Why{st}_Row=0,{excel_text(fallback)},INDEX(Why{st}_{col},Why{st}_Row))"

    return {"why": w, "cit": pick("Clause", "none"), "doc": pick("Document", "none"), "step": pick("Step", "none"),
            "reason": pick("Reason", "no document counted sets it on the date"),
            "effective": f"IF(Why{st}_Row=0,\"\",INDEX({st}_Effective,Why{st}_Row))"}


STEP_WORDS = {"version": "the level the document set", "level step": "a step up", "cap step": "a cap"}


def step_words(kind: str) -> str:
    """A step table's kind of row in words (the Terms tab's codes are for the formulas)."""
    return STEP_WORDS.get(kind, kind)


@dataclass
class Component:
    """One kind of collateral in the borrowing base: its eligible amount, advance rate and sublimit."""

    label: str
    amount: tuple  # (formula, stored value)
    rate: tuple  # (formula, stored value)
    clause: dict | None = None  # the working answers (answers()) for the rate's step, if any
    sublimit: tuple | None = None  # (formula, stored value); None: none


@dataclass
class Reserve:
    """An amount deducted from Borrowing Capacity (the Agent's reserves), with its clause."""

    label: str
    amount: tuple  # (formula, stored value)
    note: str = ""


def components(ctx: Context, short: str, rate_answers: dict | None) -> list[Component]:
    """The borrowing base's collateral as the deal declares it (udfs.engine.borrowing_base): receivables at
    the advance rate, then any other component with its own rate and sublimit, read on the as-of date from
    the Borrowing Capacity tab's columns (a rate not in force that day counts zero; a sublimit not in force
    is "none")."""
    i, rest = ctx.inputs, ctx.deal.borrowing_base.components[1:]
    values = as_of_terms(ctx)
    out = [Component(f"{short} eligible receivables (line B4)", ("=Receivables", i.receivables),
                     ("=INDEX(BC_AdvanceRate,MATCH(AsOf,BC_Date,0))", ctx.model.advance_rate), rate_answers)]
    for c in rest:
        rate = f"N(INDEX({term_column_name(c.rate_term)},MATCH(AsOf,BC_Date,0)))"
        part = Component(c.label, (f"={collateral_name(c.id)}", i.collateral.get(c.id, 0.0)),
                         (f"={rate}", values.get(c.rate_term) or 0.0))
        if c.sublimit_term:
            cell = f"INDEX({term_column_name(c.sublimit_term)},MATCH(AsOf,BC_Date,0))"
            sub = values.get(c.sublimit_term)
            part.sublimit = (f'=IF(ISNUMBER({cell}),{cell},"none")', "none" if sub is None else sub)
        out.append(part)
    return out


def reserves(ctx: Context) -> list[Reserve]:
    """Reserves the deal declares, on the as-of date (zero on a day a reserve is not in force)."""
    values = as_of_terms(ctx)
    return [Reserve(r.label, (f"=N(INDEX({term_column_name(r.term)},MATCH(AsOf,BC_Date,0)))",
                              values.get(r.term) or 0.0), note=r.citation)
            for r in ctx.deal.borrowing_base.reserves]


def as_of_terms(ctx: Context) -> dict:
    """The borrowing base's terms on the as-of date in this view (None: no value that day, or after the term)."""
    day = ctx.inputs.as_of
    if day > ctx.view.end:
        return {}
    return {t: ctx.view.term(t).at(day.toordinal()) for t in ctx.deal.borrowing_base.terms}


def _amount(x):
    return 0.0 if x in ("", None) else x


def write(ctx: Context):
    s = ctx.new_sheet("certificate")
    ws = s.ws
    deal, i, m = ctx.deal, ctx.inputs, ctx.model
    text = ctx.template.get("certificate", {})
    for j, w in enumerate(WIDTHS):
        ws.set_column(j, j, w)
    ws.set_column(3, 3, 1)
    px = [column_px(w) for w in WIDTHS]
    top = ctx.header(s, "certificate")
    name, short = borrower(ctx)
    agent = deal.raw.get("deal", {}).get("agent", "the Agent")
    blocks = {b.key: b for b in ctx.blocks}
    work = {key: answers(blocks[key], why(ctx, blocks[key]))
            for key in ("max_limit", "advance_rate", "overadvance_limit") if key in blocks}
    wrap = s.fmt("note", "text")
    lines: dict[str, int] = {}
    stored: dict[str, object] = {}  # each line's stored value, by key
    starts: list[int] = []  # first row of each block that must not split across pages
    row = top

    def figure(key, label, formula, value, kind="money", note="", live=None, role="calc"):
        nonlocal row
        s.text(row, 0, label, "label" if role != "total" else "total")
        s.formula(row, 1, ctx.pick(formula, live), value, role, kind)
        if note:
            s.text(row, 2, note, "side")
        lines[key] = row
        stored[key] = value
        row += 1

    def at(key):
        return cell(lines[key], 1)

    def skip(n=1):
        """Move on n rows (a row written by hand); the row now current."""
        nonlocal row
        row += n
        return row

    def section(title, head2="Amount", head3=""):
        nonlocal row
        starts.append(row)
        ws.set_row(row, SECTION_PT)  # the space above a section, in place of a blank row
        s.text(row, 0, title, "section")
        s.text(row, 1, head2, "section")
        s.text(row, 2, head3, "section")
        row += 1

    def clause(r, answer, key):
        """The clause of the step in force, wrapped; the row fits the longest clause the term has."""
        s.formula(r, 2, "=" + answer["cit"], answer["why"].citation, "clause", "text")
        longest = max((b.citation for b in blocks[key].rows), key=lambda t: wrapped_lines(t, px[2]))
        ws.set_row(r, max(DEFAULT_ROW_PT, row_height(wrapped_lines(longest, px[2]))))

    # -- who, which period, which view ------------------------------------------------------------
    starts.append(row)
    for label, value in (("To", f"{agent}, as Agent, and the Lenders"), ("From", name)):
        s.text(row, 0, label, "label")
        s.text(row, 1, value, "text")
        row += 1
    s.text(row, 0, "Certificate number", "label")
    s.formula(row, 1, '=IF(Cert_Number="","",Cert_Number)', i.certificate.get("number", ""), "calc_indent", "text")
    row += 1
    from workbook.inputs import period_start
    start = period_start(i)
    figure("from", "Reporting period from", '=IF(ISNUMBER(Cert_PeriodStart),Cert_PeriodStart,AsOf-DAY(AsOf)+1)',
           serial(start), "date", "the Inputs tab; blank: the month's first day")
    ctx.define("Cert_PeriodFrom", s.name, lines["from"], 1)
    figure("to", "to (the as-of date)", "=AsOf", serial(i.as_of), "date", "figures at the close of this day")
    view_note = "amended through this date (Inputs)" if i.amended_through else "the documents signed by the as-of date"
    figure("view", "Documents counted: signed on or before", "=AmendedThroughEff", ctx.view_serial, "date")
    s.formula(lines["view"], 2, '=IF(ISNUMBER(AmendedThrough),"amended through this date (Inputs)",'
              '"the documents signed by the as-of date")', view_note, "side", "text")
    figure("doc", "Document in effect on the as-of date", "=AsOfDocument", m.document, "text",
           f"the {ctx.tab('history')} tab lists every document")

    # -- A. receivables roll-forward --------------------------------------------------------------
    c = i.certificate
    section("A. Receivables roll-forward", "Amount", "")
    figure("a1", "A1. Receivables at the end of the prior period", "=Cert_PriorReceivables", c["prior_receivables"])
    figure("a2", "A2. Add: sales in the period", "=Cert_Sales", c["sales"])
    figure("a3", "A3. Less: collections", "=Cert_Collections", c["collections"])
    figure("a4", "A4. Less: credits and discounts", "=Cert_Credits", c["credits"])
    figure("a5", "A5. Add (less): other adjustments", "=Cert_Adjustments", c["adjustments"])
    rolled = c["prior_receivables"] + c["sales"] - c["collections"] - c["credits"] + c["adjustments"]
    figure("a6", "A6. Receivables at the end (A1+A2-A3-A4+A5)",
           f"={at('a1')}+{at('a2')}-{at('a3')}-{at('a4')}+{at('a5')}", rolled, role="total")
    figure("a7", "A7. Receivables per the aging", "=Cert_GrossReceivables", c["gross_receivables"])
    figure("a8", "A8. Difference (A6 less A7; zero when reconciled)", f"={at('a6')}-{at('a7')}",
           rolled - c["gross_receivables"])

    # -- B. ineligibles, from gross to eligible ---------------------------------------------------
    section("B. Eligible receivables", "Amount", "")
    note = ("Ineligibles by category are the Borrower's own analysis; the Agreement's eligibility criteria "
            "govern what is eligible.")
    ws.merge_range(row, 0, row, 2, note, wrap)
    ws.set_row(row, row_height(wrapped_lines(note, sum(px))))
    row += 1
    first_inel = row
    for key, label in ctx.ineligible_categories:
        figure(f"inel_{key}", f"      less: {label}", f"=Cert_Inel_{key}", c["ineligibles"][key])
    total_inel = sum(c["ineligibles"].values())
    figure("b2", "B2. Total ineligibles", f"=SUM({cell(first_inel, 1)}:{cell(row - 1, 1)})", total_inel)
    figure("b3", "B3. Eligible receivables (A7 less B2)", f"={at('a7')}-{at('b2')}",
           c["gross_receivables"] - total_inel, role="total")
    figure("b4", "B4. Eligible receivables in the borrowing base", "=Receivables", i.receivables,
           note="the Inputs tab (Receivables)")
    figure("b5", "B5. Difference (B3 less B4; zero when reconciled)", f"={at('b3')}-{at('b4')}",
           c["gross_receivables"] - total_inel - i.receivables)

    # -- C. borrowing base ------------------------------------------------------------------------
    cap_code = borrowing_base(ctx, s, components(ctx, short, work.get("advance_rate")), reserves(ctx), work,
                   (figure, at, clause, section, skip), lines, stored)

    # -- D. Advances and the Term Loan ------------------------------------------------------------
    section("D. Loans", "Amount", "")
    figure("d1", "D1. Advances at the start of the period", "=Cert_OpeningAdvances", c["opening_advances"])
    figure("d2", "D2. Add: Advances made", "=Cert_AdvancesMade", c["advances_made"])
    figure("d3", "D3. Less: Advances repaid", "=Cert_AdvancesRepaid", c["advances_repaid"])
    closing = c["opening_advances"] + c["advances_made"] - c["advances_repaid"]
    figure("d4", "D4. Advances at the end (D1+D2-D3)", f"={at('d1')}+{at('d2')}-{at('d3')}", closing, role="total")
    figure("d5", "D5. Advances outstanding (Inputs tab)", "=Outstanding", i.outstanding)
    figure("d6", "D6. Difference (D4 less D5; zero when reconciled)", f"={at('d4')}-{at('d5')}",
           closing - i.outstanding)
    term_loan = next((f for f in i.balances if "term" in f), None)
    if term_loan is not None:
        figure("d7", f"D7. {ctx.deal.facilities[term_loan]['label']} balance", f"=Balance_{safe_name(term_loan)}",
               i.balances[term_loan], note="not part of Borrowing Capacity")
    tlr = i.term_loan_reserve
    figure("d8", "D8. Term Loan Reserve", '=IF(ISNUMBER(TermLoanReserve),TermLoanReserve,"not known")',
           "not known" if tlr is None else tlr, "money" if tlr is not None else "text",
           note="limits Overadvances (No. 10 B.1)")

    # -- E. against Borrowing Capacity ------------------------------------------------------------
    section("E. Against Borrowing Capacity", "Amount", "")
    capacity = stored["cap"]
    head = "" if capacity == "" else capacity - i.outstanding
    figure("e3", f"E1. Excess (shortfall): {cap_code} less D5", f"={at('cap')}-{at('d5')}", head, role="total",
           note="negative: a shortfall")
    over = m.overadvance
    figure("e4", "E2. Overadvance limit", "=AsOfOveradvance", over,
           live="=LSA_OVERADVANCE_LIMIT(AsOf,TermLoanReserve,AmendedThrough)")
    if work.get("overadvance_limit"):
        clause(lines["e4"], work["overadvance_limit"], "overadvance_limit")
    room = "" if head == "" else max(0.0, _amount(m.availability) - max(0.0, head))
    figure("e5", "E3. Overadvance room left (Lenders' discretion)",
           f"=MAX(0,AsOfAvailability-MAX(0,{at('e3')}))", room,
           note="at their sole discretion: not availability")
    excess = 0 if head == "" else -head
    status = ("Within Borrowing Capacity" if excess <= 0 else
              "Above Borrowing Capacity, within the Overadvance limit" if excess <= _amount(over) else
              "Above Borrowing Capacity and the Overadvance limit")
    s.text(row, 0, "Compliance", "total")
    h = at("e3")
    ws.merge_range(row, 1, row, 2, "", s.fmt("total", "text"))
    s.formula(row, 1, f'=IF({h}>=0,"Within Borrowing Capacity",IF(-{h}<={at("e4")},'
              '"Above Borrowing Capacity, within the Overadvance limit",'
              '"Above Borrowing Capacity and the Overadvance limit"))', status, "total", "text")
    lines["status"] = row
    row += 1

    # -- F. deadlines due in the period -----------------------------------------------------------
    slots = int(text.get("deadline_rows", 6)) if deal.deadlines else 0
    due = deadlines_in_period(ctx, start)
    if slots:
        section("F. Deadlines due in the period", "Due", "Status on the as-of date")
        for j in range(slots):
            k = f"MATCH({j + 1},Cert_DLRank,0)"
            have = f"COUNT(Cert_DLKeys)<{j + 1}"
            item = due[j] if j < len(due) else None
            s.formula(row, 0, f'=IF({have},"",INDEX(DL_Requirement,{k}))', item[1] if item else "", "wrap", "text")
            s.formula(row, 1, f'=IF({have},"",INDEX(DL_Date,{k}))', serial(item[0]) if item else "", "calc", "date")
            s.formula(row, 2, f'=IF({have},"",INDEX(DL_Status,{k}))', item[2] if item else "", "clause", "text")
            longest = max((d.item for d in deal.deadlines), key=lambda x: wrapped_lines(x, px[0]))
            ws.set_row(row, row_height(wrapped_lines(longest, px[0])))
            row += 1
        more = len(due) - slots
        s.formula(row, 0, f'=IF(COUNT(Cert_DLKeys)>{slots},COUNT(Cert_DLKeys)-{slots}&" more: the Deadlines tab",'
                  f'IF(COUNT(Cert_DLKeys)=0,"None due in the period.",""))',
                  f"{more} more: the Deadlines tab" if more > 0 else ("None due in the period." if not due else ""),
                  "note", "text")
        row += 1

    # -- G. no Default ----------------------------------------------------------------------------
    section("G. No Default or Event of Default has occurred and is continuing, except:", "", "")
    for j in range(ctx.exception_rows):
        x = f"INDEX(Cert_Exceptions,{j + 1})"
        blank = "None." if j == 0 else ""
        ws.merge_range(row, 0, row, 2, "", s.fmt("signature", "text"))
        # "None." on the first line when every exceptions cell on Inputs is empty
        none = f'IF(COUNTA(Cert_Exceptions)=0,"{blank}","")' if blank else '""'
        s.formula(row, 0, f'=IF({x}="",{none},{x})', blank, "signature", "text")
        row += 1

    # -- I. certification and the officer's block --------------------------------------------------
    section("Certification", "", "")
    paragraph = text.get("certification", "").format(borrower=name, agent=agent)
    ws.merge_range(row, 0, row, 2, paragraph, s.fmt("wrap", "text"))
    ws.set_row(row, row_height(wrapped_lines(paragraph, sum(px))))
    row += 1
    line = s.fmt("signature", "text")
    sample = "ILLUSTRATIVE FIGURES: NOT FOR SIGNATURE"
    for label in ("Signature", "Name", "Title", "Date"):
        s.text(row, 0, f"{label}:", "label")
        ws.merge_range(row, 1, row, 2, "", line)
        if label == "Signature":  # a certificate on the template's samples cannot pass for a signed one
            s.formula(row, 1, f'=IF(BorrowersFigures=1,"","{sample}")', "" if i.borrowers_figures else sample,
                      "illustrative", "text")
        ws.set_row(row, 16)
        row += 1
    s.text(row, 0, f"an officer of {name}", "note")
    end = row
    row += 2
    # the working tables: below the page, so neither their rows' heights nor their widths change it
    left = len(WIDTHS) + 2
    for j, w in enumerate(WORK_WIDTHS):
        ws.set_column(left + j, left + j, w)
    s.text(row, 0, f"The working behind the clauses and the deadlines: below, from row {row + 3}, column "
           f"{col_name(left)}.", "subtitle")
    row += 2
    s.text(row, left, "Working (on screen, not printed): the step in force on the as-of date, from the Terms tab",
           "subtitle")
    row += 2
    for key in ("max_limit", "advance_rate", "overadvance_limit"):
        if key in blocks:
            row = _working(ctx, s, row, blocks[key], left)
    if deal.deadlines:
        _deadline_keys(ctx, s, row, left, start)
    ws.print_area(0, 0, end, 3)
    ws.set_print_scale(SCALE)  # 9-point text prints at 8.1 points; two pages at most (a test counts them)
    paper = paper_for(ctx.template, deal.raw.get("deal", {}).get("currency"))
    sizes = ws.row_sizes
    ends = [*starts[1:], end + 1]
    heights = [(a, sum(sizes[r][0] if r in sizes else DEFAULT_ROW_PT for r in range(a, b)))
               for a, b in zip(starts, ends, strict=True)]
    ws.set_h_pagebreaks(block_breaks(heights, page_room(paper, False) * 100 / SCALE, sum(
        sizes[r][0] if r in sizes else DEFAULT_ROW_PT for r in range(top))))
    ctx.certificate_rows = lines
    ctx.certificate_values = stored


def borrowing_base(ctx: Context, s, parts: list[Component], cuts: list[Reserve], work: dict, page: tuple,
                   lines: dict, stored: dict) -> str:
    """Section C: each collateral component (eligible amount x advance rate, within its sublimit), their
    total, the Maximum Limit, the deductions and each reserve, to Borrowing Capacity. One line a figure;
    each line's formula is the arithmetic its label states. `page`: the page's writers (figure, at,
    clause, section, skip). Returns the line number of Borrowing Capacity ("C4")."""
    figure, at, clause, section, skip = page
    m = ctx.model
    section("C. Borrowing Capacity", "Amount", "Clause")
    sums = []
    for n, part in enumerate(parts, start=1):
        figure(f"c{n}_amount", f"C{n}a. {part.label}", part.amount[0], part.amount[1])
        figure(f"c{n}_rate", f"C{n}b. Advance rate", part.rate[0], part.rate[1], "rate")
        if part.clause:
            clause(lines[f"c{n}_rate"], part.clause, "advance_rate")
        value = "" if part.rate[1] == "" else part.amount[1] * part.rate[1]
        figure(f"c{n}", f"C{n}. Available from it (C{n}a x C{n}b)", f"={at(f'c{n}_amount')}*{at(f'c{n}_rate')}", value)
        if part.sublimit:
            figure(f"c{n}_sub", f"C{n}c. Sublimit", part.sublimit[0], part.sublimit[1])
            sub = part.sublimit[1]
            capped = "" if value == "" else (value if isinstance(sub, str) else min(value, sub))
            figure(f"c{n}_in", f"C{n}d. The lesser of C{n} and C{n}c",
                   f"=IF(ISNUMBER({at(f'c{n}_sub')}),MIN({at(f'c{n}')},{at(f'c{n}_sub')}),{at(f'c{n}')})", capped)
            sums.append(f"c{n}_in")
        else:
            sums.append(f"c{n}")
    total = "" if any(stored[k] == "" for k in sums) else sum(stored[k] for k in sums)
    names = "+".join(f"C{k[1:].split('_')[0]}" + ("d" if k.endswith("_in") else "") for k in sums)
    figure("base", f"C{len(parts) + 1}. Collateral available ({names})", "=" + "+".join(at(k) for k in sums), total)
    figure("ml", f"C{len(parts) + 1}a. Maximum Limit in force", "=AsOfMaxLimit", m.max_limit,
           live=f"=LSA_MAX_LIMIT(AsOf,{EVENTS})")
    mw = work.get("max_limit")
    if mw:
        w = mw["why"]
        clause(lines["ml"], mw, "max_limit")
        figure("ml_from", "      set on", "=" + mw["effective"], w.effective if w.effective is not None else "",
               "date")
        s.formula(lines["ml_from"], 2, f'={mw["doc"]}&", "&{mw["step"]}', f"{w.document}, {w.step}", "clause",
                  "text")
        row = skip(0)
        s.text(row, 0, "      why", "label")
        longest = max([_reason(ctx, r) for r in next(b for b in ctx.blocks if b.key == "max_limit").rows]
                      + ["no document counted sets it"], key=len)
        s.ws.merge_range(row, 1, row, 2, "", s.fmt("note", "text"))
        s.formula(row, 1, "=" + mw["reason"], w.reason, "note", "text")
        px = column_px(WIDTHS[1]) + column_px(WIDTHS[2])
        s.ws.set_row(row, max(DEFAULT_ROW_PT, row_height(wrapped_lines(longest, px))))
        skip()
    lesser = "" if total == "" else min(total, m.max_limit)
    i = ctx.inputs
    n = len(parts) + 1
    figure("lesser", f"C{n + 1}. The lesser of C{n} and C{n}a", f"=MIN({at('base')},{at('ml')})", lesser)
    cuts_keys = []
    for key, label, name, value in (("acc", "bankers' acceptances", "Acceptances", i.acceptances),
                                    ("gua", "letters of guaranty", "Guaranties", i.guaranties),
                                    ("loc", "letters of credit", "LettersOfCredit", i.letters_of_credit)):
        figure(key, f"      less: {label}", f"={name}", value)
        cuts_keys.append(key)
    for k, r in enumerate(cuts, start=1):
        figure(f"res{k}", f"      less reserve: {r.label}", r.amount[0], r.amount[1], note=r.note)
        cuts_keys.append(f"res{k}")
    if not cuts:
        figure("res", "      less: reserves", "=0", 0, note="none declared in the documents counted")
        cuts_keys.append("res")
    net = "" if lesser == "" else lesser - sum(stored[k] for k in cuts_keys)
    expr = f"{at('lesser')}-" + "-".join(at(k) for k in cuts_keys)
    floor = ctx.choice_numbers.get(("capacity_floor", "floor_zero"))  # by number: exact, never a name pattern
    formula = f"=IF(AND(SwitchNo_capacity_floor={floor},{expr}<0),0,{expr})" if floor else "=" + expr
    if floor and net != "" and ctx.rules.get("capacity_floor") == "floor_zero":
        net = max(0.0, net)
    figure("cap", f"C{n + 2}. Borrowing Capacity (C{n + 1} less deductions)", formula, net, role="total")
    if not cuts and net != "" and m.capacity != "" and abs(net - m.capacity) > 1e-6:  # one answer per question
        raise AssertionError(f"the certificate's Borrowing Capacity {net} is not the engine's {m.capacity}")
    return f"C{n + 2}"


def deadlines_in_period(ctx: Context, start: dt.date) -> list[tuple]:
    """(date, requirement, status) of the deadlines due from `start` to the as-of date, in date order;
    the statuses the Deadlines tab stores (the engine's)."""
    engine = {(r[0], r[1]): r[4] for r in ctx.cat.LSA_DEADLINES(ctx.at, ctx.inputs.as_of, ctx.events)[1:]}
    rows = [(d.date, d.item, engine.get((d.date, d.item), "not counted"), k)
            for k, d in enumerate(deadline_order(ctx.deal), start=1) if start <= d.date <= ctx.inputs.as_of]
    return [r[:3] for r in sorted(rows, key=lambda r: (r[0], r[3]))]


def _deadline_keys(ctx: Context, s, row: int, left: int, start: dt.date) -> int:
    """Per deadline of the Deadlines tab (its k-th row): a key, date x 1000 + k when due in the reporting
    period, else blank; and its rank among those keys, so that slot j of the page shows the row whose
    rank is j (MATCH), the period's deadlines in date order (COUNTIF and MATCH only, no array)."""
    s.text(row, left, "Deadlines due in the period: key (date x 1000 + row on the Deadlines tab), rank", "section")
    row += 1
    first = row
    items = deadline_order(ctx.deal)
    keys = [serial(d.date) * 1000 + k if start <= d.date <= ctx.inputs.as_of else ""
            for k, d in enumerate(items, start=1)]
    for k, key in enumerate(keys, start=1):
        x = row + 1
        s.formula(row, left, f'=IF(AND(INDEX(DL_Date,{k})>=Cert_PeriodFrom,INDEX(DL_Date,{k})<=AsOf),'
                  f'INDEX(DL_Date,{k})*1000+{k},"")', key, "aux", "int")
        rank = "" if key == "" else sum(1 for other in keys if other != "" and other <= key)
        s.formula(row, left + 1, f'=IF(ISNUMBER({col_name(left)}{x}),COUNTIF(Cert_DLKeys,"<="&{col_name(left)}{x}),"")',
                  rank, "aux", "int")
        row += 1
    last = max(row - 1, first + 1)  # two rows at least, as for INDEX elsewhere
    ctx.define("Cert_DLKeys", s.name, first, left, last, left)
    ctx.define("Cert_DLRank", s.name, first, left + 1, last, left + 1)
    return row + 1
