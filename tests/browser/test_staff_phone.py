"""Every staff page on a 360 px phone, in Kazakh and Russian (issue 11, item 8).

`/staff/invites` scrolled sideways by 67 px at 360 px: members' pages were checked on a phone,
staff pages were not. Here one staff member visits every staff page the site has — each GET
route under /staff, found in the app's URL map so a new one cannot be missed — and the
invitation slips, with JavaScript, in both languages; each fits the width and has no axe-core
violation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from portal import create_app
from tests.browser.conftest import PHONE, LiveServer, assert_no_axe_violations, assert_quiet
from tests.browser.test_advice_journey import press, write_recommendation
from tests.browser.test_consultations import (
    V1_RU,
    comment_on,
    create_consultation,
    join,
    make_staff,
    publish,
)
from tests.browser.test_decisions import PROPOSAL, create_decision, open_decisions
from tests.browser.test_membership import goto, invite_codes, submit

pytestmark = pytest.mark.browser


def _staff_get_rules(server: LiveServer) -> set[str]:
    app = create_app({k: v for k, v in server.env.items() if k.startswith("KENES_")})
    try:
        return {
            rule.rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/staff") and "GET" in (rule.methods or set())
        }
    finally:
        from portal.extensions import db

        with app.app_context():
            db.engine.dispose()


def _fits(page: Page, lang: str, where: str) -> None:
    assert page.get_attribute("html", "lang") == lang, where
    width = page.locator("html").evaluate("html => html.scrollWidth")
    assert width <= PHONE[0], f"{where} in {lang} is {width}px wide on a {PHONE[0]}px phone"
    assert_no_axe_violations(page)
    assert_quiet(page)


def test_every_staff_page_fits_a_phone_in_kazakh_and_russian(
    new_page: Callable[..., Page], live_server: LiveServer
):
    server = live_server
    staff = make_staff(new_page, server, "Phone Staff")
    public_id, _typed = create_consultation(staff, server, title="Порядок на телефоне")
    publish(staff, server, public_id, {"ru": V1_RU}, "Первая редакция")
    open_decisions(staff, public_id)
    decision_id = create_decision(staff, server, public_id, PROPOSAL, axe=False)
    member = new_page()
    (code,) = invite_codes(server, 1)
    join(member, server, code, "Phone Member")
    goto(member, server, f"/consultations/{public_id}")
    comment_id = comment_on(member, "referral", "Комментарий для модерации.", quotable=True)
    # An addressee, a published recommendation, and a record from the consultation (a draft).
    goto(staff, server, "/staff/recommendations/addressees")
    staff.fill("#name_kk", "Түркістан облысының әкімдігі")
    staff.fill("#name_ru", "Акимат Туркестанской области")
    staff.fill("#name_en", "Akimat of Turkestan Region")
    press(staff, "main form[action='/staff/recommendations/addressees']")
    write_recommendation(staff, server, "Направлять ребёнка в тот же день", axe=False)
    recommendation_id = re.sub(r"\D", "", staff.url.rsplit("/", 1)[-1])
    goto(staff, server, f"/staff/records/new?consultation={public_id}")
    staff.check("input[name=locale][value=ru]")
    staff.fill("#title", "Направлять в тот же день")
    press(staff, "main form[action^='/staff/records/new']")
    record_id = staff.url.rsplit("/", 1)[-1]
    values = {
        "public_id": public_id,
        "decision_id": decision_id,
        "comment_id": str(comment_id),
        "record_id": record_id,
        "recommendation_id": recommendation_id,
    }
    rules = _staff_get_rules(server)
    paths = {
        rule: re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule) for rule in rules
    }
    for lang in ("kk", "ru"):
        goto(staff, server, f"/lang/{lang}?next=/staff/invites")
        for rule, path in sorted(paths.items()):
            goto(staff, server, path)
            _fits(staff, lang, rule)
        goto(staff, server, "/staff/invites")
        staff.select_option("#count", "2")
        submit(staff)
        assert staff.locator(".slip").count() == 2
        _fits(staff, lang, "the invitation slips")
    staff.context.close()
