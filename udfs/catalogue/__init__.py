"""The catalogue of questions: declared once (spec), answered as plain Python functions (functions), and the
argument checks the terminal and an inputs file share (argument_checks). Its clients: the Excel functions
(udfs.xlfuncs, udfs.excel), the terminal (udfs.terminal) and the workbook (workbook/)."""
