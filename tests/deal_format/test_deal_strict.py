"""The strict loader: each bad deal file found by hand or by the fuzzer is refused, naming the field and why.

Each case edits the embedded deal (seeds/iec_hsbc_ge.toml) in one place; the expected field and
reason come from the edit, not from the loader's output.
"""

import time
from pathlib import Path

import pytest
from seed_edits import SEEDS, edit, refuse

from udfs.deal.errors import DealFileError
from udfs.deal.reader import SCHEMA_TABLES
from udfs.loading import MAX_FILE_BYTES, load_deal, parse_deal

FEE_11 = SEEDS[SEEDS.index('[[fees]]\nid = "amendment_fee_11"'):SEEDS.index("# Rules that waive")]


def test_the_embedded_and_the_made_up_deal_load():
    assert parse_deal(SEEDS.encode(), "deal.toml").id == "iec-hsbc-ge"
    assert load_deal(Path(__file__).parents[1] / "data" / "made_up_deal.toml").id == "acme-widgets"


# The cases of issue 10, one by one.
@pytest.mark.parametrize("old, new, field, reason", [
    # a NaN Maximum Limit printed `nan`
    ("value = 1750000\ncitation = \"Amendment No. 10", "value = nan\ncitation = \"Amendment No. 10",
     "terms.max_limit[0].value", "must be a finite number, found nan"),
    ("value = 1750000\ncitation = \"Amendment No. 10", "value = inf\ncitation = \"Amendment No. 10",
     "terms.max_limit[0].value", "finite"),
    # an advance rate of 85 (meant 0.85)
    ("value = 0.85", "value = 85", "terms.advance_rate[0].value", "85 is not a fraction from 0 to 1"),
    # the alias written as a string matched single letters
    ('aliases = ["advances", "advance", "revolver", "revolving loan"]', 'aliases = "advances"',
     "facilities.advances.aliases", "expected a list, found text"),
    # terms_known = "false" was read as true
    ("terms_known = false\ncitation", 'terms_known = "false"\ncitation', "documents[0].terms_known",
     "expected true or false"),
    # reversed date ranges
    ("from = 2002-10-01\nto = 2002-12-31", "from = 2002-10-01\nto = 2002-09-30",
     "terms.margin_advances[0].to", "2002-09-30 is before 'from' 2002-10-01"),
    ("valid_through = 2004-06-30", "valid_through = 1998-01-01", "prime.valid_through", "before valid_from"),
    ("valid_through = 2004-06-30", "valid_through = 2003-01-31", "prime.rates[19]",
     "2003-06-27 is after valid_through 2003-01-31"),
    ("offset_through = 2003-03-31", "offset_through = 2002-06-01", "severance.offset_through",
     "2002-06-01 is before offset_from 2002-06-06"),
    # late_rate = 18 and margin = 6
    ("late_rate = 0.18", "late_rate = 18", "severance.late_rate", "18 is not a fraction"),
    ("to = 2002-12-31\nvalue = 0.06", "to = 2002-12-31\nvalue = 6", "terms.margin_advances[1].value",
     "6 is not a fraction"),
    # a huge integer (OverflowError before)
    ("late_grace_days = 10", "late_grace_days = 1000000000000000000000000000000", "severance.late_grace_days",
     "must be from 0 to 366"),
    ("value = 1750000\ncitation = \"Amendment No. 10", f"value = {10**400}\ncitation = \"Amendment No. 10",
     "terms.max_limit[0].value", "must be at most 1e+15"),
    # a zero late-interest basis (ZeroDivisionError before)
    ("late_basis_days = 365", "late_basis_days = 0", "severance.late_basis_days", "must be from 1 to 366, found 0"),
    ("late_basis_days = 365", "late_basis_days = 365.0", "severance.late_basis_days", "expected a whole number"),
    # a deal id that made `termbook build` write outside the folder
    ('id = "iec-hsbc-ge"', 'id = "../escape"', "deal.id", "is not a name"),
    # control characters break the workbook's XML; over-long text was cut silently
    ('label = "Advances"', 'label = "Adv\\u0007ances"', "facilities.advances.label", "control character U+0007"),
    ('label = "Advances"', 'label = "Adv\\u001Bances"', "facilities.advances.label", "U+001B"),
    ('label = "Advances"', 'label = "Adv\ufffeances"', "facilities.advances.label", "U+FFFE"),
    ('label = "Advances"', f'label = "{"x" * 40_000}"', "facilities.advances.label",
     "40,000 characters long; at most 32,767"),
])
def test_issue_10_cases_are_refused(old, new, field, reason):
    err = refuse(edit(old, new))
    assert err.field == field
    assert reason in err.reason


