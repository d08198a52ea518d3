"""The embedded deal (seeds/iec_hsbc_ge.toml) edited in one place, and the refusal such an edit must get:
shared by the tests of the strict reader (not a test file)."""

from pathlib import Path

import pytest

from udfs.deal.errors import DealFileError
from udfs.loading import parse_deal

SEEDS = (Path(__file__).parents[1] / "seeds" / "iec_hsbc_ge.toml").read_text()


def refuse(text: str) -> DealFileError:
    with pytest.raises(DealFileError) as err:
        parse_deal(text.encode("utf-8", "surrogatepass"), "deal.toml")
    message = str(err.value)
    assert message.startswith("deal.toml: ") and "\n" not in message
    return err.value


def edit(old: str, new: str, count: int = 1) -> str:
    assert old in SEEDS, old
    return SEEDS.replace(old, new, count)
