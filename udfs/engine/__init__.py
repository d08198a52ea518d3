"""The terms engine: the deal's records in, answers for a date out. It never reads a file (udfs.loading
does) and imports nothing from Excel, the terminal or the workbook."""
