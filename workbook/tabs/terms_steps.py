"""The Terms tab's step tables, one block a term: what a lender reads first (printed: each version and its
steps with conditions and citations), then the data the formulas test and the working (on screen only: when
each row takes effect, until when it can bind, the caps' places), then the timeline of versions per view.
The engine says which row binds (udfs.engine.schedule); these blocks lay its reading out as formulas."""



from __future__ import annotations

from workbook.context import Context
from workbook.tables import step_tables
from workbook.tables.step_tables import ON_DELIVERY, ChoiceMap
from workbook.tables.terms_columns import (
    C_CIT,
    C_COND,
    C_FROM,
    C_ROW,
    C_SIGNED,
    C_TO,
    C_VALUE,
    C_VER,
    LINE,
    PRINTED,
    WIDTHS,
)
from workbook.tabs.text import human
from workbook.xl import NEVER_SERIAL, col_name, from_serial, serial


class _BlockCols:
    """The step tables' columns: the printed ones (PRINTED), the data the formulas test (as many Requires
    and Unless columns as the longest list has), then the calculations."""

    def __init__(self, ctx: Context):
        self.req_n = max([len(r.requires) for b in ctx.blocks for r in b.rows] + [1])
        self.unl_n = max([len(r.unless) for b in ctx.blocks for r in b.rows] + [1])
        heads = list(PRINTED) + ["Starts version", "Sets level", "Caps", "Bounded by Term Loan Reserve"]
        heads += [f"Requires {k}" for k in range(1, self.req_n + 1)]
        heads += ["If delivered late (a rule, or a reading above)"]
        heads += [f"Unless {k}" for k in range(1, self.unl_n + 1)] + ["Unless by", "On event (its date, else never)"]
        self.heads = heads + ["Counted", "Version ends", "Late-delivery rule in force", "Requires met on",
                              "Unless met on", "Conditions give", "Takes effect", "Level holds until",
                              "Lowest cap until", "Level rows take effect", "Cap's ceiling",
                              "Cap's place (lowest first)", "Caps by place: takes effect",
                              "Caps by place: earliest so far"]
        self.starts, self.sets, self.caps, self.bounded = (len(PRINTED) + k for k in range(4))
        self.req = self.bounded + 1
        self.late = self.req + self.req_n
        self.unl = self.late + 1
        self.unl_by = self.unl + self.unl_n
        self.on = self.unl_by + 1
        self.vis = self.on + 1
        (self.ends, self.rule, self.deliv, self.udone, self.e0, self.eff, self.lvl, self.cap,
         self.leff) = (self.vis + k for k in range(1, 10))
        self.ceil, self.place, self.by_eff, self.by_min = (self.leff + k for k in range(1, 5))


class _Worked:
    """The engine's reading of one block, row by row: the stored values of the calculation columns."""

    def __init__(self, ctx: Context, block):
        events, rules = ctx.view.events, ctx.view.rules
        self.dates = step_tables.row_dates(block, events, rules)
        self.effective = [eff for _, eff in self.dates]
        self.until_level, self.until_cap = step_tables.stretches(block, self.effective, events)
        self.places = step_tables.cap_places(block, events)
        self.spans = step_tables.version_spans(block)  # version -> (its first, its last block row)
        self.version_rows = {r.version: i for i, r in enumerate(block.rows) if r.starts_version}


