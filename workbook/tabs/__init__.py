"""The workbook's tabs, one module each, written in workbook.build's order."""
