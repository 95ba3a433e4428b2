"""TOTP codes: ±1 step, never the same step twice, forgiving input, a bare QR (checklist 16–17)."""

import base64
import inspect
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from markupsafe import Markup

from portal.security import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Mid-step: 1_773_000_015 is 15 s into step 59_100_000.
NOW = datetime.fromtimestamp(1_773_000_015, UTC)
STEP = 59_100_000


def code_at(moment: datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(moment)


def wrong_code(*right: str) -> str:
    return next(c for c in ("000000", "111111", "222222") if c not in right)


def test_current_code_is_accepted_and_gives_its_step():
    assert totp.verify(SECRET, code_at(NOW), last_step=None, now=NOW) == STEP


def test_the_same_code_is_refused_a_second_time():
    code = code_at(NOW)
    step = totp.verify(SECRET, code, last_step=None, now=NOW)
    assert step == STEP
    assert totp.verify(SECRET, code, last_step=step, now=NOW) is None
    assert totp.verify(SECRET, code, last_step=step, now=NOW + timedelta(seconds=10)) is None


def test_the_same_code_with_spaces_is_refused_a_second_time():
    code = code_at(NOW)
    step = totp.verify(SECRET, code, last_step=None, now=NOW)
    for spaced in (f"{code[:3]} {code[3:]}", f" {code} ", f"{code[:3]}-{code[3:]}"):
        assert totp.verify(SECRET, spaced, last_step=step, now=NOW) is None


def test_a_used_code_stays_refused_after_a_failed_attempt():
    code = code_at(NOW)
    step = totp.verify(SECRET, code, last_step=None, now=NOW)
    assert totp.verify(SECRET, wrong_code(code), last_step=step, now=NOW) is None
    assert totp.verify(SECRET, code, last_step=step, now=NOW) is None


def test_a_code_from_before_the_last_accepted_step_is_refused():
    earlier = code_at(NOW - timedelta(seconds=30))
    step = totp.verify(SECRET, code_at(NOW), last_step=None, now=NOW)
    assert earlier != code_at(NOW)
    # Still inside the ±1 window, but older than the step just used.
    assert totp.verify(SECRET, earlier, last_step=step, now=NOW) is None
    assert totp.verify(SECRET, earlier, last_step=None, now=NOW) == STEP - 1


def test_the_next_steps_code_is_accepted_after_this_one():
    step = totp.verify(SECRET, code_at(NOW), last_step=None, now=NOW)
    later = NOW + timedelta(seconds=30)
    assert totp.verify(SECRET, code_at(later), last_step=step, now=later) == STEP + 1


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (1, True), (2, False)])
def test_one_step_either_side_is_accepted_two_are_not(offset, accepted):
    code = code_at(NOW + timedelta(seconds=30 * offset))
    assert code != code_at(NOW)
    result = totp.verify(SECRET, code, last_step=None, now=NOW)
    assert result == (STEP + offset if accepted else None)


def test_a_wrong_code_is_refused():
    right = [code_at(NOW + timedelta(seconds=30 * k)) for k in (-1, 0, 1)]
    assert totp.verify(SECRET, wrong_code(*right), last_step=None, now=NOW) is None


@pytest.mark.parametrize(
    "typed",
    ["", "12345", "1234567", "12345a", "abcdef", "12.3456", "１２３４５", "²２３４５６", "9" * 500],
)
def test_malformed_input_is_refused_without_error(typed):
    assert totp.normalize_code(typed) is None
    assert totp.verify(SECRET, typed, last_step=None, now=NOW) is None


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("123456", "123456"),
        ("123 456", "123456"),
        ("123-456", "123456"),
        ("123\u00a0456", "123456"),  # no-break space
        ("123\u202f456\n", "123456"),  # narrow no-break space, newline
        ("123\u200b456", "123456"),  # zero-width space
        ("１２３４５６", "123456"),  # full-width
        ("١٢٣٤٥٦", "123456"),  # Arabic-Indic
        ("۱۲۳ ۴۵۶", "123456"),  # Eastern Arabic-Indic
    ],
)
def test_normalize_code_forgives_what_typing_adds(typed, normal):
    assert totp.normalize_code(typed) == normal


def test_full_width_digits_are_accepted():
    full_width = code_at(NOW).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert totp.verify(SECRET, full_width, last_step=None, now=NOW) == STEP


def test_now_in_another_time_zone_gives_the_same_step():
    almaty = NOW.astimezone(timezone(timedelta(hours=5)))
    assert totp.verify(SECRET, code_at(NOW), last_step=None, now=almaty) == STEP


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        totp.verify(SECRET, code_at(NOW), last_step=None, now=NOW.replace(tzinfo=None))


def test_new_secret_is_160_bits_and_new_each_time():
    secret = totp.new_secret()
    assert len(base64.b32decode(secret)) == totp.SECRET_BYTES == 20
    assert len({totp.new_secret() for _ in range(100)}) == 100


def test_a_new_secret_works_with_pyotp():
    secret = totp.new_secret()
    assert totp.verify(secret, code_at(NOW, secret), last_step=None, now=NOW) == STEP


def test_provisioning_uri_names_kenes_only():
    uri = totp.provisioning_uri(SECRET)
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth"
    assert parts.netloc == "totp"
    assert parts.path == "/Kenes:Kenes"
    query = parse_qs(parts.query)
    assert query["issuer"] == ["Kenes"]
    assert query["secret"] == [SECRET]
    # The function takes no account name at all: a pseudonym cannot end up in the app.
    assert list(inspect.signature(totp.provisioning_uri).parameters) == ["secret"]


def test_qr_svg_is_bare_inline_svg():
    svg = totp.qr_svg(totp.provisioning_uri(SECRET), label="QR code for your app")
    assert isinstance(svg, Markup)
    assert svg.startswith("<svg ")
    assert svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    assert "style=" not in svg
    assert "data:" not in svg
    assert "<script" not in svg
    assert 'role="img"' in svg
    assert 'aria-label="QR code for your app"' in svg
    assert "<title>QR code for your app</title>" in svg


def test_qr_svg_is_about_200_to_250_pixels():
    svg = totp.qr_svg(totp.provisioning_uri(SECRET), label="QR")
    width = int(svg.split('width="', 1)[1].split('"', 1)[0])
    assert 190 <= width <= 250


def test_qr_svg_escapes_its_label():
    svg = totp.qr_svg(totp.provisioning_uri(SECRET), label='"><script>alert(1)</script>')
    assert "<script>" not in svg
    assert 'aria-label="&#34;&gt;&lt;script&gt;' in svg
    assert '<title>"&gt;&lt;script&gt;' in svg


def test_format_secret_groups_by_four():
    assert totp.format_secret(SECRET) == "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
    assert totp.format_secret(SECRET).replace(" ", "") == SECRET
