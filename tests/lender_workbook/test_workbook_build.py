"""`termbook build` and the generator: determinism, --force, atomic writes, clean files, any deal."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import workbook_helpers as H  # noqa: N812

import workbook.build as build_mod
from udfs.deal.errors import TermsError
from udfs.loading import load_deal
from workbook import command as cli
from workbook import xl
from workbook.build import build

DATA = Path(__file__).parents[1] / "data"


def _args(**kw):
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    argv = []
    for key, value in kw.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            argv.append(flag)
        else:
            argv += [flag, str(value)]
    return parser.parse_args(argv)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("flavor", ["portable", "live"])
def test_same_inputs_give_byte_identical_files(tmp_path, flavor):
    a = H.build_file(tmp_path / "a.xlsx", flavor=flavor)
    b = H.build_file(tmp_path / "b.xlsx", flavor=flavor)
    assert _sha(a) == _sha(b)
    c = H.build_file(tmp_path / "c.xlsx", {"receivables": 1}, flavor=flavor)
    assert _sha(a) != _sha(c)


def test_fast_cell_path_writes_what_the_public_calls_write(tmp_path, monkeypatch):
    fast = H.build_file(tmp_path / "fast.xlsx")
    monkeypatch.setattr(xl, "FAST_ENABLED", False)
    slow = H.build_file(tmp_path / "slow.xlsx")
    assert _sha(fast) == _sha(slow)


def test_build_with_no_arguments_names_the_file_by_deal_and_date(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.run(_args()) == 0
    printed = capsys.readouterr().out.strip()
    # the Initial Term ended 2002-12-31 (No. 10 B.3): today is later, so the as-of date is kept there
    assert Path(printed) == tmp_path / "iec-hsbc-ge_2002-12-31.xlsx"
    assert Path(printed).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["iec-hsbc-ge_2002-12-31.xlsx"]


def test_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "book.xlsx"
    out.write_bytes(b"the user's own file")
    with pytest.raises(TermsError, match="already exists; use --force"):
        cli.run(_args(output=out))
    assert out.read_bytes() == b"the user's own file"
    assert cli.run(_args(output=out, force=True)) == 0
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_output_folder_and_options(tmp_path, capsys):
    assert cli.run(_args(output=tmp_path, as_of="2002-11-20", amended_through="2002-11-11",
                               flavor="live")) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == tmp_path / "iec-hsbc-ge_2002-11-20_through-2002-11-11_live.xlsx"  # view and flavor named
    assert H.as_date(H.named(path, "AsOf")[0]) == dt.date(2002, 11, 20)
    assert H.as_date(H.named(path, "AmendedThrough")[0]) == dt.date(2002, 11, 11)


def test_a_failed_build_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "book.xlsx"
    out.write_bytes(b"previous workbook")

    def boom(ctx):
        raise RuntimeError("killed midway")

    monkeypatch.setattr(build_mod.tab_pricing, "write", boom)
    with pytest.raises(RuntimeError, match="killed midway"):
        cli.run(_args(output=out, force=True))
    assert out.read_bytes() == b"previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_an_interrupted_build_leaves_no_partial_file(tmp_path, monkeypatch):
    out = tmp_path / "new.xlsx"

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_mod.tab_text, "notes", interrupt)
    with pytest.raises(KeyboardInterrupt):
        cli.run(_args(output=out))
    assert list(tmp_path.iterdir()) == []


def test_sigterm_midway_leaves_no_partial_file(tmp_path):
    """A real process, terminated while it writes: neither the target nor a temporary file remains."""
    out = tmp_path / "book.xlsx"
    code = (
        "import os, signal, sys\n"
        "import workbook.build as b\n"
        "real = b.tab_text.notes\n"
        "def slow(ctx):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    real(ctx)\n"
        "b.tab_text.notes = slow\n"
        "from udfs.terminal.main import main\n"
        f"sys.exit(main(['build', '--output', {str(out)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert list(tmp_path.iterdir()) == []


def test_no_macros_no_external_links_and_no_formula_from_text(tmp_path):
    path = H.build_file(tmp_path / "book.xlsx")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert not any("vba" in n.lower() or "externalLink" in n for n in names)
        sheets = {n: z.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet")}
        book = z.read("xl/workbook.xml").decode()
    assert "[1]" not in book  # no reference into another workbook
    for xml in sheets.values():
        assert "[1]" not in xml
    # every <f> formula cell is one we wrote: none starts from input or deal text
    formulas = [f for xml in sheets.values() for f in re.findall(r"<f>(.*?)</f>", xml)]
    assert formulas and not any(f.startswith(("=", "+")) for f in formulas)


def test_deal_text_that_looks_like_a_formula_stays_text(tmp_path):
    text = (DATA / "made_up_deal.toml").read_text().replace('label = "Revolver"', 'label = "=HYPERLINK(1)"')
    (tmp_path / "deal.toml").write_text(text)
    deal = load_deal(tmp_path / "deal.toml")
    path = tmp_path / "book.xlsx"
    with open(path, "wb") as handle:
        build(deal, H.make_inputs(deal=deal), handle)
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
    assert "=HYPERLINK(1)" in xml  # the label is there, as text
    assert not re.search(r"<f>[^<]*HYPERLINK", xml)  # and never as a formula


def test_any_deal_builds_through_the_same_code(tmp_path):
    deal = load_deal(DATA / "made_up_deal.toml")
    out = tmp_path / "acme.xlsx"
    with open(out, "wb") as handle:
        ctx = build(deal, H.make_inputs(deal=deal), handle)
    assert zipfile.is_zipfile(out)
    assert ctx.days[0] == dt.date(2021, 3, 1) and ctx.days[-1] == dt.date(2021, 12, 31)
    names = [n for n in H.named(out, "BC_MaxLimit")]
    assert len(names) == len(ctx.days)
    assert "severance" not in ctx.sheets


def test_bad_inputs_are_refused_in_one_line(tmp_path):
    bad = tmp_path / "in.toml"
    for text, fragment in [
        ('receivables = -5', "receivables: -5 is negative"),
        ('[events]\nnot_an_event = 2002-11-01', "events.not_an_event: unknown event"),
        ('[rules]\nday_count = "actual/366"', "rules.day_count: 'actual/366' is not one of"),
        ('as_of = "yesterday-ish"', "as_of:"),
        ('receivables = ', "not valid TOML"),
        ('colour = "red"', "colour: unknown input"),
        ('recievables = 1', "recievables: unknown input (did you mean 'receivables'?)"),
        ('transfer_accepted = "maybe"', "transfer_accepted: 'maybe' is not TRUE or FALSE"),
        ('as_of = 2002-11-22T10:00:00', "as_of: 2002-11-22T10:00:00 is a date and time; give the date alone"),
        ('receivables = "2.4 million"', "receivables: '2.4 million' is not a number"),
        ('as_of = 2003-05-01', "in.toml: as_of: 2003-05-01 is outside the encoded terms"),  # names the file
    ]:
        bad.write_text(text)
        with pytest.raises(TermsError) as info:
            cli.run(_args(inputs=bad, output=tmp_path / "x.xlsx"))
        assert fragment in str(info.value)
        assert "\n" not in str(info.value)
    assert not (tmp_path / "x.xlsx").exists()


def test_as_of_outside_the_terms_is_refused(tmp_path):
    with pytest.raises(TermsError, match="--as-of: 2003-02-01 is outside the encoded terms") as info:
        cli.run(_args(as_of="2003-02-01", output=tmp_path / "x.xlsx"))
    assert info.value.argument == "--as-of"  # the option it came from


def test_an_inputs_file_takes_amounts_as_the_terminal_does(tmp_path):
    (tmp_path / "in.toml").write_text('receivables = "2,400,000"\nletters_of_credit = "$100,000"\n')
    out = tmp_path / "x.xlsx"
    assert cli.run(_args(inputs=tmp_path / "in.toml", output=out)) == 0
    assert H.named(out, "Receivables") == [2400000] and H.named(out, "LettersOfCredit") == [100000]


def test_termbook_build_command_prints_one_line_errors(tmp_path):
    done = subprocess.run([sys.executable, "-m", "udfs.terminal.main", "build", "--as-of", "not a date", "--output",
                           str(tmp_path / "x.xlsx")], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "--as-of" in done.stderr


def test_inputs_file_round_trip(tmp_path):
    text = """
