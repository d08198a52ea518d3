"""Counts the deal format allows, in the workbook's formulas: no formula grows with the count of fee
installments or steps in a version (Excel refuses a formula over 8,192 characters or a function given
more than 255 arguments), and the fee chart's working, which reads running totals by binary search,
recalculates to the engine's values with many installments of fees whose labels differ only in case.
The time these take is measured in bench/bench_build.py (--scale), not here."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import tomllib
import zipfile
from html import unescape
from pathlib import Path

import pytest
import workbook_helpers as H  # noqa: N812

from udfs.loading import parse_deal
from workbook import inputs as inputs_mod
from workbook.build import build, load_template

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_build import installments_deal, mixed_steps_deal, most_arguments  # noqa: E402
from fuzz_deal import dumps  # noqa: E402

SEED = Path(__file__).resolve().parents[2] / "seeds" / "iec_hsbc_ge.toml"
EXCEL_LENGTH, EXCEL_ARGUMENTS = 8192, 255


def formulas(deal) -> list[str]:
    """Every formula of the portable workbook built for `deal` (as stored in the file)."""
    values = inputs_mod.defaults(deal, load_template(), today=dt.date(2021, 12, 31))
    buffer = io.BytesIO()
    build(deal, values, buffer, "portable")
    out = []
    with zipfile.ZipFile(buffer) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                out += [unescape(f) for f in re.findall(r"<f>([^<]*)</f>", z.read(name).decode())]
    return out


def test_the_argument_count_is_read_as_excel_counts():
    assert most_arguments('=MIN(A1,B2,IF(C3="a,b",1,2))') == 3
    assert most_arguments("=SUM(" + ",".join(["1"] * 300) + ")") == 300


@pytest.mark.parametrize("make, small, large", [(mixed_steps_deal, 100, 1_000), (installments_deal, 100, 1_000)],
                         ids=["steps in a version", "fee installments"])
def test_no_formula_grows_with_the_count(make, small, large):
    """The longest formula of the large deal is the small one's but for row numbers' digits (1,000 level
    and cap steps, four dated by events; a MIN over the lower caps reached 2,521 characters and some 500
    arguments)."""
    short, long = formulas(make(small)), formulas(make(large))
    assert max(map(len, long)) <= max(map(len, short)) + 12
    assert max(map(most_arguments, long)) <= max(map(most_arguments, short))
    assert max(map(len, long)) < EXCEL_LENGTH and max(map(most_arguments, long)) <= EXCEL_ARGUMENTS


def test_ten_thousand_installments_stay_inside_excel_limits():
    every = formulas(installments_deal(10_000))
    assert len(every) > 10_000 * 10  # the Terms, Fee Schedule and chart rows of each installment
    assert max(map(len, every)) < EXCEL_LENGTH
    assert max(map(most_arguments, every)) <= EXCEL_ARGUMENTS


PER_COMPONENT, COMPONENTS = 100, 3
START = dt.date(2002, 10, 1)


def cased_deal(redate: bool):
    """The embedded deal's seed with one more fee, labelled as the Extension Fee but in capitals: three
    components of 100 daily installments from 2002-10-01 (day k: 100 + k), on the dates of the Extension
    Fee's own installments too, so that a date holds rows of both fees and of several components. Without
    `redate`, the seed's redate rule is left out: no due date then leaves the schedule's order, and the
    chart reads running totals; with it, a due date moves before others and the order-free formulas count."""
    raw = tomllib.loads(SEED.read_text())
    if not redate:
        raw["fee_rules"] = [r for r in raw["fee_rules"] if r["kind"] != "redate"]
    components = [{"id": f"part{c}", "label": f"Part {c}", "installments": [
        {"date": START + dt.timedelta(days=k), "amount": 100 + k, "citation": "made up"}
        for k in range(PER_COMPONENT)]} for c in range(COMPONENTS)]
    raw["fees"].append({"id": "cased", "label": raw["fees"][0]["label"].upper(), "document": "amendment-10",
                        "citation": "made up", "components": components})
    return parse_deal(dumps(raw).encode(), "cased.toml")


@pytest.fixture(scope="module")
def cased(tmp_path_factory):
    root = tmp_path_factory.mktemp("cased")
    paths = {redate: H.build_file(root / f"cased_{redate}.xlsx", deal=cased_deal(redate)) for redate in (False, True)}
    lo, gn = H.recalculate(list(paths.values()), root / "lo"), H.recalculate_gnumeric(list(paths.values()), root / "gn")
    return {redate: {"path": p, "libreoffice": lo[p], "gnumeric": gn[p]} for redate, p in paths.items()}


PROGRAMS = ["libreoffice", "gnumeric"]
REDATE = pytest.mark.parametrize("redate", [False, True], ids=["in order", "a date moved"])


@REDATE
@pytest.mark.parametrize("program", PROGRAMS)
def test_many_installments_of_fees_alike_but_for_case_recalculate_to_the_engine(cased, program, redate):
    formulas = H.formula_cells(cased[redate]["path"])
    got = H.values(cased[redate][program])
    assert H.errors(formulas, got) == []
    assert H.mismatches(formulas, got, H.values(cased[redate]["path"])) == []


@REDATE
@pytest.mark.parametrize("program", PROGRAMS)
def test_the_chart_keeps_the_capitalised_fee_apart_by_hand(cased, program, redate):
    """The capitalised fee: 3 x (100 + 101 + ... + 199) = 3 x 14,950 = 44,850 due in all, 3 x 100 = 300 on
    2002-10-01; none of the deal's rules names its components, so nothing of it is waived. The seed's redate
    rule moves the Base Fee's installments scheduled after Amendment No. 11 (2002-11-15 and 12-16) to
    2002-12-31, past other rows' dates."""
    got = H.values(cased[redate][program])
    assert H.named(cased[redate][program], "ChartInOrder") == [not redate]  # running totals only in order
    head = max(int(c[1:]) for (sh, c), v in got.items() if sh == "Charts" and c[0] == "A" and v == "Due date")
    columns = {v: c[0] for (sh, c), v in got.items() if sh == "Charts" and c[1:] == str(head)}
    label = tomllib.loads(SEED.read_text())["fees"][0]["label"]
    upper = columns[label.upper()]
    slots = {got.get(("Charts", f"A{r}")): r for r in range(head + 1, head + 400)
             if isinstance(got.get(("Charts", f"A{r}")), (int, float))}
    assert sum(got.get(("Charts", f"{upper}{r}")) or 0 for r in slots.values()) == 44_850
    first = slots[H.serial(START)]
    assert got[("Charts", f"{upper}{first}")] == 300
    assert got[("Charts", f"{columns[label]}{first}")] != 300  # the Extension Fee's own base fee, not these
