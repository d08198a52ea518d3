"""A malformed deal file is refused with the file, the field and the reason."""

import re
from pathlib import Path

import pytest

from udfs.deal.errors import DealFileError
from udfs.loading import load_deal, parse_deal

GOOD = (Path(__file__).parents[1] / "data" / "made_up_deal.toml").read_text()


def refuse(text: str) -> DealFileError:
    with pytest.raises(DealFileError) as err:
        parse_deal(text.encode(), "broken.toml")
    assert str(err.value).startswith("broken.toml: ")
    assert "\n" not in str(err.value)
    return err.value


def test_the_good_file_loads():
    deal = parse_deal(GOOD.encode(), "good.toml")
    assert deal.id == "acme-widgets" and len(deal.content_hash) == 64


@pytest.mark.parametrize("change, field, reason", [
    (("schema = 1", "schema = 7"), "schema", "must be 1, found 7"),
    (("[deal]", "[dealx]"), "dealx", "unknown key; did you mean 'deal'?"),
    (('value = 7000000\nrequires = ["audit_report"]', 'value = 7000000\nrequires = ["audit_reprt"]'),
     "terms.max_limit[1].steps[0].requires[0]", "unknown event 'audit_reprt'"),
    (("date = 2021-08-01", 'date = "August 1"'), "terms.max_limit[1].steps[1].date", "expected a date"),
    (('kind = "cap"\ndate = 2021-09-01', 'kind = "ceiling"\ndate = 2021-09-01'),
     "terms.max_limit[1].steps[2].kind", "'ceiling' is not one of"),
    (('document = "amend-b"\nfrom = 2021-06-15', 'document = "amend-c"\nfrom = 2021-06-15'),
     "terms.max_limit[1].document", "unknown document 'amend-c'"),
    (("value = 5000000\ncitation", "value = -5\ncitation"), "terms.max_limit[0].value", "must be at least 0"),
    ((", act365 = 365 }", " }"), "pricing.day_count", "no value for choice(s) ['act365']"),
    (("total = 30000", "total = 31000"), "fees[0].components[0].total", "add up to 30,000.00"),
    (("[2021-10-01, 0.0350]", "[2020-01-01, 0.0350]"), "prime.rates[1]", "dates must increase"),
    (("[2021-10-01, 0.0350]", "[2021-10-01, 3.5]"), "prime.rates[1]", "not a fraction"),
    (("unless_by = 2021-07-25\n", ""), "terms.max_limit[1].steps[1].unless_by", "needs 'unless_by'"),
    (('default = "act360"', 'default = "act366"'), "interpretations[0].default", "not one of its choices"),
    (("[[terms.initial_term_end]]", "[[terms.initial_term_stop]]"), "terms.initial_term_stop",
     "did you mean 'initial_term_end'?"),
])
def test_refusals_name_the_field_and_reason(change, field, reason):
    old, new = change
    assert old in GOOD, old
    err = refuse(GOOD.replace(old, new, 1))
    assert err.field == field
    assert reason in err.reason


def test_not_toml_and_not_utf8():
    err = refuse("schema = = 1")
    assert err.field == "(file)" and "not valid TOML" in err.reason
    with pytest.raises(DealFileError, match=re.escape("not UTF-8")):
        parse_deal(b"\xff\xfe schema", "bin.toml")


def test_missing_file(tmp_path):
    with pytest.raises(DealFileError) as err:
        load_deal(tmp_path / "nope.toml")
    assert "nope.toml" in str(err.value) and "cannot be read" in str(err.value)


def test_the_embedded_deal_is_valid_and_cites_every_figure():
    from udfs.loading import default_deal
    deal = default_deal()
    for name, versions in deal.terms.items():
        for version in versions:
            assert version.citation, name
            assert all(step.citation for step in version.steps), name
    assert all(inst.citation for inst in deal.installments)
    assert all(rule.citation for rule in deal.fee_rules)
    assert all(d.citation for d in deal.deadlines)
    for interp in deal.interpretations:
        assert interp.citation and interp.rationale and (interp.choices or interp.how_to_vary), interp.name


def test_a_deadline_ends_once():
    seeds = (Path(__file__).parents[2] / "seeds" / "iec_hsbc_ge.toml").read_text()
    old = 'deleted_by = "amendment-11"'
    assert old in seeds
    with pytest.raises(DealFileError) as err:
        parse_deal(seeds.replace(old, old + '\nmooted_by = "amendment-11"', 1).encode(), "two.toml")
    assert err.value.field.endswith(".mooted_by") and "ends once" in err.value.reason
