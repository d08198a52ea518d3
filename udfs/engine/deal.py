"""The deal's records (udfs.engine.records) and loading them (udfs.engine.loading), under one name.

Kept for `from udfs.engine.deal import ...` in the clients and the tests. Inside the engine, import
udfs.engine.records: this module imports loading, which sits above the engine (bench/house.py).
"""

from .loading import DEFAULT_DEAL_FILE, default_deal, load_deal, parse_deal, read_limited  # noqa: F401
from .records import *  # noqa: F403  (every record: records.__all__)
