"""Every user-visible string is translated into Kazakh and Russian (issue 2; house rule 6)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "portal" / "translations"
LOCALES = ("kk", "ru")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def load(locale: str):
    with open(CATALOGS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def test_catalogs_are_up_to_date_with_the_source(tmp_path):
    """The committed .pot holds exactly the strings the code and templates use now."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(fresh, "rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with open(CATALOGS / "messages.pot", "rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    assert wanted == committed, "run `make translations` and translate the new strings"
    for locale in LOCALES:
        assert {m.id for m in load(locale) if m.id} == wanted, locale


def forms(value) -> list[str]:  # type: ignore[no-untyped-def]
    """A message's id or string as a list: plural entries hold one per form."""
    return list(value) if isinstance(value, tuple | list) else [value]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_is_translated(locale):
    catalog = load(locale)
    missing = [m.id for m in catalog if m.id and not all(forms(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == []
    assert fuzzy == []


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale):
    for message in load(locale):
        if message.id:
            wanted = sorted(PLACEHOLDER.findall(forms(message.id)[-1]))
            for translated in forms(message.string):
                assert sorted(PLACEHOLDER.findall(translated)) == wanted, message.id


def test_kazakh_is_written_with_kazakh_letters():
    """A Kazakh catalogue that is really Russian would pass the checks above."""
    text = "\n".join(form for m in load("kk") if m.id for form in forms(m.string))
    assert KAZAKH_LETTERS & set(text)
    # No Latin look-alike hiding inside a Cyrillic word (a common copy-paste fault).
    mixed = re.findall(
        r"\b\w*[а-яәғқңөұүһі]\w*[a-z]\w*\b|\b\w*[a-z]\w*[а-яәғқңөұүһі]\w*\b",
        text,
        flags=re.IGNORECASE,
    )
    assert mixed == []
