"""termbook: credit-agreement terms as data, answered for any date.

The layers, lowest first; a module imports its own layer or a lower one (bench/house.py checks it):

    udfs.deal        the deal's records (a leaf), its errors, reading a deal file
    udfs.engine      the terms for a date: steps, pricing, borrowing base, fees, deadlines, severance
    udfs.loading     a deal file read, proved by asking the engine, and cached
    udfs.catalogue   the questions (LSA_*, SEV_*, TERMS_INFO), declared once and answered in Python
    clients, side by side:
      udfs.xlfuncs and udfs.excel   the Excel functions (xlwings Classic and Lite); .xlsm files name udfs.xlfuncs
      udfs.terminal                 `termbook eval|build|check`
      workbook                      the lender workbook generator (its own top-level package)
"""
