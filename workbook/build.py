"""Build the workbook: one call, any deal, two flavors, a byte-identical file for the same inputs."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path

import xlsxwriter

from udfs.loading import Deal
from workbook.context import Context
from workbook.inputs import BuildInputs, check_dates
from workbook.tabs import capacity as tab_capacity
from workbook.tabs import certificate as tab_certificate
from workbook.tabs import charts as tab_charts
from workbook.tabs import checks as tab_checks
from workbook.tabs import cover as tab_cover
from workbook.tabs import fees as tab_fees
from workbook.tabs import inputs as tab_inputs
from workbook.tabs import pricing as tab_pricing
from workbook.tabs import severance as tab_severance
from workbook.tabs import terms as tab_terms
from workbook.tabs import text as tab_text

FLAVORS = ("portable", "live")
TEMPLATE_FILE = "workbook.toml"


def load_template() -> dict:
    data = resources.files("termbook_templates").joinpath(TEMPLATE_FILE).read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def version() -> str:
    try:
        from importlib.metadata import version as v

        return v("termbook")
    except Exception:  # noqa: BLE001 - a source checkout without metadata
        return "source"


def stamp(deal: Deal, flavor: str) -> str:
    """What made this file: no wall-clock time and the deal file's name only (not its path, however
    spelled), so the same inputs give the same bytes."""
    return (f"termbook {version()}, from the deal data file {Path(deal.path).name} (edition {deal.version}, "
            f"fingerprint {deal.content_hash[:16]}; a file edition, not a date of the deal)")


def build(deal: Deal, inputs: BuildInputs, target, flavor: str = "portable", template: dict | None = None,
          progress=None, before_close=None) -> Context:
    """Write the workbook to `target` (a path or a binary file object).

    `before_close(ctx)`, if given, sees the finished workbook before it is written (the benchmark
    reads the cells there)."""
    if flavor not in FLAVORS:
        raise ValueError(f"flavor must be one of {FLAVORS}")
    template = template or load_template()
    # Arial 10 as the Normal style: column widths then mean the same on every machine (Excel, and
    # LibreOffice with the metric-compatible Liberation Sans), unlike Calibri where it is missing.
    wb = xlsxwriter.Workbook(target, {"strings_to_numbers": False, "strings_to_formulas": False,
                                      "strings_to_urls": False, "default_row_height": 17,
                                      "default_format_properties": {"font_name": "Arial", "font_size": 10}})
    try:
        created = dt.datetime.combine(max(d.date for d in deal.documents), dt.time())
        meta = template.get("workbook", {})
        wb.set_properties({"title": f"{deal.name}: {meta.get('title', '')}", "subject": meta.get("subject", ""),
                           "author": meta.get("author", ""), "company": deal.raw.get("deal", {}).get("agent", ""),
                           "comments": meta.get("comments", ""), "created": created})
        ctx = Context(deal, inputs, template, flavor, wb, progress)
        check_dates(inputs, deal, ctx.start, ctx.as_of_end)
        keys = ["cover", "certificate", "inputs", "history", "terms", "capacity", "pricing", "deadlines", "notes",
                "checks", "charts"]
        if deal.installments:
            keys.append("fees")
        if deal.severance:
            keys.append("severance")
        if not deal.pricing.get("margin_terms"):
            keys.remove("pricing")
        ctx.add_sheets(keys)
        checks = tab_checks.prepare(ctx)
        ctx.master_value = tab_checks.master_value(checks)  # every tab's header shows it: known before any tab
        tab_inputs.write(ctx)
        sev_most = tab_terms.write(ctx)  # lays out the severance plans the Severance tab reads: written before it
        tab_capacity.write(ctx)
        if "pricing" in keys:
            tab_pricing.write(ctx)
        if deal.installments:
            tab_fees.write(ctx)
        if deal.severance:
            tab_severance.write(ctx, plan_rows=sev_most)  # the Terms tab's plan table: its rows
        tab_text.deadlines(ctx)
        tab_text.history(ctx)
        tab_text.notes(ctx)
        tab_checks.write(ctx, checks)
        tab_certificate.write(ctx)
        tab_charts.charts(ctx)
        tab_cover.cover(ctx, stamp(deal, flavor))
    except BaseException:
        _discard(wb)
        raise
    if before_close is not None:
        before_close(ctx)
    wb.close()
    return ctx


def _discard(wb):
    """Drop a half-built workbook without writing it (XlsxWriter writes only on close)."""
    wb.fileclosed = True
