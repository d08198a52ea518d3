"""The Excel layer's parts; `udfs.xlfuncs` registers the functions built from them.

* errors:    error values, and how Classic xlwings and Office.js show them
* convert:   cells in (ranges, serial dates, empty and error cells) and answers out
* broadcast: per-row arguments broadcast over ranges, handed to the catalogue's `many` by column
* register:  the functions, generated from the catalogue's declaration (udfs.catalogue.spec), decorated for xlwings
"""
