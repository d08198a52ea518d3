"""Inputs tab: the only cells a user changes, styled as inputs, each with data validation."""

from __future__ import annotations

import datetime as dt

from workbook.context import Context, safe_name
from workbook.tabs.text import human
from workbook.xl import DEFAULT_ROW_PT, block_breaks, column_px, page_room, paper_for, row_height, wrapped_lines

DATE_RULE = {"validate": "date", "criteria": "between", "minimum": dt.date(1900, 3, 1),
             "maximum": dt.date(9999, 12, 31), "ignore_blank": True,
             "error_title": "A date", "error_message": "Enter a date, e.g. 2002-11-15."}
AMOUNT_RULE = {"validate": "decimal", "criteria": ">=", "value": 0, "ignore_blank": True,
               "error_title": "An amount", "error_message": "Enter an amount of zero or more."}
RATE_RULE = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 0.99, "ignore_blank": True,
             "error_title": "A rate", "error_message": "Enter a fraction, e.g. 0.0425 for 4.25%."}


def collateral_name(component: str) -> str:
    """The defined name of a collateral component's figure on the Inputs tab."""
    return f"Collateral_{safe_name(component)}"


def amount_rows(ctx: Context):
    """(name, label, value, kind, rule, note) for the single-value inputs of the borrowing base."""
    i = ctx.inputs
    rows = [
        ("Receivables", "Receivables borrowing base", i.receivables, "money", AMOUNT_RULE,
         "Eligible receivables (the IEC Receivables Borrowing Base)"),
        *[(collateral_name(c.id), c.label, i.collateral.get(c.id, 0.0), "money", AMOUNT_RULE,
           "Reported figure; counts at its advance rate" + (", up to its sublimit" if c.sublimit_term else ""))
          for c in ctx.deal.borrowing_base.components[1:]],
        ("Acceptances", "Bankers' acceptances", i.acceptances, "money", AMOUNT_RULE, "Deducted from capacity"),
        ("Guaranties", "Letters of guaranty", i.guaranties, "money", AMOUNT_RULE, "Deducted from capacity"),
        ("LettersOfCredit", "Letters of credit", i.letters_of_credit, "money", AMOUNT_RULE, "Deducted from capacity"),
        ("Outstanding", "Outstanding Advances", i.outstanding, "money", AMOUNT_RULE,
         "On the as-of date; reduces availability"),
        ("TermLoanReserve", "Term Loan Reserve", i.term_loan_reserve, "money", AMOUNT_RULE,
         "Blank: not known (then it does not limit Overadvances)"),
        ("PrimeOverride", "Prime rate override", i.prime_override, "rate", RATE_RULE,
         "Blank: the prime table on the Terms tab"),
    ]
    for fac, balance in i.balances.items():
        label = ctx.deal.facilities[fac]["label"]
        rows.append((f"Balance_{safe_name(fac)}", f"Balance, {label}", balance, "money", AMOUNT_RULE,
                     f"Interest only: the balance on every day of the {ctx.tab('pricing')} tab"))
    return rows


SIGNED_RULE = {"validate": "decimal", "criteria": "between", "minimum": -1e15, "maximum": 1e15, "ignore_blank": True,
               "error_title": "An amount", "error_message": "Enter an amount (negative to take away)."}


def certificate_rows(ctx: Context):
    """(name, label, value, kind, rule, note) for the certificate's reporting amounts, in its order."""
    c = ctx.inputs.certificate
    rows = [
        ("Cert_PriorReceivables", "Receivables, prior period end", c["prior_receivables"],
         "The prior certificate's ending balance"),
        ("Cert_Sales", "Sales in the period", c["sales"], "Gross billings"),
        ("Cert_Collections", "Collections in the period", c["collections"], "Cash received on receivables"),
        ("Cert_Credits", "Credits and discounts", c["credits"], "Credit memos, allowances, discounts"),
        ("Cert_Adjustments", "Other adjustments (+ or -)", c["adjustments"], "Negative: taken away"),
        ("Cert_GrossReceivables", "Receivables per the aging", c["gross_receivables"],
         "The aging's total; the roll-forward must agree with it"),
    ]
    rows += [(f"Cert_Inel_{key}", label, c["ineligibles"][key], "Ineligible receivables: this category"
              + (" (a common field-examination list; the Agreement's criteria govern)" if k == 0 else ""))
             for k, (key, label) in enumerate(ctx.ineligible_categories)]
    rows += [
        ("Cert_OpeningAdvances", "Advances, period start", c["opening_advances"],
         "The prior certificate's closing Advances"),
        ("Cert_AdvancesMade", "Advances made", c["advances_made"], ""),
        ("Cert_AdvancesRepaid", "Advances repaid", c["advances_repaid"],
         "Collections applied and other repayments"),
    ]
    return [(key, label, value, "money", SIGNED_RULE if key == "Cert_Adjustments" else AMOUNT_RULE, text)
            for key, label, value, text in rows]


