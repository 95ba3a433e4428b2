"""The route × role table: for every endpoint of the app, what each role gets.

One row per (endpoint, method). `url` is an example address for the endpoint; `expect` maps
each role to the status it must receive. A route without a row fails `test_routes.py`, so no
endpoint ships without someone deciding who may use it. Every issue adds its rows; roles grow
from `anonymous` to `member`, `staff` and `admin` as issue 3 brings them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anonymous",)


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    url: str
    expect: dict[str, int]
    # Form data for POST examples (the CSRF token is added by the tests that need one).
    data: dict[str, str] = field(default_factory=dict)


ROUTES: tuple[Route, ...] = (
    Route("public.home", "GET", "/", {"anonymous": 200}),
    Route("public.about", "GET", "/about", {"anonymous": 200}),
    Route("public.privacy", "GET", "/privacy", {"anonymous": 200}),
    Route("public.safety", "GET", "/safety", {"anonymous": 200}),
    Route("public.healthz", "GET", "/healthz", {"anonymous": 200}),
    Route("public.switch_language", "GET", "/lang/ru?next=/about", {"anonymous": 303}),
    Route("public.quick_exit", "POST", "/quick-exit", {"anonymous": 303}),
    Route("static", "GET", "/static/css/kenes.css", {"anonymous": 200}),
)


def routes_for(method: str) -> list[Route]:
    return [route for route in ROUTES if route.method == method]