def term_blocks(ctx: Context, s, row: int, scale: float) -> int:
    """Each term's step table: its data, then the calculations the daily schedules read by name."""
    c = _BlockCols(ctx)
    for block in ctx.blocks:
        w = _Worked(ctx, block)
        texts = [_conditions(ctx, r) for r in block.rows]
        height = LINE * (2 + 3 + sum(text_lines(t, r.citation) for t, r in zip(texts, block.rows, strict=True)))
        ctx.keep_together(s, row, height, scale)
        s.text(row, 0, f"{block.label} ({block.key})", "section")
        section = row
        row += 1
        for j, head in enumerate(c.heads):
            s.text(row, j, head, "header")
        s.ws.set_row(row, 3 * LINE)
        row += 1
        first = row
        for i, r in enumerate(block.rows):
            _data_cells(ctx, s, block, r, texts[i], row, c)
            _calc_cells(ctx, s, block, (i, r), (row, first), c, w)
            row += 1
        _caps_by_place(s, first, block, w.spans, w.places, w.effective, (c.eff, c.place, c.by_eff, c.by_min))
        last = max(row - 1, first + 1)  # at least two rows (the blank one below): Gnumeric's INDEX refuses one cell
        for suffix, col in (("Row", C_ROW), ("Version", C_VER), ("Signed", C_SIGNED), ("StartsVersion", c.starts),
                            ("SetsLevel", c.sets), ("Caps", c.caps), ("From", C_FROM), ("Value", C_VALUE),
                            ("Bounded", c.bounded), ("Visible", c.vis), ("Ends", c.ends), ("Effective", c.eff),
                            ("LevelUntil", c.lvl), ("CapUntil", c.cap), ("LevelEffective", c.leff)):
            ctx.define(f"{block.stem}_{suffix}", s.name, first, col, last, col)
        # the version timeline sits beside the working columns, from the section row (off the printed page)
        row = max(row + 1, _timeline(ctx, s, section, block, c.by_min + 2))
    return row


def _data_cells(ctx: Context, s, block, r, text: str, row: int, c: _BlockCols):
    """A step row's printed columns and the data its formulas test (codes, dates, flags)."""
    L, x, events = col_name, row + 1, ctx.view.events  # noqa: N806
    value_kind = {"amount": "money"}
    printed = [(r.row, "int"), (r.document, "text"), (r.version, "int"), (r.signed, "date"),
               (r.kind, "text"), (r.start, "date"), (r.to, "date"),
               (r.value, value_kind.get(block.value_kind, block.value_kind)), (text, "wrap"),
               (r.citation, "wrap")]
    for j, (v, k) in enumerate(printed):
        if k == "wrap":
            s.value(row, j, v or None, "data", "wrap")
        else:
            s.value(row, j, v, "data", k)
    s.ws.set_row(row, LINE * text_lines(text, r.citation))
    for j, v in ((c.starts, r.starts_version), (c.sets, r.sets_level), (c.caps, r.caps),
                 (c.bounded, r.bounded)):
        s.value(row, j, v, "data", "bool")
    for k in range(c.req_n):
        s.value(row, c.req + k, r.requires[k] if k < len(r.requires) else None, "data", "text")
    s.value(row, c.late, (r.late.key if isinstance(r.late, ChoiceMap) else r.late) or None, "data", "text")
    for k in range(c.unl_n):
        s.value(row, c.unl + k, r.unless[k] if k < len(r.unless) else None, "data", "text")
    s.value(row, c.unl_by, r.unless_by, "data", "date")
    s.value(row, c.on, r.on_event, "data", "text")
    if r.value is None:  # a ceiling on its event's date: that date from the Inputs events (Never: not given)
        day = events.get(r.on_event)
        s.formula(row, C_VALUE, f"=SUMIF(Ev_Key,{L(c.on)}{x},Ev_Done)",
                  NEVER_SERIAL if day is None else serial(day), "data", "date")


