"""What a lender reads: one name for one figure, Notes that say how to vary a reading in the workbook,
and no function or parameter names on the printed Notes."""

import re

import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = H.build_file(tmp_path_factory.mktemp("wording") / "default.xlsx")
    return openpyxl.load_workbook(path)


def _label_of(ws, name: str) -> str:
    """The column-A label on the row whose formula is =name (the Cover's headline figures)."""
    for row in ws.iter_rows():
        if any(isinstance(c.value, str) and c.value == f"={name}" for c in row):
            return row[0].value
    raise AssertionError(f"no ={name} on {ws.title}")


def _label_at(book, name: str) -> str:
    sheet, _, ref = book.defined_names[name].attr_text.partition("!")
    ws = book[sheet.strip("'")]
    return ws.cell(row=ws[ref.replace("$", "")].row, column=1).value


@pytest.mark.parametrize("name", ["FeesDueToAsOf", "SevPaidToAsOf"])
def test_a_headline_figure_has_one_name(book, name):
    assert _label_of(book["Cover"], name) == _label_at(book, name)
    assert "paid" not in _label_at(book, name).lower()  # a schedule, not a record of payment


def test_notes_speak_to_a_lender(book):
    ws = book["Notes"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    code = [t for t in texts if re.search(r"LSA_|SEV_|amended_through|\bengine\b|\bPass \w+_", t)]
    assert code == []
    inputs = {c.value for row in book["Inputs"].iter_rows(max_col=1) for c in row if isinstance(c.value, str)}
    rows = [m.group(1) for t in texts for m in [re.search(r"set the row '([^']+)'", t)] if m]
    assert len(rows) == 10  # the deal's ten switches
    assert set(rows) <= inputs  # each names a row the Inputs tab has
    headings = [c.value for c in ws["A"] if c.value and c.font and c.font.b]
    assert "Overadvances after No. 11" in headings and not any("_" in h for h in headings)
