"""Terms tab: the deal's data as tables the formulas look up (constants, events, documents, readings,
prime rates, step tables of every term, fees, severance), each figure beside its clause."""

from __future__ import annotations

from workbook.context import PAGE_HEIGHT, Context, safe_name
from workbook.tables import fee_tables as fees_model
from workbook.tables import step_tables as termtables
from workbook.tables.step_tables import ON_DELIVERY, UNBOUNDED, ChoiceMap
from workbook.tables.terms_columns import PRINTED, WIDTHS
from workbook.tabs.text import human
from workbook.xl import NEVER, NEVER_SERIAL, col_name, from_serial, serial


def _flag(value):
    """A yes/no reading as the number 1 or 0: LibreOffice has no boolean type, so a flag a formula
    passes on is a number in every program (and shows yes/no through the flag format)."""
    return int(value) if isinstance(value, bool) else value


def write(ctx: Context) -> int | None:
    """The Terms tab. Returns the most installments a severance plan has (None without severance): the
    Severance tab's rows."""
    s = ctx.new_sheet("terms")
    ws = s.ws
    for j, w in enumerate(WIDTHS):
        ws.set_column(j, j, w)
    ws.set_column(len(WIDTHS), len(WIDTHS) + 40, 24)  # off the printed page: room for the codes, working, timeline
    row = ctx.header(s, "terms")
    # printed: the first columns (the tables a lender reads), never shrunk below the template's scale
    scale = ctx.tabs["terms"].get("scale")
    if scale is None:
        scale = TERMS_SCALE
        ws.set_print_scale(scale)
    # what keep_together assumes of a page: PAGE_HEIGHT points at 100%; a landscape Letter or A4 page's
    # body holds BODY_PT (measured in LibreOffice's PDF), so the breaks use the page's real room
    page = scale / 100 * PAGE_HEIGHT / BODY_PT  # each section's keep_together measures pages so
    deal = ctx.deal

    row = _constants(ctx, s, row, page)
    row = _events(ctx, s, row, page)
    row = _documents(ctx, s, row, page)
    row = _facilities(ctx, s, row, page)
    row = _choices(ctx, s, row, page)
    row = _readings(ctx, s, row, page)
    row = _prime(ctx, s, row, page)

    # -- term blocks ----------------------------------------------------------------------------
    row = _term_blocks(ctx, s, row, page)

    # -- fees -----------------------------------------------------------------------------------
    if deal.installments:
        row = fees_model.write_terms(ctx, s, row, page)

    # -- severance ------------------------------------------------------------------------------
    sev_most = None
    if deal.severance:
        row, sev_most = _severance(ctx, s, row, page)
    ws.freeze_panes(4, 0)
    ws.print_area(0, 0, row, len(PRINTED) - 1)  # the codes the formulas test and the working: on screen only
    return sev_most