def certificate_inputs(ctx: Context, s, row: int, section, single, note) -> int:
    """The certificate's reporting inputs: its number and period, the roll-forwards, the ineligibles and
    any exceptions to the no-default representation."""
    section(row, "Certificate: the borrower's reporting for the period")
    row += 1
    c = ctx.inputs.certificate
    s.text(row, 0, "Certificate number", "label")
    s.value(row, 1, c["number"], "input", "text")
    note(row, "As the borrower numbers its certificates")
    ctx.define("Cert_Number", s.name, row, 1)
    row += 1
    row = single(row, "Cert_PeriodStart", "Reporting period from", c.get("period_start"), "date", DATE_RULE,
                 "The first day of the period (to the as-of date). Blank: the first day of the as-of month")
    for spec in certificate_rows(ctx):
        row = single(row, *spec)
    s.text(row, 0, "Exceptions to no default", "label")
    note(row, "Any Default or Event of Default that has occurred and is continuing, one a row; blank: none")
    row += 1
    first = row
    for k in range(ctx.exception_rows):
        s.text(row, 0, f"    exception {k + 1}", "label")
        s.value(row, 3, None, "input", "text")  # the wide column: room for a sentence
        row += 1
    ctx.define("Cert_Exceptions", s.name, first, 3, row - 1, 3)
    return row + 1


NOTE_WIDTH = 70  # the last column: notes and meanings wrap within it, so the tab prints at full size


