"""Of caps at one figure, the one that took effect last binds, then the last listed (udfs.engine.schedule:
on 2002-12-31 Amendment No. 11's "in any event" cap (ii)(c) rather than the conditional (ii)(a)). The
certificate's working table finds that row by formula; a cap dated by an event can take effect after a
cap listed below it, and the formulas must still name the engine's row. Recalculated in LibreOffice."""

from __future__ import annotations

import datetime as dt

import workbook_helpers as H  # noqa: N812
from seed_edits import edit

from udfs.loading import parse_deal

CAP_B = 'kind = "cap"\ndate = 2002-12-02\n'
# a made-up cap at No. 11's $1,750,000, on the purchase offer's date, listed above (ii)(b) and (ii)(c)
MADE_UP = ('kind = "cap"\non_event = "purchase_offer"\nvalue = 1750000\n'
           'citation = "a made-up cap on the purchase offer"\n[[terms.max_limit.steps]]\n')


def test_the_cap_that_took_effect_last_binds_by_formula_too(tmp_path):
    deal = parse_deal(edit(CAP_B, MADE_UP + CAP_B).encode(), "deal.toml")
    # delivered 2002-12-20: after (ii)(c) took effect on 2002-12-09. Rows of the step table: No. 10 (1),
    # No. 11 (2), the level step (3), (ii)(a) (4), the made-up cap (5), (ii)(b) (6), (ii)(c) (7)
    path = H.build_file(tmp_path / "ties.xlsx", {"events": {"purchase_offer": dt.date(2002, 12, 20)}}, deal=deal)
    assert H.named(path, "WhyMaxLimit_Row") == [5]
    assert H.named(path, "WhyMaxLimit_Clause")[4] == "a made-up cap on the purchase offer"
    recalculated = H.recalculate([path], tmp_path / "recalc")[path]
    formulas = H.formula_cells(path)
    got = H.values(recalculated)
    assert H.mismatches(formulas, got, H.values(path)) == []
    assert H.named(recalculated, "WhyMaxLimit_Row") == [5]
