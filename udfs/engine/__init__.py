"""The terms engine: deal files in, answers for a date out. Imports nothing from Excel."""

from .deal import Deal, default_deal, load_deal, parse_deal
from .errors import NA, VALUE, DealFileError, TermsError
from .terms import Terms, View

__all__ = ["Deal", "DealFileError", "NA", "Terms", "TermsError", "VALUE", "View", "default_deal", "load_deal",
           "parse_deal"]
