"""Loading a deal: a file's bytes read (udfs.deal.reader), proved by asking the engine's views
(udfs.loading.validate), and cached (udfs.deal.cache). Loading sits above the engine because the proof
asks the engine; the engine computes with the records and never loads.

The clients import the deal from here: the loaders, and the records under the same name.
"""

from udfs.deal.records import *  # noqa: F403  (every record: records.__all__)
from udfs.loading.deal_file import DEFAULT_DEAL_FILE, default_deal, load_deal, parse_deal, read_limited  # noqa: F401
