"""What every feature's views share: loading what a URL names or answering 404, and the staff
area's guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Blueprint, abort
from flask_login import current_user, login_required

from consultations.errors import NotFound
from consultations.models import Member

P = ParamSpec("P")
T = TypeVar("T")


def or_404(load: Callable[P, T | None], *args: P.args, **kwargs: P.kwargs) -> T:
    """What `load(...)` finds; a 404 when it raises NotFound or finds nothing."""
    try:
        found = load(*args, **kwargs)
    except NotFound:
        abort(404)
    if found is None:
        abort(404)
    return found


def staff_area(bp: Blueprint) -> None:
    """Every route of `bp` is for staff. Signed out: the sign-in page. Anyone else: a 404 — the
    staff area does not admit that it exists (checklist 24)."""
    bp.before_request(login_required(_staff_only))


def _staff_only() -> None:
    if not current_user.is_staff:
        abort(404)


def acting_staff() -> Member:
    """The staff member acting, for the services' `actor`."""
    return current_user.member