def _calc_cells(ctx: Context, s, block, at: tuple, where: tuple, c: _BlockCols, w: _Worked):
    """A step row's calculations: counted, ends, the late-delivery rule, deliveries, when it takes effect,
    until when its level holds, and for a cap its place and until when it may be the lowest."""
    (i, r), (row, first) = at, where
    L, x, view = col_name, row + 1, ctx.view  # noqa: N806
    events, rules = view.events, view.rules
    dates, effective, spans = w.dates, w.effective, w.spans
    # calculations (stored values: the engine's reading of the same row)
    signed, start, to, caps = (f"{L(c)}{x}" for c in (C_SIGNED, C_FROM, C_TO, c.caps))
    doc = ctx.deal.document(ctx.deal.terms[block.key][r.version - 1].document)
    s.formula(row, c.vis, f"={signed}<=AmendedThroughEff", doc.id in view.visible, "calc", "bool")
    s.formula(row, c.ends, f"=IF(ISNUMBER({to}),{to},Never)",
              NEVER_SERIAL if r.to is None else serial(r.to), "calc", "date")
    lx = f"{L(c.late)}{x}"
    rule_formula = (f'=IFERROR(INDEX(Reading_Value,MATCH({lx},Reading_Key,0)),{lx}&"")' if ctx.choice_maps
                    else f'={lx}&""')
    late = rules.pick(r.step.late_delivery) if r.step is not None and r.step.kind == "level" else r.late
    s.formula(row, c.rule, rule_formula, late if isinstance(late, str) else "", "calc", "text")
    req = ",".join(f"SUMIF(Ev_Key,{L(c.req + k)}{x},Ev_Done)" for k in range(c.req_n))
    unl = ",".join(f"SUMIF(Ev_Key,{L(c.unl + k)}{x},Ev_Done)" for k in range(c.unl_n))
    if ctx.deal.events:
        s.formula(row, c.deliv, f"=MAX({req})", _met_on(events, r.requires), "calc", "date")
        s.formula(row, c.udone, f"=MAX({unl})", _met_on(events, r.unless), "calc", "date")
    else:
        s.value(row, c.deliv, 0, "calc", "date")
        s.value(row, c.udone, 0, "calc", "date")
    dv, ud, late, ub = (f"{L(c.deliv)}{x}", f"{L(c.udone)}{x}", f"{L(c.rule)}{x}", f"{L(c.unl_by)}{x}")
    if r.on_event is not None:  # the event's delivery date (Never when not given), not before the version
        version_from = f"{L(C_FROM)}{first + w.version_rows[r.version] + 1}"
        start = f"MAX(SUMIF(Ev_Key,{L(c.on)}{x},Ev_Done),{version_from})"
    e0 = (f"=IF({caps},IF(AND(ISTEXT({L(c.unl)}{x}),{ud}<={ub}),Never,{start}),"
          f"IF({dv}<={start},{start},IF({late}=OnDeliveryRule,{dv},Never)))")
    s.formula(row, c.e0, e0, dates[i][0], "calc", "date")
    s.formula(row, c.eff, f"=IF({L(c.e0)}{x}>{L(c.ends)}{x},Never,{L(c.e0)}{x})", effective[i], "calc", "date")
    E = lambda j, top=first: f"{L(c.eff)}{top + j + 1}"  # noqa: E731 - block row j's Takes-effect cell
    s.formula(row, c.leff, f'=IF({L(c.sets)}{x},{E(i)},"")', effective[i] if r.sets_level else "", "calc",
              "date")
    if r.sets_level:  # the next level of the version to take effect: formulas of one length at any count
        s.formula(row, c.lvl, _level_until(L(c.leff), first, spans[r.version], i, E(i)), w.until_level[i],
                  "calc", "date")
    if r.caps:
        span = (first + spans[r.version][0] + 1, first + spans[r.version][1] + 1)
        _cap_cells(s, row, (c.ceil, c.place, c.cap, c.by_min), span, (w.places[i], w.until_cap[i]),
                   step_tables.cap_value(r, events))


def _cap_cells(s, row: int, cols: tuple, span: tuple, stored: tuple, ceiling):
    """A cap row's ceiling, its place among its version's caps (lowest first; as low, the one listed first),
    and the day a lower cap first takes effect: COUNTIF over the version's rows and one INDEX into the
    running minimum of the caps by place (_caps_by_place), formulas of one length at any count of caps (a
    MIN over every lower cap ran past Excel's limits), and exact whichever order the events give."""
    c_ceil, c_place, c_cap, by_min = (col_name(c) for c in cols)
    x, (top, bottom) = row + 1, span
    s.formula(row, cols[0], f"={col_name(C_VALUE)}{x}", ceiling, "calc", "amount")
    ceilings = f"${c_ceil}${top}:${c_ceil}${bottom}"
    s.formula(row, cols[1], f'=COUNTIF({ceilings},"<"&{c_ceil}{x})+COUNTIF(${c_ceil}${top}:{c_ceil}{x},{c_ceil}{x})',
              stored[0], "calc", "int")
    s.formula(row, cols[2], f"=IF({c_place}{x}=1,Never,INDEX(${by_min}${top}:${by_min}${bottom},{c_place}{x}-1))",
              stored[1], "calc", "date")


