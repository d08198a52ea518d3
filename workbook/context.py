"""What every tab needs while the workbook is built: the deal, the inputs, the engine's view,
the template, the defined names, and the shared writers of a tab's frame (header, page header, page
breaks, a table's head). The day-by-day columns are written by workbook/tables/day_columns.py."""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property

from udfs.catalogue.functions import Catalogue
from udfs.deal.schema import SCHEMA_TABLES
from udfs.engine.explain import term_label
from udfs.engine.pricing import part_terms
from udfs.engine.terms import Terms
from udfs.loading import Deal
from workbook.headline import Headline, headline
from workbook.inputs import BuildInputs, ineligible_categories
from workbook.tables import step_tables
from workbook.xl import (
    NEVER_SERIAL,
    Formats,
    Sheet,
    area,
    page_setup,
    paper_for,
    serial,
)

NAME_OK = re.compile(r"[^A-Za-z0-9_.]")
PAGE_HEIGHT = 480  # points a landscape A4 or Letter page prints between its margins, header and footer
PLAIN_ROW = 12.75  # points a row of 9- or 10-point text takes
HEADER_MOST = 255  # characters of a page header or footer (Excel's limit; XlsxWriter drops a longer one)


def safe_name(text: str) -> str:
    """A defined name's part from deal data: letters, digits, '_' and '.', a letter or '_' first (a file
    name's part is workbook.command.file_name_part's)."""
    name = NAME_OK.sub("_", text)
    return name if name[:1].isalpha() or name[:1] == "_" else f"_{name}"


# The banner on every tab: the workbook's own arithmetic checks (not the borrower's compliance).
CHECKS_PASS = "Workbook checks: all pass"
CHECKS_FAILING = "Workbook checks failing: "
# Until the borrower marks the amounts as its own (Inputs tab), every tab and the master bar say so.
ILLUSTRATIVE_BAR = "; figures ILLUSTRATIVE"
ILLUSTRATIVE_LINE = ("ILLUSTRATIVE: the amounts are the template's samples, not the borrower's "
                     "(Inputs tab: Figures are the borrower's)")


