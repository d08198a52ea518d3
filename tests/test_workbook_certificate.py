"""The Borrowing Capacity certificate: its figures worked out by hand from the documents, and the
Maximum Limit's step and clause the same as the engine's explanation (LSA_EXPLAIN).

LibreOffice recalculates every formula of the tab, including the working beside the page, in the
changed-input scenarios of tests/test_workbook_lo.py."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812

from udfs.engine.deal import default_deal
from udfs.engine.terms import Terms
from udfs.functions import Catalogue

ON_TIME = {"keltic_due_diligence": dt.date(2002, 11, 14), "third_party_confirmation": dt.date(2002, 11, 15)}


def certificate(tmp_path, overrides=None, flavor="portable") -> dict:
    """Label -> (amount, clause or note) as stored in the built file."""
    path = H.build_file(tmp_path / f"{flavor}.xlsx", overrides, flavor)
    ws = openpyxl.load_workbook(path, data_only=True)["Certificate"]
    out = {}
    for row in ws.iter_rows(min_col=1, max_col=3):
        label = row[0].value
        if isinstance(label, str) and label.strip():
            out[label.strip()] = (row[1].value, row[2].value)
    return out


def explained(as_of, events=None, amended_through=None):
    table = Catalogue(Terms(default_deal())).LSA_EXPLAIN(as_of, events, amended_through)
    return {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}


def test_default_inputs_on_2002_12_31(tmp_path):
    c = certificate(tmp_path)
    assert c["1. IEC Receivables Borrowing Base"][0] == 2_500_000
    assert c["2. Advance rate"][0] == pytest.approx(0.85)
    assert c["3. IEC Borrowing Capacity from receivables (1 x 2)"][0] == pytest.approx(2_125_000)
    # 1,750,000 under two caps of No. 11: B.1(A)(ii)(a) from 2002-11-22 (the commitment letter and the
    # updated confirmation not delivered by then) and B.1(A)(ii)(c) from 2002-12-09 in any event. The
    # certificate cites the latest, (ii)(c), which sets the figure whatever was delivered.
    assert c["4. Maximum Limit in force"] == (1_750_000, "Amendment No. 11, B.1(A)(ii)(c)")
    assert c["set by"][1] == "Amendment No. 11, cap step"
    assert c["set by"][0] == dt.datetime(2002, 12, 9)
    assert c["5. The lesser of 3 and 4"][0] == 1_750_000
    assert c["8. Less: letters of credit"][0] == 100_000
    assert c["9. Borrowing Capacity (5 less 6, 7 and 8)"][0] == 1_650_000
    assert c["10. Advances outstanding"][0] == 1_500_000
    assert c["11. Borrowing Capacity less Advances (9 less 10)"][0] == 150_000
    assert c["13. Overadvance limit"][0] == 0  # none under No. 11
    assert c["Compliance"][0] == "Within Borrowing Capacity"
    assert c["by"][0] == 150_000


def test_deliveries_on_time_lift_the_limit_to_2_3m_on_2002_11_20(tmp_path):
    c = certificate(tmp_path, {"as_of": dt.date(2002, 11, 20), "events": ON_TIME})
    # B.1(A)(i): both items delivered by 2002-11-15 -> 2,300,000; capacity min(2.3M, 2.125M) - 100,000.
    assert c["4. Maximum Limit in force"] == (2_300_000, "Amendment No. 11, B.1(A)(i)")
    assert c["set by"] == (dt.datetime(2002, 11, 15), "Amendment No. 11, level step")
    assert c["9. Borrowing Capacity (5 less 6, 7 and 8)"][0] == pytest.approx(2_025_000)


def test_advances_above_capacity_are_reported_with_the_excess(tmp_path):
    c = certificate(tmp_path, {"outstanding": 1_800_000})
    assert c["11. Borrowing Capacity less Advances (9 less 10)"][0] == -150_000
    assert c["Compliance"][0] == "Above Borrowing Capacity and the Overadvance limit"
    assert c["by"] == (150_000, "above Borrowing Capacity")


@pytest.mark.parametrize("as_of, events, amended_through", [
    (dt.date(2002, 12, 31), None, None),
    (dt.date(2002, 11, 20), ON_TIME, None),
    (dt.date(2002, 11, 13), None, None),
    (dt.date(2002, 12, 5), None, None),
    (dt.date(2002, 11, 20), None, dt.date(2002, 11, 11)),
])
def test_the_step_and_clause_are_the_engines(tmp_path, as_of, events, amended_through):
    overrides = {"as_of": as_of}
    if events:
        overrides["events"] = events
    if amended_through:
        overrides["amended_through"] = amended_through
    c = certificate(tmp_path, overrides)
    engine = explained(as_of, events, amended_through)["Maximum Limit"]
    assert c["4. Maximum Limit in force"] == (engine["value"], engine["citation"])
    document, step = c["set by"][1].split(", ")
    assert document == engine["document"]
    assert engine["step"].startswith(step)
    rate = explained(as_of, events, amended_through)["Advance rate"]
    assert c["2. Advance rate"] == (pytest.approx(rate["value"]), rate["citation"])


def test_live_flavor_headline_figures_call_the_functions(tmp_path):
    path = H.build_file(tmp_path / "live.xlsx", None, "live")
    ws = openpyxl.load_workbook(path)["Certificate"]
    formulas = {row[0].value.strip(): row[1].value for row in ws.iter_rows(min_col=1, max_col=2)
                if isinstance(row[0].value, str)}
    assert formulas["4. Maximum Limit in force"].startswith("=LSA_MAX_LIMIT(AsOf,")
    assert formulas["9. Borrowing Capacity (5 less 6, 7 and 8)"].startswith("=LSA_CAPACITY(AsOf,")
    assert formulas["12. Availability"].startswith("=LSA_AVAILABILITY(AsOf,")
    assert formulas["13. Overadvance limit"].startswith("=LSA_OVERADVANCE_LIMIT(AsOf,")
    portable = openpyxl.load_workbook(H.build_file(tmp_path / "p.xlsx"))["Certificate"]
    assert "LSA_" not in " ".join(str(c.value) for row in portable.iter_rows() for c in row if c.value)