def _caps_by_place(s, first: int, block, spans: dict, places: dict, effective: list, cols: tuple):
    """Per version, from its first row down, one row a cap in place order: the day that cap takes effect
    (MATCH on the places) and the earliest of those so far, the running minimum _cap_cells reads."""
    c_eff, c_place, c_by_eff, c_by_min = cols
    for a, b in spans.values():
        top, bottom = first + a + 1, first + b + 1
        ordered = sorted((k, j) for j, k in places.items() if a <= j <= b)
        earliest = NEVER_SERIAL
        for k, j in ordered:
            row = first + a + k - 1
            earliest = min(earliest, effective[j])
            s.formula(row, c_by_eff, f"=INDEX(${col_name(c_eff)}${top}:${col_name(c_eff)}${bottom},"
                      f"MATCH({k},${col_name(c_place)}${top}:${col_name(c_place)}${bottom},0))", effective[j],
                      "calc", "date")
            below = f"MIN({col_name(c_by_eff)}{row + 1},{col_name(c_by_min)}{row})" if k > 1 else \
                f"{col_name(c_by_eff)}{row + 1}"
            s.formula(row, c_by_min, "=" + below, earliest, "calc", "date")


def _level_until(col: str, first: int, span: tuple, i: int, eff: str) -> str:
    """The day the next level row of the version takes effect after block row i (a later row taking
    effect the same day counts; an earlier one must be strictly later), else Never: COUNTIF and SMALL over
    the version's "level rows take effect" cells (blank for other rows), so no formula grows with the steps
    (a MIN over every other step ran past Excel's 8,192 characters and 255 arguments)."""
    top, bottom = first + span[0] + 1, first + span[1] + 1  # sheet rows
    rows = f"${col}${top}:${col}${bottom}"
    nxt = f'IF(COUNTIF({rows},">"&{eff})=0,Never,SMALL({rows},COUNTIF({rows},"<="&{eff})+1))'
    if first + i + 1 < bottom:  # rows after it in the version: one taking effect the same day ends it that day
        return f"=IF(COUNTIF({col}{first + i + 2}:{col}{bottom},{eff})>0,{eff},{nxt})"
    return "=" + nxt


