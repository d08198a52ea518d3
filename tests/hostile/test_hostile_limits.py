"""The spreadsheet's own limits, met when the deal is read (naming the field) or handled visibly in the
workbook: page headers and footers (255 characters), a cell's text (32,767), a chart's series (255)."""

from __future__ import annotations

import datetime as dt
import io
import sys
import tomllib
import warnings
import zipfile
from pathlib import Path

import pytest
import workbook_helpers as H  # noqa: N812

from udfs.deal.errors import DealFileError
from udfs.loading import parse_deal
from workbook.xl import CELL_MOST, cell_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from fuzz_deal import dumps  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

SEED = Path(__file__).resolve().parents[2] / "seeds" / "iec_hsbc_ge.toml"


def seed() -> dict:
    return tomllib.loads(SEED.read_text())


def refusal(raw: dict) -> DealFileError:
    with pytest.raises(DealFileError) as caught:
        parse_deal(dumps(raw).encode(), "limits.toml")
    return caught.value


def test_a_short_name_longer_than_a_footer_allows_is_refused():
    raw = seed()
    raw["deal"]["short_name"] = "S" * 61
    err = refusal(raw)
    assert err.field == "deal.short_name" and "at most 60" in str(err)


def test_a_long_name_needs_a_short_name():
    raw = seed()
    raw["deal"]["name"] = "A very long agreement name " * 10
    raw["deal"].pop("short_name", None)
    err = refusal(raw)
    assert err.field == "deal.short_name" and "missing" in str(err)


def test_more_fees_than_a_chart_holds_are_refused():
    raw = seed()
    raw["fees"] = [dict(raw["fees"][0], id=f"f{k}") for k in range(251)]
    err = refusal(raw)
    assert err.field == "fees" and "at most 250" in str(err)


def test_long_names_keep_every_page_header_and_footer_without_a_warning(tmp_path):
    """A 300-character name and borrower: the header gives way to the short name, nothing dropped."""
    raw = seed()
    raw["deal"]["name"] = "N&" * 150
    raw["deal"]["borrower"] = "B" * 300
    raw["deal"]["short_name"] = "&" * 60  # each & is written && in a header: the longest a header can get
    deal = parse_deal(dumps(raw).encode(), "limits.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter warns when it drops a header or footer
        path = H.build_file(tmp_path / "long.xlsx", deal=deal)
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets
    for xml in sheets:
        assert "<oddHeader>" in xml and "<oddFooter>" in xml
        assert "&amp;&amp;" * 60 in xml  # the short name, each & doubled


def test_a_text_longer_than_a_cell_is_cut_visibly():
    text = "x" * 40_000
    cut = cell_text(text)
    assert len(cut) == CELL_MOST and cut.endswith("[cut: a spreadsheet cell holds 32,767 characters]")
    astral = "\U0001F600" * 20_000  # two UTF-16 units each: 40,000 units
    cut = cell_text(astral)
    assert len(cut.encode("utf-16-le")) // 2 <= CELL_MOST and cut.endswith("characters]")
    assert cell_text("short") == "short"


def test_a_deal_text_is_measured_as_a_cell_measures_it():
    """32,767 characters of an astral character are 65,534 UTF-16 units: more than a cell holds."""
    raw = seed()
    raw["deal"]["citation"] = "\U0001F600" * 20_000
    err = refusal(raw)
    assert err.field == "deal.citation"


def test_builds_in_memory_without_warnings():
    """The seed builds with no library warning (warnings are errors here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from udfs.loading import default_deal
        from workbook.build import build

        build(default_deal(), H.make_inputs(), io.BytesIO())


def test_a_version_of_many_steps_keeps_every_formula_short(tmp_path):
    """600 level steps in one version (a MIN over every other step passed 8,192 characters and 255
    arguments there): every formula stays short, and the level holds until the next step's day."""
    import re

    from bench_build import steps_deal

    deal = steps_deal(600)
    path = H.build_file(tmp_path / "steps.xlsx", deal=deal)
    with zipfile.ZipFile(path) as z:
        formulas = [f for n in z.namelist() if n.startswith("xl/worksheets/sheet")
                    for f in re.findall(r"<f>([^<]*)</f>", z.read(n).decode())]
    assert formulas and max(map(len, formulas)) < 1000
    def serials(name):
        return [H.serial(H.as_date(v)) if H.as_date(v) else v for v in H.named(path, name)]

    until, effective = serials("MaxLimit_LevelUntil"), serials("MaxLimit_Effective")
    # the generated steps take effect one a day from 2021-10-01: each holds until the next one's day
    first = H.serial(dt.date(2021, 10, 1))
    days = [e for e in effective if isinstance(e, int | float) and first <= e < 2958465]
    assert len(days) == 600
    follows = {e: u for e, u in zip(effective, until, strict=True) if e in days}
    assert all(follows[d] == d + 1 for d in days[:-1])
