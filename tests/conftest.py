"""Every test session gets its own deal cache (udfs.deal.cache), inherited by the terminal
commands the tests run: tests never read or write the user's ~/.cache, and the cache is exercised
as users meet it (read once, then taken back). Removed at the end of the session."""

import atexit
import os
import shutil
import tempfile

_cache = tempfile.mkdtemp(prefix="termbook-test-cache-")
os.environ["TERMBOOK_CACHE_DIR"] = _cache
atexit.register(shutil.rmtree, _cache, True)