def test_a_duplicated_fee_is_refused_not_doubled():
    err = refuse(edit(FEE_11, FEE_11 + FEE_11))
    assert err.field == "fees[2].id" and "'amendment_fee_11' is used twice" in err.reason


def test_dev_zero_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(DealFileError) as err:
        load_deal("/dev/zero")
    assert time.perf_counter() - start < 2
    assert err.value.field == "(file)" and "not a regular file" in err.value.reason  # not even read


def test_a_file_over_the_limit_is_refused_before_parsing():
    err = refuse(SEEDS + "#" * MAX_FILE_BYTES)
    assert "larger than 2 MB" in err.reason


@pytest.mark.parametrize("depth", [100, 20_000])
def test_deep_nesting_is_refused(depth):
    nested = "[" * depth + "1" + "]" * depth
    err = refuse(edit("value = 0.85", f"value = {nested}"))
    if depth == 100:  # the parser copes: the value is simply not a number
        assert err.field == "terms.advance_rate[0].value" and "expected a number, found a list" in err.reason
    else:
        assert err.field == "(file)" and "nested too deeply" in err.reason


# Unknown keys: a typo never drops a term silently.
@pytest.mark.parametrize("old, new, field, reason", [
    ('requires = ["keltic', 'requries = ["keltic', "terms.max_limit[1].steps[0].requries",
     "unknown key; did you mean 'requires'?"),
    ("before = 2002-12-31", "befor = 2002-12-31", "fee_rules[1].befor", "did you mean 'before'?"),
    ("late_rate = 0.18", "late_rate = 0.18\nlate_rte = 0.2", "severance.late_rte", "did you mean 'late_rate'?"),
    ("[[terms.advance_rate]]", "[[terms.advnce_rate]]", "terms.advnce_rate", "did you mean 'advance_rate'?"),
    ("[prime]", "[prime_rate]", "prime_rate", "unknown key"),
    ("delivered_by = 2002-11-27", "delivered_by = 2002-11-27\nbefore = 2002-12-31", "fee_rules[0].before",
     "belongs to waive_after_event"),
])
def test_unknown_keys_are_refused_with_the_closest_known_key(old, new, field, reason):
    err = refuse(edit(old, new))
    assert err.field == field and reason in err.reason


# Each fee-rule kind's required parameters (issue 8: waive_after_event without `before` loaded, then crashed).
@pytest.mark.parametrize("kind, key", [(section.split(" ")[1], key) for section, fields in SCHEMA_TABLES.items()
                                       if section.startswith("fee_rules[] ") for key, f in fields.items()
                                       if f.required])
def test_each_fee_rule_kind_needs_its_parameters(kind, key):
    # the embedded deal's rules, then the kinds only the fee rules test deal uses
    text = SEEDS + "\n" + (Path(__file__).parents[1] / "data" / "forbearance_fees.toml").read_text()
    start = text.index(f'[[fee_rules]]\nkind = "{kind}"')
    end = text.index("citation", start)
    block = text[start:end]
    line = next(ln for ln in block.splitlines() if ln.startswith(f"{key} ="))
    err = refuse(text[:start] + block.replace(line + "\n", "") + text[end:])
    assert err.field.endswith(f".{key}") and "missing" in err.reason


