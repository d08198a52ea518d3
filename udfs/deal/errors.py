"""The one error the engine raises: what was wrong, where, and why, in one line."""

VALUE = "#VALUE!"  # a bad argument: wrong type, negative amount, unknown name
NA = "#N/A"  # a date outside the encoded terms


class TermsError(ValueError):
    """A question the terms cannot answer as asked.

    `code` is the Excel error it maps to, `argument` names the offending argument
    (or deal-file field), `reason` says why.
    """

    def __init__(self, argument: str, reason: str, code: str = VALUE):
        self.argument = argument
        self.reason = reason
        self.code = code
        super().__init__(f"{argument}: {reason}")

    @property
    def excel_text(self) -> str:
        return f"{self.code}: {self}"


class DealFileError(TermsError):
    """A deal file that does not describe a deal: names the file, the field and the reason."""

    def __init__(self, path: str, field: str, reason: str):
        self.path = path
        self.field = field
        super().__init__(f"{path}: {field}", reason, VALUE)
