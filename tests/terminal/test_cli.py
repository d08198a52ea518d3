"""`termbook`: answers on stdout as an analyst reads them, help from the declaration, usage errors
in argparse's form, one clear line for bad values, exit codes."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from udfs.catalogue import spec
from udfs.terminal.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.mark.parametrize("argv, expected", [
    (["LSA_MAX_LIMIT", "2002-11-21"], "2,000,000.00"),                  # No. 11 base
    (["LSA_MAX_LIMIT", "2002-11-22"], "1,750,000.00"),                  # (ii)(a): nothing delivered
    (["LSA_MAX_LIMIT", "11/16/2002", "--event", "keltic_due_diligence=2002-11-14",
      "--event", "third_party_confirmation=11/15/2002"], "2,300,000.00"),   # (i), US dates for a USD deal
    (["lsa_max_limit", "2002-11-12", "--amended-through", "2002-11-11"], "1,750,000.00"),  # No. 10 view
    (["LSA_CAPACITY", "2002-10-15", "1000000", "50000"], "800,000.00"),  # 85% x 1,000,000 - 50,000
    (["LSA_CAPACITY", "2002-10-15", "1,000,000.00", "$50,000"], "800,000.00"),  # separators where they belong
    (["LSA_CAPACITY", "2002-10-15", "1000000", "-", "-", "50000"], "800,000.00"),  # '-' skips two optionals
    (["LSA_RATE", "2002-11-07", "term loan"], "10.25%"),                 # 4.25% + 6.0%
    (["LSA_PRIME", "2002-11-07"], "4.25%"),                              # H.15 prime cut on 2002-11-07
    (["LSA_MARGIN", "2002-11-07", "advances", "--amended-through", "2002-11-11"], "3.50%"),
    (["LSA_FEES_DUE", "2002-12-31", "2002-12-31"], "110,000.00"),      # 15k+30k+40k Base, 25k No. 11 fee
    (["LSA_FEES_DUE", "2002-10-31", "2002-10-31", "--rule", "unpaid_only"], "25,000.00"),
    (["SEV_PAYMENT", "2003-03-31", "120000", "--rule", "last_six"], "10,000.00"),
    (["SEV_PAYMENT", "2002-10-31", "120000", "--offset", "2002-10-01=4000"], "6,000.00"),
    (["SEV_LATE_INTEREST", "2002-09-30", "2002-10-30", "10000"], "147.95"),  # 10,000 x 18% x 30/365
    (["LSA_OVERADVANCE_LIMIT", "2002-10-14", "-", "--amended-through", "2002-10-31"], "400,000.00"),
    # Letter 2(e): lessor refuses the transfer -> the greater of outplacement (6,000) and lease (8,000)
    (["SEV_ELECTION", "outplacement", "6000", "8000", "FALSE"], "8,000.00"),
    (["SEV_ELECTION", "outplacement", "6000", "8000", "true"], "6,000.00"),  # transfer accepted
    (["LSA_AMENDMENT", "2002-11-12"], "Amendment No. 11"),
    # 6 days at 4.75% + 3.5% (No. 10), then 23 days at 4.25% + 6.0% (No. 11 from 11-07), actual/360:
    # 1,000,000 x (0.0825 x 6 + 0.1025 x 23) / 360 = 1,375.00 + 6,548.61
    (["LSA_INTEREST", "2002-11-01", "2002-11-30", "1000000", "advances"], "7,923.61"),
    # the same reading twice is no conflict
    (["LSA_FEES_DUE", "2002-10-31", "2002-10-31", "--rule", "unpaid_only", "--rule",
      "additional_fee_waiver=unpaid_only"], "25,000.00"),
])
def test_answers_as_an_analyst_reads_them(capsys, argv, expected):
    code, out, err = run(capsys, "eval", *argv)
    assert (code, out, err) == (0, expected, "")


@pytest.mark.parametrize("argv, expected", [
    (["LSA_MAX_LIMIT", "2002-11-22"], 1_750_000.0),
    (["LSA_RATE", "2002-11-07", "term loan"], 0.1025),
    (["SEV_LATE_INTEREST", "2002-09-30", "2002-10-30", "10000"], 10_000 * 0.18 * 30 / 365),
    (["LSA_FEES_DUE", "2002-12-31", "2002-12-31"], 110_000.0),
])
def test_json_is_full_precision_and_one_type_per_kind(capsys, argv, expected):
    code, out, _ = run(capsys, "eval", *argv, "--json")
    value = json.loads(out)
    assert code == 0 and type(value) is float and value == pytest.approx(expected, abs=1e-12)


def test_tables_as_text_and_json(capsys):
    code, out, _ = run(capsys, "eval", "SEV_SCHEDULE", "120000")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["installment", "due_date", "gross"]
    assert lines[1].split()[:3] == ["1", "2002-09-30", "10,000.00"] and len(lines) == 7
    # numbers right-aligned: every row's gross ends in the same column
    ends = {line.index("10,000.00") + len("10,000.00") for line in lines[1:]}
    assert len(ends) == 1
    code, out, _ = run(capsys, "eval", "SEV_SCHEDULE", "120000", "--json")
    rows = json.loads(out)
    assert rows[1][:3] == [1, "2002-09-30", 10_000.0] and type(rows[1][2]) is float and type(rows[1][0]) is int
    code, out, _ = run(capsys, "eval", "LSA_DEADLINES", "--json")
    rows = json.loads(out)
    assert rows[0][0] == "date" and ["2002-12-17", "10.21"] == [r for r in rows if r[0] == "2002-12-17"][0][0:4:2]


def test_version_comes_from_the_project(capsys):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert run(capsys, "--version") == (0, f"termbook {version}", "")


def test_main_help_lists_commands_with_examples(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and out.startswith("usage: termbook")
    for command in ("eval", "build"):
        assert re.search(rf"^  {command}\s+\w", out, re.M)
        assert sum(line.startswith(f"  termbook {command}") for line in out.splitlines()) >= 2


def test_eval_help_lists_every_function_event_and_reading(capsys):
    code, out, _ = run(capsys, "eval", "--help")
    assert code == 0
    for fn in spec.FUNCTIONS:
        line = next(x for x in out.splitlines() if x.strip().split(" ")[0] == fn.name)
        for arg in fn.args:
            assert arg.name in line or arg.name in spec.VIEW_ARGUMENTS
        assert fn.help.split()[0] in out
    assert "[--amended-through DATE]" in next(x for x in out.splitlines() if x.strip().startswith("LSA_AMENDMENT"))
    for event in ("keltic_due_diligence", "full_payment"):
        assert re.search(rf"^  {event}\s", out, re.M)
    assert re.search(r"^  severance_installments\s+first_six \(default\) \| last_six \| seven_parts$", out, re.M)
    assert "facilities: advances, term loan" in out
    assert "YYYY-MM-DD" in out and "M/D/YYYY" in out and "4.25%" in out and "'-'" in out


def test_function_help_gives_each_argument(capsys):
    code, out, _ = run(capsys, "eval", "LSA_CAPACITY", "--help")
    fn = spec.function("LSA_CAPACITY")
    assert code == 0 and out.splitlines()[0].startswith("usage: termbook eval LSA_CAPACITY date receivables")
    assert fn.help.split(":")[0] in out
    for arg in fn.args:
        if arg.name not in spec.VIEW_ARGUMENTS:
            assert re.search(rf"^  {arg.name}\s+\S", out, re.M)
    assert re.search(r"^  --event NAME=DATE\s+\S", out, re.M) and "--offset DATE=AMOUNT" not in out
    # the readings Borrowing Capacity depends on: No. 11 B.1(A)(i)'s late delivery (the Maximum Limit) and
    # the engine's floor; not the severance letter's
    # the dates it answers: from No. 10's 2002-10-01 to the Initial Term's end, 2002-12-31 (No. 10 B.3)
    assert "This deal's terms answer 2002-10-01 to 2002-12-31" in out
    readings = out.split("readings:\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split()[0] for line in readings.splitlines()] == ["max_limit_late_increase", "capacity_floor"]


def test_terms_info_needs_no_argument(capsys):
    code, out, _ = run(capsys, "eval", "TERMS_INFO")
    assert code == 0 and out.splitlines()[0].split() == ["item", "value", "detail"]


@pytest.mark.parametrize("argv, message", [
    ([], "termbook: error: a command is needed: eval, build"),
    (["bild"], "termbook: error: unknown command 'bild' (did you mean 'build'?)"),
    (["--verison"], "termbook: error: unknown option '--verison' (did you mean '--version'?)"),
    (["build", "--flavour", "live"], "unrecognized arguments: --flavour live (did you mean '--flavor'?)"),
    (["build", "--flavor", "lve"], "invalid choice: 'lve'"),
    (["eval"], "termbook: error: a function is needed"),
    (["eval", "LSA_MAX_LIMT", "2002-11-22"], "unknown function 'LSA_MAX_LIMT' (did you mean 'LSA_MAX_LIMIT'?)"),
    (["eval", "LSA_MAX_LIMIT", "2002-11-22", "--amended-thru", "2002-11-11"], "(did you mean '--amended-through'?)"),
    # a prefix of one option only: that option (difflib alone would say --deal)
    (["eval", "LSA_MAX_LIMIT", "2002-11-22", "--am", "2002-11-11"], "(did you mean '--amended-through'?)"),
    (["eval", "LSA_AMENDMENT", "2002-11-22", "2002-11-11"],
     "termbook: error: LSA_AMENDMENT takes 1 positional argument (date); got 2; "
     "use --amended-through DATE for amended_through"),
    (["eval", "LSA_PRIME", "2002-11-01", "extra"], "LSA_PRIME takes 1 positional argument (date); got 2"),
    (["eval", "LSA_CAPACITY", "2002-11-01"], "termbook: error: LSA_CAPACITY needs receivables"),
    (["eval", "LSA_CAPACITY", "-", "1000"], "date is required; '-' leaves out only an optional argument"),
    (["eval", "LSA_PRIME", "2002-11-01", "--event", "full_payment=2002-12-01"],
     "LSA_PRIME does not take events (--event)"),
])
def test_usage_errors_in_argparse_form(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    lines = err.splitlines()
    assert code == 2 and out == ""
    assert lines[0].startswith("usage: termbook") and lines[-1].startswith("termbook: error: ")
    assert message in lines[-1], err
    assert "Traceback" not in err


def test_build_help_has_examples(capsys):
    code, out, _ = run(capsys, "build", "--help")
    assert code == 0 and "--output" in out and "examples:" in out and "termbook build --flavor live" in out


@pytest.mark.parametrize("argv, needle", [
    (["LSA_MAX_LIMIT", "2003-02-01"], "date: 2003-02-01 is after the Initial Term, which ended 2002-12-31"),
    (["LSA_MAX_LIMIT", "2002-09-30"], "date: 2002-09-30 is before 2002-10-01"),
    (["LSA_MAX_LIMIT", "soon"], "date: 'soon' is not a date (use YYYY-MM-DD or M/D/YYYY)"),
    (["LSA_MAX_LIMIT", "2002-11-15 2002-11-16"], "date: '2002-11-15 2002-11-16' is not a date"),
    (["LSA_MAX_LIMIT", "Monday 2002-11-15"], "date: 'Monday 2002-11-15' is not a date"),
    (["LSA_MAX_LIMIT", "2002--11-15"], "date: '2002--11-15' is not a date"),
    (["LSA_MAX_LIMIT", "2002-11-15T12:00+25:00"], "is not a date"),
    (["LSA_MAX_LIMIT", "Nov 16, 2002"], "is not a date"),
    (["LSA_MAX_LIMIT", "2002-11-31"], "date: '2002-11-31' is not a date: no such day"),
    (["LSA_MAX_LIMIT", "2002-11-15", "--amended-through", "11 Nov 2002"], "--amended-through: '11 Nov 2002'"),
    (["LSA_CAPACITY", "2002-11-01", "-5"], "receivables: '-5' is negative"),
    (["LSA_CAPACITY", "2002-11-01", "$1,2,3"], "receivables: '$1,2,3' is not a number"),
    (["LSA_CAPACITY", "2002-11-01", "1e308"], "receivables: '1e308' is too large; amounts must be under 1e15"),
    (["LSA_CAPACITY", "2002-11-01", "nan"], "receivables: 'nan' is not a number"),
    (["LSA_CAPACITY", "2002-11-01", "inf"], "receivables: 'inf' is not a number"),
    (["LSA_RATE", "2002-11-01", "mortgage"], "facility: unknown facility 'mortgage'"),
    (["LSA_RATE", "2002-11-01", "advnces"], "facility: unknown facility 'advnces' (did you mean 'advances'?)"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--event", "keltc_due_diligence=2002-11-01"],
     "--event: unknown event 'keltc_due_diligence' (did you mean 'keltic_due_diligence'?)"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--event", "keltic_commitment"], "--event: 'keltic_commitment' is not NAME=DATE"),
    # an event before the first document (the severance letter, 2002-06-06) or 50 years after 2002-10-01
    (["LSA_MAX_LIMIT", "2002-11-01", "--event", "keltic_commitment=0001-01-01"],
     "--event keltic_commitment: 0001-01-01 is before"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--event", "keltic_commitment=2052-10-02"],
     "--event keltic_commitment: 2052-10-02 is more than 50 years after"),
    (["SEV_SCHEDULE", "120000", "--offset", "1900-01-01=5"], "--offset: 1900-01-01 is before"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--rule", "generous"], "--rule: unknown rule 'generous'"),
    (["SEV_SCHEDULE", "120000", "--rule", "last_sx"], "--rule: unknown rule 'last_sx' (did you mean 'last_six'?)"),
    (["SEV_SCHEDULE", "120000", "--rule", "severance_instalments=last_six"],
     "(did you mean 'severance_installments'?)"),
    (["SEV_SCHEDULE", "120000", "--rule", "last_six", "--rule", "first_six"],
     "'last_six' and 'first_six' both choose severance_installments"),
    (["SEV_ELECTION", "outplacement", "1", "1", "maybe"], "transfer_accepted: 'maybe' is not TRUE or FALSE"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--deal", ""], "--deal: is empty"),
    (["LSA_MAX_LIMIT", "2002-11-01", "--deal", "/no/such/deal.toml"], "/no/such/deal.toml"),
])
def test_bad_values_are_one_line_with_exit_2(capsys, argv, needle):
    code, out, err = run(capsys, "eval", *argv)
    assert code == 2 and out == ""
    assert needle in err and err.startswith("termbook: ") and "\n" not in err, err


def test_build_refuses_an_empty_deal(capsys, tmp_path):
    code, out, err = run(capsys, "build", "--deal", "", "--output", str(tmp_path / "x.xlsx"))
    assert code == 2 and err == "termbook: --deal: is empty: give the path of a deal file"


def test_console_script_prints_no_traceback():
    result = subprocess.run([sys.executable, "-m", "udfs.terminal.main", "eval", "LSA_PRIME", "2002-13-45"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "termbook: date: '2002-13-45' is not a date: no such day"


def test_a_closed_pipe_ends_quietly():
    done = subprocess.run(f"{sys.executable} -m udfs.terminal.main eval TERMS_INFO | head -1", shell=True,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["item", "value", "detail"] and done.stderr == ""
    # A pipe closed before the first byte is written: still nothing on stderr.
    done = subprocess.run(f"{sys.executable} -m udfs.terminal.main eval LSA_FEE_SCHEDULE | true", shell=True,
                          capture_output=True, text=True, timeout=60)
    assert done.stderr == ""


def test_explain_prints_the_answer_then_its_working(capsys):
    code, out, _ = run(capsys, "eval", "LSA_RATE", "2002-11-07", "advances", "--explain")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "10.25%" and lines[1] == ""
    assert lines[2].split() == ["term", "value", "document", "step", "why", "citation"]
    # No. 11 B.2 reaches back to 2002-11-07: 6.0% over the H.15 prime of 4.25%
    assert any(line.startswith("Margin, Advances") and " 6.00% " in line for line in lines)
    assert any(line.startswith("Prime rate") and " 4.25% " in line for line in lines)
    code, out, _ = run(capsys, "eval", "LSA_MAX_LIMIT", "2002-11-22", "--explain", "--json")
    data = json.loads(out)
    assert data["answer"] == 1_750_000.0 and type(data["answer"]) is float
    assert {"term", "value", "document", "step", "why", "citation"} <= set(data["working"][0])


def test_every_view_argument_has_an_option():
    from udfs.terminal.text import option_of

    for name in spec.VIEW_ARGUMENTS:
        assert option_of(name).startswith("--")


def test_check_is_registered_as_an_entry_point(capsys, monkeypatch):
    import importlib.metadata
    import types

    module = types.ModuleType("fake_check")
    module.__doc__ = "`termbook check`: check a deal file."
    module.EXAMPLES = ("termbook check deal.toml", "termbook check --all")
    seen = {}

    def add_arguments(parser):
        parser.add_argument("file")

    def run_check(args):
        seen["file"] = args.file
        return 0

    module.add_arguments, module.run = add_arguments, run_check
    entry = types.SimpleNamespace(name="check", load=lambda: module)
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group: [e for e in real(group=group) if e.name != "check"] + [entry])
    assert run(capsys, "check", "deal.toml")[0] == 0 and seen == {"file": "deal.toml"}
    code, out, _ = run(capsys, "--help")
    assert code == 0 and re.search(r"^  check\s+check a deal file$", out, re.M) and "  termbook check deal.toml" in out
    code, _, err = run(capsys, "chek")
    assert code == 2 and "(did you mean 'check'?)" in err
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group: [e for e in real(group=group) if e.name != "check"])
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "check" not in out.split("examples:")[0]


def test_us_dates_only_for_a_deal_in_usd(capsys):
    made_up = str(ROOT / "tests" / "data" / "made_up_deal.toml")  # states no currency
    code, _, err = run(capsys, "eval", "LSA_AMENDMENT", "6/1/2021", "--deal", made_up)
    assert code == 2 and err == "termbook: date: '6/1/2021': month/day/year is read only for a deal in USD; " \
                                "use YYYY-MM-DD"
    code, out, _ = run(capsys, "eval", "LSA_AMENDMENT", "2021-06-01", "--deal", made_up)
    assert code == 0 and out
    code, out, _ = run(capsys, "eval", "--help", "--deal", made_up)
    assert "M/D/YYYY not read" in out


def test_json_columns_keep_their_type_with_a_text_row(capsys):
    # first_six: the last installment is due 2003-02-28, so compensation received 2003-03-15 reduces none
    code, out, _ = run(capsys, "eval", "SEV_SCHEDULE", "120000", "--offset", "2003-03-15=50000", "--json")
    rows = json.loads(out)
    assert code == 0 and [r[0] for r in rows[1:]] == [1, 2, 3, 4, 5, 6, "unapplied"]
    assert rows[-1][3] == 50_000.0 and all(type(r[2]) is float for r in rows[1:])


def test_a_table_wider_than_the_terminal_wraps_its_text_columns():
    import datetime

    from udfs.terminal.render import NARROWEST, table

    item = "Keltic commitment letter and updated Third-Party Confirmation, or Maximum Limit to $1,750,000"
    rows = [["date", "item", "amount"],
            [datetime.date(2002, 11, 22), item, 1_750_000.0],
            [datetime.date(2002, 12, 31), "Initial Term ends", 25_000.0]]
    assert len(table(rows).splitlines()) == 3  # no terminal: one line a row, as scripts and grep want
    fitted = table(rows, fit=60).splitlines()
    assert max(len(line) for line in fitted) <= 60
    assert fitted[1].startswith("2002-11-22  Keltic commitment") and fitted[1].endswith("1,750,000.00")
    assert fitted[-1].startswith("2002-12-31  Initial Term ends") and fitted[-1].endswith("25,000.00")
    # 60 = date 10 + item 34 + amount 12 + three gaps of 2: the item's words, in order, on its lines
    assert " ".join(" ".join(line[12:46].split()) for line in fitted[1:-1]) == item
    # too narrow for the columns even wrapped: each row a block of "heading: value" lines
    narrow = table(rows, fit=30).split("\n\n")
    assert len(narrow) == 2 and narrow[1].splitlines() == ["date:   2002-12-31", "item:   Initial Term ends",
                                                           "amount: 25,000.00"]
    assert max(len(line) for block in narrow for line in block.splitlines()) <= max(30, NARROWEST + 8)


@pytest.mark.parametrize("argv", [["LSA_FEE_SCHEDULE"], ["LSA_DEADLINES", "2002-11-22"], ["LSA_EXPLAIN", "2002-11-22"],
                                  ["LSA_AVAILABILITY", "2002-11-22", "2500000", "1500000", "--explain"]])
def test_every_table_fits_80_columns(capsys, monkeypatch, argv):
    """Issue 16: these printed lines of 106 to 115 characters at 80 columns."""
    import udfs.terminal.evaluate as evaluate

    monkeypatch.setattr(evaluate, "tty_width", lambda: 80)
    code, out, _ = run(capsys, "eval", *argv)
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 80


def test_the_working_of_availability_ends_on_availability(capsys):
    # 2002-11-22, nothing delivered: the 1,750,000 cap (No. 11 B.1(A)(ii)(a)) under 85% x 2,500,000, no
    # deductions, no Overadvances under No. 11: 1,750,000 - 1,500,000 Advances = 250,000
    code, out, _ = run(capsys, "eval", "LSA_AVAILABILITY", "2002-11-22", "2500000", "1500000", "--explain")
    last = [line for line in out.splitlines() if not line.startswith("Reading:")][-1]
    assert code == 0 and last.startswith("Availability") and "250,000.00" in last


@pytest.mark.parametrize("argv, hint", [
    (["LSA_RATE", "2002-11-22", "term", "loan"],
     "facility 'term loan' is two words: put it in quotes, termbook eval LSA_RATE 2002-11-22 'term loan'"),
    (["LSA_FEES_DUE", "2002-12"],
     "LSA_FEES_DUE needs end (a date, YYYY-MM-DD); add it: termbook eval LSA_FEES_DUE 2002-12 <end>"),
])
def test_messages_name_the_fix(capsys, argv, hint):
    code, out, err = run(capsys, "eval", *argv)
    assert code == 2 and out == "" and err.splitlines()[-1] == f"termbook: error: {hint}"


def test_the_terminal_accepts_a_two_word_facility_exactly_when_the_catalogue_does(capsys, tmp_path):
    """Issue 18: the terminal's pre-check took a facility's label ("Term Facility" here, not an alias) and
    said to quote it; quoted, the catalogue refused it. Both now use the engine's spellings
    (udfs.engine.values.facility_spellings): the label is for reading, an alias for typing."""
    seeds = (ROOT / "seeds" / "iec_hsbc_ge.toml").read_text()
    deal = tmp_path / "deal.toml"
    deal.write_text(seeds.replace('label = "Term Loan"', 'label = "Term Facility"', 1))
    code, _, err = run(capsys, "eval", "LSA_RATE", "2002-11-20", "Term", "Facility", "--deal", str(deal))
    assert code == 2 and "quotes" not in err
    code, _, err = run(capsys, "eval", "LSA_MARGIN", "2002-11-20", "Term Facility", "--deal", str(deal))
    assert code == 2 and "unknown facility 'Term Facility'" in err and "did you mean 'term facility'" not in err
    # an alias in two words, unquoted: the terminal says how to quote it, and quoted it is answered
    # (No. 11 B.2: Prime plus 6.0% on the Term Loan from 2002-11-07; H.15 prime 4.25% from 2002-11-07)
    code, _, err = run(capsys, "eval", "LSA_RATE", "2002-11-20", "term", "loans", "--deal", str(deal))
    assert code == 2 and "put it in quotes" in err
    assert run(capsys, "eval", "LSA_RATE", "2002-11-20", "term loans", "--deal", str(deal)) == (0, "10.25%", "")