class Context:
    def __init__(self, deal: Deal, inputs: BuildInputs, template: dict, flavor: str, workbook=None,
                 progress=None):
        self.deal = deal
        self.inputs = inputs
        self.template = template
        self.flavor = flavor
        self.wb = workbook
        self.formats = Formats(workbook, template) if workbook is not None else None
        self.cat = Catalogue(Terms(deal))
        self.progress = progress
        self.tabs = {t["key"]: t for t in template["tabs"]}
        self.names: dict[str, str] = {}
        self.events = inputs.delivered()
        self.rules = dict(inputs.rules)
        self.at = inputs.view_through  # one view per file: amended-through if given, else the as-of date
        self.view = self.cat.view(self.events, self.at, self.rules)
        self.start = deal.window_start
        # the schedules span the longest window of any view and any deliveries; the as-of date must fall
        # inside the longest window of any view with the deliveries given
        given = tuple(sorted(self.events.items()))
        self.end = self.cat.terms.reach_end(given)
        self.as_of_end = self.cat.terms.longest_end(given)
        self.days = [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]
        self.view_serial = serial(self.at)
        self.event_done = {name: (serial(day) if day is not None else NEVER_SERIAL)
                           for name, day in inputs.events.items()}
        self.choice_maps: dict = {}
        labels = {name: term_label(deal, name) for name in deal.terms}  # the deal's defined names, once
        self.blocks = step_tables.build_blocks(deal, labels, self.choice_maps)
        self._collect_choice_maps()
        self.choice_values = {k: m.values[self.rules[m.interpretation]] for k, m in self.choice_maps.items()}
        self.retro_views = self._retro_views()
        self.retro_terms = set(part_terms(deal.pricing)) | {"initial_term_end"} if self.retro_views else set()
        self.ineligible_categories = ineligible_categories(template)
        self.exception_rows = int(template.get("certificate", {}).get("exception_rows", 3))
        # (interpretation, choice) -> its number among the choices (from 1): formulas compare a switch with
        # SwitchNo_<interpretation> (the number of the choice it equals exactly, 0 for none), never by name
        self.choice_numbers = {(x.name, c): k for x in deal.interpretations for k, c in enumerate(x.choices, 1)}
        self.master_value = 0  # the Checks tab's total, set once by workbook.build before any tab is written

    @cached_property
    def headline(self) -> Headline:
        """The figures several tabs show for the as-of date, asked of the engine once (workbook/headline.py)."""
        return headline(self)

    def _retro_views(self) -> list:
        """(k, document, first day of its pricing, view as known before it) for each document whose
        pricing starts before it was signed, in date order: the Pricing tab shows those days both ways."""
        found = {}
        for term in self.deal.pricing.get("margin_terms", {}).values():
            for version in self.deal.terms[term]:
                doc = self.deal.document(version.document)
                if version.start < doc.date:
                    found[doc.id] = (doc, min(found.get(doc.id, (doc, version.start))[1], version.start))
        out = []
        for k, (doc, start) in enumerate(sorted(found.values(), key=lambda x: x[0].date), start=1):
            eve = doc.date - dt.timedelta(days=1)
            cutoff = min(self.at, eve)
            out.append((k, doc, start, cutoff))
        return out

    def view_for(self, suffix: str):
        """The engine's view behind a column suffix: "" this workbook's, "_b<k>" as known before retro k."""
        if not suffix:
            return self.view
        k = int(suffix[2:])
        return self.cat.view(self.events, self.retro_views[k - 1][3], self.rules)

    # -- deal-wide readings --------------------------------------------------------------------
    def _collect_choice_maps(self):
        def add(key, label, value, citation="", kind="text"):
            if isinstance(value, dict) and "interpretation" in value:
                interp = self.deal.interpretation(value["interpretation"])
                self.choice_maps[key] = step_tables.ChoiceMap(
                    key, label, interp.name, {k: v for k, v in value.items() if k != "interpretation"},
                    citation or interp.citation, kind)

        add("DayCountBasis", "Day count basis (days in a year)", self.deal.pricing.get("day_count"), kind="int")
        sev = self.deal.severance
        if sev:
            add("SevPlan", "Severance installment plan", sev.plan, sev.months_citation)
            add("SevOffsetOrder", "Order in which compensation offsets installments", sev.offset_order,
                sev.offset_citation)
            add("SevLateStart", "Late interest runs from", sev.late_start, sev.late_citation)
        for k, rule in enumerate(self.fee_rules(), start=1):
            for param, value in rule.params.items():
                add(f"FeeRule{k}{step_tables.stem_of(param)}", f"Fee rule {k} ({rule.kind}): {param}", value,
                    rule.citation, _choice_kind(rule.kind, param))

    def fee_rules(self):
        return sorted(self.deal.fee_rules, key=lambda r: self.deal.document(r.document).date)

    def tab(self, key: str) -> str:
        return self.tabs[key]["name"]

    # -- names ---------------------------------------------------------------------------------
    def define(self, name: str, sheet: str, row1: int, col1: int, row2: int | None = None, col2: int | None = None):
        ref = area(sheet, row1, col1, row1 if row2 is None else row2, col1 if col2 is None else col2)
        if name in self.names:
            raise ValueError(f"defined name {name!r} used twice")
        self.names[name] = ref
        self.wb.define_name(name, "=" + ref)
        return name

    def cell_of(self, name: str, k: int) -> str:
        """The k-th cell (from 0) of a defined one-column range, as an absolute reference: a tab reads
        another tab's table through the names that tab defined, never through its column letters."""
        sheet, _, span = self.names[name].rpartition("!")
        first = span.split(":")[0]
        column = first.rstrip("0123456789")
        return f"{sheet}!{column}{int(first[len(column):]) + k}"  # column keeps its $: "$B$"

    def conditional(self, style: str):
        """A format for conditional formatting (colours only, from the template)."""
        cache = self.__dict__.setdefault("_conditional", {})
        if style not in cache:
            cache[style] = self.wb.add_format(dict(self.template["styles"].get(style, {})))
        return cache[style]

    def pick(self, portable: str, live: str | None) -> str:
        if self.flavor == "live" and live:
            return _effective_view(live) if isinstance(live, str) else (lambda L: _effective_view(live(L)))
        return portable

    # -- shared writers ------------------------------------------------------------------------
    def add_sheets(self, keys: list[str]):
        """Create the worksheets up front, in the template's order (tabs are written in another order)."""
        self.sheets = {}
        self.written_tabs = set(keys)
        for tab in self.template["tabs"]:
            if tab["key"] in keys:
                sheet = Sheet(self.wb, self.formats, tab["name"])
                if tab.get("color"):
                    sheet.ws.set_tab_color(tab["color"])
                self.sheets[tab["key"]] = sheet

    def new_sheet(self, key: str) -> Sheet:
        return self.sheets[key]

    def header(self, sheet: Sheet, key: str, width_cols: int = 6) -> int:
        """Title, deal and master check in rows 1-3; returns the first free row (0-based)."""
        sheet.text(0, 0, self.tabs[key].get("title", self.tab(key)), "title")
        note = self.tabs[key].get("note")
        sheet.text(1, 0, f"{self.deal.name}. {note}" if note else self.deal.name, "subtitle")
        ok = CHECKS_PASS
        value = ok if self.master_value == 0 else f"{CHECKS_FAILING}{self.master_value:g} (see {self.tab('checks')})"
        value += "" if self.inputs.borrowers_figures else ILLUSTRATIVE_BAR
        sheet.ws.merge_range(2, 0, 2, 3, "", sheet.fmt("master", "text"))
        sheet.formula(2, 0, f'=IF(MasterCheck=0,"{ok}","{CHECKS_FAILING}"&MasterCheck&" (see {self.tab("checks")})")'
                      f'&IF(BorrowersFigures=1,"","{ILLUSTRATIVE_BAR}")', value, "master", "text")
        sheet.formula(3, 0, f'=IF(BorrowersFigures=1,"","{ILLUSTRATIVE_LINE}")',
                      "" if self.inputs.borrowers_figures else ILLUSTRATIVE_LINE, "illustrative", "text")
        ws = sheet.ws
        ws.conditional_format(2, 0, 2, 3, {"type": "formula", "criteria": "=MasterCheck<>0",
                                           "format": self.conditional("check_fail")})  # the bar turns red
        ws.set_row(0, 20)
        ws.hide_gridlines(2)
        page_setup(ws, self.tabs[key], paper_for(self.template, self.deal.raw.get("deal", {}).get("currency")),
                   f"&L{_hf(self.deal.short_name)}&C&A&RPage &P of &N", self.page_header())
        return 4

    def page_header(self) -> str:
        """Every printed page's header: the agreement and its borrower (deal data), the as-of date and
        the documents counted (build inputs), so a loose page still says what it is."""
        borrower = self.deal.raw.get("deal", {}).get("borrower", "")
        right = f"As of {self.inputs.as_of.isoformat()}"
        if self.at is not None:
            right += f"; documents signed through {self.at.isoformat()}"
        # a header holds 255 characters: a long name gives way to the short one (at most 60, the reader's
        # limit), then the borrower goes; never a header cut or dropped
        # fixed when the file is built: a file whose figures are the template's says so on every page
        centre = "" if self.inputs.borrowers_figures else '&C&"Arial,Bold"&9ILLUSTRATIVE FIGURES'
        for name, who in ((self.deal.name, borrower), (self.deal.short_name, borrower), (self.deal.short_name, "")):
            left = name if who in name else f"{name}, Borrower: {who}"
            header = f'&L&"Arial,Regular"&8{_hf(left)}{centre}&R&"Arial,Regular"&8{_hf(right)}'
            if len(header) <= HEADER_MOST:
                break
        return header

    def keep_together(self, sheet: Sheet, row: int, height: float, scale: float):
        """A printed page break before `row` when the next `height` points (a heading and its table)
        would not fit on the page the row falls on, at `scale` (rows without a set height: 12 points)."""
        state = self.__dict__.setdefault("_pages", {}).setdefault(sheet.name, {"start": 0, "breaks": []})
        sizes = sheet.ws.row_sizes
        used = sum(sizes[r][0] if r in sizes else PLAIN_ROW for r in range(state["start"], row))
        if used and used + height > PAGE_HEIGHT / scale:
            state["breaks"].append(row)
            state["start"] = row
            sheet.ws.set_h_pagebreaks(state["breaks"])

    def engine_column(self, name: str, args: list, until: dt.date | None = None) -> list:
        """The engine's answers for every schedule day; days after `until` (the view's term end) are
        empty; any other row the engine refuses stops the build."""
        out = self.cat.many(name, args, len(self.days))
        for i, value in enumerate(out):
            if until is not None and self.days[i] > until:
                out[i] = ""
            elif isinstance(value, Exception):
                raise value
        return out

    def table_head(self, sheet: Sheet, row: int, heads: tuple, widths: tuple, frozen_cols: int,
                   height: int | None = None) -> int:
        """Column widths and a header row, frozen and repeated on every printed page; the next row."""
        for j, w in enumerate(widths):
            sheet.ws.set_column(j, j, w)
        for j, h in enumerate(heads):
            sheet.text(row, j, h, "header")
        if height:
            sheet.ws.set_row(row, height)
        sheet.ws.freeze_panes(row + 1, frozen_cols)
        sheet.ws.repeat_rows(row)
        return row + 1

VIEW_ARG = re.compile(r"\bAmendedThrough\b")


def _effective_view(formula: str) -> str:
    """The live functions are asked the file's view (AmendedThroughEff: the Inputs date, or the as-of date
    when it is blank), not the bare input, whose blank would mean every document."""
    return VIEW_ARG.sub("AmendedThroughEff", formula)


def _hf(text: str) -> str:
    """Text for a page header or footer: a literal & doubled."""
    return text.replace("&", "&&")


# A deal field's declared kind (udfs.deal.schema) -> how a cell shows it; other kinds are words.
_SHOWN_AS = {"amount": "amount", "fraction": "rate", "date": "date", "bool": "flag", "int": "int"}


def _choice_kind(rule_kind: str, param: str) -> str:
    """How the Terms tab shows a fee rule's parameter that a reading sets: by the schema's declaration of that
    parameter, never guessed from the values (a whole-number amount is an amount, 1.0 may be 100%)."""
    spec = SCHEMA_TABLES.get(f"fee_rules[] {rule_kind}", {}).get(param)
    return _SHOWN_AS.get(spec.kind, "text") if spec is not None else "text"
