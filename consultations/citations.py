"""How a record's revision or a recommendation is cited (issue 13): plain text in the house
style, BibTeX, RIS and CSL-JSON — each naming the exact revision and its permalink, and nothing
about who took part. Pure functions of `Citable`: no database, no Flask.

Kazakh and Russian letters stay as they are (UTF-8, which biber, Zotero, JabRef, citeproc and
Pandoc read); in BibTeX, braces and TeX's special characters are escaped and the title is
braced so that no style changes its case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

AUTHOR = "Survivors Advisory Group"
LANGUAGE_NAMES = {"kk": "kazakh", "ru": "russian", "en": "english"}  # BibLaTeX `langid`
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_TEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Citable:
    number: str  # AR-2026-007, REC-2026-012
    revision: int | None  # a record's revision; None for a recommendation
    title: str
    locale: str
    published: date  # of this revision (a recommendation: its first publication)
    url: str  # the permalink of exactly this revision
    accessed: date
    publisher: str
    kind: str  # "Advisory record", "Recommendation" (English: citations are written once)

    @property
    def key(self) -> str:
        return f"{self.number}-v{self.revision}" if self.revision else self.number

    @property
    def genre(self) -> str:
        """ "Advisory record, revision 2": what it is, for the number to follow."""
        return f"{self.kind}, revision {self.revision}" if self.revision else self.kind

    @property
    def label(self) -> str:
        """ "Advisory record AR-2026-007, revision 2"."""
        revision = f", revision {self.revision}" if self.revision else ""
        return f"{self.kind} {self.number}{revision}"


def _day(moment: date) -> str:
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def plain(item: Citable) -> str:
    """The house style: author, “title”, what and which revision, publisher, date, permalink
    and the day it was read."""
    return (
        f"{AUTHOR}. “{item.title}”. {item.label}. {item.publisher}, {_day(item.published)}. "
        f"{item.url} (accessed {_day(item.accessed)})."
    )


def tex(text: str) -> str:
    """Text with TeX's special characters escaped; letters of any script kept."""
    return "".join(_TEX.get(ch, ch) for ch in " ".join(text.split()))


def bibtex(item: Citable) -> str:
    fields = [
        ("author", f"{{{tex(AUTHOR)}}}"),
        ("title", f"{{{tex(item.title)}}}"),
        ("type", tex(item.kind)),
        ("institution", tex(item.publisher)),
        ("number", tex(item.number)),
        ("year", str(item.published.year)),
        ("month", MONTHS[item.published.month - 1]),
        ("url", item.url),
        ("urldate", item.accessed.isoformat()),
        ("langid", LANGUAGE_NAMES.get(item.locale, "english")),
    ]
    if item.revision:
        fields.append(("version", str(item.revision)))
    body = ",\n".join(
        f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields
    )
    return f"@techreport{{{item.key},\n{body}\n}}\n"


def ris(item: Citable) -> str:
    lines = [
        ("TY", "RPRT"),
        ("AU", AUTHOR),
        ("TI", " ".join(item.title.split())),
        ("PB", item.publisher),
        ("SN", item.number),  # Zotero reads a report's number from SN
        ("M3", item.genre),
        ("PY", str(item.published.year)),
        ("DA", item.published.strftime("%Y/%m/%d")),
        ("UR", item.url),
        ("Y2", item.accessed.strftime("%Y/%m/%d")),
        ("LA", item.locale),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines) + "ER  - \r\n"


def csl(item: Citable) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": item.key,
        "type": "report",
        "title": " ".join(item.title.split()),
        "author": [{"literal": AUTHOR}],
        "publisher": item.publisher,
        "number": item.number,
        "genre": item.genre,
        "issued": {"date-parts": [[item.published.year, item.published.month, item.published.day]]},
        "accessed": {"date-parts": [[item.accessed.year, item.accessed.month, item.accessed.day]]},
        "URL": item.url,
        "language": item.locale,
    }
    if item.revision:
        entry["version"] = str(item.revision)
    return entry


def csl_json(item: Citable) -> str:
    """A CSL-JSON array of one item, as citeproc-js, citeproc-py and Pandoc read it."""
    return json.dumps([csl(item)], ensure_ascii=False, indent=2) + "\n"
