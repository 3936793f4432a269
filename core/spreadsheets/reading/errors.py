"""``ImportFileError``: the file as a whole cannot be imported.

In a module of its own so that ``files`` (the entry point) and the format readers it calls
(``xlsx``, ``ods`` and their shared ``archives`` checks) can all raise it without importing
each other. Import it from ``core.spreadsheets.reading.files``.
"""


class ImportFileError(Exception):
    """The file as a whole cannot be imported; ``message`` says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
