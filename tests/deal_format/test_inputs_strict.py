"""Inputs files are read as strictly as deal files, by the same checks (issue 20, Deliver 4): regular
files only (a FIFO or /dev/zero refused at once, for --deal and --inputs), the size cap, TOML errors,
nesting, types, dates within the terminal's bounds, amounts under its limit, names with a suggestion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from udfs.deal.errors import TermsError
from udfs.loading import default_deal
from workbook import inputs as inputs_mod
from workbook.build import load_template

ROOT = Path(__file__).resolve().parents[2]


def load(tmp_path, text: str | bytes):
    path = tmp_path / "inputs.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    deal = default_deal()
    return inputs_mod.load(path, inputs_mod.defaults(deal, load_template()), deal)


def refused(tmp_path, text) -> str:
    with pytest.raises(TermsError) as caught:
        load(tmp_path, text)
    message = str(caught.value)
    assert "\n" not in message and str(tmp_path / "inputs.toml") in message
    return message


@pytest.mark.parametrize("text, field, reason", [
    ("[events]\npurchase_offer = 0", "events.purchase_offer", "0 is not a date"),
    ("[events]\npurchase_offer = false", "events.purchase_offer", "is not a date"),
    ("[events]\npurchase_offer = 1900-03-01", "events.purchase_offer", "before"),
    ("[events]\npurchase_offer = 9999-12-31", "events.purchase_offer", "more than 50 years"),
    ("[[offsets]]\ndate = 9999-12-31\namount = 5", "offsets[0].date", "more than 50 years"),
    ("[[offsets]]\ndate = 1900-03-01\namount = 5", "offsets[0].date", "before"),
    ("late_paid = 9999-12-31", "late_paid", "more than 50 years"),
    ("amended_through = 9999-12-31", "amended_through", "more than 50 years"),
    ("receivables = 1e15", "receivables", "under 1e15"),
    ("receivables = 1000000000000000", "receivables", "under 1e15"),
    ("outstanding = " + "9" * 400, "outstanding", "under 1e15"),
    ("prime_override = 0.99", "prime_override", "99%"),
    ("rules = [1, 2]", "rules", "expected a table"),
    ("rules = 'first_six'", "rules", "expected a table"),
    ("[rules]\nseverance_installments = ['last_six']", "rules.severance_installments", "is not one of"),
    ("[rules]\nseverance_installments = {a = 1}", "rules.severance_installments", "is not one of"),
    ("[rules]\nseverance_instalments = 'last_six'", "rules.severance_instalments", "did you mean"),
    ("[events]\npurchase_ofer = 2002-11-01", "events.purchase_ofer", "did you mean"),
    ("[balances]\nadvance = 5", "balances.advance", "did you mean"),
])
def test_silent_guesses_are_refused(tmp_path, text, field, reason):
    message = refused(tmp_path, text)
    assert f": {field}:" in message and reason in message, message


@pytest.mark.parametrize("text, reason", [
    ("x = " + "9" * 5000, "too long to read"),
    ("x = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
    (b"as_of = \xff", "not UTF-8"),
    ("as_of = 2002-11-22\nas_of = ", "not valid TOML at"),
    ("# padding\n" * 300_000, "larger than 2 MB"),
])
def test_the_file_is_checked_as_a_deal_file_is(tmp_path, text, reason):
    assert reason in refused(tmp_path, text)


def test_an_event_left_blank_is_not_delivered(tmp_path):
    values = load(tmp_path, '[events]\npurchase_offer = ""\nfull_payment = 2002-12-20')
    assert values.events["purchase_offer"] is None and str(values.events["full_payment"]) == "2002-12-20"


def _termbook(*argv, timeout=20):
    return subprocess.run([sys.executable, "-m", "udfs.terminal.main", *argv], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("option", ["--deal", "--inputs"])
def test_a_fifo_is_refused_at_once(tmp_path, option):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    done = _termbook("build", option, str(fifo), "--output", str(tmp_path / "book.xlsx"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert str(fifo) in done.stderr and "not a regular file" in done.stderr
    assert not (tmp_path / "book.xlsx").exists()


@pytest.mark.parametrize("option", ["--deal", "--inputs"])
@pytest.mark.parametrize("target", ["/dev/zero", "folder"])
def test_a_device_or_a_folder_is_refused_at_once(tmp_path, option, target):
    if target == "folder":
        target = str(tmp_path)
    done = _termbook("build", option, target, "--output", str(tmp_path / "book.xlsx"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert target in done.stderr and ("not a regular file" in done.stderr or "Is a directory" in done.stderr)


def test_eval_refuses_a_fifo_deal_at_once(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    done = _termbook("eval", "TERMS_INFO", "--deal", str(fifo))
    assert done.returncode == 2 and "not a regular file" in done.stderr and "\n" not in done.stderr.strip()
