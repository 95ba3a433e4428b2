"""The languages Kenes is written and read in: Kazakh, Russian, English — defined here, once.

Content (drafts, sections, decisions), members' chosen language, the interface's catalogues,
the word lists and every check of a language code take this tuple; the database's CHECK
constraints are built from it (`in_locales`).
"""

LOCALES: tuple[str, ...] = ("kk", "ru", "en")


def in_locales(column: str) -> str:
    """A CHECK constraint's text: `column` holds one of LOCALES."""
    return f"{column} IN ({', '.join(repr(code) for code in LOCALES)})"