as_of = 2002-11-22
receivables = 2000000
term_loan_reserve = 300000
transfer_accepted = "no"
[events]
keltic_due_diligence = 2002-11-14
third_party_confirmation = 2002-11-15
[[offsets]]
date = 2002-12-01
amount = 5000
[rules]
severance_installments = "seven_parts"
[balances]
advances = 1000000
"""
    (tmp_path / "in.toml").write_text(text)
    out = tmp_path / "x.xlsx"
    assert cli.run(_args(inputs=tmp_path / "in.toml", output=out)) == 0
    assert H.named(out, "Receivables") == [2000000]
    # No. 11 B.1(A)(i): both items delivered by 11-15, nothing by 11-22: $1,750,000 from 11-22
    assert H.named(out, "AsOfMaxLimit") == [1750000]
    assert H.named(out, "TransferAccepted") == [False]  # "no" read as FALSE, like the engine's SEV_ELECTION


def test_workbook_in_memory(tmp_path):
    buffer = io.BytesIO()
    build(load_deal(DATA / "made_up_deal.toml"), H.make_inputs(deal=load_deal(DATA / "made_up_deal.toml")), buffer)
    assert zipfile.is_zipfile(io.BytesIO(buffer.getvalue()))


# Functions both Excel 2010 and LibreOffice 7.4 compute; the portable flavor uses nothing else.
PORTABLE = {"ABS", "AND", "COUNT", "COUNTA", "COUNTIF", "DAY", "IF", "IFERROR", "INDEX", "ISERROR", "ISNA", "ISNUMBER",
            "ISTEXT", "LOOKUP", "MATCH", "MAX", "MIN", "MONTH", "N", "NOT", "OR", "ROUND", "ROWS", "SUM", "SUMIF",
            "SUMPRODUCT", "TEXT", "YEAR", "FALSE", "TRUE", "RIGHT", "EXACT", "NA", "SMALL"}


def _functions(path):
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    used = set()
    for f in re.findall(r"<f(?: [^>]*)?>(.*?)</f>", xml):  # array formulas carry attributes
        f = re.sub(r"&quot;.*?&quot;", "", f)  # text literals
        used |= set(re.findall(r"([A-Z][A-Z0-9_.]*)\(", f))
    return used


def test_portable_formulas_use_only_functions_excel_2010_and_libreoffice_compute(tmp_path):
    used = _functions(H.build_file(tmp_path / "p.xlsx"))
    assert used <= PORTABLE, used - PORTABLE
    assert not any(name.startswith(("LSA_", "SEV_", "_xlfn")) for name in used)


def test_live_formulas_call_the_catalogue(tmp_path):
    used = _functions(H.build_file(tmp_path / "l.xlsx", flavor="live"))
    assert {"LSA_AMENDMENT", "LSA_MAX_LIMIT", "LSA_CAPACITY", "LSA_OVERADVANCE_LIMIT", "LSA_AVAILABILITY",
            "LSA_PRIME", "LSA_MARGIN", "LSA_RATE", "LSA_INTEREST", "LSA_FEES_DUE", "SEV_PAYMENT",
            "SEV_LATE_INTEREST", "SEV_ELECTION"} <= used
    # NOW: the Checks' error counts are volatile in the live flavor (LibreOffice then works them out on opening)
    assert used - PORTABLE - {"NOW"} <= {n for n in used if n.startswith(("LSA_", "SEV_"))}


def test_every_term_figure_on_the_terms_tab_carries_its_citation(tmp_path):
    path = H.build_file(tmp_path / "p.xlsx")
    import openpyxl

    ws = openpyxl.load_workbook(path)["Terms"]
    heads, seen = None, 0
    for row in ws.iter_rows(values_only=True):
        if row[0] == "#":
            heads = list(row) if "Citation" in row and "Value" in row else None
            continue
        if heads and isinstance(row[0], int) and row[heads.index("Value")] is not None:
            assert row[heads.index("Citation")], row
            assert "Amendment No." in row[heads.index("Citation")]
            seen += 1
    # Maximum Limit 2 versions + 4 steps, advance rate 2, overadvances 2 + 3 steps, margins 2 + 2, term end 1
    assert seen == 18


def test_byte_identical_across_processes_and_hash_seeds(tmp_path):
    import os

    digests = set()
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.xlsx"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-m", "udfs.terminal.main", "build", "--output", str(out), "--as-of",
                               "2002-11-20"], capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        digests.add(_sha(out))
    assert len(digests) == 1


def test_deal_option_and_shipped_template(tmp_path, capsys):
    from importlib import resources

    assert resources.files("termbook_templates").joinpath("workbook.toml").is_file()
    assert cli.run(_args(deal=DATA / "made_up_deal.toml", output=tmp_path)) == 0
    # the made-up deal's encoded term starts 2021-03-01: today is later than its end, so as-of is its end
    assert Path(capsys.readouterr().out.strip()).name == "acme-widgets_2021-12-31.xlsx"


def test_bad_deal_file_is_refused_in_one_line(tmp_path):
    bad = tmp_path / "deal.toml"
    bad.write_text("schema = 1\n[deal]\nid = 'x'\n")
    with pytest.raises(TermsError) as info:
        cli.run(_args(deal=bad, output=tmp_path / "x.xlsx"))
    assert str(bad) in str(info.value) and "\n" not in str(info.value)


def test_late_interest_calculator_follows_the_plan_switch(tmp_path):
    # last_six starts 2002-10-31 (letter 2(b), second reading): the calculator's default moves with it
    inputs = H.make_inputs({"rules": {"severance_installments": "last_six"}})
    assert inputs.late_due == dt.date(2002, 10, 31)
    with pytest.raises(TermsError, match="late_due: 2002-10-15 is not an installment date"):
        H.make_inputs({"late_due": "2002-10-15"})
    with pytest.raises(TermsError, match="late_paid: 2002-09-01 is before the due date"):
        H.make_inputs({"late_paid": "2002-09-01"})


def test_full_payment_before_a_document_in_view_is_refused(tmp_path):
    # full payment before Amendment No. 11 was signed, with No. 11 in view: that world did not exist
    (tmp_path / "in.toml").write_text("[events]\nfull_payment = 2002-11-01\n")
    with pytest.raises(TermsError, match="full_payment on 2002-11-01 is before Amendment No. 11"):
        cli.run(_args(inputs=tmp_path / "in.toml", output=tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()
    (tmp_path / "in.toml").write_text("amended_through = 2002-11-11\n[events]\nfull_payment = 2002-11-01\n")
    assert cli.run(_args(inputs=tmp_path / "in.toml", output=tmp_path / "x.xlsx")) == 0


def test_a_second_build_under_the_default_name_says_how_to_go_on(tmp_path):
    first = subprocess.run([sys.executable, "-m", "udfs.terminal.main",
                            "build"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([sys.executable, "-m", "udfs.terminal.main",
                            "build"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 2
    assert again.stderr.startswith("termbook: file: ") and again.stderr.endswith(
        "iec-hsbc-ge_2002-12-31.xlsx already exists (the default name); use --force to replace it, or --output to "
        "write elsewhere\n")


def test_progress_piped_prints_one_line_a_stage():
    """Piped or redirected (bench/bench_build.py | tee), the bar is one line a finished stage, not one
    line of carriage returns; on a terminal it redraws one line."""
    import io

    from workbook.context import Progress

    piped = io.StringIO()
    bar = Progress(piped, threshold=10)
    for label in ("Borrowing Capacity", "Pricing"):
        for done in range(0, 101, 10):
            bar.update(label, done, 100)
    assert piped.getvalue() == "Borrowing Capacity: 100 rows written\nPricing: 100 rows written\n"

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    tty = Terminal()
    bar = Progress(tty, threshold=10)
    for done in range(0, 101, 50):
        bar.update("Pricing", done, 100)
    assert tty.getvalue().count("\r") == 3 and tty.getvalue().endswith("100/100\n")
