"""The deal: its checked, immutable records, and loading them from a deal file.

A deal file is read once by udfs.engine.deal_reader (TOML, every key checked, every view asked), and
what it read is kept in a cache (udfs.engine.deal_cache): the next question about the same bytes skips
the reading, which costs more than answering.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import namedtuple
from functools import cached_property

from . import deal_cache
from .borrowing_base import DEFAULT as BORROWING_BASE_DEFAULT
from .errors import DealFileError

MAX_FILE_BYTES = 2 * 1024 * 1024  # a deal file is a few hundred lines: far beyond this is a mistake

# Interpretations the engine reads by name (not through a {interpretation = ...} map): their choices.
ENGINE_READINGS = {
    "capacity_floor": ("negative_allowed", "floor_zero"),
    "availability_overadvance": ("include_overadvance", "exclude_overadvance"),
    "deductions_and_max_limit": ("reduce_both_sides", "max_limit_caps_advances_only"),
}
# The value kind of each term the engine asks for by name; margin terms (named in pricing.margin_terms)
# are fractions.
TERM_KINDS = {"max_limit": "amount", "advance_rate": "fraction", "overadvance_limit": "amount",
              "initial_term_end": "date"}


# The deal's records are named tuples, not dataclasses: every question loads them, and creating a
# dataclass costs more import time than answering (bench/bench_cli.py). Immutable either way.
class Document(namedtuple("Document", "id short title date terms_known is_lsa citation changes")):
    __slots__ = ()


class Step(namedtuple("Step", "kind date value citation requires late_delivery unless unless_by on_event",
                      defaults=((), "effective_on_delivery", (), None, None))):
    """`kind`: "level" or "cap"; `date`: the day it takes effect, or None for a step dated by an event
    (`on_event`: it takes effect on that event's date, never while the event is absent); `requires`: events
    the step waits for; `late_delivery`: "effective_on_delivery" or "lapse", or a choice map; `unless`
    (by `unless_by`): events that undo it."""

    __slots__ = ()


class Version(namedtuple("Version", "document start end value citation steps bounded_by", defaults=((), None))):
    __slots__ = ()


class Installment(namedtuple("Installment",
                             "fee component key fee_label component_label document date amount citation source",
                             defaults=(None,))):
    """`key`: "fee/component"; `source`: None for an installment the deal lists, else the FeeSource that
    generates it (its date and amount may then depend on the view: udfs.engine.fee_sources)."""

    __slots__ = ()


class FeeSource(namedtuple("FeeSource", "kind params citation")):
    """A rule that generates a component's installments: kind "recurring", "percent_of" or "tiered",
    with its checked keys (`params`); see udfs.engine.fee_sources."""

    __slots__ = ()


class Provision(namedtuple("Provision", "id document title text citation kind")):
    """A clause recorded for readers that no question computes (a covenant, a release, a reporting duty)."""

    __slots__ = ()


class FeeRule(namedtuple("FeeRule", "kind document components citation params")):
    __slots__ = ()


class Deadline(namedtuple("Deadline",
                          "id date item section document citation ended_by ended_how change_citation met_by met_when "
                          "recurrence until occurrence",
                          defaults=((), "all", None, None, None))):
    """`ended_by`: the document that replaced, deleted or mooted the requirement (or None);
    `ended_how`: "replaced", "deleted" or "made moot"; `met_by`: the events whose delivery satisfies it
    (empty: a date only); `met_when`: "all" of them, or "any" one. A recurring deadline (`recurrence`: rrule
    arguments, from `date` through `until` or the term's end in each view) is listed once per occurrence,
    each a Deadline with `occurrence` its number (1, 2, ...) and `date` its own date."""

    __slots__ = ()


class Interpretation(namedtuple("Interpretation",
                                "name default citation question rationale choices how_to_vary title",
                                defaults=("", ""))):
    """`choices`: choice name -> description; empty for a recorded reading without a switch."""

    __slots__ = ()


class Deal(namedtuple("Deal", [
        "path", "content_hash", "raw", "id", "name", "short_name", "version", "window_start",
        "window_start_citation", "documents", "parties",
        "events",  # name -> {label, citation}
        "facilities",  # name -> {label, aliases}
        "terms",  # term name -> tuple[Version, ...]
        "pricing", "prime", "installments", "fees", "fee_rules", "deadlines", "severance", "interpretations",
        "borrowing_base", "provisions"], defaults=(BORROWING_BASE_DEFAULT, ()))):
    """A loaded deal. Its own __dict__ (no __slots__) holds cached lookups. `borrowing_base`: a
    udfs.engine.borrowing_base.BorrowingBase (its components and reserves); `provisions`: clauses recorded
    for readers that no question computes."""

    def document(self, doc_id: str) -> Document:
        return self._documents_by_id[doc_id]

    @cached_property
    def _documents_by_id(self) -> dict:
        return {d.id: d for d in self.documents}

    @cached_property
    def default_rules(self):
        """Every switchable reading at its default (a udfs.engine.rules.Rules), made once per deal. Kept on
        the deal itself: a cache keyed by id(deal) outlives the deal and answers for the next one at that id."""
        from .rules import Rules, defaults

        return Rules(defaults(self))

    def interpretation(self, name: str) -> Interpretation:
        for interp in self.interpretations:
            if interp.name == name:
                return interp
        raise KeyError(name)



def parse_deal(data: bytes, path: str) -> Deal:
    """The deal a file's bytes describe, or a DealFileError naming the field, why, and its line."""
    deal = deal_cache.load(data, path)
    if deal is None:
        from . import deal_reader  # only a deal not read before: TOML and the checks cost more than answering

        deal = deal_reader.read(data, path)
        deal_cache.store(data, path, deal)
    return deal


NOT_REGULAR = "not a regular file (a FIFO, a device or a folder)"


def read_limited(path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 of them (the caller refuses a longer file without
    the rest being read). A FIFO, a device (/dev/zero) or a folder is refused at once: opened without
    blocking, never read. Deal files and inputs files both come through here."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, NOT_REGULAR)
        return handle.read(limit + 1)


def load_deal(path) -> Deal:
    if not str(path).strip():
        raise DealFileError(repr(str(path)), "(file)", "no file named")
    path = os.fspath(path)
    try:
        data = read_limited(path)
    except OSError as exc:
        raise DealFileError(str(path), "(file)", f"cannot be read: {exc.strerror or exc}") from None
    return parse_deal(data, str(path))


DEFAULT_DEAL_FILE = "iec_hsbc_ge.toml"
_default = None


def default_deal() -> Deal:
    """The embedded deal, shipped in the wheel as package data of `termbook_seeds`."""
    global _default
    if _default is None:
        _default = parse_deal(_embedded_bytes(), f"seeds/{DEFAULT_DEAL_FILE}")
    return _default


def _embedded_bytes() -> bytes:
    import termbook_seeds

    try:  # a package installed as files: read it directly (importlib.resources costs more than answering)
        return read_limited(os.path.join(os.path.dirname(termbook_seeds.__file__), DEFAULT_DEAL_FILE))
    except OSError:  # installed some other way (a zip): ask the import system
        from importlib import resources

        return resources.files("termbook_seeds").joinpath(DEFAULT_DEAL_FILE).read_bytes()