def test_waive_after_event_without_before_is_refused():
    err = refuse(edit("before = 2002-12-31\n", ""))
    assert err.field == "fee_rules[1].before"
    assert err.reason.startswith("missing (the event waives only if it falls before this date)")


# References, duplicates and order.
@pytest.mark.parametrize("old, new, field, reason", [
    ('requires = ["keltic_due_diligence"', 'requires = ["keltic_due_dilligence"',
     "terms.max_limit[1].steps[0].requires[0]", "unknown event 'keltic_due_dilligence'; did you mean "
     "'keltic_due_diligence'?"),
    ('requires = ["keltic_due_diligence", "third_party_confirmation"]',
     'requires = ["keltic_due_diligence", "keltic_due_diligence"]', "terms.max_limit[1].steps[0].requires[1]",
     "listed twice"),
    ('components = ["extension_fee/base_fee", "extension_fee/additional_fee"]',
     'components = ["extension_fee/base_fee", "extension_fee/base_fee"]', "fee_rules[1].components[1]",
     "'extension_fee/base_fee' is listed twice"),
    ('components = ["extension_fee/additional_fee"]', 'components = ["extension_fee/aditional_fee"]',
     "fee_rules[0].components[0]", "did you mean 'extension_fee/additional_fee'?"),
    ('aliases = ["term loan", "term_loan", "term loans", "term"]', 'aliases = ["term loan", "revolver"]',
     "facilities.term_loan.aliases[1]", "'revolver' also names facility 'advances'"),
    ('aliases = ["term loan", "term_loan", "term loans", "term"]', 'aliases = ["term", "term"]',
     "facilities.term_loan.aliases[1]", "listed twice"),
    ("{ date = 2002-11-15, amount = 15000", "{ date = 2002-10-01, amount = 15000",
     "fees[0].components[0].installments[1].date", "not after the installment above"),
    ('id = "base_fee"', 'id = "additional_fee"', "fees[0].components[1].id", "used twice in this fee"),
    ('id = "texas_auction_a11"', 'id = "texas_auction_a10"', "deadlines[3].id", "used twice"),
    ('deleted_by = "amendment-11"', 'deleted_by = "amendment-9"', "deadlines[0].deleted_by",
     "has terms_known = false"),
    ('replaced_by = "amendment-11"', 'replaced_by = "amendment-10"', "deadlines[1].replaced_by",
     "is not later than"),
    ("dates = [2002-09-30, 2002-10-31, 2002-11-30", "dates = [2002-10-31, 2002-09-30, 2002-11-30",
     "severance.plans.first_six.dates[1]", "dates must increase"),
    ("parts = 7", "parts = 6", "severance.plans.seven_parts.dates", "7 dates for 6 parts"),
    ('document = "amendment-10"\nfrom = 2002-10-01\nvalue = 1750000',
     'document = "amendment-9"\nfrom = 2002-10-01\nvalue = 1750000', "terms.max_limit[0].document",
     "'amendment-9' has terms_known = false"),
    ("date = 2002-11-15\nvalue = 2300000", "date = 2002-11-25\nvalue = 2300000", "terms.max_limit[1].steps[1].date",
     "before the step above"),
    ("unless_by = 2002-11-22", "unless_by = 2002-11-29", "terms.max_limit[1].steps[1].unless_by",
     "after the step's date"),
    ('kind = "cap"\ndate = 2002-12-02', 'kind = "cap"\ndate = 2002-12-02\nrequires = ["full_payment"]',
     "terms.max_limit[1].steps[2].requires", "a cap step takes no 'requires'"),
    ('day_count = { interpretation = "day_count", "actual/360" = 360, "actual/365" = 365 }',
     'day_count = { interpretation = "day_count", "actual/360" = 360 }', "pricing.day_count",
     "no value for choice(s) ['actual/365']"),
    ('day_count = { interpretation = "day_count", "actual/360" = 360, "actual/365" = 365 }',
     'day_count = { interpretation = "day_count", "actual/360" = 360, "actual/365" = 364 }',
     'pricing.day_count."actual/365"', "364 is not one of 360, 365"),
    ('day_count = { interpretation = "day_count", "actual/360" = 360, "actual/365" = 365 }',
     'day_count = { interpretation = "dya_count", "actual/360" = 360, "actual/365" = 365 }',
     "pricing.day_count.interpretation", "did you mean 'day_count'?"),
    ('last_six = "last_six", seven', 'last_six = "last_sx", seven', "severance.plan.last_six",
     "unknown plan 'last_sx'"),
    ("margin_terms = { advances = \"margin_advances\", term_loan = \"margin_term_loan\" }",
     "margin_terms = { advances = \"margin_advances\" }", "pricing.margin_terms", "no margin for facility 'term_loan'"),
    ('floor_zero = "Borrowing Capacity is at least zero"', 'floor_zer0 = "Borrowing Capacity is at least zero"',
     "interpretations[7].choices", "the engine reads 'capacity_floor' with the choices"),
])
def test_references_duplicates_and_order(old, new, field, reason):
    err = refuse(edit(old, new))
    assert err.field == field
    assert reason in err.reason


