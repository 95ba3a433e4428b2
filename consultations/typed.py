"""What staff type into the advisory work's longer fields, cleaned one way: NFC, Windows line
ends folded, outer space trimmed; refused when empty (if required), over its limit, or holding
control, bidi-override or zero-width characters (`pseudonyms.has_forbidden_characters`) other
than the line breaks or tabs the field allows. Each service raises its own refusal, with the
same codes: "empty", "too_long", "control"."""

from __future__ import annotations

import unicodedata

from consultations.errors import KenesError
from consultations.pseudonyms import has_forbidden_characters


def cleaned(
    text: str,
    limit: int,
    *,
    refused: type[KenesError],
    required: bool = False,
    allowed: str = "",
) -> str:
    """`text` as it is stored; `allowed` lists the otherwise refused characters the field takes
    (for example a line break)."""
    kept = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if required and not kept:
        raise refused("empty")
    if len(kept) > limit:
        raise refused("too_long")
    if has_forbidden_characters(kept.translate({ord(ch): " " for ch in allowed})):
        raise refused("control")
    return kept
