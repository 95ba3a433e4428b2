"""Fixtures for the browser tests: the real site under gunicorn, driven by Debian's Chromium.

- `live_server`: the app served by gunicorn (the production server and config file) on a free
  loopback port, on a fresh SQLite database built by `flask db upgrade`, with the kk/ru
  catalogues compiled first. It exposes `.url`, `.origin`, `.clock_file` (write a number of
  seconds there to move the server's clock, see portal/clock.py), `.access_log`, `.error_log`.
- `browser`: one headless Chromium for the session (never `bypass_csp`: the tests see the site
  under its real Content-Security-Policy).
- `new_page(viewport=…, javascript=…)`: a fresh context and page; `page` is one at 360×740 (a
  phone) with JavaScript on — parametrize it indirectly with {"viewport": (w, h),
  "javascript": bool} for others — and `page_nojs` the same with JavaScript off.
  Each page records what it did: `page.requests_seen` (every request URL, any frame),
  `page.console_errors`, `page.page_errors` (uncaught exceptions) and `page.csp_violations`.
- `assert_no_axe_violations(page)`, `assert_quiet(page)`: shared checks.

No test here leaves 127.0.0.1: the quick-exit destination (https://neutral.example/) is answered
by `route_neutral` inside the browser, and Chromium's own background traffic is switched off.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    sync_playwright,
)

from tests.servers import LiveServer, gunicorn

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
]

QUICK_EXIT_URL = "https://neutral.example/"
NEUTRAL_HTML = "<!doctype html><html lang='en'><title>neutral</title><p>neutral</p></html>"
PHONE = (360, 740)
DESKTOP = (1280, 800)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is a browser test (`-m "not browser"` leaves them out).

    Under pytest-xdist (`make test` runs two workers with `--dist loadgroup`) each module is
    a group: its tests run on one worker, in order, and both workers take modules, each
    starting the live server and Chromium once for the modules it runs."""
    here = Path(__file__).resolve().parent
    for item in items:
        path = Path(item.path).resolve()
        if here in path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group(f"browser-{path.stem}"))


# --------------------------------------------------------------------------- the live server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """gunicorn with the project's config on a fresh, migrated SQLite database (tests/servers.py).

    The kk/ru catalogues are compiled at session start (tests/conftest.py).
    """
    with gunicorn(tmp_path_factory.mktemp("browser-server")) as server:
        yield server


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs it", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


# Reports Content-Security-Policy violations to Python. Init scripts and bindings are injected
# by the DevTools protocol, not as <script> elements, so the page's CSP does not apply to them.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__kenesCspViolation({
    directive: e.effectiveDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, page: document.location.href,
  });
}, true);
"""


def _watch(context: BrowserContext, page: Page, *, javascript: bool) -> None:
    requests: list[str] = []
    console_errors: list[dict[str, str]] = []
    page_errors: list[str] = []
    csp_violations: list[dict[str, Any]] = []
    context.on("request", lambda request: requests.append(request.url))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append({"text": message.text, "url": message.location.get("url", "")})

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    if javascript:
        context.expose_binding(
            "__kenesCspViolation", lambda _source, violation: csp_violations.append(violation)
        )
        context.add_init_script(_CSP_LISTENER)
    page.requests_seen = requests  # type: ignore[attr-defined]
    page.console_errors = console_errors  # type: ignore[attr-defined]
    page.page_errors = page_errors  # type: ignore[attr-defined]
    page.csp_violations = csp_violations  # type: ignore[attr-defined]


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Make a page in a fresh context; everything made is closed after the test. Its waits fail
    after 10 s rather than Playwright's 30 when something is amiss."""
    contexts: list[BrowserContext] = []

    def make(viewport: tuple[int, int] = PHONE, javascript: bool = True) -> Page:
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            java_script_enabled=javascript,
            locale="en-US",
            service_workers="block",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        _watch(context, page, javascript=javascript)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    """A phone-sized page with JavaScript; indirect params may set `viewport`/`javascript`."""
    options = getattr(request, "param", None) or {}
    return new_page(**options)


@pytest.fixture
def page_nojs(new_page: Callable[..., Page]) -> Page:
    return new_page(javascript=False)


@pytest.fixture
def route_neutral() -> Callable[[Page], list[dict[str, Any]]]:
    """Answer https://neutral.example/ inside the browser, never on the network.

    Returns the list of requests it answered, each {"url": …, "headers": {…}}.
    """

    def install(page: Page) -> list[dict[str, Any]]:
        served: list[dict[str, Any]] = []

        def fulfil(route: Route) -> None:
            served.append({"url": route.request.url, "headers": route.request.all_headers()})
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_HTML)

        page.context.route("https://neutral.example/**", fulfil)
        return served

    return install


# --------------------------------------------------------------------------- shared checks


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(
            f"{AXE_PATH} is missing: run `npm install --no-save --no-package-lock axe-core@4.14.1`",
            pytrace=False,
        )
    return AXE_PATH.read_text(encoding="utf-8")


_AXE_RUN = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}
"""


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A/AA and best practice) on the page; fail listing any violation.

    axe is evaluated through the DevTools protocol: `add_script_tag` would be (rightly) refused
    by the site's CSP, and the tests never bypass the CSP.
    """
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(_axe_source())
    violations = page.evaluate(_AXE_RUN, AXE_TAGS)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
        for v in violations
    )
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{report}"


# Chromium reports a page served with an error status as a console error about that document.
_ERROR_STATUS = re.compile(r"^Failed to load resource: the server responded with a status of \d+")


def assert_quiet(page: Page, error_documents: Iterable[str] = ()) -> None:
    """No console error, uncaught exception or CSP violation so far.

    `error_documents`: URLs of pages expected to come with an error status (a 404 page), whose
    "Failed to load resource" console message is the browser reporting just that.
    """
    expected = set(error_documents)
    console = [
        error
        for error in page.console_errors  # type: ignore[attr-defined]
        if not (error["url"] in expected and _ERROR_STATUS.match(error["text"]))
    ]
    problems = {
        "console errors": console,
        "page errors": page.page_errors,  # type: ignore[attr-defined]
        "CSP violations": page.csp_violations,  # type: ignore[attr-defined]
    }
    found = {k: v for k, v in problems.items() if v}
    assert not found, f"on {page.url}: {json.dumps(found, indent=2, ensure_ascii=False)}"


def forget_observations(page: Page) -> None:
    """Empty the page's records, to check the next navigation on its own."""
    for name in ("requests_seen", "console_errors", "page_errors", "csp_violations"):
        getattr(page, name).clear()
