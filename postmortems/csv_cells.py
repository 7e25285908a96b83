"""Cells a spreadsheet will not run: the one CSV writer every export uses.

Following OWASP's CSV-injection advice, a text cell that a spreadsheet could read as a
formula gets a leading apostrophe, which spreadsheets show as text and do not display.
A cell is a formula when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, or their full-width forms (``＝ ＋ － ＠``, which some spreadsheets normalise), also
after leading spaces. A spreadsheet that splits on another separator than ours (``;`` in
many locales, tabs, pipes) or that ignores the quotes can cut ``a;=1+1`` into ``a`` and
``=1+1``, so a trigger right after such a separator gets its own apostrophe as well.
"""

import csv
import re

# Excel opens a CSV without a byte-order mark in the machine's legacy code page, which
# garbles Korean (and any non-Latin) names; with it, Excel reads UTF-8. Other tools skip it.
BOM = "\ufeff"

TRIGGERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
SEPARATORS = ",;|\t\r\n"

_LEADING = re.compile(rf"^[ \u3000]*[{re.escape(TRIGGERS)}]")
_AFTER_SEPARATOR = re.compile(rf"([{re.escape(SEPARATORS)}][ \u3000]*)(?=[{re.escape(TRIGGERS)}])")


def neutralise(value):
    """``value`` as a spreadsheet shows it but never runs it; non-text values unchanged."""
    if not isinstance(value, str) or not value:
        return value
    value = _AFTER_SEPARATOR.sub(r"\1'", value)
    if _LEADING.match(value):
        value = "'" + value
    return value


class _Writer:
    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, **options):
    """A ``csv.writer`` whose text cells are neutralised; the only one exports should use.
    Write ``BOM`` to the file first (``writer`` cannot: a streamed file only keeps what
    ``writerow`` returns)."""
    return _Writer(file, **options)
