"""The Office.js call path's fixture (xlwings Server / Lite), shared by the Excel layer's tests."""

import importlib

import pytest

import udfs.xlfuncs


@pytest.fixture(scope="module")
def officejs():
    """udfs.xlfuncs as xlwings Server / Lite load it; put back as Classic afterwards."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XLWINGS_ON_SERVER", "true")
    mp.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings
    from xlwings.main import Engine

    added = None
    if "officejs" not in [engine.name for engine in xlwings.engines]:
        # xlwings registers its Office.js engine at import when a key is set; it was imported
        # before this fixture set one, so register it the same way.
        from xlwings.pro import _xlofficejs

        added = Engine(impl=_xlofficejs.engine)
        xlwings.engines.add(added)
    import xlwings.server as server

    module = importlib.reload(udfs.xlfuncs)
    assert module.OFFICEJS
    try:
        yield module, server
    finally:
        mp.undo()
        if added is not None:
            xlwings.engines.engines.remove(added)
            xlwings.engines.engines_by_name.pop("officejs", None)
        importlib.reload(udfs.xlfuncs)
