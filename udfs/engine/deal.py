"""The deal's records (udfs.engine.records) and loading them (udfs.engine.loading), under one name.

Kept for `from udfs.engine.deal import ...` in the clients and the tests. Inside the engine, import
udfs.engine.records: this module imports loading, which sits above the engine (bench/house.py).
"""

from .loading import DEFAULT_DEAL_FILE, default_deal, load_deal, parse_deal, read_limited
from .records import (
    ENGINE_READINGS,
    MAX_FILE_BYTES,
    TERM_KINDS,
    Deadline,
    Deal,
    Document,
    FeeRule,
    Installment,
    Interpretation,
    Step,
    Version,
)

__all__ = ["DEFAULT_DEAL_FILE", "ENGINE_READINGS", "MAX_FILE_BYTES", "TERM_KINDS", "Deadline", "Deal", "Document",
           "FeeRule", "Installment", "Interpretation", "Step", "Version", "default_deal", "load_deal", "parse_deal",
           "read_limited"]
