"""The workbook formats a term by the kind the engine declares for it (Deal.term_kinds), never by guessing
from its values: a margin (a rate) with a step is shown as a percentage, an amount as money."""

from __future__ import annotations

import io

import openpyxl
import workbook_helpers as H  # noqa: N812
from seed_edits import edit

from udfs.loading import parse_deal
from workbook.build import build

# Amendment No. 11's margin on Advances (Prime + 6.0% from 2002-11-07, B.2), with a made-up step to 6.5%
MARGIN_11 = 'citation = "Amendment No. 11, B.2 (Item 18(g) A, Prime Rate plus 6.0%, from 2002-11-07)"\n'
STEP = ('[[terms.margin_advances.steps]]\nkind = "level"\ndate = 2002-12-01\nvalue = 0.065\n'
        'citation = "a made-up step of the margin to 6.5%"\n')


def _terms_rows(book, term: str) -> list[tuple]:
    """The Terms tab's step-table rows of one term: (kind, value cell)."""
    ws = book[_terms_sheet(book)]
    rows, inside = [], False
    for row in ws.iter_rows():
        first = row[0].value
        if isinstance(first, str) and first.endswith(f"({term})"):
            inside = True
            continue
        if inside and isinstance(first, int):
            rows.append((row[4].value, row[7]))
        elif inside and rows and first is None:
            break
    return rows


def _terms_sheet(book) -> str:
    return next(ws.title for ws in book.worksheets if any(
        isinstance(c.value, str) and c.value.endswith("(margin_advances)") for c in ws["A"]))


def test_a_margin_with_a_step_is_formatted_as_a_rate():
    deal = parse_deal(edit(MARGIN_11, MARGIN_11 + STEP).encode(), "deal.toml")
    assert deal.term_kinds["margin_advances"] == "fraction"
    buffer = io.BytesIO()
    build(deal, H.make_inputs(deal=deal), buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    margin = _terms_rows(book, "margin_advances")
    assert [(kind, cell.value) for kind, cell in margin] == [
        ("version", 0.035), ("version", 0.06), ("level step", 0.065)]
    for _, cell in margin:
        assert "%" in cell.number_format, (cell.coordinate, cell.number_format)
    limit = _terms_rows(book, "max_limit")
    assert limit and all("%" not in cell.number_format for _, cell in limit)


def test_a_reading_of_a_fee_rule_shows_its_values_as_the_schema_declares_them():
    """Issue 18: the Terms tab guessed a reading value's format from the value (a whole number as an integer,
    1.0 as 1); it now takes the parameter's declared kind (udfs.deal.schema)."""
    from workbook.context import _choice_kind

    assert _choice_kind("redate", "voids_earlier_waivers") == "flag"  # No. 11 A.3: a yes/no reading
    assert _choice_kind("waive_after_event", "before") == "date"
    assert _choice_kind("waive", "scope") == "text"
    assert _choice_kind("waive", "no_such_parameter") == "text"
