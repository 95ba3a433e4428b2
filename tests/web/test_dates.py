"""Dates as a Kazakh or Russian reader sees them (issue 11, item 7): no abbreviated month, and
so never an abbreviation's full stop beside the sentence's («қар..», «г..»)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from babel.dates import format_date

from portal.web.fields import day
from tests.consultation_fixtures import open_consultation
from tests.factories import make_member, sign_in

DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
# What Babel's abbreviated and "medium" patterns write for November in each language.
ABBREVIATED = {"kk": ("қар.", "ж."), "ru": ("нояб.", "г."), "en": ("Nov ",)}


def _short_month(moment: datetime, locale: str) -> str:
    """The test clock's month as Babel abbreviates it ("июн.", "мау.")."""
    return format_date(moment, "MMM", locale=locale)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
def test_a_day_is_written_with_the_full_month_and_no_stop(app, locale):
    with app.test_request_context(headers={"Accept-Language": locale}):
        written = day(date(2026, 11, 5))
        # 20:00 UTC is 01:00 the next morning in Almaty: the group's day.
        late_evening = day(datetime(2026, 11, 5, 20, 0, tzinfo=UTC))
        next_morning = day(date(2026, 11, 6))
    assert "." not in written
    assert written == format_date(date(2026, 11, 5), "d MMMM y", locale=locale)
    assert not any(short in written for short in ABBREVIATED[locale])
    assert late_evening == next_morning


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_pages_with_dates_end_their_sentences_with_one_full_stop(app, clock, locale):
    made = open_consultation(app)
    member = app.test_client()
    sign_in(member, make_member(app, f"Reader Of Dates {locale}"))
    member.get(f"/lang/{locale}?next=/")
    staff = app.test_client()
    sign_in(staff, make_member(app, f"Dating Staff {locale}", role="staff", two_factor=True), clock)
    staff.get(f"/lang/{locale}?next=/")
    slips = staff.post("/staff/invites", data={"role": "member", "count": "1", "days": "14"})
    assert slips.status_code == 200
    pages = {
        "consultation": member.get(f"/consultations/{made.public_id}"),
        "list": member.get("/consultations"),
        "account": member.get("/account"),
        "invite slips": slips,
        "invites": staff.get("/staff/invites"),
        "moderation": staff.get("/staff/moderation"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = _text(response)
        assert f'<html lang="{locale}"' in response.get_data(as_text=True), name
        assert not DOUBLE_STOP.search(text), (name, DOUBLE_STOP.search(text))
        for short in (*ABBREVIATED[locale], _short_month(clock.now(), locale)):
            assert short not in text, (name, short)