def _constants(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's constants; returns the next free row."""
    name, deal = s.name, ctx.deal
    s.text(row, 0, "Constants", "section")
    row += 1
    ctx.keep_together(s, row, LINE * 14, scale)
    s.ws.merge_range(row, 0, row, 2, "", s.fmt("header"))
    s.text(row, 0, "Name (as the formulas use it)", "header")
    s.text(row, 3, "Value", "header")
    s.ws.merge_range(row, 4, row, len(PRINTED) - 1, "", s.fmt("header"))
    s.text(row, 4, "Meaning", "header")
    row += 1
    consts = [
        ("Never", NEVER, "never", "The date a condition never met takes effect on: the last date a spreadsheet "
         "holds, printed as never"),
        ("Unbounded", UNBOUNDED, "cap", "No cap in effect"),
        ("OnDeliveryRule", ON_DELIVERY, "text", "A late delivery still makes a conditional step take effect"),
        ("OneDay", 1, "int", "Days in one accrual period of the daily schedules"),
        ("WindowStart", ctx.start, "date",
         f"First date whose terms are in our documents ({deal.window_start_citation})"),
        ("CheckDecimals", 6, "int", "Decimals to which the Checks tab rounds sums of money"),
    ]
    known = [d for d in deal.documents if d.has_terms]
    if known:
        first_known = min(known, key=lambda d: d.date)
        consts.append(("FirstKnownTerms", first_known.date, "date",
                       f"Signing date of {first_known.title}, the first document whose terms we have"))
    basis = deal.pricing.get("day_count")
    if "DayCountBasis" not in ctx.choice_maps and isinstance(basis, (int, float)):
        consts.append(("DayCountBasis", basis, "int", "Days in a year for interest"))
    for key, value, kind, meaning in consts:
        s.text(row, 0, key, "label")
        if kind == "text":  # a code: across the value and the next column, the note after it
            s.ws.merge_range(row, 3, row, 4, "", s.fmt("data", kind))
        s.value(row, 3, value, "data", kind)
        _note(s, row, meaning, 5 if kind == "text" else 4)
        ctx.define(key, name, row, 3)
        row += 1
    s.text(row, 0, "AmendedThroughEff", "label")
    s.formula(row, 3, "=IF(ISNUMBER(AmendedThrough),AmendedThrough,AsOf)", ctx.view_serial, "calc", "date")
    _note(s, row, "Documents signed on or before this date count (Inputs; blank: the as-of date)")
    ctx.define("AmendedThroughEff", name, row, 3)
    row += 1
    s.text(row, 0, "TermEnd", "label")
    s.formula(row, 3, "=TermEnd", ctx.view.end, "calc", "never")
    _note(s, row, "End of the Initial Term in this view: the first day past the term as known on that day, "
                   "less one (worked out under the Initial Term's step table)")
    row += 1
    s.text(row, 0, "ScheduleEnd", "label")
    s.value(row, 3, ctx.end, "data", "date")
    _note(s, row, "Last day of the daily schedules: the latest end of the Initial Term in any view")
    ctx.define("ScheduleEnd", name, row, 3)
    row += 1
    row += 1
    return row


def _events(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's events; returns the next free row."""
    ws, name, deal = s.ws, s.name, ctx.deal
    if deal.events:
        ctx.keep_together(s, row, LINE * (3 + 2 * len(deal.events)), scale)
        s.text(row, 0, "Events (deliveries that change terms)", "section")
        row += 1
        # printed: the event in words, its delivery, its clause; the code the formulas match on and the
        # count of its rows on Inputs stay off the printed page (columns K and L)
        c_key, c_named = len(PRINTED), len(PRINTED) + 1
        for c1, c2, head in ((0, 2, "Event"), (3, 3, "Delivered (Inputs)"), (4, 4, "Ends the agreement"),
                             (5, len(PRINTED) - 1, "Citation"), (c_key, c_key, "Code (the formulas match on it)"),
                             (c_named, c_named, "Rows on Inputs")):
            if c2 > c1:
                s.ws.merge_range(row, c1, row, c2, "", s.fmt("header"))
            s.text(row, c1, head, "header")
        ws.set_row(row, 2 * LINE + 2)
        row += 1
        first = row
        for ev, info in deal.events.items():
            x = row + 1
            key = f"{col_name(c_key)}{x}"
            s.ws.merge_range(row, 0, row, 2, "", s.fmt("data", "wrap"))
            s.value(row, 0, info["label"], "data", "wrap")
            # SUMIF and COUNTIF, not ISNUMBER over a range (Gnumeric does not spread ISNUMBER inside SUMPRODUCT)
            s.formula(row, 3, f"=IF(SUMIF(Ev_InName,{key},Ev_InDate)=0,Never,"
                      f"SUMIF(Ev_InName,{key},Ev_InDate)/COUNTIF(Ev_InName,{key}))",
                      ctx.event_done[ev], "calc", "delivered")
            s.value(row, 4, int(bool(info.get("ends_agreement", False))), "data_centered", "flag")
            s.ws.merge_range(row, 5, row, len(PRINTED) - 1, "", s.fmt("data", "wrap"))
            s.value(row, 5, info.get("citation", ""), "data", "wrap")
            s.ws.set_row(row, LINE * _lines(info["label"], info.get("citation", ""),
                                            widths=(sum(WIDTHS[0:3]), sum(WIDTHS[5:]))))
            s.value(row, c_key, ev, "data", "text")
            s.formula(row, c_named, f"=COUNTIF(Ev_InName,{key})", sum(1 for e in ctx.inputs.events if e == ev),
                      "calc", "int")
            row += 1
        ctx.define("Ev_Key", name, first, c_key, row - 1, c_key)
        ctx.define("Ev_Done", name, first, 3, row - 1, 3)
        ctx.define("Ev_Label", name, first, 0, row - 1, 0)
        ctx.define("Ev_Ends", name, first, 4, row - 1, 4)
        ctx.define("Ev_Named", name, first, c_named, row - 1, c_named)
        row += 1
    return row


def _documents(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's documents; returns the next free row."""
    ws, name, deal = s.ws, s.name, ctx.deal
    doc_height = LINE * (2 + 4) + sum(LINE * max(1, -(-len(d.title) * 10 // (WIDTHS[C_DOC] * 11)))
                                      for d in deal.documents)
    ctx.keep_together(s, row, doc_height, scale)
    s.text(row, 0, "Documents", "section")
    row += 1
    for j, head in enumerate(("#", "Document", "Short", "Signed", "Counted", "Loan agmt", "Terms known",
                              "Governing loan document (#)", "Signed, if its terms are known and counted")):
        s.text(row, j, head, "header")
    ws.set_row(row, 4 * LINE + 2)
    row += 1
    first = row
    in_force = 0  # the latest document in view that amends the loan agreement, signed on or before this row's
    for k, doc in enumerate(deal.documents, start=1):
        x = row + 1
        s.value(row, 0, k, "data", "int")
        s.value(row, 1, doc.title, "data", "wrap")
        lines = max(-(-len(doc.title) * 10 // (WIDTHS[C_DOC] * 11)), 2 if len(doc.short) > WIDTHS[C_VER] else 1)
        if lines > 1:
            ws.set_row(row, LINE * lines)
        s.value(row, 2, doc.short, "data", "wrap")
        s.value(row, 3, doc.date, "data", "date")
        # flags as 1 and 0, not TRUE and FALSE: Excel applies the yes/no format to numbers only
        s.formula(row, 4, f"=IF(D{x}<=AmendedThroughEff,1,0)", int(doc.id in ctx.view.visible), "calc_centered",
                  "flag")
        s.value(row, 5, int(doc.is_lsa), "data_centered", "flag")
        s.value(row, 6, int(doc.terms_known), "data_centered", "flag")
        in_force = k if doc in ctx.view.lsa_documents else in_force
        above = f"H{x - 1}" if k > 1 else "0"
        s.formula(row, 7, f"=IF(AND(E{x},F{x}),A{x},{above})", in_force, "calc_centered", "int")
        known = doc.id in ctx.view.visible and doc.has_terms
        s.formula(row, 8, f'=IF(AND(E{x},F{x},G{x}),D{x},"")', serial(doc.date) if known else "", "calc_centered",
                  "date")
        row += 1
    for key, col in (("Doc_Row", 0), ("Doc_Short", 2), ("Doc_Title", 1), ("Doc_Date", 3), ("Doc_Visible", 4),
                     ("Doc_LSA", 5), ("Doc_Known", 6), ("Doc_InForce", 7), ("Doc_KnownInView", 8)):
        ctx.define(key, name, first, col, row - 1, col)
    row += 1
    return row


def _facilities(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's facilities; returns the next free row."""
    name, deal = s.name, ctx.deal
    if deal.pricing.get("margin_terms"):
        margins = deal.pricing["margin_terms"]
        ctx.keep_together(s, row, LINE * (2 + len(margins)), scale)
        s.text(row, 0, "Facilities", "section")
        row += 1
        labels = {b.key: b.label for b in ctx.blocks}
        for fac, term in margins.items():
            s.text(row, 0, deal.facilities[fac]["label"], "label")
            s.value(row, 3, fac, "data", "text")
            _note(s, row, f"Its margin: the step table {labels.get(term, human(term))} below (code {fac})")
            ctx.define(f"Fac_{safe_name(fac)}", name, row, 3)
            row += 1
        row += 1
    return row


def _choices(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's interpretation choices; returns the next free row."""
    name, deal = s.name, ctx.deal
    switchable = [x for x in deal.interpretations if x.choices]
    if switchable:
        meaning_width = sum(WIDTHS[C_TO:])
        heights = [LINE * max(1, -(-len(m) * 10 // (meaning_width * 11)))
                   for x in switchable for m in x.choices.values()]
        ctx.keep_together(s, row, LINE * 3 + sum(heights), scale)
        s.text(row, 0, "Interpretation choices (the switches on Inputs pick one of each)", "section")
        row += 1
        for c1, c2, head in ((C_DOC, C_VER, "Interpretation (switch on Inputs)"), (C_SIGNED, C_FROM, "Choice"),
                             (C_TO, C_CIT, "Meaning")):
            s.ws.merge_range(row, c1, row, c2, "", s.fmt("header"))
            s.text(row, c1, head, "header")
        # off the printed page: each choice's number if the switch equals it exactly (EXACT: names with *, ?
        # or ~, or differing only in case, are not patterns), and the switch's choice number (0: none)
        c_hit, c_no = len(PRINTED), len(PRINTED) + 1
        s.text(row, c_hit, "Switch is this choice", "header")
        s.text(row, c_no, "Switch's choice number", "header")
        row += 1
        for interp in switchable:
            first = row
            key = safe_name(interp.name)
            chosen = ctx.choice_numbers.get((interp.name, ctx.rules[interp.name]), 0)
            for choice, meaning in interp.choices.items():
                s.ws.merge_range(row, C_DOC, row, C_VER, "", s.fmt("data", "wrap"))
                s.value(row, C_DOC, human(interp.name) if row == first else None, "data", "wrap")
                s.ws.merge_range(row, C_SIGNED, row, C_FROM, "", s.fmt("data", "text"))
                s.value(row, C_SIGNED, choice, "data", "text")
                s.ws.merge_range(row, C_TO, row, C_CIT, "", s.fmt("data", "wrap"))
                s.value(row, C_TO, meaning, "data", "wrap")
                s.ws.set_row(row, LINE * max(1, -(-len(meaning) * 10 // (meaning_width * 11))))
                # formulas test a switch against the choice's name (a defined name), not a cell address
                ctx.choice_cells[(interp.name, choice)] = ctx.define(
                    f"Choice_{safe_name(interp.name)}__{safe_name(choice)}", name, row, C_SIGNED)
                number = ctx.choice_numbers[(interp.name, choice)]
                s.formula(row, c_hit, f"=IF(EXACT(Switch_{key},{col_name(C_SIGNED)}{row + 1}),{number},0)",
                          number if number == chosen else 0, "calc", "int")
                row += 1
            ctx.define(f"ChoiceHit_{key}", name, first, c_hit, row - 1, c_hit)
            s.formula(first, c_no, f"=SUM(ChoiceHit_{key})", chosen, "calc", "int")
            ctx.define(f"SwitchNo_{key}", name, first, c_no)
            ctx.define(f"Choices_{key}", name, first, C_SIGNED, row - 1, C_SIGNED)
            ctx.define(f"ChoiceDesc_{key}", name, first, C_TO, row - 1, C_TO)
        row += 1
    return row


def _readings(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's readings that change a term's data; returns the next free row."""
    name = s.name
    if ctx.choice_maps:
        ctx.keep_together(s, row, LINE * (4 + sum(1 + len(m.values) for m in ctx.choice_maps.values())),
                          scale)
        s.text(row, 0, "Readings applied to the data (value in force for the chosen switch)", "section")
        row += 1
        c_val, c_choice = C_COND, C_CIT
        heads = {C_DOC: "Reading (and its clause)", c_val: "Value", c_choice: "Switch setting (in force, then each)",
                 len(PRINTED): "Name", len(PRINTED) + 1: "Interpretation"}
        for j, head in heads.items():
            s.text(row, j, head, "header")
        s.ws.set_row(row, 2 * LINE + 2)
        row += 1
        readings_first = row
        c_key = len(PRINTED)  # the names the formulas look up stay off the printed page
        room = sum(WIDTHS[C_DOC:c_val])
        for key, cmap in ctx.choice_maps.items():
            s.value(row, c_key, key, "data", "text")
            s.value(row, c_key + 1, cmap.interpretation, "data", "text")
            text = f"{cmap.label} ({cmap.citation})" if cmap.citation else cmap.label
            s.ws.merge_range(row, C_DOC, row, c_val - 1, "", s.fmt("data", "wrap"))
            s.value(row, C_DOC, text, "data", "wrap")
            s.ws.set_row(row, LINE * max(1, -(-len(text) * 10 // (room * 11))))
            sw = f"Switch_{safe_name(cmap.interpretation)}"
            s.formula(row, c_choice, f"={sw}", ctx.rules[cmap.interpretation], "calc_centered", "text")
            resolved = _flag(ctx.choice_values[key])
            number = f"SwitchNo_{safe_name(cmap.interpretation)}"  # the rows below are in the choices' order
            s.formula(row, c_val, f"=IF({number}=0,NA(),INDEX({key}_Value,{number}))", resolved, "calc_centered",
                      cmap.kind)
            ctx.define(key, name, row, c_val)
            row += 1
            first = row
            for choice in ctx.deal.interpretation(cmap.interpretation).choices:
                value = cmap.values[choice]
                s.text(row, c_val - 1, "option", "side")
                s.value(row, c_choice, choice, "data_centered", "text")
                s.value(row, c_val, _flag(value), "data_centered", cmap.kind)
                row += 1
            ctx.define(f"{key}_Choice", name, first, c_choice, row - 1, c_choice)
            ctx.define(f"{key}_Value", name, first, c_val, row - 1, c_val)
        ctx.define("Reading_Key", name, readings_first, c_key, row - 1, c_key)
        ctx.define("Reading_Value", name, readings_first, c_val, row - 1, c_val)
        row += 1
    return row


def _prime(ctx: Context, s, row: int, scale: float) -> int:
    """The Terms tab's prime; returns the next free row."""
    name, deal = s.name, ctx.deal
    prime = deal.prime
    if prime:
        ctx.keep_together(s, row, LINE * (5 + len(prime["rates"])), scale)
        s.text(row, 0, f"Prime rate: {prime.get('source', '')}", "section")
        row += 1
        s.text(row, 0, "Valid from", "label")
        s.value(row, 3, prime["valid_from"], "data", "date")
        ctx.define("PrimeValidFrom", name, row, 3)
        _note(s, row, prime.get("citation", ""))
        row += 1
        s.text(row, 0, "Valid through", "label")
        s.value(row, 3, prime["valid_through"], "data", "date")
        ctx.define("PrimeValidThrough", name, row, 3)
        row += 1
        for j, head in enumerate(("#", "", "", "From", "Rate")):
            if head:
                s.text(row, j, head, "header")
        row += 1
        first = row
        for k, (day, rate) in enumerate(prime["rates"], start=1):
            s.value(row, 0, k, "data", "int")
            s.value(row, 3, max(day, prime["valid_from"]), "data", "date")
            s.value(row, 4, float(rate), "data", "rate")
            row += 1
        ctx.define("Prime_From", name, first, 3, row - 1, 3)
        ctx.define("Prime_Rate", name, first, 4, row - 1, 4)
        row += 1
    return row


def _note(s, row: int, text: str, col: int = 4):
    """A note beside a figure, across the printed columns to its right (wrapped there, not in one)."""
    s.ws.merge_range(row, col, row, len(PRINTED) - 1, "", s.fmt("note", "text"))
    s.text(row, col, text, "note")
    lines = -(-len(text) * 10 // (sum(WIDTHS[col:]) * 11))
    if lines > 1:
        s.ws.set_row(row, LINE * lines)


def s_ref(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


# The step tables: what a lender reads first (printed), then the data the formulas test and the
# working (on screen only).
C_ROW, C_DOC, C_VER, C_SIGNED, C_KIND, C_FROM, C_TO, C_VALUE, C_COND, C_CIT = range(len(PRINTED))
LINE = 12  # points a printed line takes (9-point text)
BODY_PT = 500  # printed points between the top margin and the footer of a landscape Letter (A4: about 490)
TERMS_SCALE = 90  # percent: the printed columns fit a landscape page across (9-point text prints at 8.1)


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
        self.dates = termtables.row_dates(block, events, rules)
        self.effective = [eff for _, eff in self.dates]
        self.until_level, self.until_cap = termtables.stretches(block, self.effective, events)
        self.places = termtables.cap_places(block, events)
        self.spans = termtables.version_spans(block)  # version -> (its first, its last block row)
        self.version_rows = {r.version: i for i, r in enumerate(block.rows) if r.starts_version}


def _term_blocks(ctx: Context, s, row: int, scale: float) -> int:
    """Each term's step table: its data, then the calculations the daily schedules read by name."""
    c = _BlockCols(ctx)
    for block in ctx.blocks:
        w = _Worked(ctx, block)
        texts = [_conditions(ctx, r) for r in block.rows]
        height = LINE * (2 + 3 + sum(_lines(t, r.citation) for t, r in zip(texts, block.rows, strict=True)))
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
        row = max(row + 1, _timeline(ctx, s, section, block, first, c.by_min + 2, col_name(c.vis), col_name(c.ends)))
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
    s.ws.set_row(row, LINE * _lines(text, r.citation))
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
                   termtables.cap_value(r, events))


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


def _lines(*texts, widths=(WIDTHS[C_COND], WIDTHS[C_CIT])) -> int:
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


def views(ctx: Context, block, vis_col: str) -> list[tuple[str, str, object]]:
    """The views a block's version timeline is worked out for: (suffix, label, visibility test of sheet row x).

    Every block: the workbook's view. Margin terms and the Initial Term's end: also each retroactive
    document's "as known before" view (the Pricing tab)."""
    out = [("", "in this view", lambda x: f"${vis_col}${x}")]
    if block.key in ctx.retro_terms:
        for k, doc, _, _ in ctx.retro_views:
            out.append((f"_b{k}", f"as known before {doc.short}",
                        lambda x, k=k: f"(${col_name(C_SIGNED)}${x}<=Retro{k}_Cutoff)"))
    return out


def _timeline(ctx: Context, s, row: int, block, first: int, c0: int, vis_col: str, ends_col: str) -> int:
    """The version in force from each day a version can start or end, per view: the daily columns look it
    up with MATCH over the sorted From column. For the Initial Term's end, also the first day past the
    term in each stretch, and the end of the window (the day before the first such day)."""
    st = block.stem
    name = s.name
    points = termtables.breakpoints(block)
    is_end = block.key == "initial_term_end"
    every_view = views(ctx, block, vis_col)
    version_rows = [(i, r) for i, r in enumerate(block.rows) if r.starts_version]
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
            ver = termtables.version_at(fn, p)
            tests = [f"IF(AND({visible(first + i + 1)},"
                     f"${col_name(C_FROM)}${first + i + 1}<={here},{here}<=${ends_col}${first + i + 1}),"
                     f"{r.version},0)"
                     for i, r in version_rows]
            s.formula(row, c, f"=MAX({','.join(tests)})", ver, "calc", "int")
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


def _severance(ctx: Context, s, row: int, scale: float) -> tuple[int, int]:
    sev = ctx.deal.severance
    name = s.name
    ctx.keep_together(s, row, LINE * (20 + max(p.parts for p in sev.plans.values())), scale)
    s.text(row, 0, "Severance letter", "section")
    row += 1
    items = [
        ("SevLetterDate", "Letter dated", sev.letter_date, "date", sev.salary_through_citation),
        ("SevSalaryThrough", "Salary and benefits through", sev.salary_through, "date",
         sev.salary_through_citation),
        ("SevMonths", "Months of salary", sev.months_of_salary, "int", sev.months_citation),
        ("SevMonthsPerYear", "Months in a year", 12, "int", "Calendar"),
        ("SevOffsetFrom", "Offset period from", sev.offset_from, "date", sev.offset_citation),
        ("SevOffsetThrough", "Offset period through", sev.offset_through, "date", sev.offset_citation),
        ("SevLateRate", "Late interest rate (a year)", sev.late_rate, "rate", sev.late_citation),
        ("SevGraceDays", "Grace days", sev.late_grace_days, "int", sev.late_citation),
        ("SevBasisDays", "Days in a year (late interest)", sev.late_basis_days, "int", sev.late_citation),
        ("SevInsuranceThrough", "Insurance through", sev.insurance_through, "date",
         sev.insurance_citation),
        ("SevAutoLeaseThrough", "Auto lease through", sev.auto_lease_through, "date",
         sev.auto_lease_citation),
        ("SevOutplacementMonths", "Outplacement months", sev.outplacement_months, "int",
         sev.election_citation),
        ("SevOutplacementCap", "Outplacement cap", sev.outplacement_cap, "money",
         sev.election_citation),
        ("SevTransitionThrough", "Transition support through", sev.transition_support_through, "date",
         sev.transition_citation),
    ]
    for key, label, value, kind, cit in items:
        if value is None:
            continue
        s.text(row, 0, label, "label")
        s.value(row, 3, value, "data", kind)
        _note(s, row, cit)
        ctx.define(key, name, row, 3)
        row += 1
    row += 1
    plans = sev.plans
    s.text(row, 0, "Installment plans (one column per reading)", "section")
    row += 1
    s.text(row, 0, "#", "header")
    for j, plan in enumerate(plans):
        s.value(row, 3 + j, plan, "header", "text")
    ctx.define("SevPlanNames", name, row, 3, row, 2 + len(plans))
    row += 1
    s.text(row, 0, "Parts", "label")
    for j, plan in enumerate(plans.values()):
        s.value(row, 3 + j, plan.parts, "data", "int")
    ctx.define("SevPlanParts", name, row, 3, row, 2 + len(plans))
    row += 1
    most = max(p.parts for p in plans.values())
    first = row
    for n in range(most):
        s.value(row, 0, n + 1, "data", "int")
        for j, plan in enumerate(plans.values()):
            dates = plan.dates
            s.value(row, 3 + j, dates[n] if n < len(dates) else None, "data", "date")
        row += 1
    ctx.define("SevPlanDates", name, first, 3, row - 1, 2 + len(plans))
    return row + 1, most
