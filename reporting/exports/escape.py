"""Spreadsheet cell escaping against formula injection."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe.

    Numbers, dates and None pass through unchanged, so spreadsheets keep real numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
