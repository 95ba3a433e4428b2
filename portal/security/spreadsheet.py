"""Every CSV the portal writes goes through here (issue 12), so no cell can run as a formula.

A spreadsheet treats a cell that begins with `=`, `+`, `-` or `@` as a formula — and some also
after a tab or a carriage return — so a comment reading `=HYPERLINK("http://…")` would become a
link, or worse, on a staff member's laptop (OWASP, "CSV Injection"). Such a cell is written with
a leading apostrophe, which spreadsheets show as text and do not display. The file is UTF-8 with
a byte-order mark, so that spreadsheets open Kazakh and Russian text as it was written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralize(cell: object) -> str:
    """The cell as text that no spreadsheet reads as a formula."""
    text = "" if cell is None else str(cell)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV document: the header, then the rows, every cell neutralized and quoted."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralize(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return BOM + out.getvalue()
