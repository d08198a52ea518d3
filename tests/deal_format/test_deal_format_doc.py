"""docs/deal-format.md stays true: it lists exactly the keys the loader accepts, and its worked
amendment loads and answers as worked out by hand."""

import datetime as dt
import re
from pathlib import Path

import pytest

from udfs.catalogue.functions import Catalogue
from udfs.deal.errors import TermsError
from udfs.deal.reader import SCHEMA_TABLES
from udfs.engine.terms import Terms
from udfs.loading import parse_deal

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "deal-format.md").read_text()
SEEDS = (ROOT / "seeds" / "iec_hsbc_ge.toml").read_text()


def documented() -> dict[str, dict[str, str]]:
    """Section -> {key: required column} from each "Keys of `SECTION`:" table."""
    sections: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.splitlines():
        heading = re.fullmatch(r"Keys of `([^`]+)`:", line)
        if heading:
            current = sections.setdefault(heading.group(1), {})
            continue
        row = re.match(r"\| `([^`]+)` \| [^|]+ \| (yes|no) \|", line)
        if current is not None and row:
            current[row.group(1)] = row.group(2)
        elif line.strip() and not line.startswith("|"):
            current = None
    return sections


def test_every_section_the_loader_reads_is_documented_and_no_other():
    assert set(documented()) == set(SCHEMA_TABLES)


@pytest.mark.parametrize("section", list(SCHEMA_TABLES))
def test_every_accepted_key_is_documented_and_every_documented_key_accepted(section):
    doc = documented()[section]
    schema = SCHEMA_TABLES[section]
    assert set(doc) == set(schema), (set(doc) ^ set(schema))
    for key, spec in schema.items():
        assert doc[key] == ("yes" if spec.required else "no"), key


def test_every_toml_example_in_the_reference_uses_only_accepted_keys():
    """Each example block above the amendment section, put in a copy of the embedded deal where it fits,
    is at least valid TOML whose keys the schema knows (a key the doc invents would be refused)."""
    reference = DOC[:DOC.index("## Adding an amendment")]
    known = {key for fields in SCHEMA_TABLES.values() for key in fields} | {"interpretation"}
    blocks = re.findall(r"```toml\n(.*?)```", reference, re.S)
    assert len(blocks) >= 10
    for block in blocks:
        header = ""
        for line in block.splitlines():
            if line.startswith("["):
                header = line
            elif re.match(r"[a-z_]+ =", line) and not header.endswith(".choices]"):  # choice names are free
                assert line.split(" =")[0] in known, line


# ----------------------------------------------------------------------- the worked amendment

def amended_text() -> str:
    section = DOC[DOC.index("## Adding an amendment"):]
    text = SEEDS
    for block in re.findall(r"```toml\n(.*?)```", section, re.S):
        if block.startswith("# added to the existing"):
            anchor = 'id = "texas_auction_a11"\n'
            start = text.index(anchor)
            end = text.index("\n[[", start)
            lines = [ln for ln in block.splitlines() if not ln.startswith("#")]
            text = text[:end] + "\n" + "\n".join(lines) + text[end:]
        else:
            text += "\n" + block
    return text


@pytest.fixture(scope="module")
def cat():
    return Catalogue(Terms(parse_deal(amended_text().encode(), "amended.toml")))


def test_the_worked_amendment_loads(cat):
    assert cat.deal.document("amendment-12").date == dt.date(2002, 12, 20)


def test_the_amendment_needs_its_margins_for_the_extended_window():
    """Step 3 of the doc: without the new margins, the extended window has days without a rate."""
    text = amended_text()
    start = text.index('[[terms.margin_advances]]\ndocument = "amendment-12"')
    end = text.index("[[terms.margin_term_loan]]", start)
    from udfs.deal.errors import DealFileError
    with pytest.raises(DealFileError) as err:
        parse_deal((text[:start] + text[end:]).encode(), "amended.toml")
    assert err.value.field == "terms.margin_advances" and "has no value on 2003-01-01" in err.value.reason


def test_max_limit_before_and_after_the_amendment_and_its_step(cat):
    d = dt.date
    assert cat.LSA_MAX_LIMIT(d(2002, 12, 19)) == 1_750_000  # No. 11's cap of 2002-12-09
    assert cat.LSA_MAX_LIMIT(d(2002, 12, 20)) == 1_500_000  # No. 12 replaces the limit from its date
    assert cat.LSA_MAX_LIMIT(d(2003, 1, 20)) == 1_500_000  # no term sheet delivered
    on_time = [["refinancing_term_sheet", d(2003, 1, 10)]]
    assert cat.LSA_MAX_LIMIT(d(2003, 1, 14), on_time) == 1_500_000
    assert cat.LSA_MAX_LIMIT(d(2003, 1, 15), on_time) == 1_800_000
    late = [["refinancing_term_sheet", d(2003, 1, 20)]]
    assert cat.LSA_MAX_LIMIT(d(2003, 1, 19), late) == 1_500_000
    assert cat.LSA_MAX_LIMIT(d(2003, 1, 20), late) == 1_800_000  # default reading: rises when delivered
    assert cat.LSA_MAX_LIMIT(d(2003, 1, 20), late, rules="no_raise_if_late") == 1_500_000


def test_the_extended_window_in_each_view(cat):
    d = dt.date
    assert cat.LSA_MAX_LIMIT(d(2003, 2, 28)) == 1_500_000
    with pytest.raises(TermsError):
        cat.LSA_MAX_LIMIT(d(2003, 3, 1))  # past the extended term
    with pytest.raises(TermsError):
        cat.LSA_MAX_LIMIT(d(2003, 1, 2), amended_through=d(2002, 12, 19))  # before No. 12: the term ended 12-31
    assert cat.LSA_MAX_LIMIT(d(2002, 12, 31), amended_through=d(2002, 12, 19)) == 1_750_000


def test_margins_fees_and_deadlines(cat):
    d = dt.date
    assert cat.LSA_MARGIN(d(2002, 12, 15), "advances") == 0.06  # No. 11's grid
    assert cat.LSA_MARGIN(d(2003, 1, 15), "term loan") == 0.07  # No. 12's grid for the extension
    assert cat.LSA_FEES_DUE(d(2003, 1, 1), d(2003, 2, 28)) == 10_000  # No. 12's second installment
    assert cat.LSA_FEES_DUE(d(2003, 1, 1), d(2003, 2, 28), [["full_payment", d(2003, 1, 10)]]) == 0
    rows = {r[1]: r[4] for r in cat.LSA_DEADLINES()[1:]}
    assert rows["Texas property: auction by Michael J. Fox International held"] == "replaced by Amendment No. 12"
    assert rows["Texas property: auction held"] == "in force"
    before = {r[1]: r[4] for r in cat.LSA_DEADLINES(amended_through=d(2002, 12, 19))[1:]}
    assert before["Texas property: auction by Michael J. Fox International held"] == "in force"
    assert "Texas property: auction held" not in before