def write(ctx: Context):
    s = ctx.new_sheet("inputs")
    ws = s.ws
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 14)
    ws.set_column(3, 3, NOTE_WIDTH)
    row = ctx.header(s, "inputs")
    name = s.name
    i = ctx.inputs

    starts = []  # first row of each section: a section is kept whole on a printed page

    def section(row, title):
        starts.append(row)
        s.text(row, 0, title, "section")

    def note(row, text):
        """A note in the last column, wrapped there."""
        s.text(row, 3, text, "note")
        fit(row, [text])

    def fit(row, texts):
        """The row as tall as the longest of `texts` needs, wrapped in the last column."""
        lines = max(wrapped_lines(x, column_px(NOTE_WIDTH)) for x in texts)
        if lines > 1:
            ws.set_row(row, row_height(lines))

    def single(row, key, label, value, kind, rule, text):
        s.text(row, 0, label, "label")
        s.value(row, 1, value, "input", kind)
        ws.data_validation(row, 1, row, 1, rule)
        note(row, text)
        ctx.define(key, name, row, 1)
        return row + 1

    section(row, "Whose figures")
    row += 1
    s.text(row, 0, "Figures are the borrower's", "label")
    s.value(row, 1, int(i.borrowers_figures), "input", "flag")
    ws.data_validation(row, 1, row, 1, {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 1,
                                        "error_title": "1 or 0", "error_message": "1: the borrower's; 0: samples."})
    note(row, "0 (no): the amounts are the template's samples and every tab says ILLUSTRATIVE. The borrower "
              "enters 1 (yes) once the amounts below are its own (or borrowers_figures = true in an inputs file)")
    ctx.define("BorrowersFigures", name, row, 1)
    row += 2
    section(row, "Dates")
    row += 1
    row = single(row, "AsOf", "As-of date", i.as_of, "date", DATE_RULE,
                 "The date the Cover's headline figures are for")
    row = single(row, "AmendedThrough", "Amended through", i.amended_through, "date", DATE_RULE,
                 "Blank: the documents signed by the as-of date. A date: those signed on or before it")
    row += 1
    section(row, "Borrowing base and balances")
    row += 1
    for spec in amount_rows(ctx):
        row = single(row, *spec)
    row += 1
    row = certificate_inputs(ctx, s, row, section, single, note)

    # the switches before the events: the tab then prints on two pages at full size
    switchable = [x for x in ctx.deal.interpretations if x.choices]
    if switchable:
        section(row, "Interpretation switches (see Notes for each reading)")
        row += 1
        s.text(row, 0, "Interpretation", "header")
        ws.merge_range(row, 1, row, 2, "", s.fmt("header"))
        s.text(row, 1, "Choice (pick from the list)", "header")
        s.text(row, 3, "Meaning of the choice", "header")
        row += 1
        first = row
        for interp in switchable:
            choice = i.rules[interp.name]
            s.text(row, 0, human(interp.name), "label")
            s.value(row, 1, choice, "input", "text")
            key = safe_name(interp.name)
            ws.data_validation(row, 1, row, 1, {"validate": "list", "source": f"=Choices_{key}",
                                                "error_title": "A reading",
                                                "error_message": "Pick one of the listed choices."})
            s.formula(row, 3, f'=IF(SwitchNo_{key}=0,"not a choice",INDEX(ChoiceDesc_{key},SwitchNo_{key}))',
                      interp.choices[choice], "calc", "wrap")
            fit(row, list(interp.choices.values()))  # tall enough for the meaning of any choice
            ctx.define(f"Switch_{key}", name, row, 1)
            row += 1
        ctx.define("Rules", name, first, 1, row - 1, 1)
        row += 1
    if ctx.deal.events:
        section(row, "Events (a blank date: not delivered)")
        row += 1
        # name | date side by side: the range Events the live functions read; the event in words after
        s.text(row, 0, "Event (code)", "header")
        s.text(row, 1, "Delivered on", "header")
        ws.merge_range(row, 2, row, 3, "", s.fmt("header"))
        s.text(row, 2, "What it is", "header")
        row += 1
        first = row
        for ev, day in i.events.items():
            label = ctx.deal.events[ev]["label"]
            s.value(row, 0, ev, "input", "text")
            s.value(row, 1, day, "input", "date")
            # under its header (columns C:D): the words run on into D, which stays empty
            s.formula(row, 2, f'=IFERROR(INDEX(Ev_Label,MATCH(A{row + 1},Ev_Key,0)),"unknown event")', label,
                      "calc", "text")
            row += 1
        last = row - 1
        ws.data_validation(first, 0, last, 0, {"validate": "list", "source": "=Ev_Key",
                                               "error_title": "An event", "error_message": "Pick an event name."})
        ws.data_validation(first, 1, last, 1, DATE_RULE)
        ctx.define("Ev_InName", name, first, 0, last, 0)
        ctx.define("Ev_InDate", name, first, 1, last, 1)
        ctx.define("Events", name, first, 0, last, 1)
        row += 1

    if ctx.deal.severance:
        section(row, "Severance")
        row += 1
        row = single(row, "AnnualSalary", "Annual salary", i.annual_salary, "money", AMOUNT_RULE,
                     "Salary at the rate in force when the letter was signed (not in our documents)")
        s.text(row, 0, "Compensation received elsewhere", "label")
        s.text(row, 1, "Received on", "header")
        s.text(row, 2, "Amount", "header")
        s.text(row, 3, "Offsets the installments (letter); blank rows are ignored", "note")
        row += 1
        first = row
        offsets = list(i.offsets) + [(None, None)] * (i.offset_rows - len(i.offsets))
        for day, amount in offsets:
            s.value(row, 1, day, "input", "date")
            s.value(row, 2, amount, "input", "money")
            row += 1
        last = row - 1
        ws.data_validation(first, 1, last, 1, DATE_RULE)
        ws.data_validation(first, 2, last, 2, AMOUNT_RULE)
        ctx.define("OffsetDates", name, first, 1, last, 1)
        ctx.define("OffsetAmounts", name, first, 2, last, 2)
        ctx.define("Offsets", name, first, 1, last, 2)
        row += 1
        section(row, "Late-interest calculator")
        row += 1
        row = single(row, "LateDue", "Installment due on", i.late_due, "date", DATE_RULE, "")
        row = single(row, "LatePaid", "Paid on", i.late_paid, "date", DATE_RULE, "")
        row = single(row, "LateAmount", "Amount paid late", i.late_amount, "money", AMOUNT_RULE, "")
        row += 1
        section(row, "Outplacement or lease election")
        row += 1
        s.text(row, 0, "Election", "label")
        s.value(row, 1, i.election, "input", "text")
        ws.data_validation(row, 1, row, 1, {"validate": "list", "source": ["outplacement", "lease"]})
        ctx.define("Election", name, row, 1)
        row += 1
        row = single(row, "OutplacementCost", "Outplacement cost", i.outplacement_cost, "money", AMOUNT_RULE,
                     "Capped by the letter")
        row = single(row, "LeaseCost", "Lease cost for the rest of the term", i.lease_cost, "money", AMOUNT_RULE, "")
        s.text(row, 0, "Lease transfer accepted by the lessor", "label")
        s.value(row, 1, i.transfer_accepted, "input", "flag")
        ws.data_validation(row, 1, row, 1, {"validate": "list", "source": ["TRUE", "FALSE"]})
        note(row, "yes (TRUE): the lessor accepts the transfer of the auto lease. no (FALSE): it refuses, and "
                  "the Company pays the greater of the outplacement and lease costs (letter)")
        ctx.define("TransferAccepted", name, row, 1)
        row += 2

    ends = [*starts[1:], row]
    sizes = ws.row_sizes
    blocks = [(a, sum(sizes[r][0] if r in sizes else DEFAULT_ROW_PT for r in range(a, b)))
              for a, b in zip(starts, ends, strict=True)]
    paper = paper_for(ctx.template, ctx.deal.raw.get("deal", {}).get("currency"))
    landscape = ctx.tabs["inputs"].get("orientation", "landscape") != "portrait"
    ws.set_h_pagebreaks(block_breaks(blocks, page_room(paper, landscape), 20 + 3 * DEFAULT_ROW_PT))

