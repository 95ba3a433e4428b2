"""The languages Kenes is written and read in: Kazakh, Russian, English — defined here, once.

Content (drafts, sections, decisions), members' chosen language, the interface's catalogues,
the word lists and every check of a language code take this tuple; the database's CHECK
constraints are built from it (`in_locales`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

LOCALES: tuple[str, ...] = ("kk", "ru", "en")


def in_locales(column: str) -> str:
    """A CHECK constraint's text: `column` holds one of LOCALES."""
    return f"{column} IN ({', '.join(repr(code) for code in LOCALES)})"


# --------------------------------------------------------------------------- translated fields
#
# A consultation's title, summary and content note, a version's changelog, a decision's
# question and explanation and each option's label are written in the consultation's main
# language on their own row, and in the other languages in a `…_translation` table beside it:
# one row per language, each field optional. A reader sees each field in their language, or in
# the main language when it has not been written in theirs — and the page says so.


@dataclass(frozen=True)
class Shown:
    """One field as a reader sees it: the text, the language it is in, and whether that is the
    main language standing in for the reader's."""

    text: str
    locale: str
    fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


class Translated(Protocol):
    translations: Sequence[Any]


def shown(owner: Translated, field: str, locale: str, main_locale: str) -> Shown:
    """`owner.<field>` in `locale` if written in it, else in `main_locale`."""
    if locale != main_locale:
        for row in owner.translations:
            if row.locale == locale and getattr(row, field):
                return Shown(getattr(row, field), locale, fallback=False)
    text = getattr(owner, field)
    return Shown(text, main_locale, fallback=locale != main_locale and bool(text))


def set_translations(
    rows: list[Any],
    make: Callable[[str], Any],
    wanted: Mapping[str, Mapping[str, str]],
    main_locale: str,
) -> None:
    """Make `rows` (a `…_translation` relationship) hold `wanted` (locale → field → text): a
    language whose fields are all empty, or the main language, has no row."""
    by_locale = {row.locale: row for row in rows}
    for locale in LOCALES:
        values = wanted.get(locale, {}) if locale != main_locale else {}
        row = by_locale.get(locale)
        if not any(values.values()):
            if row is not None:
                rows.remove(row)
            continue
        if row is None:
            row = make(locale)
            rows.append(row)
        for name, value in values.items():
            setattr(row, name, value)