# A file that loads answers every term on every day of its window: checked at load.
@pytest.mark.parametrize("old, new, field, reason", [
    ("document = \"amendment-10\"\nfrom = 2002-10-01\nvalue = 1750000",
     "document = \"amendment-10\"\nfrom = 2002-10-05\nvalue = 1750000", "terms.max_limit",
     "has no value on 2002-10-01"),
    ("to = 2002-12-31\nvalue = 0.04", "to = 2002-11-01\nvalue = 0.04",  # No. 11's grid starts 2002-11-07
     "terms.margin_term_loan", "has no value on 2002-11-02, inside the window 2002-10-01 to 2002-12-31"),
    ("valid_through = 2004-06-30", "valid_through = 2002-12-30", "prime.valid_through",
     "does not cover 2002-12-31"),
    ("own date.\nstart = 2002-10-01", "own date.\nstart = 2003-02-01", "terms.initial_term_end",
     "no Initial Term end on or after 2003-02-01"),
])
def test_a_deal_that_cannot_answer_its_window_is_refused_at_load(old, new, field, reason):
    err = refuse(edit(old, new).replace("  [2003-06-27, 0.0400],\n", ""))
    assert err.field == field
    assert reason in err.reason


@pytest.mark.parametrize("data, reason", [
    (b"", "missing"),
    (b"\xff\xfe schema = 1", "not UTF-8 text (byte 1, line 1"),
    (b"schema = 1\n[deal\n", "not valid TOML at line 2, column 6"),
    (b"schema = 1\nschema = 2\n", "not valid TOML"),
])
def test_not_a_deal_at_all(data, reason):
    with pytest.raises(DealFileError) as err:
        parse_deal(data, "x.toml")
    assert reason in str(err.value)


def test_a_byte_order_mark_is_accepted():
    assert parse_deal(b"\xef\xbb\xbf" + SEEDS.encode(), "bom.toml").id == "iec-hsbc-ge"


def test_empty_deal_path_is_refused():
    with pytest.raises(DealFileError, match="no file named"):
        load_deal("")


def test_a_rule_or_a_party_listed_twice_is_refused():
    start = SEEDS.index("[[fee_rules]]")
    end = SEEDS.index("[[fee_rules]]", start + 1)
    text = SEEDS[:end] + SEEDS[start:end] + SEEDS[end:]
    second = [n for n, line in enumerate(text.splitlines(), 1) if line == "[[fee_rules]]"][1]
    err = refuse(text)
    assert err.field == "fee_rules[1]" and err.reason == f"the same rule as fee_rules[0] (line {second})"
    start = SEEDS.index("[[parties]]")
    end = SEEDS.index("[[parties]]", start + 1)
    err = refuse(SEEDS[:end] + SEEDS[start:end] + SEEDS[end:])
    assert err.field == "parties[1]" and err.reason.startswith("the same party as parties[0] (line ")


