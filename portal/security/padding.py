"""The same length on the wire whatever a member chose (issue 9; README, Security).

TLS hides the bytes of a response, not its length, and an access log used to write it down: a
page that says "Your vote: Disagree" is three bytes longer than one that says "Agree". So the
parts of a page that show a member's ballot are written at a fixed length: a choice is marked
by attributes of equal length (` checked` or as many spaces), a name by the name and spaces up
to the longest name it could have been, a number by spaces up to the widest it could be.
Spaces inside a tag or at the end of a cell or paragraph change nothing on screen.

Kenes never compresses a response, and the pages that show a ballot say `no-transform`, so no
compressing proxy may turn equal lengths into unequal ones (README, Deployment).
"""

from __future__ import annotations

import json

from markupsafe import Markup, escape


def _bytes(text: object) -> int:
    return len(str(escape(text)).encode())


def same_length(text: object, *alternatives: object) -> Markup:
    """`text`, escaped, and spaces up to the UTF-8 length of the longest of `text` and
    `alternatives` (escaped too: `&` takes five bytes on the wire)."""
    width = max(_bytes(candidate) for candidate in (text, *alternatives))
    return escape(text) + " " * (width - _bytes(text))


def mark(on: bool, attribute: str) -> Markup:
    """` attribute` when `on`, else as many spaces: a checked box and an empty one weigh
    the same."""
    return escape(f" {attribute}" if on else " " * (_bytes(attribute) + 1))


def json_padding(value: str, *alternatives: str) -> str:
    """Spaces that make `value`, written as a JSON string (UTF-8, not ASCII-escaped), as long
    as the longest of `value` and `alternatives`: a field to put beside it in a JSON file."""

    def size(text: str) -> int:
        return len(json.dumps(text, ensure_ascii=False).encode())

    return " " * (max(size(candidate) for candidate in (value, *alternatives)) - size(value))


def padding_for(text: object, *alternatives: object) -> Markup:
    """Only the spaces `same_length` would add: for a value inside an attribute's quotes."""
    width = max(_bytes(candidate) for candidate in (text, *alternatives))
    return escape(" " * (width - _bytes(text)))