def text_lines(*texts, widths=(WIDTHS[C_COND], WIDTHS[C_CIT])) -> int:
    """Printed lines the wrapped Conditions and Citation cells need (about 1.1 characters a width unit)."""
    return max([1] + [-(-len(t or "") * 10 // (w * 11)) for t, w in zip(texts, widths, strict=True)])


def _conditions(ctx: Context, r) -> str:
    """A row's conditions in words, from the deal's data (the codes stay in the columns the formulas read)."""
    label = ctx.deal.events

    def names(keys):
        return " and ".join(label[k]["label"] if k in label else k for k in keys)

    if r.step is None:
        return "bounded by the Term Loan Reserve, where one is entered" if r.bounded else ""
    parts = []
    if r.requires:
        late = r.late
        if isinstance(late, ChoiceMap):
            later = f"if later, as the switch {human(late.interpretation)} on Inputs says"
        elif late == ON_DELIVERY:
            later = "if later, on delivery"
        else:
            later = "if later, never"
        parts.append(f"when {names(r.requires)} are delivered by this date; {later}")
    if r.on_event:
        parts.append(f"from the date of the {names((r.on_event,))} (given on Inputs), never without it")
    if r.unless:
        parts.append(f"not if {names(r.unless)} are delivered by {r.unless_by.isoformat()}")
    if not parts:  # unconditional: a level sets the value; a cap only lowers a higher one
        return "a ceiling from this date, in any event" if r.caps else "in any event"
    return "; ".join(parts)


def _met_on(events: dict, names: tuple) -> int:
    """The day the last of `names` was delivered (0: nothing required; Never: not all delivered)."""
    days = [events.get(n) for n in names]
    if any(d is None for d in days):
        return NEVER_SERIAL
    return max((serial(d) for d in days), default=0)


def views(ctx: Context, block) -> list[tuple[str, str, str]]:
    """The views a block's version timeline is worked out for: (suffix, label, which block rows it sees, as
    an array over the block's named columns).

    Every block: the workbook's view. Margin terms and the Initial Term's end: also each retroactive
    document's "as known before" view (the Pricing tab)."""
    st = block.stem
    out = [("", "in this view", f"{st}_Visible")]
    if block.key in ctx.retro_terms:
        for k, doc, _, _ in ctx.retro_views:
            out.append((f"_b{k}", f"as known before {doc.short}", f"({st}_Signed<=Retro{k}_Cutoff)"))
    return out


def _timeline(ctx: Context, s, row: int, block, c0: int) -> int:
    """The version in force from each day a version can start or end, per view: the daily columns look it
    up with MATCH over the sorted From column. For the Initial Term's end, also the first day past the
    term in each stretch, and the end of the window (the day before the first such day)."""
    st = block.stem
    name = s.name
    points = step_tables.breakpoints(block)
    is_end = block.key == "initial_term_end"
    every_view = views(ctx, block)
    heads = ["From", "Before"]
    for _, label, _ in every_view:
        heads.append(f"Version in force, {label}")
        if is_end:
            heads += [f"Term ends, {label}", f"First day past the term, {label}"]
    s.text(row, c0, f"{block.label}: version in force from each date", "section")
    row += 1
    for j, head in enumerate(heads):
        s.text(row, c0 + j, head, "header")
    s.ws.set_row(row, 36)
    row += 1
    top = row
    ends = {}
    for k, p in enumerate(points):
        x = row + 1
        nxt = points[k + 1] if k + 1 < len(points) else NEVER_SERIAL
        s.value(row, c0, p, "data", "date" if p else "int")
        s.value(row, c0 + 1, nxt, "data", "date")
        here, before = f"${col_name(c0)}{x}", f"${col_name(c0 + 1)}{x}"
        c = c0 + 2
        for sfx, _, visible in every_view:
            fn = ctx.view_for(sfx).term(block.key)
            ver = step_tables.version_at(fn, p)
            # the latest visible version whose stretch holds the day: one MAX over the block's named columns,
            # of one length at any count of versions; entered as an array formula (Gnumeric evaluates a MAX
            # inside SUMPRODUCT as a single value, Excel and LibreOffice as an array; an array formula alike)
            holds = (f"{visible}*{st}_StartsVersion*({st}_From<={here})*({here}<={st}_Ends)"
                     f"*{st}_Version")
            s.ws.write_array_formula(row, c, row, c, f"{{=MAX({holds})}}", s.fmt("calc", "int"), ver)
            vcell = f"{col_name(c)}{x}"
            if is_end:
                piece = fn.piece(from_serial(max(p, 1)).toordinal()) if p else None
                te = serial(piece.value) if ver and piece is not None and piece.value is not None else ""
                s.formula(row, c + 1, f'=IF({vcell}=0,"",INDEX({st}_Value,MATCH({vcell},{st}_Version,0)))',
                          te, "calc", "date")
                past = max(p, serial(ctx.start)) if te == "" else max(p, serial(ctx.start), te + 1)
                past = past if past < nxt else NEVER_SERIAL
                tcell = f"{col_name(c + 1)}{x}"
                reach = f"IF({vcell}=0,MAX({here},WindowStart),MAX({here},WindowStart,{tcell}+OneDay))"
                s.formula(row, c + 2, f"=IF({reach}<{before},{reach},Never)", past, "calc", "date")
                ends.setdefault(sfx, (c + 2, ctx.view_for(sfx)))
                c += 3
            else:
                c += 1
        row += 1
    ctx.define(f"{st}_TLFrom", name, top, c0, row - 1, c0)
    c = c0 + 2
    for sfx, _, _ in every_view:
        ctx.define(f"{st}_TLVer{sfx}", name, top, c, row - 1, c)
        c += 3 if is_end else 1
    labels = {sfx: label for sfx, label, _ in every_view}
    bottom = row
    for sfx, (col, view) in ends.items():
        s.text(row, c0, f"End of the window, {labels[sfx]}", "label")
        rng = f"{col_name(col)}{top + 1}:{col_name(col)}{bottom}"
        if sfx:
            s.formula(row, col, f"=MIN({rng})-OneDay", view.end, "total", "date")
        else:  # this view: from the day-by-day term on the Borrowing Capacity tab, steps and deliveries counted
            s.formula(row, col, f"=MIN(MIN(BC_PastTerm),{serial(ctx.end) + 1})-OneDay", view.end, "total", "date")
        ctx.define("TermEnd" if not sfx else f"Retro{sfx[2:]}_TermEnd", name, row, col)
        row += 1
    return row + 1
