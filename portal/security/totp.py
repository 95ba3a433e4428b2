"""Time-based one-time codes (RFC 6238) for the second factor: 30 s steps, 6 digits, ±1 step.

Checklist 16 and 17. pyotp computes the codes; what it does not do is remember which codes were
used, so `verify` takes the last accepted time step and refuses any code at or below it: a code
read over a shoulder or from a proxy log is worthless once its owner has signed in with it. The
caller stores the step `verify` returns.

Secrets are 160 bits (RFC 4226's recommendation). The authenticator app shows "Kenes" and
nothing else: a phone searched by someone else must not show the member's pseudonym.
"""

from __future__ import annotations

import hmac
import io
import unicodedata
from datetime import datetime

import pyotp
import segno
from markupsafe import Markup, escape

SECRET_BYTES = 20
STEP_SECONDS = 30
DIGITS = 6
# One step either side forgives a phone clock up to 30 s off and a code typed as it changes.
VALID_WINDOW = 1
ISSUER = "Kenes"
# The QR code is drawn this many pixels wide, give or take a module (about 5 cm on a screen).
QR_TARGET_PX = 225
# Far longer than any way of typing six digits; anything longer is not worth looking at.
_MAX_TYPED_CHARS = 64


def new_secret() -> str:
    """A new base32 secret of SECRET_BYTES random bytes (32 base32 characters = 160 bits)."""
    return pyotp.random_base32(length=SECRET_BYTES * 8 // 5)


def normalize_code(typed: str) -> str | None:
    """The six ASCII digits a member meant, or None.

    Phones and password managers add spaces, no-break spaces and hyphens ("123 456"), and a
    Kazakh or Russian keyboard may give Arabic-Indic or full-width digits; all of them count.
    Only decimal digits (Unicode category Nd) are read as digits: "²" or "①" are not.
    """
    if len(typed) > _MAX_TYPED_CHARS:
        return None
    digits = []
    for char in typed:
        if char.isspace() or unicodedata.category(char) in ("Pd", "Cf"):
            continue  # separators, dashes and invisible format characters (zero-width space)
        value = unicodedata.decimal(char, None)
        if value is None:
            return None
        digits.append(str(value))
    code = "".join(digits)
    return code if len(code) == DIGITS else None


def verify(secret: str, typed_code: str, *, last_step: int | None, now: datetime) -> int | None:
    """The time step whose code was typed, or None if it is wrong, malformed or already used.

    A code is accepted for the steps current-1, current and current+1, but only for a step
    above `last_step` — the one accepted before — so no code works twice, with spaces added or
    after a failed attempt in between. For six digits, all three codes are computed and compared
    in constant time, so timing tells nothing about how close a guess came or which step matched.
    """
    current = _step(now)
    code = normalize_code(typed_code)
    if code is None:
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    accepted = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        matches = hmac.compare_digest(totp.at(step * STEP_SECONDS), code)
        if matches and accepted is None and (last_step is None or step > last_step):
            accepted = step
    return accepted


def _step(now: datetime) -> int:
    if now.tzinfo is None or now.utcoffset() is None:
        # A naive time would be read as the server's local time: codes off by hours.
        raise ValueError("now must be timezone-aware")
    return int(now.timestamp() // STEP_SECONDS)


def provisioning_uri(secret: str) -> str:
    """The otpauth:// URI for the authenticator app, naming Kenes only — never the member."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=ISSUER, issuer_name=ISSUER
    )


def qr_svg(uri: str, label: str) -> Markup:
    """`uri` as a QR code in inline SVG, for the enrolment page; `label` is its accessible name.

    Inline because the CSP allows images from our own origin only (no `data:` URI) and the
    secret must not be served as a file anyone could fetch again. The SVG has no XML
    declaration and no `style` attribute (the CSP forbids inline style); colours are SVG
    presentation attributes. A white background keeps it scannable on a dark theme.
    """
    qr = segno.make(uri, error="m", micro=False)
    width, _height = qr.symbol_size(scale=1)
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=False,
        scale=max(1, QR_TARGET_PX // width),
        dark="#000",
        light="#fff",
        svgclass="totp-qr",
        lineclass=None,
        title=label,  # segno escapes it
        encoding="utf-8",
    )
    svg = buffer.getvalue().decode("utf-8")
    if not svg.startswith("<svg "):
        raise RuntimeError("segno's SVG output changed shape")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    # Safe: segno draws only paths from the code's modules; the only text in it is `label`,
    # escaped by segno in <title> and by markupsafe in aria-label. Nothing else is interpolated.
    return Markup(svg)  # noqa: S704


def format_secret(secret: str) -> str:
    """The secret in groups of four, for members who type it into the app by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))
