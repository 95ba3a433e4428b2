"""Which language a page speaks: Kazakh, Russian or English.

The choice lives in its own cookie holding only the language code, set by a plain link
(`/lang/<code>?next=…`), so anonymous public pages need no session and no CSRF token and stay
cacheable. Without the cookie, the browser's Accept-Language is the first guess.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, request
from flask_babel import get_locale

from consultations.languages import LOCALES, Shown, Translated, shown

__all__ = ["LANGUAGE_COOKIE", "LANGUAGE_NAMES", "LOCALES", "is_local_path", "select_locale"]

LANGUAGE_COOKIE = "kenes_lang"

# Each language named in itself: a reader who does not understand the current page must still
# find their own language in the switcher.
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def select_locale() -> str:
    """The language cookie (a choice made on this device), else a signed-in member's saved
    language, else the browser's Accept-Language, else the site's default."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LOCALES:
        return chosen
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return current_user.member.locale
    guessed = request.accept_languages.best_match(LOCALES)
    return guessed or current_app.config["BABEL_DEFAULT_LOCALE"]


def asked_for_by_this_device() -> str | None:
    """The language this device asks for — its language cookie (the switch), else its
    browser's Accept-Language — or None when it says nothing (the site's default then)."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES)


def in_reader_language(owner: Translated, field: str, main_locale: str) -> Shown:
    """`owner.<field>` in the page's language, or in the main language when not written in it
    (the template global `shown`)."""
    return shown(owner, field, str(get_locale()), main_locale)


def each_in_reader_language(
    owners: Iterable[Translated], field: str, main_locale: str
) -> list[Shown]:
    return [in_reader_language(owner, field, main_locale) for owner in owners]


def is_local_path(target: str) -> bool:
    """True for a path on this site, such as `/about?x=1`; false for anything that could leave it.

    Browsers treat `//host`, `/\\host` and scheme-relative tricks as other origins, and strip
    tabs and newlines before parsing, so those are refused outright.
    """
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    return not any(ch in target for ch in "\\\t\r\n\x00") and "://" not in target.split("?")[0]
