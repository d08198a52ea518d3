"""What every tab needs while the workbook is built: the deal, the inputs, the engine's view,
the template, the defined names, and a few shared writers (tab header, schedule columns)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass

from udfs.engine.deal import Deal
from udfs.engine.terms import Terms
from udfs.functions import Catalogue

from . import termtables
from .inputs import BuildInputs
from .xl import NEVER_SERIAL, FastCells, Formats, Sheet, area, col_name, page_setup, paper_for, serial

ROW_MARK = "\x00"  # stands for the row number while a column's formula is prepared
NAME_OK = re.compile(r"[^A-Za-z0-9_.]")


def safe_name(text: str) -> str:
    name = NAME_OK.sub("_", text)
    return name if name[:1].isalpha() or name[:1] == "_" else f"_{name}"


@dataclass
class Column:
    """One schedule column: the same formula down every row ({r} is the Excel row number)."""

    key: str
    header: str
    kind: str  # number format kind
    formula: object  # portable template: str or callable(letters) -> str; None: a data column
    values: list  # stored values, one per row
    live: object = None  # live-flavor template (str or callable), if it differs
    width: float = 12
    role: str = "calc"
    name: str | None = None  # defined name for the whole column


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
        self.at = inputs.amended_through
        self.view = self.cat.view(self.events, self.at, self.rules)
        self.start = deal.window_start
        self.end = self.cat.view(None, None, None).end  # the schedules span the fullest view
        self.days = [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]
        self.view_serial = NEVER_SERIAL if self.at is None else serial(self.at)
        self.event_done = {name: (serial(day) if day is not None else NEVER_SERIAL)
                           for name, day in inputs.events.items()}
        self.choice_maps: dict = {}
        labels = template.get("term_labels", {})
        self.blocks = termtables.build_blocks(deal, labels, self.choice_maps)
        self._collect_choice_maps()
        self.choice_values = {k: m.values[self.rules[m.interpretation]] for k, m in self.choice_maps.items()}
        self.mirrors = {b.key: termtables.Mirror(b, self.event_done, self.view_serial, self.choice_values)
                        for b in self.blocks}
        self.choice_cells: dict = {}  # (interpretation, choice) -> absolute address on Terms
        self.master_value = 0
        self.check_values: list = []

    # -- deal-wide readings --------------------------------------------------------------------
    def _collect_choice_maps(self):
        def add(key, label, value, citation=""):
            if isinstance(value, dict) and "interpretation" in value:
                interp = self.deal.interpretation(value["interpretation"])
                self.choice_maps[key] = termtables.ChoiceMap(
                    key, label, interp.name, {k: v for k, v in value.items() if k != "interpretation"},
                    citation or interp.citation)

        add("DayCountBasis", "Day count basis (days in a year)", self.deal.pricing.get("day_count"))
        sev = self.deal.severance
        if sev:
            add("SevPlan", "Severance installment plan", sev.get("plan"), sev.get("months_citation", ""))
            add("SevOffsetOrder", "Order in which compensation offsets installments", sev.get("offset_order"),
                sev.get("offset_citation", ""))
            add("SevLateStart", "Late interest runs from", sev.get("late_start"), sev.get("late_citation", ""))
        for k, rule in enumerate(self.fee_rules(), start=1):
            for param, value in rule.params.items():
                add(f"FeeRule{k}{termtables.stem_of(param)}", f"Fee rule {k} ({rule.kind}): {param}", value,
                    rule.citation)

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

    def choice_cell(self, interpretation: str, choice: str) -> str:
        return self.choice_cells[(interpretation, choice)]

    def conditional(self, style: str):
        """A format for conditional formatting (colours only, from the template)."""
        cache = self.__dict__.setdefault("_conditional", {})
        if style not in cache:
            cache[style] = self.wb.add_format(dict(self.template["styles"].get(style, {})))
        return cache[style]

    def pick(self, portable: str, live: str | None) -> str:
        return live if (self.flavor == "live" and live) else portable

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
        sheet.text(1, 0, f"{self.deal.name}  |  deal data version {self.deal.version}", "subtitle")
        ok = "Checks: all zero"
        value = ok if self.master_value == 0 else f"Checks failing: {self.master_value:g} (see {self.tab('checks')})"
        sheet.ws.merge_range(2, 0, 2, 3, "", sheet.fmt("master", "text"))
        sheet.formula(2, 0, f'=IF(MasterCheck=0,"{ok}","Checks failing: "&MasterCheck&" (see {self.tab("checks")})")',
                      value, "master", "text")
        ws = sheet.ws
        ws.set_row(0, 20)
        ws.hide_gridlines(2)
        page_setup(ws, self.tabs[key], paper_for(self.template, self.deal.raw.get("deal", {}).get("currency")),
                   f"&L{self.deal.short_name}&C&A&RPage &P of &N")
        return 4

    def engine_column(self, name: str, args: list) -> list:
        """The engine's answers for every schedule day; a row the engine refuses stops the build."""
        out = self.cat.many(name, args, len(self.days))
        for value in out:
            if isinstance(value, Exception):
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

    def schedule(self, sheet: Sheet, top: int, columns: list[Column], n: int, left: int = 0):
        """Header row at `top`, then n rows, one consistent formula per column; frozen header."""
        ws = sheet.ws
        header_fmt = sheet.fmt("header")
        ws.set_row(top, 36)
        for j, col in enumerate(columns):
            ws.write_string(top, left + j, col.header, header_fmt)
            ws.set_column(left + j, left + j, col.width)
            if col.name:
                self.define(col.name, sheet.name, top + 1, left + j, top + n, left + j)
        ws.freeze_panes(top + 1, left + 2 if len(columns) > 2 else left)
        letters = {c.key: col_name(left + j) for j, c in enumerate(columns)}
        fast = FastCells(ws)
        prepared = []
        for j, col in enumerate(columns):
            fmt = sheet.fmt(col.role, col.kind)
            values = col.values
            if any(isinstance(v, dt.date) for v in values[:1]):
                values = [serial(v) if isinstance(v, dt.date) else v for v in values]
            if col.formula is None:
                prepared.append((left + j, None, fmt, values))
                continue
            template = self.pick(col.formula, col.live)
            if callable(template):
                template = template(letters)
            marked = template.replace("{r}", ROW_MARK)
            prepared.append((left + j, fast.prepare(marked).split(ROW_MARK), fmt, values))
        step = max(1, n // 100)
        for i in range(n):
            row = top + 1 + i
            r = str(row + 1)
            for c, parts, fmt, values in prepared:
                value = values[i]
                if parts is None:  # a data column
                    fast.number(row, c, value, fmt)
                else:
                    fast.formula(row, c, r.join(parts), fmt, "" if value is None else value)
            if self.progress is not None and i % step == 0:
                self.progress.update(sheet.name, i, n)
        if n:
            fast.touch(top + 1, left, top + n, left + len(columns) - 1)
        if self.progress is not None:
            self.progress.update(sheet.name, n, n)
        ws.repeat_rows(top)
        return top + 1 + n


class Progress:
    """A one-line progress bar on stderr for long schedules."""

    def __init__(self, stream=None, threshold: int = 20000):
        self.stream = stream or sys.stderr
        self.threshold = threshold
        self._last = None

    def update(self, label: str, done: int, total: int):
        if total < self.threshold:
            return
        width = 30
        filled = width * done // max(total, 1)
        text = f"\r{label[:24]:<24} [{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total}"
        if text != self._last:
            self.stream.write(text + ("\n" if done >= total else ""))
            self.stream.flush()
            self._last = text

