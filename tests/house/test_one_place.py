"""Each rule in one place, read by everyone who needs it: the two disagreements issue 18 found.

1. A facility as a user types it: the terminal's pre-check accepted a facility's label that the catalogue
   refused, and the refusal offered the label as the word to use. Both now call the engine's resolver
   (udfs.engine.values.as_facility), and a refusal offers only words it accepts.
2. A term's kind: a margin term with a step loaded, but the workbook guessed its kind from its values
   and laid it out as an amount. The workbook now reads the engine's declaration (Deal.term_kinds).

The deal is tests/data/made_up_deal.toml, changed here: its facility `revolver` (aliases "revolver",
"rcf") gets the label "Revolving Credit Facility", which is neither its name nor an alias, and its margin
(2% from Amendment A, 3% from Amendment B, 2021-06-01) a level step to 6.5% on 2021-09-01.
"""

import re
from pathlib import Path

import openpyxl
import pytest
import workbook_helpers as H  # noqa: N812

from udfs.catalogue import argument_checks as cli_checks
from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import TermsError
from udfs.engine.terms import Terms
from udfs.loading import load_deal
from udfs.terminal.main import main
from workbook.tables.step_tables import build_blocks

MADE_UP = Path(__file__).parents[1] / "data" / "made_up_deal.toml"
LABEL = "Revolving Credit Facility"
MARGIN_STEP = """
[[terms.margin_revolver.steps]]
kind = "level"
date = 2021-09-01
value = 0.065
citation = "Amendment B, 4(b) (made up)"
"""


@pytest.fixture(scope="module")
def deal_file(tmp_path_factory):
    text = MADE_UP.read_text(encoding="utf-8")
    labelled = text.replace('[facilities.revolver]\nlabel = "Revolver"', f'[facilities.revolver]\nlabel = "{LABEL}"')
    stepped = labelled.replace('citation = "Amendment B, 4 (from 2021-06-01)"\n',
                               'citation = "Amendment B, 4 (from 2021-06-01)"\n' + MARGIN_STEP)
    assert labelled != text and stepped != labelled  # the changes took
    path = tmp_path_factory.mktemp("deal") / "made_up_changed.toml"
    path.write_text(stepped, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalogue(deal_file):
    return Catalogue(Terms(load_deal(deal_file)))


def _terminal(capsys, deal_file, facility):
    code = main(["eval", "LSA_MARGIN", "2021-09-01", facility, "--deal", str(deal_file)])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.mark.parametrize("typed", ["revolver", "RCF", "Revolver", "  rcf "])
def test_a_facility_by_name_or_alias_answers_in_both(capsys, deal_file, catalogue, typed):
    assert catalogue.LSA_MARGIN("2021-09-01", typed) == 0.065  # the made-up step
    cli_checks.facility(typed, catalogue.deal)  # passes the pre-check
    code, out, err = _terminal(capsys, deal_file, typed)
    assert (code, err) == (0, "") and "6.5" in out


@pytest.mark.parametrize("typed", [LABEL, "revolving credit facility", "mortgage"])
def test_a_word_the_catalogue_refuses_the_terminal_refuses_the_same_way(capsys, deal_file, catalogue, typed):
    with pytest.raises(TermsError) as refused:
        catalogue.LSA_MARGIN("2021-09-01", typed)
    with pytest.raises(TermsError) as checked:  # the pre-check, before any question is asked
        cli_checks.facility(typed, catalogue.deal)
    assert str(checked.value) == str(refused.value)
    code, out, err = _terminal(capsys, deal_file, typed)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.endswith(str(refused.value))


def test_a_refusal_offers_only_words_that_answer(catalogue):
    with pytest.raises(TermsError) as refused:
        catalogue.LSA_MARGIN("2021-09-01", LABEL)
    offered = re.findall(r"'([^']*)'", str(refused.value).split("; use ", 1)[1])
    assert offered == ["revolver"]
    assert LABEL.lower() not in str(refused.value).split("; use ", 1)[1]
    for word in offered:
        assert catalogue.LSA_MARGIN("2021-09-01", word) == 0.065


def test_a_stepped_margin_is_a_fraction_in_the_engine_and_the_workbook(deal_file, tmp_path):
    deal = load_deal(deal_file)
    assert deal.term_kinds["margin_revolver"] == "fraction"
    assert deal.term_kinds["max_limit"] == "amount" and deal.term_kinds["initial_term_end"] == "date"
    blocks = {b.key: b for b in build_blocks(deal, {}, {})}
    assert blocks["margin_revolver"].has_steps
    assert blocks["margin_revolver"].value_kind == "rate"  # laid out as a rate, not an amount
    assert blocks["max_limit"].value_kind == "amount" and blocks["advance_rate"].value_kind == "rate"

    # the Terms tab shows the step's 6.5% with the percentage format the other rates have
    path = H.build_file(tmp_path / "made_up.xlsx", deal=deal)
    sheet = openpyxl.load_workbook(path)["Terms"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == 0.065]
    assert cells and all("%" in c.number_format for c in cells)
    advance_rates = [c for row in sheet.iter_rows() for c in row if c.value == 0.8]
    assert advance_rates and {c.number_format for c in cells} <= {c.number_format for c in advance_rates}
