"""A Fee Schedule line's reason and citation are composed from the deal's texts (each rule in force adds
its own); one too long for a row (Excel's tallest is 409 points) is cut to fit visibly: an ellipsis and a
note, the whole text in the cell's comment; never cut with nothing to say so (issue 20). Recalculated in
LibreOffice, the cut cell reads as stored."""

from __future__ import annotations

import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812
from seed_edits import edit

from udfs.loading import parse_deal
from workbook.build import load_template
from workbook.tabs.fees import CUT_NOTE

FIRST = '{ date = 2002-10-01, amount = 15000, citation = "Amendment No. 10, A.3 (Base Fee, on execution)" }'
# a made-up citation of some 6,000 characters: about 200 lines in the 31-character Citation column
LONG = "Amendment No. 10, A.3 (Base Fee, on execution; " + "a clause quoted at length, " * 220 + "end)"


def _fee_sheet(book):
    return book[next(t["name"] for t in load_template()["tabs"] if t["key"] == "fees")]


def _cell_of(ws, text_start: str):
    return next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith(text_start) and c.column > 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cut")
    deal = parse_deal(edit(FIRST, FIRST.replace("Amendment No. 10, A.3 (Base Fee, on execution)", LONG))
                      .encode(), "deal.toml")
    return H.build_file(folder / "long_citation.xlsx", deal=deal), folder


def test_a_citation_too_long_for_a_row_is_cut_visibly(built):
    path, _ = built
    book = openpyxl.load_workbook(path, data_only=True)
    ws = _fee_sheet(book)
    shown = _cell_of(ws, "Amendment No. 10, A.3 (Base Fee, on execution; a clause")
    assert shown.value.endswith(CUT_NOTE)
    assert len(shown.value) < len(LONG)
    assert shown.comment is not None and shown.comment.text.startswith(LONG)  # the whole text, then the rules'
    assert ws.row_dimensions[shown.row].height <= 409
    # the other lines are short: written whole, with no comment
    others = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith(
        "Amendment No. 10, A.3 (Base Fee)")]
    assert others and all(c.comment is None and not c.value.endswith(CUT_NOTE) for c in others)


def test_the_cut_cell_recalculates_to_its_stored_text(built):
    path, folder = built
    recalculated = H.recalculate([path], folder / "recalc")[path]
    stored, got = H.values(path), H.values(recalculated)
    formulas = H.formula_cells(path)
    cut = [k for k, v in stored.items() if isinstance(v, str) and v.endswith(CUT_NOTE)]
    assert cut
    assert all(k in formulas for k in cut)
    assert H.mismatches(formulas, got, stored) == []