@pytest.mark.parametrize("old, new, needle", [
    ('requires = ["keltic', 'requries = ["keltic', 'requries = ["keltic'),
    ("{ date = 2002-11-15, amount = 15000", "{ date = 2002-10-01, amount = 15000",
     'amount = 15000, citation = "Amendment No. 10, A.3 (Base Fee)"'),
    ("  [2003-06-27, 0.0400],", "  [2003-06-27, 1.5],", "  [2003-06-27, 1.5],"),
    ('deleted_by = "amendment-11"', 'deleted_by = "amendment-9"', 'deleted_by = "amendment-9"'),
])
def test_a_refusal_names_the_line_of_the_field(old, new, needle):
    """The line is found by following the file's headers and keys; here it is counted by hand from the edit."""
    text = edit(old, new)
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if needle in ln)
    assert refuse(text).reason.endswith(f" (line {line})")


def test_every_earlier_view_answers_too():
    """The made-up deal with its Overadvance limit set only by Amendment B (2021-06-15): the view amended
    through Amendment A (2021-03-01) would have no limit at all, so the file is refused."""
    text = (Path(__file__).parents[1] / "data" / "made_up_deal.toml").read_text()
    old = '[[terms.overadvance_limit]]\ndocument = "amend-a"'
    assert old in text
    with pytest.raises(DealFileError) as err:
        parse_deal(text.replace(old, old.replace("amend-a", "amend-b")).encode(), "deal.toml")
    assert err.value.field == "terms.overadvance_limit"
    assert err.value.reason.startswith("has no value on 2021-03-01, inside the window 2021-03-01 to 2021-12-31 "
                                       "(the view amended through Amendment A (2021-03-01))")


def test_two_events_with_one_label_are_refused():
    # the workbook finds a delivered event by its label (the fee rules' event lists): two alike would be one
    text = SEEDS.replace('label = "Financing Commitment"', 'label = "Purchase Offer"')
    with pytest.raises(DealFileError) as err:
        parse_deal(text.encode(), "labels.toml")
    assert "events.financing_commitment.label" in str(err.value) and "events.purchase_offer" in str(err.value)


@pytest.mark.parametrize("char", ["\x85", "\x9b", "\u202e", "\u202a", "\u2066", "\u2069"])
def test_c1_controls_and_bidirectional_overrides_are_refused(char):
    err = refuse(edit('label = "Advances"', f'label = "Adv{char}ances"'))
    assert err.field == "facilities.advances.label" and f"U+{ord(char):04X}" in err.reason


@pytest.mark.parametrize("other", ["Day_Count", "day-count"])
def test_interpretation_names_alike_but_for_case_or_punctuation_are_refused(other):
    """The workbook's defined names (Switch_<name>) ignore case and write '-' as '_': two such names would be one."""
    text = edit('\n[[interpretations]]\n', f'\n[[interpretations]]\nname = "{other}"\ndefault = "a"\ncitation = "c"\n'
                'question = "q"\nrationale = "r"\nchoices = { a = "one", b = "two" }\n\n[[interpretations]]\n')
    err = refuse(text)
    assert err.field.startswith("interpretations[") and "too like" in err.reason and "deal.toml" in str(err)


@pytest.mark.parametrize("entry", ["a rule", __import__("datetime").date(2002, 11, 15), 7, [1]])
def test_a_fee_rule_that_is_not_a_table_is_refused(entry):
    import sys
    import tomllib

    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    from fuzz_deal import dumps

    raw = tomllib.loads(SEEDS)
    raw["fee_rules"] = [entry, *raw["fee_rules"]]
    err = refuse(dumps(raw))
    assert err.field == "fee_rules[0]" and "expected a table" in err.reason
